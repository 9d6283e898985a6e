"""Read a pack from a folder or a ``.zip`` safely and report every problem in one line each.

Lines follow ``FILE: question ID: FIELD: message`` (pack-level problems omit the question part).
No input, however broken, raises anything but :class:`PackError`.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from pydantic import ValidationError

from app.core.errors import PackError
from app.core.pack_format import SHOWN_CHARS, FieldRuleError, Pack, listed, quoted

try:
    from lzma import LZMAError
except ImportError:  # a Python built without lzma: zipfile then refuses LZMA entries itself
    LZMAError = OSError  # type: ignore[misc,assignment]

PACK_FILE = "pack.json"
MAX_PACK_JSON_BYTES = 50 * 1024 * 1024
MAX_MEDIA_BYTES = 25 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 500 * 1024 * 1024
MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_RATIO = 200
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"})
MAX_MESSAGE_CHARS = 600  # a last guard: values are already cut by ``quoted``
ZIP_METHODS = {
    zipfile.ZIP_STORED: "store",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
# What a damaged zip entry raises while it is read: bad deflate data, a failed CRC, a cut archive.
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, LZMAError, EOFError, OSError, ValueError, NotImplementedError)


@dataclass(frozen=True)
class LoadedPack:
    """A valid pack with the bytes of every media file it references."""

    pack: Pack
    source: Path
    media: dict[str, bytes] = field(default_factory=dict)


def one_line(text: str) -> str:
    """``text`` with every control, format, separator or unencodable character escaped (``\\n``,
    ``\\u2028``, ``\\ud800``), so that a problem is always exactly one printable line that prints."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _cut(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def cut_middle(text: str, limit: int = 3 * SHOWN_CHARS) -> str:
    """A path cut in its middle, keeping where it starts and the file it ends with."""
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-limit // 2 :]


class _Problems:
    def __init__(self, display: str) -> None:
        self.display = display
        self.lines: list[str] = []

    def add(self, message: str, question: str | None = None, fld: str | None = None) -> None:
        parts = [one_line(cut_middle(self.display))]
        if question is not None:
            parts.append(f"question {one_line(_cut(question))}")
        if fld:
            parts.append(one_line(fld))
        parts.append(one_line(_cut(message, MAX_MESSAGE_CHARS)))
        self.lines.append(": ".join(parts))

    def raise_if_any(self) -> None:
        if self.lines:
            raise PackError(self.lines)


class UnreadableError(Exception):
    """A file of the pack exists but cannot be used; the message says why (the caller says where)."""


def reason_of(exc: BaseException) -> str:
    """An OS or decoder error as a short phrase: "File name too long", "Bad CRC-32 for file ..."."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return _cut(str(exc) or type(exc).__name__)


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def open_regular(path: str | Path, name: str) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file.

    Checked before opening, since opening a FIFO blocks until a writer comes, and again on the open
    descriptor (O_NONBLOCK keeps even a FIFO swapped in between from blocking) against races.
    Raises FileNotFoundError when there is nothing there, :class:`UnreadableError` for anything else.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableError(f"{name} is not a regular file ({_kind(mode)}); refused unread")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise FileNotFoundError(str(path)) from exc
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte or a lone surrogate in the name
        raise UnreadableError(f"{name} cannot be read: {reason_of(exc)}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableError(f"{name} is not a regular file ({_kind(mode)}); refused unread")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def zip_problems(infos: list[zipfile.ZipInfo]) -> list[str]:
    """What makes a zip unsafe or impossible to read: unsafe paths, links, encryption, unknown methods, bombs."""
    lines: list[str] = []
    total = 0
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            lines.append(f"zip entry {quoted(name)} has an unsafe path (absolute or with '..')")
        if stat.S_ISLNK(info.external_attr >> 16):
            lines.append(f"zip entry {quoted(name)} is a symbolic link")
        if info.flag_bits & 0x1:
            lines.append(f"zip entry {quoted(name)} is encrypted; Blocksim reads only unencrypted zips")
        elif info.compress_type not in ZIP_METHODS:
            lines.append(
                f"zip entry {quoted(name)} uses compression method {info.compress_type}, which Blocksim cannot "
                f"read (use {', '.join(ZIP_METHODS.values())})"
            )
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO and info.file_size > 1_000_000:
            lines.append(
                f"zip entry {quoted(name)} expands {info.file_size // info.compress_size}-fold (a zip bomb?); refused"
            )
    if total > MAX_ZIP_TOTAL_BYTES:
        lines.append(
            f"zip expands to {total // (1024 * 1024)} MB; the limit is {MAX_ZIP_TOTAL_BYTES // (1024 * 1024)} MB"
        )
    return lines


class _Source:
    """Uniform read access to a folder pack or a zip pack."""

    def __init__(self, path: Path, problems: _Problems) -> None:
        self.path = path
        self.problems = problems
        self._zip: zipfile.ZipFile | None = None
        self._handle: BinaryIO | None = None  # the open zip file
        self._prefix = ""
        self._single = PACK_FILE  # the pack file's name when a bare JSON file was given
        self._root = ""  # the pack folder with every link resolved

    def __enter__(self) -> _Source:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._handle is not None:
            self._handle.close()

    def open(self) -> bool:
        path = self.path
        try:
            mode = os.stat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            self.problems.add("no such file or folder")
            return False
        except (OSError, ValueError) as exc:
            self.problems.add(f"cannot be read: {reason_of(exc)}")
            return False
        if stat.S_ISDIR(mode):
            try:
                open_regular(path / PACK_FILE, PACK_FILE).close()
            except FileNotFoundError:
                self.problems.add(f"folder has no {PACK_FILE}")
                return False
            except UnreadableError as exc:
                self.problems.add(str(exc))
                return False
            return self._set_root(path)
        try:
            handle = open_regular(path, path.name)
        except (FileNotFoundError, UnreadableError) as exc:
            self.problems.add(str(exc) if isinstance(exc, UnreadableError) else "no such file or folder")
            return False
        try:
            start = handle.read(4)
            is_zip = zipfile.is_zipfile(handle)
        except OSError as exc:
            handle.close()
            self.problems.add(f"cannot be read: {reason_of(exc)}")
            return False
        if is_zip or start == b"PK\x03\x04" or path.suffix.lower() == ".zip":
            self._handle = handle
            return self._open_zip()
        handle.close()
        if path.name == PACK_FILE or path.suffix.lower() == ".json":
            # A bare pack.json: its folder is the pack.
            self.path = path.parent
            self._single = path.name
            return self._set_root(self.path)
        self.problems.add(f"not a pack: expected a folder with {PACK_FILE}, a .zip of one, or a {PACK_FILE}")
        return False

    def _set_root(self, folder: Path) -> bool:
        try:
            self._root = os.path.realpath(folder)
        except (OSError, ValueError) as exc:
            self.problems.add(f"cannot be read: {reason_of(exc)}")
            return False
        return True

    def _open_zip(self) -> bool:
        assert self._handle is not None
        try:
            self._handle.seek(0)
            archive = zipfile.ZipFile(self._handle)
            infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            detail = "not a zip archive, or one cut short" if isinstance(exc, zipfile.BadZipFile) else reason_of(exc)
            self.problems.add(f"unreadable zip: {detail}")
            return False
        if len(infos) > MAX_ZIP_ENTRIES:
            self.problems.add(f"zip holds {len(infos)} entries; the limit is {MAX_ZIP_ENTRIES}")
            archive.close()
            return False
        for line in zip_problems(infos):
            self.problems.add(line)
        if self.problems.lines:
            archive.close()
            return False
        names = {info.filename for info in infos}
        if PACK_FILE in names:
            self._prefix = ""
        else:
            candidates = sorted(n for n in names if n.count("/") == 1 and n.endswith("/" + PACK_FILE))
            if len(candidates) != 1:
                self.problems.add(f"zip has no {PACK_FILE} at its top or in one top-level folder")
                archive.close()
                return False
            self._prefix = candidates[0][: -len(PACK_FILE)]
        self._zip = archive
        return True

    def describe(self, relative: str) -> str:
        """How to name a file of the pack in messages: ``folder/pack.json`` or ``pack.zip:folder/pack.json``."""
        if self._zip is not None:
            return f"{self.path}:{self._prefix}{relative}"
        return str(self.path / (self._single if relative == PACK_FILE else relative))

    def read(self, relative: str, limit: int, name: str) -> bytes | None:
        """The bytes of a file in the pack, or None when there is none.

        Raises :class:`UnreadableError` when the file is there but cannot be used; ``name`` is how its
        message names the file.
        """
        mb = 1024 * 1024
        if self._zip is not None:
            try:
                info = self._zip.getinfo(self._prefix + relative)
            except KeyError:
                return None
            if info.file_size > limit:
                raise UnreadableError(f"{name} is {info.file_size // mb} MB; the limit is {limit // mb} MB")
            try:
                with self._zip.open(info) as handle:
                    data = handle.read(limit + 1)
            except _DAMAGED_ZIP as exc:
                # An OSError here is a seek outside the file: the archive was cut or its offsets are wrong.
                reason = "its data lies outside the archive" if type(exc) is OSError else reason_of(exc)
                raise UnreadableError(f"{name} is damaged in the zip: {reason}") from exc
            if len(data) > limit:
                raise UnreadableError(f"{name} is larger than the limit of {limit // mb} MB")
            return data
        file_name = self._single if relative == PACK_FILE else relative
        try:
            target = os.path.realpath(self.path / file_name)
        except (OSError, ValueError) as exc:
            raise UnreadableError(f"{name} cannot be read: {reason_of(exc)}") from exc
        if not target.startswith(os.path.join(self._root, "")):  # strictly inside the pack folder
            raise UnreadableError(f"{name} leaves the pack folder")
        try:
            with open_regular(target, name) as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > limit:
                    raise UnreadableError(f"{name} is {size // mb} MB; the limit is {limit // mb} MB")
                data = handle.read(limit + 1)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise UnreadableError(f"{name} cannot be read: {reason_of(exc)}") from exc
        if len(data) > limit:
            raise UnreadableError(f"{name} is larger than the limit of {limit // mb} MB")
        return data


def _question_id(raw: Any, index: int) -> str:
    try:
        value = raw["questions"][index]["id"]
    except (KeyError, IndexError, TypeError):
        return f"#{index + 1}"
    return str(value) if isinstance(value, str | int) else f"#{index + 1}"


def _labels(raw: Any, index: object) -> str:
    """The option labels of a raw question, listed for a message (A to J when they cannot be read)."""
    try:
        labels = [_cut(str(o["label"])) for o in raw["questions"][index]["options"]]
    except (KeyError, IndexError, TypeError):
        labels = []
    return ", ".join(labels[:10]) or "A to J"


def _field_path(parts: Iterable[object]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + _cut(str(part))
    return out


def _report_validation(error: ValidationError, raw: Any, problems: _Problems) -> None:
    for item in error.errors(include_url=False):
        loc = [
            part for part in item["loc"] if not (isinstance(part, str) and part.startswith(("function-", "literal[")))
        ]
        message = item["msg"].removeprefix("Value error, ")
        cause = item.get("ctx", {}).get("error")
        if isinstance(cause, FieldRuleError):
            loc = [*loc, cause.field]
        if item["type"] == "literal_error" and loc[-1:] == ["format"]:
            message = f'must be "blocksim-pack" (got {quoted(item.get("input"))})'
        if item["type"] == "literal_error" and loc[-1:] == ["answer"] and len(loc) == 3:
            message = f"answer {quoted(item.get('input'))} is not among the option labels {_labels(raw, loc[1])}"
        if item["type"] == "missing":
            message = "is required"
        if item["type"] == "string_unicode":
            message = f"{quoted(item.get('input'))} is not valid Unicode text (it holds a lone surrogate)"
        if item["type"] == "int_type":
            message = f"must be an integer (got {quoted(item.get('input'))})"
        if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
            problems.add(message, question=_question_id(raw, loc[1]), fld=_field_path(loc[2:]) or None)
        else:
            problems.add(message, fld=_field_path(loc) or None)


def _cross_checks_of_invalid(raw: dict[str, Any], error: ValidationError, problems: _Problems) -> None:
    """Cross-field rules pydantic skips once a question has a field error, checked on the raw data,
    so that one run lists every problem."""
    questions = raw.get("questions")
    if not isinstance(questions, list):
        return
    failed: set[int] = set()  # questions whose own fields failed, so their cross-field rules never ran
    reported: set[tuple[int, str]] = set()
    for item in error.errors():
        loc = item["loc"]
        if len(loc) < 2 or loc[0] != "questions" or not isinstance(loc[1], int):
            continue
        cause = item.get("ctx", {}).get("error")
        if isinstance(cause, FieldRuleError):
            reported.add((loc[1], cause.field))
        else:
            failed.add(loc[1])
            if len(loc) > 2:
                reported.add((loc[1], str(loc[2])))
    ids: list[str] = [q["id"] for q in questions if isinstance(q, dict) and isinstance(q.get("id"), str)]
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    if failed and duplicates:
        problems.add(f"duplicate question id(s): {listed(duplicates)}", fld="questions")
    for index in sorted(failed):
        question = questions[index]
        if not isinstance(question, dict):
            continue
        qid = _question_id(raw, index)
        options = question.get("options")
        labels = [o.get("label") for o in options if isinstance(o, dict)] if isinstance(options, list) else []
        answer = question.get("answer")
        if labels and isinstance(answer, str) and answer not in labels and (index, "answer") not in reported:
            shown = ", ".join(_cut(str(label)) for label in labels[:10])
            problems.add(f"answer {quoted(answer)} is not among the option labels {shown}", question=qid, fld="answer")
        stem, keywords = question.get("stem"), question.get("keywords")
        if (
            isinstance(stem, str)
            and isinstance(keywords, list)
            and not reported & {(index, "keywords"), (index, "stem")}
        ):
            for keyword in keywords:
                if isinstance(keyword, str) and keyword not in stem:
                    message = f"keyword {quoted(keyword)} does not occur verbatim in the stem"
                    problems.add(message, question=qid, fld="keywords")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_value_error(exc: ValueError) -> str:
    if "digits" in str(exc):
        return f"a number has more than {sys.get_int_max_str_digits()} digits"
    return _cut(str(exc))


def read_pack(path: Path, display: str | None = None) -> LoadedPack:
    """Read, validate and return a pack, or raise :class:`PackError` listing every problem."""
    problems = _Problems(display or str(path))
    with _Source(Path(path), problems) as source:
        if not source.open():
            problems.raise_if_any()
        if display is None:
            problems.display = source.describe(PACK_FILE)  # what follows is about the pack file itself
        try:
            data = source.read(PACK_FILE, MAX_PACK_JSON_BYTES, PACK_FILE)
        except UnreadableError as exc:
            problems.add(str(exc))
        problems.raise_if_any()
        if data is None:
            problems.add(f"{PACK_FILE} not found")
            problems.raise_if_any()
        assert data is not None
        if not data.strip():
            problems.add("file is empty; expected a JSON object")
            problems.raise_if_any()
        try:
            raw = json.loads(data.decode("utf-8-sig"), parse_constant=_refuse_constant)
        except UnicodeDecodeError:
            problems.add("not UTF-8 text")
            problems.raise_if_any()
        except json.JSONDecodeError as exc:
            problems.add(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
            problems.raise_if_any()
        except ValueError as exc:  # a number past Python's int-string limit, or NaN/Infinity
            problems.add(f"not valid JSON: {_json_value_error(exc)}")
            problems.raise_if_any()
        except RecursionError:
            problems.add("JSON nested too deeply")
            problems.raise_if_any()
        if not isinstance(raw, dict):
            problems.add(f"expected a JSON object at the top, got {type(raw).__name__}")
            problems.raise_if_any()
        version = raw.get("format_version")
        if isinstance(version, int) and not isinstance(version, bool) and version > 1:
            # Say only this: the rest of a newer format may legitimately differ.
            problems.add(
                f"format_version {version} is newer than this Blocksim understands (it reads version 1); "
                f"update Blocksim to a release that supports pack format {version}",
                fld="format_version",
            )
            problems.raise_if_any()
        try:
            pack = Pack.model_validate(raw)
        except ValidationError as exc:
            _report_validation(exc, raw, problems)
            _cross_checks_of_invalid(raw, exc, problems)
            problems.raise_if_any()
            raise  # unreachable: a ValidationError always has errors
        media: dict[str, bytes] = {}
        for question in pack.questions:
            for position, item in enumerate(question.media):
                if item.file in media:
                    continue
                where = {"question": question.id, "fld": f"media[{position}].file"}
                if PurePosixPath(item.file).suffix.lower() not in MEDIA_SUFFIXES:
                    problems.add(
                        f"media file {quoted(item.file)} is not an image ({', '.join(sorted(MEDIA_SUFFIXES))})",
                        **where,
                    )
                    continue
                try:
                    blob = source.read(item.file, MAX_MEDIA_BYTES, quoted(item.file))
                except UnreadableError as exc:
                    problems.add(str(exc), **where)
                    continue
                if blob is None:
                    problems.add(f"media file {quoted(item.file)} is missing", **where)
                else:
                    media[item.file] = blob
        problems.raise_if_any()
    return LoadedPack(pack=pack, source=Path(path), media=media)


def peek_identity(path: Path) -> tuple[str, str] | None:
    """A folder pack's declared (id, version) without validating it, or None if it cannot be read cheaply.

    Used at start-up to skip bundled packs that are already installed at that version.
    """
    pack_json = path / PACK_FILE if path.is_dir() else None
    if pack_json is None or not pack_json.is_file() or pack_json.stat().st_size > MAX_PACK_JSON_BYTES:
        return None
    try:
        raw = json.loads(pack_json.read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):  # ValueError: bad UTF-8 or JSON, a 5,000-digit number
        return None
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and isinstance(raw.get("version"), str):
        return raw["id"], raw["version"]
    return None

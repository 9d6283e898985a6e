"""Read a pack from a folder or a ``.zip`` safely and report every problem in one line each.

Lines follow ``FILE: question ID: FIELD: message`` (pack-level problems omit the question part).
No input, however broken, raises anything but :class:`PackError`.
"""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from app.core.errors import PackError
from app.core.pack_format import FieldRuleError, Pack

PACK_FILE = "pack.json"
MAX_PACK_JSON_BYTES = 50 * 1024 * 1024
MAX_MEDIA_BYTES = 25 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 500 * 1024 * 1024
MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_RATIO = 200
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"})


@dataclass(frozen=True)
class LoadedPack:
    """A valid pack with the bytes of every media file it references."""

    pack: Pack
    source: Path
    media: dict[str, bytes] = field(default_factory=dict)


class _Problems:
    def __init__(self, display: str) -> None:
        self.display = display
        self.lines: list[str] = []

    def add(self, message: str, question: str | None = None, fld: str | None = None) -> None:
        parts = [self.display]
        if question is not None:
            parts.append(f"question {question}")
        if fld:
            parts.append(fld)
        parts.append(message)
        self.lines.append(": ".join(parts))

    def raise_if_any(self) -> None:
        if self.lines:
            raise PackError(self.lines)


def zip_problems(infos: list[zipfile.ZipInfo]) -> list[str]:
    """What makes a zip unsafe to read: unsafe paths, links, bombs and total size (empty when safe)."""
    lines: list[str] = []
    total = 0
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            lines.append(f"zip entry {name!r} has an unsafe path (absolute or with '..')")
        if stat.S_ISLNK(info.external_attr >> 16):
            lines.append(f"zip entry {name!r} is a symbolic link")
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO and info.file_size > 1_000_000:
            lines.append(
                f"zip entry {name!r} expands {info.file_size // info.compress_size}-fold (a zip bomb?); refused"
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
        self._prefix = ""
        self._single = PACK_FILE  # the pack file's name when a bare JSON file was given

    def __enter__(self) -> _Source:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._zip is not None:
            self._zip.close()

    def open(self) -> bool:
        path = self.path
        if not path.exists():
            self.problems.add("no such file or folder")
            return False
        if path.is_dir():
            pack_json = path / PACK_FILE
            if not pack_json.is_file():
                self.problems.add(f"folder has no {PACK_FILE}")
                return False
            return True
        if zipfile.is_zipfile(path):
            return self._open_zip()
        if path.name == PACK_FILE or path.suffix.lower() == ".json":
            # A bare pack.json: its folder is the pack.
            self.path = path.parent
            self._single = path.name
            return True
        self.problems.add(f"not a pack: expected a folder with {PACK_FILE}, a .zip of one, or a {PACK_FILE}")
        return False

    def _open_zip(self) -> bool:
        try:
            archive = zipfile.ZipFile(self.path)
            infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            self.problems.add(f"unreadable zip: {exc}")
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

    def read(self, relative: str, limit: int) -> bytes | None:
        """The bytes of a file in the pack, or None (with a problem recorded)."""
        if self._zip is not None:
            name = self._prefix + relative
            try:
                info = self._zip.getinfo(name)
            except KeyError:
                return None
            if info.file_size > limit:
                self.problems.add(
                    f"{relative} is {info.file_size // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB"
                )
                return b""
            with self._zip.open(info) as handle:
                data = handle.read(limit + 1)
            if len(data) > limit:
                self.problems.add(f"{relative} is larger than the limit of {limit // (1024 * 1024)} MB")
                return b""
            return data
        file_name = self._single if relative == PACK_FILE else relative
        target = (self.path / file_name).resolve()
        root = self.path.resolve()
        if root not in target.parents:
            self.problems.add(f"{relative} leaves the pack folder")
            return b""
        if not target.is_file():
            return None
        size = target.stat().st_size
        if size > limit:
            self.problems.add(f"{relative} is {size // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB")
            return b""
        return target.read_bytes()


def _question_id(raw: Any, index: int) -> str:
    try:
        value = raw["questions"][index]["id"]
    except (KeyError, IndexError, TypeError):
        return f"#{index + 1}"
    return str(value) if isinstance(value, str | int) else f"#{index + 1}"


def _labels(raw: Any, index: object) -> str:
    """The option labels of a raw question, listed for a message (A to J when they cannot be read)."""
    try:
        labels = [str(o["label"]) for o in raw["questions"][index]["options"]]
    except (KeyError, IndexError, TypeError):
        labels = []
    return ", ".join(labels) or "A to J"


def _field_path(parts: Iterable[object]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
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
            message = f'must be "blocksim-pack" (got {item.get("input")!r})'
        if item["type"] == "literal_error" and loc[-1:] == ["answer"] and len(loc) == 3:
            message = f"answer {item.get('input')!r} is not among the option labels {_labels(raw, loc[1])}"
        if item["type"] == "missing":
            message = "is required"
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
    ids = [q.get("id") for q in questions if isinstance(q, dict)]
    duplicates = sorted({i for i in ids if isinstance(i, str) and ids.count(i) > 1})
    if failed and duplicates:
        problems.add(f"duplicate question id(s): {', '.join(duplicates)}", fld="questions")
    for index in sorted(failed):
        question = questions[index]
        if not isinstance(question, dict):
            continue
        qid = _question_id(raw, index)
        options = question.get("options")
        labels = [o.get("label") for o in options if isinstance(o, dict)] if isinstance(options, list) else []
        answer = question.get("answer")
        if labels and isinstance(answer, str) and answer not in labels and (index, "answer") not in reported:
            listed = ", ".join(map(str, labels))
            problems.add(f"answer {answer!r} is not among the option labels {listed}", question=qid, fld="answer")
        stem, keywords = question.get("stem"), question.get("keywords")
        if (
            isinstance(stem, str)
            and isinstance(keywords, list)
            and not reported & {(index, "keywords"), (index, "stem")}
        ):
            for keyword in keywords:
                if isinstance(keyword, str) and keyword not in stem:
                    message = f"keyword {keyword!r} does not occur verbatim in the stem"
                    problems.add(message, question=qid, fld="keywords")


def read_pack(path: Path, display: str | None = None) -> LoadedPack:
    """Read, validate and return a pack, or raise :class:`PackError` listing every problem."""
    problems = _Problems(display or str(path))
    with _Source(Path(path), problems) as source:
        if not source.open():
            problems.raise_if_any()
        if display is None:
            problems.display = source.describe(PACK_FILE)  # what follows is about the pack file itself
        data = source.read(PACK_FILE, MAX_PACK_JSON_BYTES)
        problems.raise_if_any()
        if data is None:
            problems.add(f"{PACK_FILE} not found")
            problems.raise_if_any()
        assert data is not None
        if not data.strip():
            problems.add("file is empty; expected a JSON object")
            problems.raise_if_any()
        try:
            raw = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            problems.add("not UTF-8 text")
            problems.raise_if_any()
        except json.JSONDecodeError as exc:
            problems.add(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
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
            for item in question.media:
                if item.file in media:
                    continue
                if PurePosixPath(item.file).suffix.lower() not in MEDIA_SUFFIXES:
                    problems.add(
                        f"media file {item.file!r} is not an image ({', '.join(sorted(MEDIA_SUFFIXES))})",
                        question=question.id,
                        fld="media",
                    )
                    continue
                blob = source.read(item.file, MAX_MEDIA_BYTES)
                if blob is None:
                    problems.add(f"media file {item.file!r} is missing", question=question.id, fld="media")
                elif blob:
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
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and isinstance(raw.get("version"), str):
        return raw["id"], raw["version"]
    return None

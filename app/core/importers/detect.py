"""Pick a file's format by its content (not its name) and read it into one validated pack.

:func:`load_any` is the one seam the services call: a Blocksim pack (folder, zip or ``pack.json``),
MedQA-style JSONL, CSV, Moodle XML, GIFT, a QTI item file or an IMS content package all come back
as the same :class:`ImportResult`.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from app.core.errors import PackError
from app.core.importers import csv_format, gift, medqa_jsonl, moodle_xml, qti
from app.core.importers.draft import (
    Collector,
    ImportOverrides,
    ImportResult,
    MediaResolver,
    Progress,
    build,
    slug,
    version_from_mtime,
)
from app.core.importers.xml_safety import local, parse
from app.core.pack_format import FORMAT_NAME, Pack
from app.core.pack_reader import (
    MAX_MEDIA_BYTES,
    MAX_PACK_JSON_BYTES,
    MAX_ZIP_ENTRIES,
    PACK_FILE,
    LoadedPack,
    UnreadableError,
    cut_middle,
    one_line,
    open_regular,
    read_pack,
    reason_of,
    zip_problems,
)

MAX_PROBLEMS_SHOWN = 25
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or the end record of an empty zip
MANIFEST = "imsmanifest.xml"
FORMATS = ("blocksim-pack", "medqa-jsonl", "csv", "moodle-xml", "gift", "qti", "qti-package")
NOT_A_FORMAT = (
    "not a format Blocksim reads: expected a Blocksim pack (folder, .zip or pack.json), MedQA-style JSONL, "
    "CSV with a stem,A,B,...,answer header, Moodle XML, GIFT, a QTI item or an IMS content package (.zip)"
)


def load_any(path: Path, overrides: ImportOverrides | None = None, progress: Progress | None = None) -> ImportResult:
    """Read any supported file into a validated pack; raises :class:`PackError` (one line per problem)."""
    try:
        return _load(Path(path), overrides or ImportOverrides(), progress)
    except PackError as exc:
        lines = exc.problems
        if len(lines) > MAX_PROBLEMS_SHOWN:
            lines = [*lines[:MAX_PROBLEMS_SHOWN], f"{path}: ... and {len(lines) - MAX_PROBLEMS_SHOWN} more problem(s)"]
        raise PackError(lines) from None


def _load(path: Path, overrides: ImportOverrides, progress: Progress | None) -> ImportResult:
    collector = Collector(one_line(cut_middle(str(path))), progress)
    try:  # stat before any open: opening a FIFO would block, and a hostile name must not raise
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise collector.fail("no such file or folder") from None
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte, a lone surrogate, a link loop
        raise collector.fail(f"cannot be read: {reason_of(exc)}") from None
    if stat.S_ISDIR(mode):
        return _native(path, overrides)
    try:
        with open_regular(path, path.name) as handle:
            data = handle.read(MAX_PACK_JSON_BYTES + 1)
    except FileNotFoundError:
        raise collector.fail("no such file or folder") from None
    except UnreadableError as exc:
        raise collector.fail(str(exc)) from None
    if data[:4] in ZIP_MAGIC:
        return _zip(path, overrides, collector)
    if len(data) > MAX_PACK_JSON_BYTES:
        limit = MAX_PACK_JSON_BYTES // (1024 * 1024)
        raise collector.fail(f"file is larger than the limit of {limit} MB")
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise collector.fail("file is empty")
    defaults: dict[str, Any] = {"default_id": slug(path.stem), "default_version": version_from_mtime(path)}
    if head.startswith(b"<"):
        return _xml(path, data, collector, overrides, defaults)
    text = _decode(data, collector)
    if head.startswith(b"{"):
        whole = _json_object(text)
        if isinstance(whole, dict) and whole.get("format") == FORMAT_NAME:
            return _native(path, overrides)
    if medqa_jsonl.looks_like(text):
        medqa_jsonl.read(text, collector)
        return build(
            collector, source=path, fmt="medqa-jsonl", default_title=path.stem, overrides=overrides, **defaults
        )
    if csv_format.looks_like(text):
        csv_format.read(text, collector)
        return build(collector, source=path, fmt="csv", default_title=path.stem, overrides=overrides, **defaults)
    problem = csv_format.header_problem(text)
    if problem:
        raise collector.fail(problem, "line 1")
    if head.startswith(b"{"):
        return _native(path, overrides)  # a pack.json with mistakes: the pack reader names each one
    if head.startswith(b"["):
        raise collector.fail(
            'JSON, but neither a Blocksim pack ("format": "blocksim-pack") nor MedQA-style JSONL '
            "(one object a line with question, options and answer_idx)"
        )
    if gift.looks_like(text):
        title = gift.read(text, collector)
        return build(
            collector, source=path, fmt="gift", default_title=title or path.stem, overrides=overrides, **defaults
        )
    raise collector.fail(NOT_A_FORMAT)


def _decode(data: bytes, collector: Collector) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        collector.warn(f"not UTF-8 (byte {exc.start + 1}); read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def _json_object(text: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None


def _xml(
    path: Path, data: bytes, collector: Collector, overrides: ImportOverrides, defaults: dict[str, Any]
) -> ImportResult:
    root = parse(data, collector)
    name = local(root.tag)
    folder = path.parent.resolve()

    def read_beside(relative: str) -> bytes | None:
        target = (folder / relative).resolve()
        if folder not in target.parents or not target.is_file() or target.stat().st_size > MAX_MEDIA_BYTES:
            return None
        return target.read_bytes()

    if name == "quiz":
        title = moodle_xml.read(root, collector)
        return build(
            collector, source=path, fmt="moodle-xml", default_title=title or path.stem, overrides=overrides, **defaults
        )
    if qti.version_of(root) is not None:
        title = qti.read_item_file(root, "", read_beside, collector)
        return build(
            collector, source=path, fmt="qti", default_title=title or path.stem, overrides=overrides, **defaults
        )
    if name == "manifest":
        raise collector.fail("an IMS manifest on its own: import the .zip of the whole content package")
    raise collector.fail(f"XML with root <{name}>: {NOT_A_FORMAT}")


def _zip(path: Path, overrides: ImportOverrides, collector: Collector) -> ImportResult:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if len(infos) > MAX_ZIP_ENTRIES:
                raise collector.fail(f"zip holds {len(infos)} entries; the limit is {MAX_ZIP_ENTRIES}")
            unsafe = zip_problems(infos)
            if unsafe:
                for line in unsafe:
                    collector.problem(line)
                raise PackError(list(collector.problems))
            if PACK_FILE in names or any(n.count("/") == 1 and n.endswith("/" + PACK_FILE) for n in names):
                return _native(path, overrides)
            manifests = sorted(n for n in names if PurePosixPath(n).name == MANIFEST and n.count("/") <= 1)
            if not manifests:
                raise collector.fail(f"zip holds neither a {PACK_FILE} nor an {MANIFEST} (IMS content package)")
            prefix = manifests[0][: -len(MANIFEST)]

            def read(relative: str) -> bytes | None:
                name = prefix + relative
                if name not in names:
                    return None
                info = archive.getinfo(name)
                if info.file_size > MAX_PACK_JSON_BYTES:
                    collector.warn(f"{name} is larger than the limit; not read")
                    return None
                with archive.open(info) as handle:
                    return handle.read(MAX_PACK_JSON_BYTES + 1)

            manifest = read(MANIFEST)
            assert manifest is not None
            title = qti.read_package(manifest, read, collector)
            resolve: MediaResolver = read
            return build(
                collector,
                source=path,
                fmt="qti-package",
                default_id=slug(path.stem),
                default_title=title or path.stem,
                default_version=version_from_mtime(path),
                overrides=overrides,
                resolve=resolve,
            )
    except (zipfile.BadZipFile, OSError) as exc:
        raise collector.fail(f"unreadable zip: {exc}") from None


def _native(path: Path, overrides: ImportOverrides) -> ImportResult:
    loaded = read_pack(path)
    changes = {
        k: v for k, v in (("id", overrides.pack_id), ("title", overrides.title), ("version", overrides.version)) if v
    }
    if changes:
        try:
            pack = Pack.model_validate({**loaded.pack.model_dump(mode="json", exclude_none=True), **changes})
        except ValidationError as exc:
            lines = [f"{path}: {'.'.join(map(str, e['loc']))} (--{e['loc'][0]}): {e['msg']}" for e in exc.errors()]
            raise PackError(lines) from None
        loaded = LoadedPack(pack, loaded.source, loaded.media)
    return ImportResult(loaded, "blocksim-pack")


__all__ = ["FORMATS", "load_any"]

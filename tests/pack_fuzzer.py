"""A seeded fuzzer of pack validation and import: ``python -m tests.pack_fuzzer --work DIR [--seed S] [--cases N]``.

Each case takes a bundled pack (``question_packs/*``), mutates it one of many hostile ways (byte flips,
truncation, JSON values of the wrong type, length or Unicode, unknown and strange keys, zip damage,
media names, FIFOs and symbolic links), then

1. validates it: the verdict is either valid or :class:`PackError` lines, each exactly one printable
   line; any other exception is a traceback, and counts as a failure;
2. imports it together with a small valid "anchor" pack at a new version, in one command: when the
   import fails, every table of the store must be byte-identical to before (all or nothing).

A per-case watchdog (``faulthandler.dump_traceback_later``) ends the process with every thread's
traceback when one case runs longer than ``--hang-seconds``: a hang is a failure the caller sees as a
non-zero exit. The last line on stdout is a JSON report. Case ``I`` of seed ``S`` is reproducible
alone with ``--seed S --only I`` (``--keep`` leaves its files in DIR).
"""

from __future__ import annotations

import argparse
import copy
import faulthandler
import hashlib
import io
import json
import os
import random
import shutil
import sqlite3
import stat
import struct
import sys
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.bootstrap import Services, build
from app.core.clock import FakeClock
from app.core.errors import BlocksimError
from app.services.packs import validate_paths

ROOT = Path(__file__).resolve().parent.parent
PACKS_DIR = ROOT / "question_packs"
HUGE_DIGITS = "__HUGE_DIGITS__"  # replaced in the JSON text by a 5,000-digit integer
DEEP = "__DEEP__"  # replaced in the JSON text by deeply nested lists (kept out of the fuzzer's own recursion)

# Hostile values for any JSON slot: wrong types, edge numbers, odd lengths, unusable Unicode.
HOSTILE_VALUES: list[Callable[[random.Random], Any]] = [
    lambda r: None,
    lambda r: True,
    lambda r: False,
    lambda r: 0,
    lambda r: -1,
    lambda r: 1.0,
    lambda r: 3.5,
    lambda r: 2**63,
    lambda r: -(2**70),
    lambda r: float("nan"),
    lambda r: float("inf"),
    lambda r: HUGE_DIGITS,
    lambda r: "",
    lambda r: " ",
    lambda r: "3",
    lambda r: "A",
    lambda r: "x" * r.choice([81, 300, 5_000, 200_000]),
    lambda r: "\ud800",
    lambda r: "q\udcff",
    lambda r: "a\x00b",
    lambda r: "line\nbreak\r\n",
    lambda r: "\u2028\u2029\u202e\ufeff",
    lambda r: "\x1b[31mred",
    lambda r: "💉🫀" * r.randint(1, 50),
    lambda r: "media/../../etc/passwd.png",
    lambda r: [],
    lambda r: {},
    lambda r: [r.randint(0, 9) for _ in range(r.randint(1, 30))],
    lambda r: {"k\n": "v", "\ud800": 1},
    lambda r: DEEP,
]

HOSTILE_KEYS: list[Callable[[random.Random], str]] = [
    lambda r: "answr",
    lambda r: "bad\nkey",
    lambda r: "\ud800",
    lambda r: "k" * r.choice([100, 100_000]),
    lambda r: "",
    lambda r: "\x00",
    lambda r: "id",
]

MEDIA_NAMES: list[Callable[[random.Random], str]] = [
    lambda r: "media/a\x00b.png",
    lambda r: "media/\ud800.png",
    lambda r: "media/x\udcff.png",
    lambda r: "media/" + "a/" * r.choice([200, 3_000]) + "x.png",
    lambda r: "media/" + "n" * 300 + ".png",
    lambda r: "media/../pack.json",
    lambda r: "media/./x.png",
    lambda r: "media//x.png",
    lambda r: "media/x.PNG",
    lambda r: "media/x.txt",
    lambda r: "media/",
    lambda r: "media/ünï côdé.png",
    lambda r: "media/loop.png",  # made a symbolic-link loop on disk below
    lambda r: "media/fifo.png",  # made a FIFO on disk below
    lambda r: "media/dir.png",  # made a folder on disk below
    lambda r: "media/out.png",  # made a link leaving the pack below
]


@dataclass
class Base:
    """A bundled pack as a starting point."""

    name: str
    data: dict[str, Any]
    text: bytes
    media: dict[str, bytes]


@dataclass
class Case:
    """One mutated pack on disk, ready to validate and import."""

    index: int
    kind: str
    folder: Path  # everything of the case lies under it
    path: Path  # what is validated and imported
    notes: list[str] = field(default_factory=list)


def load_bases() -> list[Base]:
    bases = []
    for folder in sorted(p for p in PACKS_DIR.iterdir() if (p / "pack.json").is_file()):
        text = (folder / "pack.json").read_bytes()
        media = {
            str(f.relative_to(folder).as_posix()): f.read_bytes()
            for f in sorted((folder / "media").rglob("*"))
            if f.is_file()
        }
        bases.append(Base(folder.name, json.loads(text), text, media))
    return bases


# -- JSON mutations ---------------------------------------------------------------------------------


def _slots(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the tree (not too deep into long strings)."""
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_slots(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_slots(value, (*path, index)))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def mutate_json(rng: random.Random, data: dict[str, Any], notes: list[str]) -> dict[str, Any] | list[Any] | Any:
    data = copy.deepcopy(data)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        slots = _slots(data)
        path = rng.choice(slots)
        op = rng.choice(["replace", "replace", "replace", "delete", "add-key", "rename-key", "duplicate", "clear"])
        target = _get(data, path[:-1]) if path else None
        if not path:
            if op == "replace":
                notes.append("replace the whole document")
                return rng.choice(HOSTILE_VALUES)(rng)
            continue
        key = path[-1]
        if op == "replace":
            value = rng.choice(HOSTILE_VALUES)(rng)
            notes.append(f"replace {path!r} by {type(value).__name__}")
            target[key] = value
        elif op == "delete":
            notes.append(f"delete {path!r}")
            del target[key]
        elif op == "add-key" and isinstance(_get(data, path), dict):
            new_key = rng.choice(HOSTILE_KEYS)(rng)
            notes.append(f"add key {new_key[:20]!r} at {path!r}")
            _get(data, path)[new_key] = rng.choice(HOSTILE_VALUES)(rng)
        elif op == "rename-key" and isinstance(target, dict):
            new_key = rng.choice(HOSTILE_KEYS)(rng)
            notes.append(f"rename {path!r} to {new_key[:20]!r}")
            target[new_key] = target.pop(key)
        elif op == "duplicate" and isinstance(target, list):
            notes.append(f"duplicate {path!r}")
            target.insert(key, copy.deepcopy(target[key]))
        elif op == "clear" and isinstance(_get(data, path), list | dict | str):
            notes.append(f"clear {path!r}")
            target[key] = type(_get(data, path))()
    return data


def dump_json(rng: random.Random, data: Any) -> bytes:
    """JSON text of ``data``, sometimes with raw (invalid UTF-8) surrogates or a 5,000-digit integer."""
    ensure_ascii = rng.random() < 0.5
    text = json.dumps(data, ensure_ascii=ensure_ascii, indent=rng.choice([None, 1]))
    text = text.replace(json.dumps(HUGE_DIGITS), "9" * 5_000)
    depth = rng.choice([50, 900, 5_000])
    text = text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)
    return text.encode("utf-8", "surrogatepass")


# -- byte mutations ---------------------------------------------------------------------------------


def mutate_bytes(rng: random.Random, blob: bytes, notes: list[str]) -> bytes:
    data = bytearray(blob)
    op = rng.choice(["flip", "flip", "truncate", "insert", "delete", "splice", "bom", "empty"])
    notes.append(op)
    if not data:
        return bytes(data)
    if op == "flip":
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif op == "truncate":
        del data[rng.randrange(len(data)) :]
    elif op == "insert":
        at = rng.randrange(len(data))
        data[at:at] = rng.choice([b"\x00", b"\xff\xfe", b"\xed\xa0\x80", b"{", b'"', b"\\u", b"]]]", b"9" * 5_000])
    elif op == "delete":
        at = rng.randrange(len(data))
        del data[at : at + rng.randint(1, 200)]
    elif op == "splice":
        a, b = sorted(rng.randrange(len(data)) for _ in range(2))
        data[a:a] = data[a:b]
    elif op == "bom":
        data[0:0] = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])
    elif op == "empty":
        return rng.choice([b"", b"   \n", b"null", b"[]", b"{}"])
    return bytes(data)


# -- zip mutations ----------------------------------------------------------------------------------


def zip_of(entries: dict[str, bytes], rng: random.Random, notes: list[str]) -> bytes:
    buffer = io.BytesIO()
    method = rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2])
    prefix = rng.choice(["", "", "pack/"])
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries.items():
            archive.writestr(prefix + name, data)
        extra = rng.random()
        if extra < 0.05:
            notes.append("unsafe entry name")
            archive.writestr(rng.choice(["../evil.png", "/abs.png", "C:/x.png", "a/../../b"]), b"x")
        elif extra < 0.08:
            notes.append("symbolic-link entry")
            info = zipfile.ZipInfo(prefix + "media/link.png")
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, b"/etc/passwd")
        elif extra < 0.10:
            notes.append("duplicate entry")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": what we want here
                archive.writestr(prefix + "pack.json", b"{}")
        elif extra < 0.12:
            notes.append("zip bomb entry")
            archive.writestr(prefix + "media/bomb.png", b"\0" * 2_000_000, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _patch_all(blob: bytearray, signature: bytes, offset: int, fmt: str, value: int) -> None:
    start = blob.find(signature)
    while start != -1:
        if start + offset + struct.calcsize(fmt) <= len(blob):
            struct.pack_into(fmt, blob, start + offset, value)
        start = blob.find(signature, start + 4)


def mutate_zip(rng: random.Random, blob: bytes, notes: list[str]) -> bytes:
    data = bytearray(blob)
    op = rng.choice(["encrypt", "method", "flip", "flip", "truncate", "hole", "crc", "names", "none"])
    notes.append(f"zip {op}")
    if op == "encrypt":
        _patch_all(data, b"PK\x03\x04", 6, "<H", 0x1)
        _patch_all(data, b"PK\x01\x02", 8, "<H", 0x1)
    elif op == "method":
        value = rng.choice([1, 6, 9, 14, 93, 98, 99, 0xFFFF])
        _patch_all(data, b"PK\x03\x04", 8, "<H", value)
        if rng.random() < 0.7:
            _patch_all(data, b"PK\x01\x02", 10, "<H", value)
    elif op == "flip":
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif op == "truncate":
        del data[rng.randrange(len(data)) :]
    elif op == "hole":
        at = rng.randrange(len(data))
        del data[at : at + rng.randint(1, 64)]
    elif op == "crc":
        _patch_all(data, b"PK\x01\x02", 16, "<I", rng.getrandbits(32))
    elif op == "names":
        # The central directory's file-name length grows or shrinks; names run into what follows.
        _patch_all(data, b"PK\x01\x02", 28, "<H", rng.choice([0, 1, 300, 0xFFFF]))
    return bytes(data)


# -- building a case --------------------------------------------------------------------------------


def _media_of(data: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    questions = data.get("questions") if isinstance(data, dict) else None
    for question in questions if isinstance(questions, list) else []:
        media = question.get("media") if isinstance(question, dict) else None
        out.extend(m for m in media if isinstance(m, dict)) if isinstance(media, list) else None
    return out


def _write_folder(folder: Path, text: bytes, media: dict[str, bytes]) -> None:
    folder.mkdir(parents=True)
    (folder / "pack.json").write_bytes(text)
    for name, blob in media.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)


def _special_media(folder: Path, notes: list[str]) -> None:
    """Make the on-disk traps that media names refer to."""
    media = folder / "media"
    media.mkdir(exist_ok=True)
    if hasattr(os, "symlink"):
        os.symlink("loop.png", media / "loop.png")
        os.symlink(folder.parent / "outside.png", media / "out.png")
        (folder.parent / "outside.png").write_bytes(b"\x89PNG outside")
    if hasattr(os, "mkfifo"):
        os.mkfifo(media / "fifo.png")
    (media / "dir.png").mkdir()
    notes.append("on-disk traps: loop, link out, FIFO, folder")


def make_case(rng: random.Random, bases: list[Base], index: int, work: Path) -> Case:
    with_media = [b for b in bases if b.media]
    kind = rng.choice(["bytes", "json", "json", "json", "zip", "zip", "media", "media", "file", "valid"])
    base = rng.choice(with_media if kind == "media" and with_media else bases)
    folder = work / f"case-{index}"
    folder.mkdir()
    case = Case(index, f"{kind}:{base.name}", folder, folder / "pack")
    notes = case.notes
    if kind == "bytes":
        _write_folder(case.path, mutate_bytes(rng, base.text, notes), base.media)
    elif kind in ("json", "valid"):
        data = mutate_json(rng, base.data, notes) if kind == "json" else copy.deepcopy(base.data)
        if (kind == "valid" or rng.random() < 0.2) and isinstance(data, dict):
            data["version"] = rng.choice(["0.0.1", "1.0.0", "1.0.1", "9.9.9"])
            notes.append(f"version {data['version']}")
        _write_folder(case.path, dump_json(rng, data), base.media)
    elif kind == "media":
        data = copy.deepcopy(base.data)
        items = _media_of(data)
        for item in rng.sample(items, k=min(len(items), rng.randint(1, 3))):
            item["file"] = rng.choice(MEDIA_NAMES)(rng)
            notes.append(f"media name {item['file'][:30]!r}")
        _write_folder(case.path, dump_json(rng, data), base.media)
        _special_media(case.path, notes)
    elif kind == "zip":
        data = mutate_json(rng, base.data, notes) if rng.random() < 0.3 else base.data
        entries = {"pack.json": dump_json(rng, data), **base.media}
        blob = zip_of(entries, rng, notes)
        case.path = folder / "pack.zip"
        case.path.write_bytes(mutate_zip(rng, blob, notes))
    else:  # the file itself is odd
        op = rng.choice(["fifo", "dir", "loop", "missing", "dangling", "json-file", "not-a-pack", "deep-folder"])
        notes.append(op)
        case.path.mkdir()
        pack_json = case.path / "pack.json"
        if op == "fifo" and hasattr(os, "mkfifo"):
            os.mkfifo(pack_json)
            case.path = pack_json if rng.random() < 0.5 else case.path
        elif op == "dir":
            pack_json.mkdir()
        elif op == "loop" and hasattr(os, "symlink"):
            os.symlink("pack.json", pack_json)
            case.path = pack_json if rng.random() < 0.5 else case.path
        elif op == "dangling" and hasattr(os, "symlink"):
            os.symlink(folder / "nowhere.json", pack_json)
        elif op == "json-file":
            pack_json.write_bytes(base.text)
            case.path = case.path / "renamed.json"
            pack_json.rename(case.path)
        elif op == "not-a-pack":
            case.path = folder / "pack.txt"
            case.path.write_bytes(base.text)
        elif op == "deep-folder":
            case.path = folder / "/".join(["d"] * 1_500)  # past PATH_MAX: "File name too long"
    return case


# -- checking ---------------------------------------------------------------------------------------


def store_digest(db_file: Path) -> str:
    """A hash of every table's rows and of the schema, read through a separate connection."""
    digest = hashlib.sha256()
    connection = sqlite3.connect(f"{db_file.as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for sql in connection.execute("SELECT sql FROM sqlite_master ORDER BY name"):
            digest.update(repr(sql).encode())
        for table in tables:
            digest.update(table.encode())
            for row in connection.execute(
                f'SELECT * FROM "{table}" ORDER BY rowid'
            ):  # the names come from sqlite_master
                for value in row:
                    if isinstance(value, bytes):  # images: hashed as they are, far faster than their repr
                        digest.update(b"%d:" % len(value))
                        digest.update(value)
                    else:
                        digest.update(repr(value).encode("utf-8", "surrogatepass"))
                digest.update(b"\n")
    finally:
        connection.close()
    return digest.hexdigest()


def _bad_lines(lines: list[str]) -> list[str]:
    bad = []
    for line in lines:
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            bad.append(f"unencodable line {line[:120]!r}")
            continue
        if not line.isprintable():
            bad.append(f"not one printable line {line[:120]!r}")
        elif len(line) > 1_000:
            bad.append(f"a line of {len(line)} characters {line[:120]!r}")
    return bad


def _anchor(folder: Path, version: int) -> Path:
    data = {
        "format": "blocksim-pack",
        "format_version": 1,
        "id": "fuzz-anchor",
        "title": "Fuzz anchor",
        "version": f"1.0.{version}",
        "questions": [
            {
                "id": "a1",
                "stem": f"Anchor stem {version}.",
                "options": [{"label": "A", "text": "yes"}, {"label": "B", "text": "no"}],
                "answer": "A",
            }
        ],
    }
    folder.mkdir(parents=True)
    (folder / "pack.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


@dataclass
class Report:
    cases: int = 0
    valid: int = 0
    invalid: int = 0
    imported: int = 0
    refused: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")


def run_case(case: Case, services: Services, db_file: Path, before: str, report: Report) -> str:
    """Validate then import one case; returns the store's digest afterwards."""
    label = f"case {case.index} ({case.kind}; {'; '.join(case.notes)[:200]})"
    try:
        lines = validate_paths([case.path])
    except Exception:
        report.failures.append(f"{label}: validate raised\n{traceback.format_exc()}")
        return before
    report.failures.extend(f"{label}: {problem}" for problem in _bad_lines(lines))
    if lines:
        report.invalid += 1
    else:
        report.valid += 1
    anchor = _anchor(case.folder / "anchor", case.index)
    try:
        services.packs.import_paths([anchor, case.path])
    except BlocksimError as exc:
        report.refused += 1
        report.failures.extend(f"{label}: import {p}" for p in _bad_lines(str(exc).split("\n")))
        after = store_digest(db_file)
        if after != before:
            report.failures.append(f"{label}: a failed import changed the store")
        return after
    except Exception:
        report.failures.append(f"{label}: import raised\n{traceback.format_exc()}")
        return store_digest(db_file)
    report.imported += 1
    if lines:
        report.failures.append(f"{label}: validate said invalid but import succeeded: {lines[0][:200]}")
    return store_digest(db_file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.pack_fuzzer")
    parser.add_argument("--work", type=Path, required=True, help="an empty folder for the cases and the store")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=1_000)
    parser.add_argument("--only", type=int, default=None, help="run only this case of the seed")
    parser.add_argument("--hang-seconds", type=float, default=20.0)
    parser.add_argument("--keep", action="store_true", help="keep every case's files")
    args = parser.parse_args(argv)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    bases = load_bases()
    services = build(work / "data", clock=FakeClock(), import_bundled=False)
    db_file = next((work / "data").glob("*.sqlite3"))
    report = Report()
    digest = store_digest(db_file)
    indexes = [args.only] if args.only is not None else range(args.cases)
    started = time.perf_counter()
    try:
        for index in indexes:
            rng = random.Random(f"{args.seed}:{index}")
            case_started = time.perf_counter()
            # A hang dumps every thread's traceback and ends the process: the caller sees it.
            faulthandler.dump_traceback_later(args.hang_seconds, exit=True)
            print(f"case {index}", file=sys.stderr, flush=True)
            case = make_case(rng, bases, index, work)
            digest = run_case(case, services, db_file, digest, report)
            faulthandler.cancel_dump_traceback_later()
            report.cases += 1
            kind = case.kind.split(":")[0]
            report.kinds[kind] = report.kinds.get(kind, 0) + 1
            took = time.perf_counter() - case_started
            if took > report.slowest[0]:
                report.slowest = (round(took, 3), f"case {index} {case.kind} {'; '.join(case.notes)[:120]}")
            if not args.keep:
                shutil.rmtree(case.folder, ignore_errors=True)
    finally:
        services.close()
    summary = {
        "seed": args.seed,
        "cases": report.cases,
        "valid": report.valid,
        "invalid": report.invalid,
        "imported": report.imported,
        "refused": report.refused,
        "kinds": report.kinds,
        "seconds": round(time.perf_counter() - started, 2),
        "slowest": report.slowest,
        "failures": report.failures,
    }
    print(json.dumps(summary))
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

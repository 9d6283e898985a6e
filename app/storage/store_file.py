"""What a store file is, found out before anything writes to it: ours, new, foreign, damaged or read-only.

Every check here reads only (a ``mode=ro`` connection, or the file's first bytes), so a refusal leaves
the file exactly as it was. The fault table in ``docs/faults.md`` lists what the user is told in each case.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from app.core.errors import StoreError, StoreWriteError
from app.storage import backup

APPLICATION_ID = 0x426C6B53  # "BlkS": PRAGMA application_id of every store Blocksim creates
VERSION_TABLE = "alembic_version"


class StoreKind(StrEnum):
    """What an existing file at the store's path turned out to be."""

    NEW = "new"
    """No file yet: Blocksim creates its store there."""
    OURS = "ours"
    """A Blocksim store (our application_id and one schema revision)."""
    ADOPTED = "adopted"
    """A store of an older Blocksim (no application_id yet, but our version table): stamped on open."""


@dataclass(frozen=True)
class Inspection:
    """The verdict on a store file, and its schema revision when it has one."""

    kind: StoreKind
    revision: str | None = None
    lost_frames: int = 0
    """Pages of recent writes its write-ahead log lost (see :func:`lost_log_frames`)."""


def _refuse(path: Path, what: str) -> StoreError:
    return StoreError(f"cannot open the database {path}: it {what}. It was left untouched. {backup.restore_hint(path)}")


def check_writable_folder(folder: Path) -> None:
    """Refuse a data folder the app cannot write to (read-only disk, no permission), naming it.

    ``os.access`` asks the kernel, so a read-only mount is refused even for root (who ignores modes).
    """
    if os.access(folder, os.W_OK | os.X_OK):
        return
    raise StoreError(
        f"The data folder {folder} is read-only: Blocksim cannot save answers there. Make it writable, or "
        f"start with another folder (blocksim --data-dir FOLDER); nothing in it was changed."
    )


def check_writable_file(path: Path) -> None:
    """Refuse a store file (or its ``-wal``/``-shm``) the app may read but not write."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists() and not os.access(candidate, os.R_OK | os.W_OK):
            raise StoreError(
                f"{candidate} is read-only: Blocksim cannot save answers in it. Make it writable (or copy the "
                f"data folder somewhere writable and start with --data-dir); nothing was changed."
            )


def inspect(path: Path) -> Inspection:
    """Recognise the file at ``path`` without writing to it; raise :class:`StoreError` when it must not be opened."""
    if not path.exists():
        return Inspection(StoreKind.NEW)
    lost = lost_log_frames(path)
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a Blocksim database")
    size = path.stat().st_size
    if size == 0:
        raise _refuse(path, "is an empty file (zero bytes), not a Blocksim store; move it aside to start afresh")
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != backup.SQLITE_HEADER:
        raise _refuse(
            path,
            "is not an SQLite database (damaged or not Blocksim's); move it aside to start with an empty "
            "store, or restore a backup",
        )
    # Without a -wal or -shm beside it the file is read as immutable, so not even those are created.
    sidecars = any(path.with_name(path.name + end).exists() for end in ("-wal", "-shm"))
    query = "mode=ro" if sidecars else "mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True)
    except sqlite3.Error as exc:
        raise _refuse(path, f"cannot be read: {exc}") from exc
    try:
        return replace(_inspect_open(path, connection), lost_frames=lost)
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"is damaged ({exc})") from exc
    finally:
        connection.close()


def _inspect_open(path: Path, connection: sqlite3.Connection) -> Inspection:
    verdict = [str(row[0]) for row in connection.execute("PRAGMA quick_check")]
    if verdict != ["ok"]:
        raise _refuse(path, f"is damaged (SQLite's quick_check: {verdict[0]})")
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    tables = {str(row[0]) for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if application_id not in (0, APPLICATION_ID):
        raise _refuse(path, "belongs to another program (its SQLite application_id is not Blocksim's)")
    if VERSION_TABLE not in tables:
        if application_id == APPLICATION_ID and not tables:
            return Inspection(StoreKind.NEW)  # created, then stopped before its schema: nothing to lose
        what = (
            "has no Blocksim schema (it is another program's database)"
            if application_id == 0
            else "is a Blocksim store without its schema revision (damaged)"
        )
        raise _refuse(path, what)
    rows = [str(row[0]) for row in connection.execute(f"SELECT version_num FROM {VERSION_TABLE}")]
    if len(rows) != 1:
        raise _refuse(path, f"is damaged: it holds {len(rows)} schema revisions instead of one")
    return Inspection(StoreKind.OURS if application_id == APPLICATION_ID else StoreKind.ADOPTED, rows[0])


WAL_HEADER = 32
WAL_FRAME_HEADER = 24


def lost_log_frames(path: Path) -> int:
    """How many committed pages the store's write-ahead log held that are gone (0: nothing was lost).

    Read before SQLite opens the store (opening recovers, and resets, the index): the ``-shm`` index
    beside the store says how many frames the ``-wal`` held (``mxFrame``) and how many of them were
    already copied into the store (``nBackfill``). A ``-wal`` that is missing, or shorter than that,
    after a kill lost the writes since the last copy: Blocksim copies at every block start, pause and end.
    """
    shm = path.with_name(path.name + "-shm")
    wal = path.with_name(path.name + "-wal")
    try:
        header = shm.read_bytes()[:136]
    except OSError:
        return 0
    if len(header) < 136:
        return 0
    version, _, _, initialised, _, page_size, frames = struct.unpack("=IIIBBHI", header[:20])
    (backfilled,) = struct.unpack("=I", header[96:100])
    if version != 3007000 or not initialised or frames <= backfilled:
        return 0
    size = 65536 if page_size == 1 else page_size
    needed = WAL_HEADER + frames * (WAL_FRAME_HEADER + size)
    present = wal.stat().st_size if wal.exists() else 0
    return frames - backfilled if present < needed else 0


def write_failure(exc: BaseException) -> str | None:
    """Plain words for why a write failed (disk full, read-only, no permission), or None if it is not that."""
    cause = getattr(exc, "orig", exc)
    name = str(getattr(cause, "sqlite_errorname", ""))
    text = str(cause).lower()
    code = getattr(cause, "errno", None)
    if name == "SQLITE_FULL" or "disk is full" in text or code == errno.ENOSPC:
        return "the disk is full"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or code == errno.EROFS:
        return "the data folder is read-only"
    if name.startswith("SQLITE_PERM") or name.startswith("SQLITE_CANTOPEN") or code in (errno.EACCES, errno.EPERM):
        return "the data folder cannot be written (it is read-only, or Blocksim has no permission)"
    if name == "SQLITE_IOERR_WRITE" or name == "SQLITE_IOERR_FSYNC":
        return "the disk refused the write (it is full, or failing)"
    if name.startswith("SQLITE_IOERR") or code == errno.EIO:
        return "the disk reported an input/output error"
    return None


@contextmanager
def saving(what: str) -> Iterator[None]:
    """Turn a failed write of ``what`` into :class:`StoreWriteError` saying why in plain words.

    SQLite rolls the transaction back, so the store keeps everything up to the write before.
    """
    try:
        yield
    except (OperationalError, DatabaseError) as exc:
        reason = write_failure(exc) or f"the database refused the write ({getattr(exc, 'orig', exc)})"
        raise StoreWriteError(what, reason) from exc


def undecodable(session_id: int, seq: int, kind: str) -> StoreError:
    """The error for a stored event this Blocksim cannot read (damage, or a newer Blocksim's kind)."""
    return StoreError(
        f"session {session_id} cannot be read: its event {seq} has the unknown kind {kind!r} "
        "(the store is damaged or was written by a newer Blocksim). Nothing was changed."
    )

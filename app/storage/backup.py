"""Consistent copies of the store: create, list, prune, restore.

Copies are made with SQLite's online backup API, so they hold every committed transaction,
including those still only in the write-ahead log, and never a half-written one. Each copy is a
self-contained database in rollback-journal mode (no ``-wal`` beside it), written under a hidden
temporary name, checked with ``PRAGMA quick_check``, synced and then renamed, so a crash never
leaves a half-copy that looks like a backup.

Names sort by time and say their kind::

    blocksim-2026-12-01T203000Z-daily.sqlite3
    blocksim-2026-12-01T203000Z-pre-migration-0002.sqlite3   (made before migrating to 0002)
    blocksim-2026-12-01T203000Z-manual.sqlite3               (blocksim backup, Back up now)
    blocksim-2026-12-01T203000Z-before-restore.sqlite3       (the store a restore replaced)

Only daily and pre-migration copies are pruned (the newest :data:`KEEP` of each kind stay); the
ones a user asked for, and the stores a restore replaced, are never removed automatically.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from app import paths
from app.core.errors import BackupError

SQLITE_HEADER = b"SQLite format 3\x00"
_STAMP = "%Y-%m-%dT%H%M%SZ"
_NAME = re.compile(
    r"^blocksim-(?P<stamp>\d{4}-\d{2}-\d{2}T\d{6}Z)-(?P<kind>daily|manual|before-restore|pre-migration)"
    r"(?:-(?P<revision>[0-9A-Za-z_]+))?(?:\.(?P<serial>\d+))?\.sqlite3$"
)

WallClock = Callable[[], datetime]
"""Wall-clock UTC time (for naming copies and "once a UTC day"), injected so tests choose the day."""


def utc_now() -> datetime:
    """The real wall clock, in UTC."""
    return datetime.now(UTC)


class BackupKind(StrEnum):
    """Why a copy was made; part of its file name."""

    DAILY = "daily"
    PRE_MIGRATION = "pre-migration"
    MANUAL = "manual"
    BEFORE_RESTORE = "before-restore"


KEEP: dict[BackupKind, int] = {BackupKind.DAILY: 7, BackupKind.PRE_MIGRATION: 4}
"""How many copies of each automatic kind are kept; other kinds are never pruned."""


@dataclass(frozen=True)
class BackupInfo:
    """One copy in the backups folder."""

    path: Path
    kind: BackupKind
    created: datetime
    """When it was made (UTC, to the second)."""
    size: int
    """Bytes on disk (with its ``-wal`` for a raw copy of a damaged store)."""
    revision: str | None = None
    """For a pre-migration copy: the schema the store was being migrated to."""
    serial: int = 0


@dataclass(frozen=True)
class RestoreOutcome:
    """What ``restore`` did."""

    source: Path
    revision: str
    """The schema revision of the restored store (migrated to the newest at the next start)."""
    kept: BackupInfo | None
    """The copy of the replaced store (None when there was no store)."""


def backups_dir(db_path: Path) -> Path:
    """The backups folder of the store at ``db_path``."""
    return db_path.parent / paths.BACKUPS_DIR


def _read_entry(entry: Path) -> BackupInfo | None:
    match = _NAME.match(entry.name)
    if match is None or not entry.is_file():
        return None
    wal = entry.with_name(entry.name + "-wal")
    return BackupInfo(
        path=entry,
        kind=BackupKind(match["kind"]),
        created=datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC),
        size=entry.stat().st_size + (wal.stat().st_size if wal.is_file() else 0),
        revision=match["revision"],
        serial=int(match["serial"] or 0),
    )


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every copy of the store, oldest first (files that are not Blocksim backups are ignored)."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    found = [info for info in map(_read_entry, folder.iterdir()) if info is not None]
    found.sort(key=lambda info: (info.created, info.serial, info.path.name))
    return found


def newest_backup(db_path: Path) -> BackupInfo | None:
    """The most recent copy of any kind, if there is one."""
    backups = list_backups(db_path)
    return backups[-1] if backups else None


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for syncing there; the rename is durable anyway
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _target_name(folder: Path, when: datetime, kind: BackupKind, revision: str | None) -> Path:
    stem = f"blocksim-{when.astimezone(UTC).strftime(_STAMP)}-{kind.value}"
    if revision is not None:
        stem += f"-{revision}"
    target = folder / f"{stem}.sqlite3"
    serial = 1
    while target.exists():  # two copies of one kind in one second (e.g. "Back up now" twice)
        serial += 1
        target = folder / f"{stem}.{serial}.sqlite3"
    return target


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy ``source`` into a checked, synced, self-contained file at ``target`` (atomically)."""
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        destination = sqlite3.connect(tmp)
        try:
            source.backup(destination)
            # The copy inherits WAL mode from the header; a backup must be one file on its own.
            destination.execute("PRAGMA journal_mode=DELETE")
            verdict = destination.execute("PRAGMA quick_check").fetchall()
        finally:
            destination.close()
        if verdict != [("ok",)]:
            raise BackupError(f"the copy failed its check ({verdict[0][0]}); the store may be damaged")
        _fsync_file(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _open_source(db_path: Path) -> sqlite3.Connection:
    if not db_path.is_file() or db_path.stat().st_size == 0:
        raise BackupError(f"there is no store to back up at {db_path}")
    with db_path.open("rb") as handle:
        if handle.read(16) != SQLITE_HEADER:
            raise BackupError(f"{db_path} is not an SQLite database; it cannot be backed up")
    connection = sqlite3.connect(db_path, timeout=5.0)
    return connection


def create_backup(
    db_path: Path,
    kind: BackupKind,
    *,
    now: WallClock = utc_now,
    revision: str | None = None,
    out: Path | None = None,
) -> BackupInfo:
    """Write a consistent copy of the store; into the backups folder (then prune) unless ``out``.

    Safe while the app has the store open: the backup API reads a snapshot through the WAL.
    """
    when = now()
    if out is not None:
        target = out.expanduser().resolve()
        if target == db_path.resolve():
            raise BackupError("the backup cannot replace the store itself; choose another file")
        if not target.parent.is_dir():
            raise BackupError(f"the folder {target.parent} does not exist")
    else:
        folder = backups_dir(db_path)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(f"cannot create the backups folder {folder}: {exc.strerror}") from exc
        target = _target_name(folder, when, kind, revision)
    try:
        source = _open_source(db_path)
        try:
            _copy_database(source, target)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"cannot back up {db_path}: {exc}") from exc
    except OSError as exc:
        raise BackupError(f"cannot write the backup {target}: {exc.strerror or exc}") from exc
    if out is not None:
        return BackupInfo(path=target, kind=kind, created=when.astimezone(UTC), size=target.stat().st_size)
    prune(db_path)
    info = _read_entry(target)
    assert info is not None  # named by _target_name, so it parses
    return info


def prune(db_path: Path, keep: dict[BackupKind, int] | None = None) -> list[Path]:
    """Remove all but the newest ``keep[kind]`` copies of each automatic kind; returns what went."""
    limits = KEEP if keep is None else keep
    removed: list[Path] = []
    backups = list_backups(db_path)
    for kind, count in limits.items():
        of_kind = [info for info in backups if info.kind is kind]
        for info in of_kind[: max(0, len(of_kind) - count)]:
            info.path.unlink(missing_ok=True)
            info.path.with_name(info.path.name + "-wal").unlink(missing_ok=True)
            removed.append(info.path)
    return removed


def has_daily_backup_on(db_path: Path, day: datetime) -> bool:
    """Whether a daily copy was made on the UTC date of ``day``."""
    date = day.astimezone(UTC).date()
    return any(info.kind is BackupKind.DAILY and info.created.date() == date for info in list_backups(db_path))


def restore_command(db_path: Path, backup: Path) -> str:
    """The exact command that restores ``backup`` into the store at ``db_path``."""
    command = "blocksim"
    if db_path.parent.resolve() != paths.data_dir():
        command += f" --data-dir {shlex.quote(str(db_path.parent))}"
    return f"{command} restore {shlex.quote(str(backup))}"


def restore_hint(db_path: Path) -> str:
    """One sentence naming the newest backup and the command that restores it."""
    newest = newest_backup(db_path)
    if newest is None:
        return f"No backup exists yet (in {backups_dir(db_path)})."
    made = newest.created.strftime("%Y-%m-%d %H:%M UTC")
    return f"The newest backup is from {made}; restore it with: {restore_command(db_path, newest.path)}"


def validate_store_file(path: Path, known_revisions: Collection[str]) -> str:
    """Check that ``path`` is an intact Blocksim store; returns its schema revision.

    Read-only: the file (and any ``-wal`` beside it) is not changed.
    """
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != SQLITE_HEADER:
        raise BackupError(f"{path} is not an SQLite database")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchall()
            if verdict != [("ok",)]:
                raise BackupError(f"{path} is damaged: {verdict[0][0]}")
            has_version = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()[0]
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall() if has_version else []
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be read as a database: {exc}") from exc
    if len(rows) != 1:
        raise BackupError(f"{path} is an SQLite database but not a Blocksim store (no schema revision)")
    revision = str(rows[0][0])
    if revision not in known_revisions:
        raise BackupError(f"{path} has schema {revision}, which this version of Blocksim does not know")
    return revision


def _keep_replaced(db_path: Path, now: WallClock) -> BackupInfo | None:
    """Keep the store a restore replaces: a consistent copy, or its raw bytes when it is damaged."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    try:
        return create_backup(db_path, BackupKind.BEFORE_RESTORE, now=now)
    except BackupError:
        pass  # damaged: the backup API cannot read it, so keep the file (and its WAL) byte for byte
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = _target_name(folder, now(), BackupKind.BEFORE_RESTORE, None)
    for suffix in ("", "-wal"):
        part = db_path.with_name(db_path.name + suffix)
        if part.is_file():
            copy = target.with_name(target.name + suffix)
            tmp = copy.with_name(f".{copy.name}.tmp")
            shutil.copyfile(part, tmp)
            _fsync_file(tmp)
            os.replace(tmp, copy)
    _fsync_dir(folder)
    return _read_entry(target)


def restore(
    source: Path, db_path: Path, known_revisions: Collection[str], *, now: WallClock = utc_now
) -> RestoreOutcome:
    """Replace the store with a checked copy of ``source``, keeping the replaced store as a backup.

    The caller makes sure no window has the data folder open. The replacement is atomic: the copy
    is written beside the store and renamed over it, after the old store's ``-wal`` and ``-shm`` are
    removed (left behind, SQLite would replay the old log into the restored file).
    """
    source = source.expanduser().resolve()
    if source == db_path.resolve():
        raise BackupError(f"{source} is the store itself; choose a backup to restore")
    revision = validate_store_file(source, known_revisions)
    staged = db_path.with_name(f".{db_path.name}.restoring")
    staged.unlink(missing_ok=True)
    try:
        try:
            reader = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
            try:
                _copy_database(reader, staged)
            finally:
                reader.close()
        except sqlite3.Error as exc:
            raise BackupError(f"cannot read {source}: {exc}") from exc
        try:
            kept = _keep_replaced(db_path, now)
            for suffix in ("-wal", "-shm"):
                db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
            os.replace(staged, db_path)
            _fsync_dir(db_path.parent)
        except OSError as exc:
            raise BackupError(f"cannot replace {db_path}: {exc.strerror or exc}") from exc
    finally:
        staged.unlink(missing_ok=True)
    return RestoreOutcome(source=source, revision=revision, kept=kept)

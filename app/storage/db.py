"""Opening the SQLite store: pragmas, schema migrations, and refusing what must not be touched."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import BlocksimError, StoreError
from app.storage import backup, store_file

if TYPE_CHECKING:
    from alembic.config import Config

DB_FILE = "blocksim.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision: a store already at it opens without importing Alembic (about a
# seventh of the start-up). A test keeps it equal to the migrations' head.
SCHEMA_HEAD = "0005"

_log = logging.getLogger(__name__)


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: every committed answer survives a power cut, not only a crash.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini needed at run time)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def known_revisions() -> set[str]:
    """Every schema revision this version of Blocksim can open (and migrate to the newest)."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _check_revision(engine: Engine, config: Config) -> tuple[str | None, str | None]:
    """Refuse a store from a newer Blocksim; returns its revision and the newest known one."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config)
    known = {rev.revision for rev in script.walk_revisions()}
    head = script.get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current is not None and current not in known:
        raise StoreError(
            f"The database was written by a newer Blocksim (schema {current}); this version knows schema "
            f"{head} at most. Update Blocksim; the database was not changed."
        )
    return current, head


def _back_up_before_migration(path: Path, head: str | None, now: backup.WallClock) -> None:
    try:
        backup.create_backup(path, backup.BackupKind.PRE_MIGRATION, now=now, revision=head)
    except BlocksimError as exc:
        raise StoreError(
            f"the database was not migrated, because it could not be backed up first: {exc}. "
            f"{backup.restore_hint(path)}"
        ) from exc


def _back_up_daily(path: Path, now: backup.WallClock) -> None:
    """The first open on a UTC day keeps a copy; failing to make one never stops the app."""
    if backup.has_daily_backup_on(path, now()):
        return
    try:
        backup.create_backup(path, backup.BackupKind.DAILY, now=now)
    except BlocksimError as exc:
        _log.warning("daily backup skipped: %s", exc)


@dataclass(frozen=True)
class OpenedStore:
    """An open store, and what the user must be told about it (writes lost before this start)."""

    engine: Engine
    notices: tuple[str, ...] = ()


def checkpoint_log(engine: Engine) -> bool:
    """Copy the write-ahead log into the store file (a block boundary), without waiting for readers.

    A ``-wal`` lost after this costs at most the writes since. True if every page was copied.
    """
    with engine.connect() as connection:
        busy, _pages, _copied = connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    return not busy


def _lost_log_notice(engine: Engine, path: Path, frames: int) -> str:
    with engine.connect() as connection:
        active = connection.exec_driver_sql(
            "SELECT id, kind, created_at FROM sessions WHERE status = 'active' AND parent_id IS NULL ORDER BY id"
        ).all()
    which = ", ".join(f"{kind} {sid} (started {str(at)[:16].replace('T', ' ')} UTC)" for sid, kind, at in active)
    where = f" Unfinished: {which}." if which else ""
    return (
        f"The store's write-ahead log ({path.name}-wal) was missing or cut short after Blocksim last stopped "
        f"({frames} page(s) of recent writes are gone: the file was deleted, or the disk failed). Every block "
        f"keeps what it held at its last start, pause or end; actions after that were lost.{where}"
    )


def _stored_revision(engine: Engine) -> str | None:
    """The store's schema revision read straight from Alembic's version table (None: not created yet)."""
    with engine.connect() as connection:
        present = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if present is None:
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _migrate(engine: Engine, path: Path, *, existed: bool, now: backup.WallClock) -> None:
    """Create or upgrade the schema (refusing a newer one), backing up a store that holds data first."""
    from alembic import command

    config = alembic_config(engine)
    current, head = _check_revision(engine, config)
    if existed and current != head:
        _back_up_before_migration(path, head, now)
    command.upgrade(config, "head")


def open_engine(data_dir: Path, *, now: Callable[[], datetime] = backup.utc_now) -> Engine:
    """Open (creating if needed) and migrate the store in ``data_dir``; see :func:`open_store`."""
    return open_store(data_dir, now=now).engine


def open_store(data_dir: Path, *, now: Callable[[], datetime] = backup.utc_now) -> OpenedStore:
    """Open (creating if needed) and migrate the store in ``data_dir``.

    Before anything is written the file is recognised (:func:`store_file.inspect`): a new store is created
    only where no file exists; a foreign, empty or damaged file, or a read-only folder, is refused and left
    untouched. A store that already holds data is backed up before any migration, and on the first open of
    each UTC day (``now`` is the wall clock, injected by tests).
    """
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data folder {data_dir}: {exc.strerror}") from exc
    path = data_dir / DB_FILE
    store_file.check_writable_folder(data_dir)
    store_file.check_writable_file(path)
    inspection = store_file.inspect(path)
    existed = inspection.kind is not store_file.StoreKind.NEW
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)
    try:
        if not existed:
            with engine.begin() as connection:  # the mark of our store, before any table
                connection.exec_driver_sql(f"PRAGMA application_id={store_file.APPLICATION_ID}")
        if _stored_revision(engine) != SCHEMA_HEAD:
            _migrate(engine, path, existed=existed, now=now)
        if inspection.kind is store_file.StoreKind.ADOPTED:
            with engine.begin() as connection:  # a store of an older Blocksim: recognised, now marked
                connection.exec_driver_sql(f"PRAGMA application_id={store_file.APPLICATION_ID}")
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        reason = store_file.write_failure(exc)
        if reason is not None:
            raise StoreError(f"cannot open the database {path}: {reason} ({exc.orig}).") from exc
        raise StoreError(
            f"cannot open the database {path}: {exc.orig}. It was left untouched. {backup.restore_hint(path)}"
        ) from exc
    except StoreError:
        engine.dispose()
        raise
    if existed:
        _back_up_daily(path, now)
    notices = (_lost_log_notice(engine, path, inspection.lost_frames),) if inspection.lost_frames else ()
    return OpenedStore(engine, notices)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The one sessionmaker of the app; use ``with factory.begin() as s:`` per unit of work."""
    return sessionmaker(engine, expire_on_commit=False)

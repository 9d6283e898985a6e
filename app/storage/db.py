"""Opening the SQLite store: pragmas, schema migrations, and refusing what must not be touched."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import StoreError

DB_FILE = "blocksim.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def _check_file(path: Path) -> None:
    if not path.exists():
        return
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a Blocksim database")
    with path.open("rb") as handle:
        header = handle.read(16)
    if path.stat().st_size and header != b"SQLite format 3\x00":
        raise StoreError(
            f"{path} is not an SQLite database (damaged or not Blocksim's). It was left untouched; "
            "move it aside to start with an empty store, or restore it from a backup."
        )


def _check_revision(engine: Engine, config: Config) -> None:
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


def open_engine(data_dir: Path) -> Engine:
    """Open (creating if needed) and migrate the store in ``data_dir``."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data folder {data_dir}: {exc.strerror}") from exc
    path = data_dir / DB_FILE
    _check_file(path)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)
    config = alembic_config(engine)
    try:
        _check_revision(engine, config)
        command.upgrade(config, "head")
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise StoreError(f"cannot open the database {path}: {exc.orig}. It was left untouched.") from exc
    except StoreError:
        engine.dispose()
        raise
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The one sessionmaker of the app; use ``with factory.begin() as s:`` per unit of work."""
    return sessionmaker(engine, expire_on_commit=False)

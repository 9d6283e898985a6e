"""Backups of the store: consistent copies (WAL included), pruning, daily and pre-migration copies."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from app.bootstrap import Services
from app.core.errors import BackupError, StoreError
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.storage import backup, db
from app.storage.backup import BackupKind
from app.storage.db import DB_FILE, open_engine

DAY = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


class StepClock:
    """A wall clock that says ``start`` and moves only when told."""

    def __init__(self, start: datetime = DAY) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current


def _dump(path: Path) -> list[str]:
    """Every table's schema and rows as SQL (the store's logical content)."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture
def store_with_block(services: Services) -> tuple[Services, int]:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=5, seed=2))
    for position in range(5):
        runner.show(position)
        runner.select(position, "ABCDE"[position])
    return services, runner.session_id


def test_backup_holds_rows_only_in_the_wal(services: Services, tmp_path: Path) -> None:
    live = services.data_dir / DB_FILE
    with services.store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=5, seed=2))
    for position in range(5):
        runner.select(position, "ABCDE"[position])
    assert live.with_name(DB_FILE + "-wal").stat().st_size > 0
    main_only = tmp_path / "main-only.sqlite3"
    shutil.copyfile(live, main_only)
    # The premise: the answers are committed but not yet in the main file.
    with sqlite3.connect(main_only) as connection:
        in_main = connection.execute("SELECT count(*) FROM events").fetchone()[0]
    live_events = services.store.table_counts()["events"]
    assert in_main < live_events

    info = backup.create_backup(live, BackupKind.MANUAL, now=StepClock())

    assert info.path.parent == services.data_dir / "backups"
    assert info.path.name == "blocksim-2026-12-01T093000Z-manual.sqlite3"
    assert not info.path.with_name(info.path.name + "-wal").exists()
    assert info.path.read_bytes()[18:20] == b"\x01\x01"  # a rollback-journal file, complete on its own
    assert _dump(info.path) == _dump(live)


def test_backup_while_a_write_is_pending_is_the_committed_state(services: Services) -> None:
    live = services.data_dir / DB_FILE
    committed = _dump(live)
    writer = sqlite3.connect(live)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM questions")
    info = backup.create_backup(live, BackupKind.MANUAL, now=StepClock())
    writer.rollback()
    writer.close()
    assert _dump(info.path) == committed


def test_pruning_keeps_seven_daily_and_four_pre_migration(services: Services) -> None:
    live = services.data_dir / DB_FILE
    wall = StepClock()
    for _ in range(10):
        backup.create_backup(live, BackupKind.DAILY, now=wall)
        wall.current += timedelta(days=1)
    for _ in range(6):
        backup.create_backup(live, BackupKind.PRE_MIGRATION, now=wall, revision="0002")
        wall.current += timedelta(hours=1)
    for _ in range(9):
        backup.create_backup(live, BackupKind.MANUAL, now=wall)
        wall.current += timedelta(minutes=1)
    kept = backup.list_backups(live)
    daily = [b.created for b in kept if b.kind is BackupKind.DAILY]
    assert daily == [DAY + timedelta(days=d) for d in range(3, 10)]
    pre_migration = [b.created for b in kept if b.kind is BackupKind.PRE_MIGRATION]
    assert pre_migration == [DAY + timedelta(days=10, hours=h) for h in range(2, 6)]
    assert sum(b.kind is BackupKind.MANUAL for b in kept) == 9  # asked for: never pruned
    assert len(list((services.data_dir / "backups").iterdir())) == 7 + 4 + 9


def test_two_backups_in_one_second_both_kept(services: Services) -> None:
    live = services.data_dir / DB_FILE
    first = backup.create_backup(live, BackupKind.MANUAL, now=StepClock())
    second = backup.create_backup(live, BackupKind.MANUAL, now=StepClock())
    assert first.path != second.path and second.path.name.endswith("-manual.2.sqlite3")
    assert [b.path for b in backup.list_backups(live)] == [first.path, second.path]
    assert backup.newest_backup(live) == second


def test_daily_backup_once_per_utc_day(services: Services) -> None:
    services.close()
    live = services.data_dir / DB_FILE

    def dailies() -> list[datetime]:
        return [b.created for b in backup.list_backups(live) if b.kind is BackupKind.DAILY]

    wall = StepClock(datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC))
    for minutes in (0, 1, 23 * 60 + 59):  # three opens on 1 December
        wall.current = datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC) + timedelta(minutes=minutes)
        open_engine(services.data_dir, now=wall).dispose()
    assert dailies() == [datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC)]
    wall.current = datetime(2026, 12, 2, 0, 0, 1, tzinfo=UTC)
    open_engine(services.data_dir, now=wall).dispose()
    open_engine(services.data_dir, now=wall).dispose()
    assert dailies() == [datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC), datetime(2026, 12, 2, 0, 0, 1, tzinfo=UTC)]


def test_a_new_store_gets_no_daily_backup(tmp_path: Path) -> None:
    open_engine(tmp_path, now=StepClock()).dispose()
    assert backup.list_backups(tmp_path / DB_FILE) == []


def test_a_failed_daily_backup_does_not_stop_the_app(
    services: Services, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    services.close()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise BackupError("disk full")

    monkeypatch.setattr(backup, "create_backup", refuse)
    engine = open_engine(services.data_dir, now=StepClock())
    engine.dispose()
    assert "daily backup skipped: disk full" in caplog.text


HEAD = ScriptDirectory.from_config(db.alembic_config()).get_current_head() or ""

SECOND_MIGRATION = '''"""a later schema (test only)"""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("probe")
'''


@pytest.fixture
def newer_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This Blocksim knows one more schema revision (9001, on top of today's head) than the stores written so far."""
    folder = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_probe.py").write_text(SECOND_MIGRATION.replace("{head}", HEAD), encoding="utf-8")
    monkeypatch.setattr(db, "MIGRATIONS", folder)
    monkeypatch.setattr(db, "SCHEMA_HEAD", "9001")


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_pre_migration_backup_only_when_a_migration_runs(
    store_with_block: tuple[Services, int], request: pytest.FixtureRequest
) -> None:
    services, _ = store_with_block
    live = services.data_dir / DB_FILE
    at_head = _dump(live)
    services.close()
    wall = StepClock()
    open_engine(services.data_dir, now=wall).dispose()  # at head already: no migration, no copy
    assert [b.kind for b in backup.list_backups(live)] == [BackupKind.DAILY]

    request.getfixturevalue("newer_migrations")
    wall.current += timedelta(minutes=5)
    open_engine(services.data_dir, now=wall).dispose()
    [copy] = [b for b in backup.list_backups(live) if b.kind is BackupKind.PRE_MIGRATION]
    assert copy.path.name == "blocksim-2026-12-01T093500Z-pre-migration-9001.sqlite3"
    assert copy.revision == "9001"
    assert _dump(copy.path) == at_head and _revision(copy.path) == HEAD
    assert _revision(live) == "9001"

    wall.current += timedelta(minutes=5)
    open_engine(services.data_dir, now=wall).dispose()  # migrated already
    assert sum(b.kind is BackupKind.PRE_MIGRATION for b in backup.list_backups(live)) == 1


@pytest.mark.usefixtures("newer_migrations")
def test_a_new_store_is_not_backed_up_before_its_first_migration(tmp_path: Path) -> None:
    open_engine(tmp_path / "fresh", now=StepClock()).dispose()
    assert backup.list_backups(tmp_path / "fresh" / DB_FILE) == []


def test_no_migration_without_its_backup(
    services: Services, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.close()
    live = services.data_dir / DB_FILE
    request.getfixturevalue("newer_migrations")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise BackupError("disk full")

    monkeypatch.setattr(backup, "create_backup", refuse)
    with pytest.raises(StoreError, match="not migrated, because it could not be backed up first: disk full"):
        open_engine(services.data_dir, now=StepClock())
    assert _revision(live) == HEAD


def test_damaged_store_messages_name_the_newest_backup(services: Services) -> None:
    live = services.data_dir / DB_FILE
    services.close()
    older = backup.create_backup(live, BackupKind.DAILY, now=StepClock())
    newest = backup.create_backup(live, BackupKind.MANUAL, now=StepClock(DAY + timedelta(hours=2)))
    assert older != newest
    original = live.read_bytes()

    live.write_bytes(b"junk" * 2000)
    with pytest.raises(StoreError) as caught:
        open_engine(services.data_dir)
    message = str(caught.value)
    assert "not an SQLite database" in message
    assert f"restore it with: blocksim restore {newest.path}" in message
    assert "2026-12-01 11:30 UTC" in message
    assert live.read_bytes() == b"junk" * 2000

    live.write_bytes(original[: len(original) // 2])
    with pytest.raises(StoreError) as caught:
        open_engine(services.data_dir)
    assert "cannot open the database" in str(caught.value)
    assert f"restore it with: blocksim restore {newest.path}" in str(caught.value)
    assert live.read_bytes() == original[: len(original) // 2]


def test_damaged_store_message_without_backups(data_tmpdir: Path) -> None:
    data_tmpdir.mkdir(parents=True)
    (data_tmpdir / DB_FILE).write_bytes(b"junk")
    with pytest.raises(StoreError, match="No backup exists yet"):
        open_engine(data_tmpdir)


def test_restore_command_names_a_data_folder_that_is_not_the_default(tmp_path: Path, data_tmpdir: Path) -> None:
    elsewhere = tmp_path / "other data"
    command = backup.restore_command(elsewhere / DB_FILE, elsewhere / "backups" / "b.sqlite3")
    assert command == f"blocksim --data-dir '{elsewhere}' restore '{elsewhere}/backups/b.sqlite3'"
    default = backup.restore_command(data_tmpdir / DB_FILE, data_tmpdir / "b.sqlite3")
    assert default == f"blocksim restore {data_tmpdir}/b.sqlite3"


def test_restore_replaces_the_store_and_its_stale_wal(store_with_block: tuple[Services, int], tmp_path: Path) -> None:
    services, session_id = store_with_block
    live = services.data_dir / DB_FILE
    before_answers = backup.create_backup(live, BackupKind.MANUAL, now=StepClock())
    services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=9)).select(0, "A")
    # What a killed app leaves: the main file and a WAL holding the newest commits.
    killed = tmp_path / "killed"
    killed.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(live.with_name(DB_FILE + suffix), killed / (DB_FILE + suffix))
    with_wal = _dump(live)

    outcome = backup.restore(before_answers.path, killed / DB_FILE, db.known_revisions(), now=StepClock())

    assert outcome.revision == HEAD
    assert not (killed / (DB_FILE + "-wal")).exists() and not (killed / (DB_FILE + "-shm")).exists()
    assert _dump(killed / DB_FILE) == _dump(before_answers.path)
    open_engine(killed, now=StepClock()).dispose()  # the app's open switches to WAL: nothing stale replays
    assert _dump(killed / DB_FILE) == _dump(before_answers.path)
    assert outcome.kept is not None and outcome.kept.kind is BackupKind.BEFORE_RESTORE
    assert _dump(outcome.kept.path) == with_wal  # the replaced store, with what was only in its WAL
    assert [p.name for p in killed.iterdir() if p.name.startswith(".")] == []
    assert session_id


def test_restore_keeps_a_damaged_store_byte_for_byte(store_with_block: tuple[Services, int], tmp_path: Path) -> None:
    services, _ = store_with_block
    live = services.data_dir / DB_FILE
    good = backup.create_backup(live, BackupKind.MANUAL, now=StepClock())
    services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=9)).select(0, "A")
    # A killed app's files, then the main file's header destroyed: SQLite cannot read it any more.
    killed = tmp_path / "killed"
    killed.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(live.with_name(DB_FILE + suffix), killed / (DB_FILE + suffix))
    damaged = b"\x00" * 100 + (killed / DB_FILE).read_bytes()[100:]
    (killed / DB_FILE).write_bytes(damaged)
    wal = (killed / (DB_FILE + "-wal")).read_bytes()

    outcome = backup.restore(good.path, killed / DB_FILE, db.known_revisions(), now=StepClock(DAY + timedelta(hours=1)))

    assert outcome.kept is not None and outcome.kept.path.read_bytes() == damaged
    assert outcome.kept.path.with_name(outcome.kept.path.name + "-wal").read_bytes() == wal
    assert outcome.kept.size == len(damaged) + len(wal)
    assert not (killed / (DB_FILE + "-wal")).exists()
    open_engine(killed, now=StepClock()).dispose()  # the old WAL must not replay into the restored store
    assert _dump(killed / DB_FILE) == _dump(good.path)


@pytest.mark.parametrize("kind", ["text", "empty", "plain sqlite", "unknown revision", "damaged", "folder"])
def test_restore_refuses_what_is_not_a_blocksim_store(services: Services, tmp_path: Path, kind: str) -> None:
    live = services.data_dir / DB_FILE
    services.close()
    candidate = tmp_path / "candidate.sqlite3"
    if kind == "text":
        candidate.write_text("SQLite format 3 but only text")
    elif kind == "empty":
        candidate.write_bytes(b"")
    elif kind == "plain sqlite":
        with sqlite3.connect(candidate) as connection:
            connection.execute("CREATE TABLE notes (body TEXT)")
    elif kind == "unknown revision":
        shutil.copyfile(live, candidate)
        with sqlite3.connect(candidate) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '9999'")
    elif kind == "damaged":
        good = backup.create_backup(live, BackupKind.MANUAL, now=StepClock())
        data = bytearray(good.path.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
        candidate.write_bytes(bytes(data))
    else:
        candidate.mkdir()
    before = live.read_bytes()
    with pytest.raises(BackupError):
        backup.restore(candidate, live, db.known_revisions(), now=StepClock())
    assert live.read_bytes() == before
    assert not [b for b in backup.list_backups(live) if b.kind is BackupKind.BEFORE_RESTORE]


def test_backup_refuses_to_overwrite_the_store(services: Services) -> None:
    live = services.data_dir / DB_FILE
    with pytest.raises(BackupError, match="cannot replace the store"):
        backup.create_backup(live, BackupKind.MANUAL, out=live)
    with pytest.raises(BackupError, match="is the store itself"):
        backup.restore(live, live, db.known_revisions())

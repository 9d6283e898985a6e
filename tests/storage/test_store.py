"""The SQLite store: all-or-nothing imports, pack updates that keep history, refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.bootstrap import build
from app.core.clock import FakeClock
from app.core.errors import PackError, StoreError
from app.core.events import EventKind
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.storage.db import DB_FILE, open_engine
from tests.factories import pack_dict, question, write_pack

ROOT = Path(__file__).resolve().parents[2]


def test_pragmas_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()


def test_failed_import_changes_nothing(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=4))
    runner.select(0, "A")
    before = services.store.table_counts()
    data = pack_dict(30, pack_id="other")
    data["questions"][29]["answer"] = "J"  # one bad question among 30
    with pytest.raises(PackError):
        services.packs.import_path(write_pack(tmp_path / "bad", data))
    assert services.store.table_counts() == before
    assert [p.id for p in services.store.packs()] == ["test-pack"]


def _fail_inserts_into(services, table: str) -> None:  # type: ignore[no-untyped-def]
    """A storage failure at the database itself: every insert into ``table`` is refused."""
    with services.store.engine.begin() as connection:
        connection.exec_driver_sql(
            f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )


def _allow_inserts_into(services, table: str) -> None:  # type: ignore[no-untyped-def]
    with services.store.engine.begin() as connection:
        connection.exec_driver_sql(f"DROP TRIGGER fail_{table}")


@pytest.mark.parametrize("table", ["questions", "question_versions", "media"])
def test_storage_failure_mid_import_rolls_back(services, tmp_path: Path, table: str) -> None:  # type: ignore[no-untyped-def]
    before = services.store.table_counts()
    data = pack_dict(5, pack_id="second")
    data["questions"][0]["media"] = [{"file": "media/x.png"}]
    path = write_pack(tmp_path / "second", data, media={"media/x.png": b"\x89PNG fake"})
    _fail_inserts_into(services, table)
    with pytest.raises(Exception, match="disk full"):
        services.packs.import_path(path)
    _allow_inserts_into(services, table)
    assert services.store.table_counts() == before
    assert [p.id for p in services.store.packs()] == ["test-pack"]
    services.packs.import_path(path)  # nothing half-written is in the way
    assert services.store.table_counts()["questions"] == before["questions"] + 5


@pytest.mark.parametrize("table", ["question_versions", "media"])
def test_storage_failure_mid_update_keeps_the_installed_version(services, tmp_path: Path, table: str) -> None:  # type: ignore[no-untyped-def]
    keys = [key for key, *_ in services.store.question_rows()]
    installed = services.store.questions(keys)
    before = services.store.table_counts()
    newer = pack_dict(11, version="1.1.0")
    for item in newer["questions"]:
        item["stem"] += " Edited."
    newer["questions"][0]["media"] = [{"file": "media/x.png"}]
    path = write_pack(tmp_path / "v2", newer, media={"media/x.png": b"\x89PNG fake"})
    _fail_inserts_into(services, table)
    with pytest.raises(Exception, match="disk full"):
        services.packs.import_path(path)
    _allow_inserts_into(services, table)
    assert services.store.table_counts() == before
    assert services.store.questions(keys) == installed
    assert [(p.version, p.question_count) for p in services.store.packs()] == [("1.0.0", len(keys))]


def test_newer_version_updates_and_keeps_history(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=12, seed=1))
    for position in range(12):
        runner.show(position)
        runner.select(position, "A")
    runner.end()
    review_before = services.blocks.review(runner.session_id)
    newer = pack_dict(11, version="1.1.0")
    newer["questions"][0]["stem"] = newer["questions"][0]["stem"] + " Edited."
    newer["questions"].append(question(50))
    outcome = services.packs.import_path(write_pack(tmp_path / "v2", newer))
    assert (outcome.previous_version, outcome.version) == ("1.0.0", "1.1.0")
    assert (outcome.added, outcome.updated, outcome.retired) == (1, 11, 1)
    [info] = services.store.packs()
    assert info.version == "1.1.0" and info.question_count == 12
    review_after = services.blocks.review(runner.session_id)
    assert review_after.score == review_before.score
    assert len(services.store.events(runner.session_id)) == len(runner.block.events)


def test_same_version_is_a_no_op_and_older_is_refused(services, small_pack: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert services.packs.import_path(small_pack).unchanged
    older = write_pack(tmp_path / "old", pack_dict(12, version="0.9.0"))
    with pytest.raises(PackError, match="older than the installed"):
        services.packs.import_path(older)


def test_events_are_appended_with_sequence(services) -> None:  # type: ignore[no-untyped-def]
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=2, seed=3))
    runner.select(0, "B")
    runner.toggle_mark(0)
    events = services.store.events(runner.session_id)
    assert [e.kind for e in events] == [
        EventKind.BLOCK_STARTED,
        EventKind.ITEM_SHOWN,
        EventKind.ANSWER_SELECTED,
        EventKind.MARKED,
    ]
    assert [e.seq for e in events] == [1, 2, 3, 4]


def test_newer_schema_is_refused_and_untouched(data_tmpdir: Path) -> None:
    build(data_tmpdir, import_bundled=False).close()
    db = data_tmpdir / DB_FILE
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db.read_bytes()
    with pytest.raises(StoreError, match="newer Blocksim"):
        build(data_tmpdir, import_bundled=False)
    assert db.read_bytes() == before


def test_broken_database_is_never_replaced(data_tmpdir: Path) -> None:
    data_tmpdir.mkdir(parents=True)
    db = data_tmpdir / DB_FILE
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not an SQLite database"):
        build(data_tmpdir, import_bundled=False)
    assert db.read_bytes() == b"this is not a database" * 100


def test_data_dir_from_environment(data_tmpdir: Path) -> None:
    services = build(import_bundled=False, clock=FakeClock())
    try:
        assert services.data_dir == data_tmpdir.resolve()
        assert (data_tmpdir / DB_FILE).exists()
    finally:
        services.close()


def test_bundled_packs_import_on_first_start(data_tmpdir: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    write_pack(bundle / "one", pack_dict(3, pack_id="one"))
    write_pack(bundle / "two", pack_dict(4, pack_id="two"))
    broken = pack_dict(1, pack_id="three")
    broken["questions"][0]["answer"] = "Z"
    write_pack(bundle / "three", broken)
    services = build(data_tmpdir, bundled_dir=bundle)
    try:
        assert {p.id: p.question_count for p in services.store.packs()} == {"one": 3, "two": 4}
        assert services.bundled is not None and len(services.bundled.problems) == 1
    finally:
        services.close()


def test_bundled_packs_are_skipped_when_installed_and_updated_when_newer(data_tmpdir: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    write_pack(bundle / "one", pack_dict(3, pack_id="one"))
    build(data_tmpdir, bundled_dir=bundle).close()
    again = build(data_tmpdir, bundled_dir=bundle)
    try:
        assert again.bundled is not None and again.bundled.outcomes == []  # nothing re-validated
    finally:
        again.close()
    write_pack(bundle / "one", pack_dict(4, pack_id="one", version="1.1.0"))
    newer = build(data_tmpdir, bundled_dir=bundle)
    try:
        assert newer.bundled is not None and [o.version for o in newer.bundled.outcomes] == ["1.1.0"]
        assert newer.store.packs()[0].question_count == 4
    finally:
        newer.close()


def test_an_unchanged_bundled_pack_is_not_read_again_at_the_next_start(
    data_tmpdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its identity comes from the data folder's note of its size and time; a changed file is read again."""
    from app.services import packs

    reads: list[Path] = []
    peek = packs.peek_identity
    monkeypatch.setattr(packs, "peek_identity", lambda path: reads.append(path) or peek(path))
    bundle = tmp_path / "bundle"
    write_pack(bundle / "one", pack_dict(3, pack_id="one"))
    write_pack(bundle / "two", pack_dict(2, pack_id="two"))
    build(data_tmpdir, bundled_dir=bundle).close()
    assert len(reads) == 2 and (data_tmpdir / packs.SEEN_FILE).is_file()
    reads.clear()
    again = build(data_tmpdir, bundled_dir=bundle)
    try:
        assert reads == [] and again.bundled is not None and again.bundled.outcomes == []
    finally:
        again.close()
    write_pack(bundle / "one", pack_dict(4, pack_id="one", version="1.1.0"))
    newer = build(data_tmpdir, bundled_dir=bundle)
    try:
        assert reads == [bundle / "one"]  # only the changed pack is read, and it updates the installed copy
        assert newer.bundled is not None and [o.version for o in newer.bundled.outcomes] == ["1.1.0"]
    finally:
        newer.close()
    (data_tmpdir / packs.SEEN_FILE).write_text("{damaged", encoding="utf-8")
    reads.clear()
    build(data_tmpdir, bundled_dir=bundle).close()  # a damaged note: every pack is read once more
    assert sorted(reads) == [bundle / "one", bundle / "two"]


def test_bundled_pack_correction_updates_an_installed_copy_and_keeps_history(data_tmpdir: Path, tmp_path: Path) -> None:
    """A patch release of a bundled pack (here ck-surgery-emergency) replaces the installed copy on the next start;
    a block sat on the older copy keeps its score and shows what the new version corrected."""
    shipped = json.loads((ROOT / "question_packs" / "ck-surgery-emergency" / "pack.json").read_text(encoding="utf-8"))
    older = json.loads(json.dumps(shipped))
    older["version"] = "1.0.0"
    older["questions"] = older["questions"][:10]
    older["questions"][2]["stem"] += " (as first released)"
    bundle = tmp_path / "bundle"
    write_pack(bundle / "ck-surgery-emergency", older)
    first = build(data_tmpdir, clock=FakeClock(), bundled_dir=bundle)
    try:
        runner = first.blocks.start(BlockRequest(BlockFilter(), size=10, seed=3))
        for position in range(10):
            runner.show(position)
            runner.select(position, "A")
        runner.end()
        sat = first.blocks.review(runner.session_id)
        position = next(i for i, q in enumerate(sat.questions) if q.question.id == older["questions"][2]["id"])
    finally:
        first.close()
    write_pack(bundle / "ck-surgery-emergency", shipped)
    updated = build(data_tmpdir, clock=FakeClock(), bundled_dir=bundle)
    try:
        assert updated.bundled is not None and updated.bundled.problems == []
        [outcome] = updated.bundled.outcomes
        assert (outcome.previous_version, outcome.version) == ("1.0.0", shipped["version"])
        assert updated.store.packs()[0].question_count == len(shipped["questions"])
        review = updated.blocks.review(runner.session_id)
        assert review.score == sat.score
        assert review.questions[position].question.stem.endswith("(as first released)")  # as sat
        assert review.corrections[position].version == shipped["version"]
        assert review.corrections[position].question.stem == shipped["questions"][2]["stem"]
    finally:
        updated.close()


def test_import_packs_is_one_transaction(services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.core.pack_reader import read_pack

    before = services.store.table_counts()
    fresh = read_pack(write_pack(tmp_path / "fresh", pack_dict(4, pack_id="fresh")))
    newer = read_pack(write_pack(tmp_path / "newer", pack_dict(12, version="1.1.0")))
    older = read_pack(write_pack(tmp_path / "older", pack_dict(12, version="0.9.0")))
    with pytest.raises(PackError) as caught:
        services.store.import_packs([(fresh, "fresh"), (newer, "newer"), (older, "older")])
    assert caught.value.problems == ["older: version 0.9.0 is older than the installed 1.1.0; nothing imported"]
    assert services.store.table_counts() == before
    assert [(p.id, p.version) for p in services.store.packs()] == [("test-pack", "1.0.0")]
    outcomes = services.store.import_packs([(fresh, "fresh"), (newer, "newer")])
    assert [(o.pack_id, o.previous_version, o.added) for o in outcomes] == [
        ("fresh", None, 4),
        ("test-pack", "1.0.0", 0),
    ]


def test_append_events_stores_a_sitting_in_order_and_closes_it(services) -> None:  # type: ignore[no-untyped-def]
    from app.core.events import Event

    keys = [row[0] for row in services.store.question_rows()][:2]
    session = services.store.create_session(kind="block", mode="timed", time_limit=60.0, question_keys=keys, seed=1)
    written = [
        Event(EventKind.BLOCK_STARTED, 0.0),
        Event(EventKind.ITEM_SHOWN, 0.0, 0),
        Event(EventKind.ANSWER_SELECTED, 5.0, 0, {"label": "B"}),
        Event(EventKind.BLOCK_ENDED, 9.0, None, {"reason": "user"}),
    ]
    stored = services.store.append_events(session.id, written)
    assert [e.seq for e in stored] == [1, 2, 3, 4]
    assert services.store.events(session.id) == stored
    closed = services.store.session(session.id)
    assert (closed.status, closed.checkpoint) == ("finished", 9.0)
    assert closed.ended_at is not None


def test_schema_head_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from app.storage import db

    assert ScriptDirectory.from_config(db.alembic_config()).get_current_head() == db.SCHEMA_HEAD


def test_a_current_store_opens_without_importing_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from app.storage.db import open_engine; "
        "open_engine(Path(sys.argv[1])).dispose(); created = 'alembic' in sys.modules; "
        "[m for m in list(sys.modules) if m.startswith('alembic') and sys.modules.pop(m)]; "
        "open_engine(Path(sys.argv[1])).dispose(); print(created, 'alembic' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    shown = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "data")], capture_output=True, text=True, check=True, cwd=root
    )
    assert shown.stdout.split() == ["True", "False"]  # creating needs Alembic; reopening does not

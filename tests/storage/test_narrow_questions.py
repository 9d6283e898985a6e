"""Revision 0005: the questions table keeps only filter columns; each body lives once, in its snapshot."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Engine, create_engine, event, text

from app.bootstrap import build
from app.core.clock import FakeClock
from app.core.pack_format import Question
from app.core.question_versions import canonical_content, canonical_json, content_hash, question_data
from app.storage.db import DB_FILE, _set_pragmas, alembic_config
from tests.factories import pack_dict, question, write_pack
from tests.storage.test_snapshots import _store_at_0001

_HISTORY_TABLES = ("packs", "sessions", "session_items", "events", "question_versions", "item_reasons")
_QUESTION_COLUMNS = "key, pack_id, qid, position, retired, discipline, system, task, answer, content_hash"


def _engine(folder: Path) -> Engine:
    engine = create_engine(f"sqlite:///{folder / DB_FILE}")
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _store_at_0004(folder: Path) -> None:
    """The 0001 store (3 questions, a finished block) migrated to 0004, plus a question with a topic."""
    _store_at_0001(folder)
    engine = _engine(folder)
    try:
        command.upgrade(alembic_config(engine), "0004")
        data = question_data(Question.model_validate(question(3, topic="Community-acquired pneumonia")))
        digest = content_hash("test-pack", data)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO questions (pack_id, qid, position, retired, discipline, system, task, answer, data, "
                    "content_hash) VALUES ('test-pack', :qid, 3, 0, :discipline, :system, :task, :answer, :data, :hash)"
                ),
                {**{k: data[k] for k in ("discipline", "system", "task", "answer")}, "qid": data["id"]}
                | {"data": json.dumps(data), "hash": digest},
            )
            connection.execute(
                text(
                    "INSERT INTO question_versions (hash, question_key, pack_version, data, answer) "
                    "VALUES (:hash, 4, '1.0.0', :data, :answer)"
                ),
                {"hash": digest, "data": json.dumps(data), "answer": data["answer"]},
            )
            connection.execute(
                text(
                    "INSERT INTO item_reasons (session_id, position, question_key, pack_id, question_id, reason, "
                    "recorded_at) VALUES (1, 2, 3, 'test-pack', 'q002', 'misread', '2026-11-30T10:01:00+00:00')"
                )
            )
    finally:
        engine.dispose()


def _dump(engine: Engine) -> dict[str, Any]:
    """Every row of the history tables and the questions' columns, and each question's JSON."""
    with engine.connect() as connection:
        out: dict[str, Any] = {
            name: connection.execute(text(f"SELECT * FROM {name} ORDER BY 1, 2")).all() for name in _HISTORY_TABLES
        }
        out["questions"] = connection.execute(text(f"SELECT {_QUESTION_COLUMNS} FROM questions ORDER BY key")).all()
    return out


def _bodies_at_0004(engine: Engine) -> dict[int, dict[str, Any]]:
    with engine.connect() as connection:
        return {key: json.loads(data) for key, data in connection.execute(text("SELECT key, data FROM questions"))}


def test_a_store_at_0004_migrates_with_identical_content_and_history(data_tmpdir: Path, clock: FakeClock) -> None:
    _store_at_0004(data_tmpdir)
    engine = _engine(data_tmpdir)
    before, bodies = _dump(engine), _bodies_at_0004(engine)
    engine.dispose()

    services = build(data_tmpdir, clock=clock, import_bundled=False)
    try:
        store = services.store
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0005"
            columns = {row[1] for row in connection.execute(text("PRAGMA table_info(questions)"))}
        assert "data" not in columns and "topic" in columns
        assert _dump(store.engine) == before  # no snapshot added or changed, every event and item kept
        keys = sorted(bodies)
        assert {q.key: question_data(q.question) for q in store.questions(keys)} == bodies
        assert {key: data for key, (_pack, data) in store.question_metadata().items()} == bodies
        topics = {row[0]: row[6] for row in store.question_categories()}
        assert topics == {1: None, 2: None, 3: None, 4: "Community-acquired pneumonia"}
        review = services.blocks.review(1)
        assert (review.score.correct, review.score.answered, review.score.total) == (2, 2, 3)
        assert [q.question.id for q in review.questions] == ["q000", "q001", "q002"]
        assert store.item_reasons([1]) == {(1, 2): "misread"}
    finally:
        services.close()


def test_the_migration_gives_a_question_edited_behind_its_hash_its_own_snapshot(
    data_tmpdir: Path, clock: FakeClock
) -> None:
    _store_at_0004(data_tmpdir)
    engine = _engine(data_tmpdir)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE questions SET data = json_set(data, '$.stem', 'Edited stem: fever and cough.') WHERE key = 1")
        )
    engine.dispose()

    services = build(data_tmpdir, clock=clock, import_bundled=False)
    try:
        [current] = services.store.questions([1])
        assert current.question.stem == "Edited stem: fever and cough."
        assert services.store.table_counts()["question_versions"] == 5
        review = services.blocks.review(1)
        assert review.questions[0].question.stem != "Edited stem: fever and cough."  # the block keeps what was sat
        assert set(review.corrections) == {0}
    finally:
        services.close()


def test_the_migration_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    _store_at_0004(folder)
    engine = _engine(folder)
    try:
        bodies = _bodies_at_0004(engine)
        command.upgrade(alembic_config(engine), "0005")
        command.downgrade(alembic_config(engine), "0004")
        assert _bodies_at_0004(engine) == bodies
        command.upgrade(alembic_config(engine), "0005")
    finally:
        engine.dispose()


def test_canonical_content_is_the_content_hash_and_the_json() -> None:
    data = question_data(Question.model_validate(question(7, topic="Sepsis")))
    body, digest = canonical_content("p\u00e9-pack", data)
    assert json.loads(body) == data
    # The one-pass spelling equals the documented (and migration-frozen) definition.
    document = canonical_json({"pack_id": "p\u00e9-pack", "question": data})
    assert digest == hashlib.sha256(document.encode("ascii")).hexdigest() == content_hash("p\u00e9-pack", data)


def test_an_import_fills_the_narrow_columns_and_one_snapshot_per_content(data_tmpdir: Path, tmp_path: Path) -> None:
    data = pack_dict(4)
    data["questions"][2]["topic"] = "Sepsis"
    services = build(data_tmpdir, import_bundled=False)
    try:
        services.packs.import_path(write_pack(tmp_path / "pack", data))
        store = services.store
        assert [row[6] for row in store.question_categories()] == [None, None, "Sepsis", None]
        keys = [key for key, *_ in store.question_rows()]
        stored = store.questions(keys)
        assert [q.question.id for q in stored] == ["q000", "q001", "q002", "q003"]
        with store.engine.connect() as connection:
            hashes = dict(connection.execute(text("SELECT key, content_hash FROM questions")).all())
            versions = dict(connection.execute(text("SELECT hash, question_key FROM question_versions")).all())
        assert versions == {digest: key for key, digest in hashes.items()}
        assert all(hashes[q.key] == content_hash("test-pack", question_data(q.question)) for q in stored)
    finally:
        services.close()

"""Question snapshots: a session keeps the exact question it was sat with, whatever is imported later."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import create_engine, event, text

from app.bootstrap import Services, build
from app.core.clock import FakeClock
from app.core.pack_format import Question
from app.core.question_versions import content_hash, correction, question_data
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.services.export import history, to_csv
from app.storage.db import DB_FILE, _set_pragmas, alembic_config
from tests.factories import pack_dict, question, write_pack


def _v2(changed: int) -> dict[str, Any]:
    """Version 1.1.0 of the test pack: question ``changed`` gets a new key, stem and explanation."""
    data = pack_dict(12, version="1.1.0")
    item = data["questions"][changed]
    item["answer"] = "B" if item["answer"] != "B" else "C"
    item["stem"] = "A rewritten stem of version 1.1.0: fever and cough."
    item["explanation"] = "The 1.1.0 explanation."
    return data


def _snapshot_count(services: Services, question_key: int) -> int:
    with services.store.engine.connect() as connection:
        count: int = connection.execute(
            text("SELECT count(*) FROM question_versions WHERE question_key = :key"), {"key": question_key}
        ).scalar_one()
    return count


def test_a_newer_version_never_rewrites_a_block_sat(services: Services, tmp_path: Path) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=12, seed=3))
    for position, stored in enumerate(runner.questions):
        runner.show(position)
        runner.select(position, stored.question.answer)
    runner.end()
    before = services.blocks.review(runner.session_id)
    assert before.score.correct == 12 and before.corrections == {}
    position = 0
    sat = before.questions[position].question
    changed = int(sat.id[1:])  # factories name question i "q{i:03d}"
    services.packs.import_path(write_pack(tmp_path / "v2", _v2(changed)))

    after = services.blocks.review(runner.session_id)
    assert after.score == before.score
    assert services.blocks.scores([runner.session])[runner.session_id] == before.score
    assert after.questions[position].question == sat  # the v1 stem, key and explanation
    assert after.questions[position].question.stem != "A rewritten stem of version 1.1.0: fever and cough."
    assert set(after.corrections) == {position}
    notice = after.corrections[position]
    assert notice.version == "1.1.0" and notice.key_changed
    assert notice.question.answer != sat.answer
    assert notice.question.stem == "A rewritten stem of version 1.1.0: fever and cough."
    assert notice.question.explanation == "The 1.1.0 explanation."

    [exported] = history(services.store, services.blocks.clock)
    first = exported["items"][position]
    assert first["correct_answer"] == sat.answer and first["correct"]
    assert first["content_hash"] == content_hash("test-pack", question_data(sat))
    assert f",{sat.answer},True," in to_csv([exported]).splitlines()[1]


def test_an_unchanged_question_shares_one_snapshot(services: Services, tmp_path: Path) -> None:
    keys = {key for key, *_ in services.store.question_rows()}
    assert services.store.table_counts()["question_versions"] == 12
    services.packs.import_path(write_pack(tmp_path / "v2", _v2(5)))
    assert services.store.table_counts()["question_versions"] == 13
    by_qid = {stored.question.id: stored.key for stored in services.store.questions(sorted(keys))}
    assert _snapshot_count(services, by_qid["q005"]) == 2
    assert all(_snapshot_count(services, by_qid[f"q{i:03d}"]) == 1 for i in range(12) if i != 5)
    # Back to the first content in a later version: the old snapshot is named again, not copied.
    services.packs.import_path(write_pack(tmp_path / "v3", pack_dict(12, version="1.2.0")))
    assert services.store.table_counts()["question_versions"] == 13


def test_a_block_started_after_an_update_sits_the_new_content(services: Services, tmp_path: Path) -> None:
    services.packs.import_path(write_pack(tmp_path / "v2", _v2(0)))
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=12, seed=1))
    [stored] = [q for q in runner.questions if q.question.id == "q000"]
    assert stored.question.stem == "A rewritten stem of version 1.1.0: fever and cough."
    runner.end()
    assert services.blocks.review(runner.session_id).corrections == {}


def test_a_reclassification_is_a_new_snapshot_but_no_correction(services: Services, tmp_path: Path) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=12, seed=2))
    runner.end()
    data = pack_dict(12, version="1.0.1")
    data["questions"][4]["difficulty"] = 5
    data["questions"][4]["tags"] = ["reviewed"]
    services.packs.import_path(write_pack(tmp_path / "v101", data))
    assert services.store.table_counts()["question_versions"] == 13
    assert services.blocks.review(runner.session_id).corrections == {}


def test_correction_reports_what_the_candidate_reads() -> None:
    sat = Question.model_validate(question(1))
    assert correction(sat, sat, "2.0.0") is None
    assert correction(sat, Question.model_validate(question(1, system="renal-urinary")), "2.0.0") is None
    reworded = correction(sat, Question.model_validate(question(1, lead_in="Which is the best next step?")), "2.0.0")
    assert reworded is not None and not reworded.key_changed
    rekeyed = correction(sat, Question.model_validate(question(1, answer="D")), "2.0.0")
    assert rekeyed is not None and rekeyed.key_changed and rekeyed.question.answer == "D"


def test_content_hash_is_canonical_and_names_the_pack() -> None:
    data = question_data(Question.model_validate(question(2)))
    shuffled = dict(reversed(list(data.items())))
    assert content_hash("a", data) == content_hash("a", shuffled)
    assert content_hash("a", data) != content_hash("b", data)
    assert len(content_hash("a", data)) == 64


def _store_at_0001(folder: Path) -> None:
    """A store as Blocksim wrote it before snapshots: one pack, one finished block, its events."""
    folder.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{folder / DB_FILE}")
    event.listen(engine, "connect", _set_pragmas)
    command.upgrade(alembic_config(engine), "0001")
    now = "2026-11-30T10:00:00+00:00"
    questions = [question(i) for i in range(3)]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO packs (id, title, version, authors, source, imported_at) "
                "VALUES ('test-pack', 'Test pack', '1.0.0', '[]', 'old', :now)"
            ),
            {"now": now},
        )
        for position, data in enumerate(questions):
            connection.execute(
                text(
                    "INSERT INTO questions (pack_id, qid, position, retired, discipline, system, task, answer, data) "
                    "VALUES ('test-pack', :qid, :position, 0, :discipline, :system, :task, :answer, :data)"
                ),
                {
                    "qid": data["id"],
                    "position": position,
                    "discipline": data["discipline"],
                    "system": data["system"],
                    "task": data["task"],
                    "answer": data["answer"],
                    "data": json.dumps(question_data(Question.model_validate(data))),
                },
            )
        connection.execute(
            text(
                "INSERT INTO sessions (id, kind, mode, status, time_limit, item_count, seed, settings, created_at, "
                "ended_at, checkpoint) VALUES (1, 'block', 'timed', 'finished', 270, 3, 7, '{}', :now, :now, 30)"
            ),
            {"now": now},
        )
        for position in range(3):
            connection.execute(
                text("INSERT INTO session_items (session_id, position, question_key) VALUES (1, :p, :k)"),
                {"p": position, "k": position + 1},
            )
        events = [
            ("block_started", None, 0.0, {}),
            ("item_shown", 0, 0.0, {}),
            ("answer_selected", 0, 10.0, {"label": questions[0]["answer"]}),
            ("item_shown", 1, 12.0, {}),
            ("answer_selected", 1, 20.0, {"label": questions[1]["answer"]}),
            ("block_ended", None, 30.0, {"reason": "user"}),
        ]
        for seq, (kind, position, elapsed, payload) in enumerate(events, start=1):
            connection.execute(
                text(
                    "INSERT INTO events (session_id, seq, kind, position, elapsed, payload, recorded_at) "
                    "VALUES (1, :seq, :kind, :position, :elapsed, :payload, :now)"
                ),
                {
                    "seq": seq,
                    "kind": kind,
                    "position": position,
                    "elapsed": elapsed,
                    "payload": json.dumps(payload),
                    "now": now,
                },
            )
    engine.dispose()


def test_migration_back_fills_a_store_written_at_0001(data_tmpdir: Path, clock: FakeClock, tmp_path: Path) -> None:
    _store_at_0001(data_tmpdir)
    services = build(data_tmpdir, clock=clock, import_bundled=False)
    try:
        with services.store.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() != "0001"
            assert connection.execute(text("SELECT count(*) FROM question_versions")).scalar_one() == 3
            unfilled = "SELECT count(*) FROM session_items WHERE content_hash IS NULL"
            assert connection.execute(text(unfilled)).scalar_one() == 0
        review = services.blocks.review(1)
        assert (review.score.correct, review.score.answered, review.score.total) == (2, 2, 3)
        assert [q.question.id for q in review.questions] == ["q000", "q001", "q002"]
        assert review.corrections == {}
        # The back-filled snapshots are the ones an import computes: unchanged content is shared.
        data = pack_dict(3, version="1.1.0")
        data["questions"][0]["answer"] = "C"
        services.packs.import_path(write_pack(tmp_path / "v2", data))
        assert services.store.table_counts()["question_versions"] == 4
        after = services.blocks.review(1)
        assert after.score == review.score
        assert set(after.corrections) == {0} and after.corrections[0].question.answer == "C"
    finally:
        services.close()


def test_migration_0002_downgrades_with_sessions_in_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    _store_at_0001(folder)
    engine = create_engine(f"sqlite:///{folder / DB_FILE}")
    event.listen(engine, "connect", _set_pragmas)
    try:
        command.upgrade(alembic_config(engine), "0002")
        command.downgrade(alembic_config(engine), "0001")
        with engine.connect() as connection:
            tables = {name for (name,) in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
            assert "question_versions" not in tables
            assert connection.execute(text("SELECT count(*) FROM session_items")).scalar_one() == 3
        command.upgrade(alembic_config(engine), "0002")
    finally:
        engine.dispose()

"""The analysis service on a real store: derived facts equal a replay, the fast path equals the pure one."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from app.bootstrap import Services
from app.core.analysis.facts import derive_block
from app.core.analysis.patterns import block_flags
from app.core.clock import FakeClock
from app.core.errors import AnalysisError
from app.core.events import EventKind
from app.core.exam_day import DayPreset
from app.core.selection import BlockFilter
from app.services.analysis import _fact_row
from app.services.blocks import BlockRequest
from app.services.days import DayRequest
from app.storage.db import DB_FILE

TINY_DAY = DayPreset(
    id="tiny", name="Tiny", blocks=3, block_minutes=6, items_per_block=4, tutorial_minutes=0, break_minutes=5
)


def sit_random_blocks(services: Services, clock: FakeClock, rng: random.Random, count: int) -> None:
    """Blocks with random times, answers, changes, clears, highlights and navigation."""
    for seed in range(count):
        size = rng.randint(1, 6)
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=size, minutes=size * 1.5, seed=seed))
        for _ in range(rng.randint(0, 3 * size)):
            position = rng.randrange(size)
            clock.advance(rng.choice([1, 5, 20, 40, 95, 200]))
            if runner.block.is_expired():
                break
            runner.show(position)
            roll = rng.random()
            if roll < 0.7:
                runner.select(position, rng.choice("ABCDE"))
            elif roll < 0.8 and runner.block.item(position).answer is not None:
                runner.record(EventKind.ANSWER_CLEARED, position)
            elif roll < 0.9:
                runner.toggle_mark(position)
        if not runner.block.ended:
            runner.end()


def sit_tiny_day(services: Services, clock: FakeClock, rng: random.Random) -> int:
    day = services.days.start(DayRequest(preset=TINY_DAY, block_filter=BlockFilter(), seed=1))
    for _ in range(TINY_DAY.blocks):
        block = day.start_next_block()
        for position in range(TINY_DAY.items_per_block):
            clock.advance(rng.choice([10, 60, 100]))
            block.show(position)
            block.select(position, rng.choice("ABCDE"))
        day.end_block()
    return day.session.id


def strip_items(data: dict) -> dict:  # type: ignore[type-arg]
    return {k: v for k, v in data.items() if k not in ("items", "pacing", "messages")}


def approx_equal(a: object, b: object) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys()
        for key in a:
            approx_equal(a[key], b[key])
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            approx_equal(x, y)
    elif isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, abs=2e-3)
    else:
        assert a == b


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_equals_the_pure_path_on_random_histories(services: Services, clock: FakeClock, seed: int) -> None:
    rng = random.Random(seed)
    sit_random_blocks(services, clock, rng, 8)
    sit_tiny_day(services, clock, rng)
    fast = services.analysis.history()
    pure = services.analysis.history_replayed()
    assert fast.total.n > 0 and len(fast.session_ids) == 11
    assert fast.fatigue.across_day is not None and len(fast.fatigue.points) == 3
    approx_equal(strip_items(fast.to_dict()), strip_items(pure.to_dict()))
    assert sum(count for _, count in pure.patterns_summary) == sum(len(i.patterns) for i in pure.items)


def replayed_rows(services: Services) -> dict[int, list[dict]]:  # type: ignore[type-arg]
    sessions = services.store.sessions(status="finished", kind="block")
    inputs, questions = services.analysis._inputs(sessions)
    out = {}
    for session in inputs:
        block = derive_block(session)
        flags = block_flags(block, questions, services.analysis.settings)
        out[session.session_id] = [
            {"session_id": session.session_id, **_fact_row(i, block.item_count, f)}
            for i, f in zip(block.items, flags, strict=True)
        ]
    return out


def stored_rows(services: Services) -> dict[int, list[dict]]:  # type: ignore[type-arg]
    ids = [s.id for s in services.store.sessions(status="finished", kind="block")]
    rows = services.store.item_facts(ids)
    return {i: [r for r in rows if r["session_id"] == i] for i in ids}


def test_derived_table_equals_a_full_replay_and_is_rebuilt_after_deletion(
    services: Services, clock: FakeClock, data_tmpdir: Path
) -> None:
    sit_random_blocks(services, clock, random.Random(7), 6)
    assert services.analysis.refresh_facts() == 6
    assert services.analysis.refresh_facts() == 0  # fresh: nothing to do
    assert stored_rows(services) == replayed_rows(services)
    before = services.analysis.history().to_dict()
    with sqlite3.connect(data_tmpdir / DB_FILE) as connection:  # someone empties the derived table
        connection.execute("DELETE FROM item_facts")
    assert services.analysis.history().to_dict() == before
    assert stored_rows(services) == replayed_rows(services)
    with sqlite3.connect(data_tmpdir / DB_FILE) as connection:
        connection.execute("DELETE FROM item_facts")
        connection.execute("DELETE FROM item_fact_stamps")
    assert services.analysis.refresh_facts() == 6
    assert services.analysis.rebuild_facts() == 6
    assert stored_rows(services) == replayed_rows(services)


def test_a_new_finished_block_is_derived_and_an_open_one_is_not(services: Services, clock: FakeClock) -> None:
    sit_random_blocks(services, clock, random.Random(3), 2)
    services.analysis.refresh_facts()
    open_block = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=9))
    clock.advance(10)
    open_block.select(0, "A")
    assert services.analysis.refresh_facts() == 0
    assert services.analysis.session("latest").messages[-1].endswith("figures are as of its last record")
    open_block.end()
    assert services.analysis.refresh_facts() == 1
    assert len(services.analysis.history().session_ids) == 3


def test_reasons_are_appended_and_the_latest_wins(services: Services, clock: FakeClock) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=2))
    key = runner.questions[1].question.answer
    runner.show(1)
    clock.advance(50)
    runner.select(1, "A" if key != "A" else "B")
    runner.end()
    sid = runner.session_id
    assert services.analysis.session(sid).items[1].reason is None
    services.analysis.set_reason(sid, 2, "misread-stem")
    services.analysis.set_reason(sid, 2, "knowledge-forgot")
    item = services.analysis.session(sid).items[1]
    assert item.reason == "knowledge-forgot" and item.suggested_reason is not None
    assert services.store.table_counts()  # the store still answers
    with pytest.raises(AnalysisError, match="unknown reason"):
        services.analysis.set_reason(sid, 2, "bad-luck")
    with pytest.raises(AnalysisError, match="items 1 to 3"):
        services.analysis.set_reason(sid, 4, "misread-stem")


def test_a_day_is_analysed_with_block_positions_and_day_clock(services: Services, clock: FakeClock) -> None:
    day_id = sit_tiny_day(services, clock, random.Random(5))
    analysis = services.analysis.day(day_id)
    assert analysis.scope == "day" and len(analysis.session_ids) == 3
    assert "Across the day: accuracy" in analysis.to_text()
    assert [i.facts.day_index for i in analysis.items] == [0] * 4 + [1] * 4 + [2] * 4
    assert all(i.facts.day_clock_s is not None for i in analysis.items)
    clocks = [i.facts.day_clock_s for i in analysis.items]
    assert clocks == sorted(clocks)  # type: ignore[type-var]
    with pytest.raises(AnalysisError, match="use --session"):
        services.analysis.day(analysis.session_ids[0])
    with pytest.raises(AnalysisError, match="use --day"):
        services.analysis.session(day_id)


def test_migration_down_and_up_then_facts_are_rebuilt_from_the_events(
    services: Services, clock: FakeClock, data_tmpdir: Path
) -> None:
    from alembic import command

    from app.bootstrap import build
    from app.storage.db import alembic_config

    sit_random_blocks(services, clock, random.Random(11), 3)
    before = services.analysis.history().to_dict()
    services.analysis.set_reason(1, 1, "misread-stem")
    command.downgrade(alembic_config(services.store.engine), "0001")
    with sqlite3.connect(data_tmpdir / DB_FILE) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not {"item_facts", "item_fact_stamps", "item_reasons"} & tables
    services.close()
    again = build(data_tmpdir, clock=clock, import_bundled=False)  # opening migrates to the head again
    try:
        assert again.store.item_facts([1, 2, 3]) == []
        assert again.analysis.history().to_dict() == before
        assert len(again.store.item_facts([1, 2, 3])) == sum(s.item_count for s in again.store.sessions())
    finally:
        again.close()


def test_a_knowledge_gap_on_a_question_once_answered_right_suggests_forgot(
    services: Services, clock: FakeClock
) -> None:
    for right in (True, False):
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=12, minutes=30, seed=4))
        for position, stored in enumerate(runner.questions):
            runner.show(position)
            clock.advance(100)
            key = stored.question.answer
            start = stored.question.stem.index(stored.question.keywords[0])  # the decisive words, highlighted
            runner.record(EventKind.HIGHLIGHT_ADDED, position, start=start, end=start + 5)
            runner.select(position, key if right else "ABCDE"[("ABCDE".index(key) + 1) % 5])
        runner.end()
    first = services.analysis.session(1)
    assert first.total.k == 12
    second = services.analysis.session("latest")
    assert {i.suggested_reason for i in second.items} == {"knowledge-forgot"}
    assert all("knowledge-gap" in i.patterns for i in second.items)

"""The block setup's new pools: incorrect in the last N days, and flagged by a pattern; re-do of exact keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from app.bootstrap import Services
from app.core.block import Mode
from app.core.clock import FakeClock
from app.core.selection import BlockFilter, Pool
from app.services.blocks import BlockRequest


def other(label: str) -> str:
    return "ABCDE"[("ABCDE".index(label) + 1) % 5]


def sit(services: Services, clock: FakeClock, plan: str, seconds: list[float], seed: int) -> tuple[int, list[int]]:
    """A block: per item "r" right, "w" wrong, "u" unanswered, after ``seconds`` on it. Returns (id, keys)."""
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=len(plan), minutes=len(plan) * 1.5, seed=seed))
    for position, (what, spent) in enumerate(zip(plan, seconds, strict=True)):
        runner.show(position)
        clock.advance(spent)
        key = runner.questions[position].question.answer
        if what != "u":
            runner.select(position, key if what == "r" else other(key))
    runner.end()
    return runner.session_id, [q.key for q in runner.questions]


def backdate(services: Services, session_id: int, days: int) -> None:
    when = (datetime.now(UTC) - timedelta(days=days)).isoformat()
    with services.store.engine.begin() as connection:
        connection.execute(
            text("UPDATE sessions SET created_at = :when WHERE id = :id"), {"when": when, "id": session_id}
        )


def matching_keys(services: Services, block_filter: BlockFilter) -> set[int]:
    from app.core.selection import matching

    return {c.key for c in matching(services.blocks.pool_candidates(block_filter), block_filter)}


def test_incorrect_in_the_last_n_days(services: Services, clock: FakeClock) -> None:
    old, old_keys = sit(services, clock, "wr", [60, 60], seed=1)
    backdate(services, old, 10)
    _recent, recent_keys = sit(services, clock, "rwu", [60, 60, 60], seed=2)
    recent_wrong = {recent_keys[1], recent_keys[2]}  # wrong and unanswered, today
    assert matching_keys(services, BlockFilter(pool=Pool.RECENT_INCORRECT, recent_days=7)) == recent_wrong
    wider = matching_keys(services, BlockFilter(pool=Pool.RECENT_INCORRECT, recent_days=11))
    assert wider == recent_wrong | {old_keys[0]}  # wrong ten days ago, whatever came after
    assert services.blocks.count_matching(BlockFilter(pool=Pool.RECENT_INCORRECT, recent_days=11)) == len(wider)


def test_flagged_by_a_pattern_selects_the_questions_whose_latest_sitting_showed_one(
    services: Services, clock: FakeClock
) -> None:
    # 10 items, pace 90 s: a 3 s wrong answer is rushed, an unanswered item is flagged unanswered,
    # right answers at pace show no pattern.
    plan = "rrrrwrrrru"
    seconds = [90.0] * 10
    seconds[4] = 3
    session, keys = sit(services, clock, plan, seconds, seed=4)
    items = services.analysis.session(session).items
    patterned = {i.facts.question_key for i in items if set(i.patterns) - {"changed-wrong-to-right"}}
    assert keys[4] in patterned and keys[9] in patterned
    assert keys[0] not in patterned
    flagged = matching_keys(services, BlockFilter(pool=Pool.FLAGGED))
    assert flagged == patterned
    runner = services.blocks.start(BlockRequest(BlockFilter(pool=Pool.FLAGGED), size=len(flagged), seed=1))
    assert {q.key for q in runner.questions} == flagged
    runner.end()

    # The latest sitting wins: the rushed question sat again right, at pace, is no longer flagged.
    again = services.blocks.redo([keys[4]], mode=Mode.TIMED)
    again.show(0)
    clock.advance(60)
    again.select(0, again.questions[0].question.answer)
    again.end()
    assert keys[4] not in matching_keys(services, BlockFilter(pool=Pool.FLAGGED))


def test_redo_builds_a_block_of_exactly_these_questions(services: Services, clock: FakeClock) -> None:
    _session, keys = sit(services, clock, "rwwr", [60] * 4, seed=6)
    chosen = [keys[2], keys[1]]
    runner = services.blocks.redo(chosen, mode=Mode.TUTOR, timed=True)
    assert [q.key for q in runner.questions] == chosen
    assert runner.session.mode == "tutor" and runner.block.spec.time_limit == 180

"""Exam-day scenarios with a fake clock, for both official presets and small custom days."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import Services, build
from app.core.clock import FakeClock
from app.core.day_plan import NotEnoughForDayError, allocate, plan_day
from app.core.errors import ExamRuleError
from app.core.exam_day import DayPreset, ExamDay, Phase, official_presets
from app.core.outline import default_outline
from app.core.selection import BlockFilter, Candidate
from app.services.days import DayRequest, DayRunner
from tests.factories import pack_dict, write_pack

MIN = 60.0
LEGACY = official_presets().get("step2ck-legacy")
CURRENT = official_presets().get("step2ck-2026")


@pytest.fixture
def day_services(tmp_path: Path, clock: FakeClock) -> Iterator[Services]:
    """A store with 330 questions, and no sleep detection (tests jump the clock by hours)."""
    services = build(tmp_path / "data", clock=clock, import_bundled=False, sleep_threshold=float("inf"))
    services.packs.import_path(write_pack(tmp_path / "big", pack_dict(330, pack_id="big")))
    yield services
    services.close()


def start_day(services: Services, preset: DayPreset) -> DayRunner:
    return services.days.start(DayRequest(preset=preset, block_filter=BlockFilter(), seed=3))


def sit_block(runner: DayRunner, clock: FakeClock, seconds: float) -> None:
    """Start the next block and end it after ``seconds`` (or let it expire)."""
    block = runner.start_next_block()
    limit = block.block.spec.time_limit
    assert limit is not None
    if seconds >= limit:
        clock.advance(limit)
        assert runner.tick()
    else:
        clock.advance(seconds)
        runner.end_block()


def between(runner: DayRunner, clock: FakeClock, seconds: float) -> None:
    runner.start_break()
    clock.advance(seconds)
    runner.tick()
    runner.end_break()


def test_presets_are_nine_hour_days() -> None:
    assert LEGACY.day_seconds == CURRENT.day_seconds == 9 * 3600
    assert (LEGACY.blocks, LEGACY.block_minutes, LEGACY.items_per_block) == (8, 60, 40)
    assert (CURRENT.blocks, CURRENT.block_minutes, CURRENT.items_per_block) == (16, 30, 20)
    assert (LEGACY.break_minutes, LEGACY.tutorial_minutes) == (45, 15)
    assert (CURRENT.break_minutes, CURRENT.tutorial_minutes) == (55, 5)


@pytest.mark.parametrize("preset", [LEGACY, CURRENT], ids=["legacy", "current"])
def test_skipping_the_tutorial_credits_its_time(day_services: Services, clock: FakeClock, preset: DayPreset) -> None:
    runner = start_day(day_services, preset)
    assert runner.day.break_remaining() == pytest.approx(preset.break_minutes * MIN)
    runner.start_next_block()
    assert runner.day.break_remaining() == pytest.approx((preset.break_minutes + preset.tutorial_minutes) * MIN)


@pytest.mark.parametrize("preset", [LEGACY, CURRENT], ids=["legacy", "current"])
def test_short_tutorial_credits_the_rest(day_services: Services, clock: FakeClock, preset: DayPreset) -> None:
    runner = start_day(day_services, preset)
    runner.start_tutorial()
    clock.advance(2 * MIN)
    runner.end_tutorial()
    assert runner.day.break_remaining() == pytest.approx((preset.break_minutes + preset.tutorial_minutes - 2) * MIN)


def test_tutorial_ends_by_itself(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, CURRENT)
    runner.start_tutorial()
    clock.advance(CURRENT.tutorial_minutes * MIN)
    assert runner.tick()
    assert runner.day.phase is Phase.BETWEEN
    assert runner.day.break_remaining() == pytest.approx(CURRENT.break_minutes * MIN)


@pytest.mark.parametrize("preset", [LEGACY, CURRENT], ids=["legacy", "current"])
def test_finishing_blocks_early_grows_the_pool(day_services: Services, clock: FakeClock, preset: DayPreset) -> None:
    runner = start_day(day_services, preset)
    runner.start_tutorial()
    runner.end_tutorial()  # all tutorial time credited
    pool = runner.day.break_remaining()
    runner.start_next_block()
    clock.advance(preset.block_seconds - 7 * MIN)
    runner.end_block()
    assert runner.day.break_remaining() == pytest.approx(pool + 7 * MIN)
    # ...and the early finish never lengthens the next block.
    assert runner.start_next_block().block.spec.time_limit == preset.block_seconds


@pytest.mark.parametrize("preset", [LEGACY, CURRENT], ids=["legacy", "current"])
def test_breaks_of_various_lengths_use_the_pool(day_services: Services, clock: FakeClock, preset: DayPreset) -> None:
    runner = start_day(day_services, preset)
    sit_block(runner, clock, preset.block_seconds)
    pool = runner.day.break_remaining()
    between(runner, clock, 4 * MIN)
    sit_block(runner, clock, preset.block_seconds)
    between(runner, clock, 11 * MIN + 30)
    assert runner.day.break_remaining() == pytest.approx(pool - 15 * MIN - 30)
    assert [round(b.seconds) for b in runner.day.breaks] == [240, 690]
    assert runner.day.overrun() == 0


@pytest.mark.parametrize("preset", [LEGACY, CURRENT], ids=["legacy", "current"])
def test_overrun_shortens_the_last_block_by_exactly_the_overrun(
    day_services: Services, clock: FakeClock, preset: DayPreset
) -> None:
    runner = start_day(day_services, preset)
    runner.start_next_block()  # tutorial skipped: its time joins the pool
    clock.advance(preset.block_seconds)
    runner.tick()
    pool = runner.day.break_remaining()
    overrun = 6 * MIN + 17
    between(runner, clock, pool + overrun)
    assert runner.day.overrun() == pytest.approx(overrun)
    limits = []
    while runner.day.next_block < preset.blocks:
        block = runner.start_next_block()
        limits.append(block.block.spec.time_limit)
        clock.advance(block.block.spec.time_limit or 0)
        runner.tick()
    assert limits[:-1] == [preset.block_seconds] * (preset.blocks - 2)
    assert limits[-1] == pytest.approx(preset.block_seconds - overrun)
    assert runner.day.phase is Phase.DONE
    summary = runner.summary()
    assert summary.overrun == pytest.approx(overrun)
    assert summary.end_reason == "completed"


def test_an_overrun_longer_than_a_block_takes_the_last_blocks(day_services: Services, clock: FakeClock) -> None:
    preset = DayPreset(
        id="mini", name="Mini", blocks=3, block_minutes=10, items_per_block=2, tutorial_minutes=0, break_minutes=5
    )
    runner = start_day(day_services, preset)
    sit_block(runner, clock, 10 * MIN)
    between(runner, clock, 5 * MIN + 12 * MIN)  # 12 minutes over
    second = runner.start_next_block()
    assert second.block.spec.time_limit == 8 * MIN
    clock.advance(8 * MIN)
    runner.tick()
    assert runner.day.is_expired() and runner.day.phase is Phase.DONE
    assert runner.summary().end_reason == "expired"
    with pytest.raises(ExamRuleError):
        runner.start_next_block()


def test_day_expires_inside_a_block(day_services: Services, clock: FakeClock) -> None:
    preset = DayPreset(
        id="mini", name="Mini", blocks=2, block_minutes=10, items_per_block=2, tutorial_minutes=0, break_minutes=2
    )
    runner = start_day(day_services, preset)
    sit_block(runner, clock, 10 * MIN)
    between(runner, clock, 3 * MIN)  # one minute over: the last block gets 9 minutes
    block = runner.start_next_block()
    assert block.block.spec.time_limit == 9 * MIN
    clock.advance(9 * MIN)
    assert runner.tick()
    assert block.block.ended and runner.day.phase is Phase.DONE
    assert day_services.store.session(runner.session.id).status == "finished"


def test_expiry_during_a_break_ends_the_day(day_services: Services, clock: FakeClock) -> None:
    preset = DayPreset(
        id="mini", name="Mini", blocks=2, block_minutes=10, items_per_block=2, tutorial_minutes=0, break_minutes=2
    )
    runner = start_day(day_services, preset)
    sit_block(runner, clock, 10 * MIN)
    runner.start_break()
    clock.advance(20 * MIN)
    assert runner.tick()
    assert runner.day.phase is Phase.DONE
    assert [b.index for b in runner.summary().blocks] == [0]


def test_closed_block_cannot_reopen_and_breaks_only_between(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, LEGACY)
    block = runner.start_next_block()
    with pytest.raises(ExamRuleError, match="between blocks"):
        runner.start_break()
    with pytest.raises(ExamRuleError, match="paused"):
        block.pause()
    runner.end_block()
    with pytest.raises(ExamRuleError, match="cannot be reopened"):
        day_services.blocks.resume(block.session_id)


def test_resume_after_kill_inside_a_block(day_services: Services, clock: FakeClock, tmp_path: Path) -> None:
    runner = start_day(day_services, LEGACY)
    block = runner.start_next_block()
    clock.advance(10 * MIN)
    block.select(0, "B")
    clock.advance(30)
    runner.tick()  # checkpoints at 10:30
    day_left, block_left = runner.day.remaining(), block.block.remaining()
    # kill -9: nothing is ended; a new process with a new monotonic origin opens the store.
    later = FakeClock(start=50.0)
    fresh = build(day_services.data_dir, clock=later, import_bundled=False, sleep_threshold=float("inf"))
    try:
        [unfinished] = fresh.days.unfinished()
        resumed = fresh.days.resume(unfinished.id)
        assert resumed.day.phase is Phase.BLOCK and resumed.block is not None
        assert resumed.day.remaining() == pytest.approx(day_left, abs=1.0)
        assert resumed.block.block.remaining() == pytest.approx(block_left, abs=1.0)
        assert resumed.block.block.item(0).answer == "B"
        later.advance(60)
        assert resumed.block.block.remaining() == pytest.approx(block_left - 60, abs=1.0)
    finally:
        fresh.close()


def test_a_reopened_day_stands_still_until_resumed(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, CURRENT)
    sit_block(runner, clock, CURRENT.block_seconds)
    used = runner.day.elapsed()
    later = FakeClock(start=3.0)
    fresh = build(day_services.data_dir, clock=later, import_bundled=False, sleep_threshold=float("inf"))
    try:
        day_id = fresh.days.unfinished()[0].id
        opened = fresh.days.open(day_id)  # the resume prompt describes the day
        later.advance(4 * MIN)
        assert opened.day.elapsed() == pytest.approx(used, abs=1.0)
        resumed = fresh.days.resume(day_id)
        assert resumed.day.elapsed() == pytest.approx(used, abs=1.0)
        later.advance(MIN)
        assert resumed.day.elapsed() == pytest.approx(used + MIN, abs=1.0)
    finally:
        fresh.close()


def test_resume_after_kill_inside_a_break(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, CURRENT)
    sit_block(runner, clock, CURRENT.block_seconds)
    runner.start_break()
    clock.advance(3 * MIN)
    runner.tick()
    pool_left = runner.day.break_remaining()
    later = FakeClock(start=7.0)
    fresh = build(day_services.data_dir, clock=later, import_bundled=False, sleep_threshold=float("inf"))
    try:
        resumed = fresh.days.resume(fresh.days.unfinished()[0].id)
        assert resumed.day.phase is Phase.BREAK
        assert resumed.day.break_remaining() == pytest.approx(pool_left, abs=1.0)
        later.advance(2 * MIN)
        resumed.tick()
        assert resumed.day.break_remaining() == pytest.approx(pool_left - 2 * MIN, abs=1.0)
        resumed.end_break()
        assert resumed.start_next_block().block.spec.time_limit == CURRENT.block_seconds
    finally:
        fresh.close()


def test_day_questions_are_distinct_and_follow_the_outline() -> None:
    outline = default_outline()
    systems = [c.slug for c in outline.systems]
    pool = [Candidate(key=i, pack_id="p", discipline="medicine", system=systems[i % len(systems)]) for i in range(900)]
    plan = plan_day(pool, outline, blocks=8, per_block=40, seed=1)
    keys = [k for block in plan for k in block]
    assert len(keys) == len(set(keys)) == 320
    by_key = {c.key: c.system for c in pool}
    counts = {s: sum(by_key[k] == s for k in keys) for s in systems}
    for category in outline.systems:
        share = 100 * counts[category.slug] / 320
        assert category.min - 1 <= share <= category.max + 1, (category.slug, share)


def test_too_few_questions_for_a_day_says_what_fits() -> None:
    pool = [Candidate(key=i, pack_id="p", discipline=None, system=None) for i in range(130)]
    with pytest.raises(NotEnoughForDayError) as caught:
        plan_day(pool, default_outline(), blocks=8, per_block=40, seed=1)
    assert caught.value.max_blocks == 3
    assert "Sit 3 blocks instead" in str(caught.value)
    plan = plan_day(pool, default_outline(), blocks=8, per_block=40, seed=1, allow_repeats=True)
    assert all(len(set(block)) == 40 for block in plan)


def test_allocate_respects_capacity() -> None:
    assert allocate(10, {"a": 1, "b": 1}, {"a": 2, "b": 100}) == {"a": 2, "b": 8}
    assert sum(allocate(7, {"a": 3, "b": 2, "c": 5}, {"a": 9, "b": 9, "c": 9}).values()) == 7


def test_sleep_is_not_charged_to_the_day() -> None:
    clock = FakeClock()
    day = ExamDay(LEGACY, clock)
    day.apply(day.start())
    day.apply(day.start_tutorial())
    clock.advance(1)
    day.tick()
    clock.advance(7200)
    day.tick()
    assert day.elapsed() == pytest.approx(1)


def test_blocks_of_a_day_count_in_history_and_export(day_services: Services, clock: FakeClock) -> None:
    from app.core.selection import Pool
    from app.services.export import history

    runner = start_day(day_services, CURRENT)
    block = runner.start_next_block()
    block.select(0, "A")
    clock.advance(60)
    runner.end_block()
    assert day_services.blocks.count_matching(BlockFilter(pool=Pool.UNUSED)) == 330 - 20
    exported = history(day_services.store, day_services.clock)
    assert [s["session_id"] for s in exported] == [block.session_id]


def test_orphan_block_from_a_kill_is_abandoned_on_resume(day_services: Services, clock: FakeClock) -> None:
    from app.core.block import Mode

    runner = start_day(day_services, CURRENT)
    # Killed after the block's session was created but before the day logged it.
    orphan = day_services.blocks.start_with(
        runner.plan[0],
        time_limit=1800,
        mode=Mode.TIMED,
        seed=1,
        settings={},
        parent_id=runner.session.id,
        parent_index=0,
    )
    resumed = day_services.days.resume(runner.session.id)
    assert day_services.store.session(orphan.session_id).status == "abandoned"
    block = resumed.start_next_block()
    assert block.session_id != orphan.session_id and resumed.day.blocks[0].index == 0


def test_day_scores_in_bulk_match_the_day_summary(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, CURRENT)
    for _ in range(2):
        block = runner.start_next_block()
        for position, stored in enumerate(block.questions[:7]):
            block.show(position)
            block.select(position, stored.question.answer if position % 3 else "E")
        clock.advance(60)
        runner.end_block()
    summary = runner.summary()
    [score] = day_services.days.scores([runner.session.id]).values()
    assert (score.correct, score.total, score.answered) == (summary.correct, summary.total, 14)
    assert 0 < score.correct < 14


def test_resume_after_a_kill_during_an_unauthorised_break_closes_it(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, CURRENT)
    runner.start_next_block()
    clock.advance(11 * MIN)
    runner.idle(True)  # the user walked away at 11:00
    clock.advance(2 * MIN)
    runner.tick()  # killed at 13:00, two minutes into the unauthorised break
    later = FakeClock(start=5.0)
    fresh = build(day_services.data_dir, clock=later, import_bundled=False, sleep_threshold=float("inf"))
    try:
        resumed = fresh.days.resume(fresh.days.unfinished()[0].id)
        assert not resumed.day.idle_open
        assert resumed.day.idle_seconds == pytest.approx(2 * MIN, abs=1.0)
        later.advance(5 * MIN)  # working again: no longer idle time
        resumed.tick()
        resumed.end_block()
        assert resumed.summary().idle_seconds == pytest.approx(2 * MIN, abs=1.0)
    finally:
        fresh.close()


# -- issue 11: the day as a candidate sees it ---------------------------------------------------
MINI = DayPreset(
    id="mini", name="Mini", blocks=3, block_minutes=10, items_per_block=2, tutorial_minutes=5, break_minutes=4
)


def test_the_opening_screen_charges_nothing_until_the_tutorial_or_block_1(
    day_services: Services, clock: FakeClock
) -> None:
    runner = start_day(day_services, MINI)
    clock.advance(10 * MIN)  # the candidate reads "Your exam day is ready" for ten minutes
    runner.tick()
    assert runner.day.elapsed() == 0.0
    assert runner.day.break_remaining() == pytest.approx(4 * MIN)
    # Also after a kill on that screen: the resumed day still waits.
    resumed = day_services.days.resume(runner.session.id)
    clock.advance(3 * MIN)
    resumed.tick()
    assert resumed.day.elapsed() == 0.0
    resumed.start_next_block()
    clock.advance(MIN)
    resumed.tick()
    assert resumed.day.elapsed() == pytest.approx(MIN)


def test_a_tutorial_started_at_day_time_zero_is_not_recorded_as_skipped(
    day_services: Services, clock: FakeClock
) -> None:
    runner = start_day(day_services, MINI)
    runner.start_tutorial()
    assert runner.day.events[-1].elapsed == 0.0
    clock.advance(2 * MIN)
    runner.end_tutorial()
    assert runner.day.tutorial_used == pytest.approx(2 * MIN)
    assert runner.summary().tutorial_used == pytest.approx(2 * MIN)
    skipped = start_day(day_services, MINI)
    skipped.start_next_block()
    assert skipped.summary().tutorial_used is None


def test_a_block_closed_at_its_limit_charges_the_block_not_the_pool(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, MINI)
    runner.start_next_block()
    pool = runner.day.break_remaining()
    clock.advance(10 * MIN + 0.4)  # the 0:00 is noticed 0.4 s late
    assert runner.tick()
    assert runner.day.blocks[0].used == pytest.approx(10 * MIN)
    assert runner.day.elapsed() == pytest.approx(10 * MIN)
    assert runner.day.break_remaining() == pytest.approx(pool)
    assert runner.day.break_used() == 0.0


def test_the_day_summary_adds_up(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, MINI)
    clock.advance(30)  # on the opening screen: not day time
    runner.tick()
    runner.start_tutorial()
    clock.advance(MIN)
    runner.end_tutorial()
    clock.advance(7)  # reading the between-block screen
    runner.tick()
    runner.start_next_block()
    clock.advance(10 * MIN + 0.45)  # expires, noticed late
    runner.tick()
    clock.advance(5)
    runner.start_break()
    clock.advance(8 * MIN)  # over the pool
    runner.tick()
    runner.end_break()
    clock.advance(3)
    runner.start_next_block()
    clock.advance(4 * MIN)
    runner.end_block()
    summary = runner.summary()
    account = summary.account
    assert account.tutorial == pytest.approx(MIN)
    assert account.blocks == pytest.approx(14 * MIN)
    assert account.breaks == pytest.approx(8 * MIN)
    assert account.between == pytest.approx(15)
    assert account.total == pytest.approx(summary.day_elapsed, abs=1e-9)
    assert summary.break_used == pytest.approx(account.breaks + account.between, abs=1e-9)
    # The pool: 4 min + 4 min of unused tutorial + 6 min left in block 2 = 14 min; used 8:15: no overrun.
    assert summary.allowance == pytest.approx(14 * MIN)
    assert summary.overrun == 0.0
    # Time spent on the between-block screen counts against the pool like a break.
    assert runner.day.break_remaining() == pytest.approx(summary.allowance - summary.break_used)


def test_overrun_counts_every_second_outside_blocks(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, MINI)
    runner.start_next_block()
    clock.advance(10 * MIN + 0.5)
    runner.tick()
    clock.advance(MIN)  # on the between-block screen
    runner.tick()
    runner.start_break()
    clock.advance(9 * MIN)  # pool is 4 + 5 (skipped tutorial) = 9 min: 1 min over with the screen time
    runner.tick()
    runner.end_break()
    assert runner.day.overrun() == pytest.approx(MIN)
    assert runner.day.break_remaining() == pytest.approx(-MIN)
    assert runner.day.block_time_limit() == 10 * MIN  # the overrun comes off the last block, not the next
    sit_block(runner, clock, 30 * MIN)
    assert runner.day.blocks[-1].time_limit == pytest.approx(10 * MIN)
    block = runner.start_next_block()
    assert block.block.spec.time_limit == pytest.approx(9 * MIN)


def test_the_official_days_follow_the_item_table() -> None:
    assert CURRENT.total_items == 316
    assert all(18 <= n <= 20 for n in CURRENT.item_counts) and len(CURRENT.item_counts) == 16
    assert sorted(CURRENT.item_counts, reverse=True) == [20] * 12 + [19] * 4
    assert LEGACY.total_items <= 318 and LEGACY.total_items == 318
    assert all(38 <= n <= 40 for n in LEGACY.item_counts) and len(LEGACY.item_counts) == 8
    assert CURRENT.describe_items() == "316 items (12 blocks of 20, 4 of 19)"
    custom = DayPreset(
        id="c", name="C", blocks=3, block_minutes=10, items_per_block=7, tutorial_minutes=0, break_minutes=1
    )
    assert custom.item_counts == [7, 7, 7] and custom.total_items == 21
    with pytest.raises(ValueError, match="block_items"):
        DayPreset(
            id="x",
            name="X",
            blocks=2,
            block_minutes=1,
            items_per_block=3,
            tutorial_minutes=0,
            break_minutes=0,
            block_items=(3,),
        )


def test_each_block_of_the_current_day_holds_its_official_count(day_services: Services, clock: FakeClock) -> None:
    runner = start_day(day_services, CURRENT)
    assert [len(keys) for keys in runner.plan] == CURRENT.item_counts
    assert len({key for keys in runner.plan for key in keys}) == 316
    for index in range(13):
        block = runner.start_next_block()
        assert len(block.questions) == CURRENT.items_in_block(index)
        clock.advance(MIN)
        runner.end_block()
    assert [child.item_count for child in day_services.store.children(runner.session.id)] == [20] * 12 + [19]


def test_the_day_warning_is_given_once_also_after_a_kill_and_resume(day_services: Services, clock: FakeClock) -> None:
    short = DayPreset(
        id="s", name="S", blocks=1, block_minutes=5, items_per_block=2, tutorial_minutes=0, break_minutes=0
    )
    runner = start_day(day_services, short)
    runner.start_next_block()
    clock.advance(3 * MIN + 30)
    runner.tick()
    assert runner.day.warning_due()
    runner.warn()
    assert not runner.day.warning_due()
    clock.advance(10)
    runner.tick()  # killed in the last two minutes
    resumed = day_services.days.resume(runner.session.id)
    assert resumed.day.in_warning() and not resumed.day.warning_due()
    with pytest.raises(ExamRuleError):
        resumed.day.warn()


def test_every_day_tick_stores_the_day_time_even_right_after_a_day_event(
    day_services: Services, clock: FakeClock
) -> None:
    """The day's checkpoint follows every tick: a break started just after a tick does not skip the next one."""
    runner = start_day(day_services, CURRENT)
    sit_block(runner, clock, 60)
    clock.advance(0.5)
    runner.tick()
    clock.advance(0.2)
    runner.start_break()
    clock.advance(0.3)
    runner.tick()
    clock.advance(0.499)  # killed just before the next tick
    stored = day_services.days.open(runner.session.id).day.elapsed()
    assert runner.day.elapsed() - 0.5 <= stored <= runner.day.elapsed()

"""The block engine with a fake clock: time, expiry, every event kind, resume, derivation."""

from __future__ import annotations

import pytest

from app.core.block import Block, BlockSpec, Mode
from app.core.clock import FakeClock
from app.core.errors import ExamRuleError
from app.core.events import EndReason, Event, EventKind
from app.core.scoring import Highlight, derive_items, score_items


def started(clock: FakeClock, items: int = 5, limit: float | None = 600.0, mode: Mode = Mode.TIMED) -> Block:
    block = Block(BlockSpec(items, limit, mode), clock)
    block.apply(block.start_event())
    block.apply(block.action(EventKind.ITEM_SHOWN, 0))
    return block


def act(block: Block, kind: EventKind, position: int | None = None, **payload: object) -> Event:
    event = block.action(kind, position, **payload)
    block.apply(event)
    return event


def test_time_left_is_limit_minus_active_time(clock: FakeClock) -> None:
    block = started(clock)
    clock.advance(61.5)
    assert block.remaining() == pytest.approx(538.5)
    assert block.elapsed() == pytest.approx(61.5)


def test_expiry_at_zero_and_actions_refused_after(clock: FakeClock) -> None:
    block = started(clock)
    clock.advance(599.9)
    assert not block.is_expired()
    act(block, EventKind.ANSWER_SELECTED, 0, label="A")
    clock.advance(0.1)
    assert block.is_expired() and block.remaining() == 0
    with pytest.raises(ExamRuleError, match="time is up"):
        block.action(EventKind.ANSWER_SELECTED, 0, label="B")
    end = block.end_event(EndReason.EXPIRED)
    assert end.elapsed == 600.0
    block.apply(end)
    assert block.ended and block.end_reason is EndReason.EXPIRED
    clock.advance(100)
    assert block.elapsed() == 600.0
    with pytest.raises(ExamRuleError, match="closed"):
        block.action(EventKind.MARKED, 0)
    assert block.items()[0].answer == "A"


def test_two_minute_warning(clock: FakeClock) -> None:
    block = started(clock)
    clock.advance(479)
    assert not block.in_warning()
    clock.advance(2)
    assert block.in_warning()


def test_closed_block_cannot_be_reopened(clock: FakeClock) -> None:
    block = started(clock)
    block.apply(block.end_event(EndReason.USER))
    with pytest.raises(ExamRuleError):
        block.action(EventKind.RESUMED)
    with pytest.raises(ExamRuleError):
        block.end_event(EndReason.USER)


def test_time_left_across_resume_uses_stored_events(clock: FakeClock) -> None:
    block = started(clock)
    clock.advance(100)
    act(block, EventKind.ANSWER_SELECTED, 0, label="C")
    events = list(block.events)
    # The process dies; a new one (a new monotonic origin) rebuilds the block from its events.
    later = FakeClock(start=5.0)
    rebuilt = Block(block.spec, later, events, checkpoint=103.0)
    assert rebuilt.remaining() == pytest.approx(497.0)
    rebuilt.apply(rebuilt.action(EventKind.RESUMED))
    later.advance(10)
    assert rebuilt.remaining() == pytest.approx(487.0)
    assert rebuilt.items()[0].answer == "C"


def test_sleep_gap_is_not_charged(clock: FakeClock) -> None:
    block = started(clock)
    clock.advance(1)
    block.tick()
    clock.advance(3600)  # the laptop slept for an hour
    assert block.tick() == pytest.approx(3600)
    assert block.elapsed() == pytest.approx(1)
    clock.advance(1)
    assert block.tick() == 0
    assert block.elapsed() == pytest.approx(2)


def test_pause_stops_the_clock(clock: FakeClock) -> None:
    block = started(clock)
    clock.advance(10)
    act(block, EventKind.PAUSED)
    clock.advance(500)
    assert block.elapsed() == pytest.approx(10)
    with pytest.raises(ExamRuleError, match="paused"):
        block.action(EventKind.ANSWER_SELECTED, 0, label="A")
    act(block, EventKind.RESUMED)
    clock.advance(5)
    assert block.elapsed() == pytest.approx(15)


def test_every_event_kind_is_derived(clock: FakeClock) -> None:
    block = started(clock, items=3)
    clock.advance(5)
    act(block, EventKind.ANSWER_SELECTED, 0, label="A")
    clock.advance(5)
    act(block, EventKind.ANSWER_SELECTED, 0, label="B")
    act(block, EventKind.MARKED, 0)
    act(block, EventKind.OPTION_STRUCK, 0, label="C")
    act(block, EventKind.OPTION_STRUCK, 0, label="D")
    act(block, EventKind.OPTION_RESTORED, 0, label="C")
    act(block, EventKind.HIGHLIGHT_ADDED, 0, start=2, end=9)
    act(block, EventKind.NOTE_WRITTEN, 0, text="check K+")
    clock.advance(10)
    act(block, EventKind.ITEM_SHOWN, 1)
    act(block, EventKind.ANSWER_SELECTED, 1, label="E")
    act(block, EventKind.ANSWER_CLEARED, 1)
    act(block, EventKind.MARKED, 1)
    act(block, EventKind.UNMARKED, 1)
    act(block, EventKind.HIGHLIGHT_ADDED, 1, start=0, end=3)
    act(block, EventKind.HIGHLIGHTS_CLEARED, 1)
    clock.advance(7)
    act(block, EventKind.ITEM_SHOWN, 0)
    clock.advance(3)
    block.apply(block.end_event(EndReason.USER))
    first, second, third = block.items()
    assert first.answer == "B" and first.answer_changes == ["A", "B"] and first.changed_count == 1
    assert first.marked and first.struck == {"D"} and first.highlights == [Highlight(2, 9)]
    assert first.note == "check K+"
    assert first.seconds == pytest.approx(23) and first.visits == 2
    assert second.answer is None and second.answer_changes == ["E", None]
    assert not second.marked and second.highlights == [] and second.seconds == pytest.approx(7)
    assert third.visits == 0 and third.seconds == 0
    results, score = score_items(block.items(), ["B", "E", "A"])
    assert [r.correct for r in results] == [True, False, False]
    assert score.correct == 1 and score.answered == 1 and score.unanswered == 2 and score.marked == 1
    assert results[1].changed_from_correct


def test_unanswered_counts_as_wrong(clock: FakeClock) -> None:
    block = started(clock, items=2)
    results, score = score_items(block.items(), ["A", "B"])
    assert score.correct == 0 and score.percent == 0
    assert not any(r.correct for r in results)


def test_open_visit_counts_until_now(clock: FakeClock) -> None:
    block = started(clock, items=2)
    clock.advance(42)
    assert block.items()[0].seconds == pytest.approx(42)


def test_visit_spans_pause_without_counting_it(clock: FakeClock) -> None:
    events = [
        Event(EventKind.BLOCK_STARTED, 0),
        Event(EventKind.ITEM_SHOWN, 0, 0),
        Event(EventKind.PAUSED, 10),
        Event(EventKind.RESUMED, 10),
        Event(EventKind.ITEM_SHOWN, 15, 1),
    ]
    states = derive_items(events, 2, until=20)
    assert [s.seconds for s in states] == [15, 5]


def test_tutor_submit_locks_the_answer(clock: FakeClock) -> None:
    block = started(clock, mode=Mode.TUTOR)
    with pytest.raises(ExamRuleError, match="select an answer"):
        block.action(EventKind.ITEM_SUBMITTED, 0)
    act(block, EventKind.ANSWER_SELECTED, 0, label="D")
    act(block, EventKind.ITEM_SUBMITTED, 0)
    assert block.items()[0].submitted
    with pytest.raises(ExamRuleError, match="final"):
        block.action(EventKind.ANSWER_SELECTED, 0, label="A")


def test_timed_mode_has_no_submit(clock: FakeClock) -> None:
    block = started(clock)
    act(block, EventKind.ANSWER_SELECTED, 0, label="D")
    with pytest.raises(ExamRuleError, match="tutor"):
        block.action(EventKind.ITEM_SUBMITTED, 0)


def test_untimed_tutor_block_never_expires(clock: FakeClock) -> None:
    block = started(clock, limit=None, mode=Mode.TUTOR)
    clock.advance(10**6)
    assert block.remaining() is None and not block.is_expired()


def test_positions_are_checked(clock: FakeClock) -> None:
    block = started(clock, items=2)
    with pytest.raises(ExamRuleError, match="no item"):
        block.action(EventKind.ITEM_SHOWN, 2)
    with pytest.raises(ExamRuleError, match="label"):
        block.action(EventKind.ANSWER_SELECTED, 0)


def test_actions_before_start_are_refused(clock: FakeClock) -> None:
    block = Block(BlockSpec(2, 60), clock)
    with pytest.raises(ExamRuleError, match="not started"):
        block.action(EventKind.ITEM_SHOWN, 0)
    block.apply(block.start_event())
    with pytest.raises(ExamRuleError, match="already started"):
        block.start_event()


def test_spec_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="at least one"):
        BlockSpec(0, 60)
    with pytest.raises(ValueError, match="positive"):
        BlockSpec(1, 0)


def test_highlights_of_every_part_and_removing_one(clock: FakeClock) -> None:
    block = started(clock)
    act(block, EventKind.HIGHLIGHT_ADDED, 0, start=1, end=4)  # an old log: no part means the stem
    act(block, EventKind.HIGHLIGHT_ADDED, 0, start=0, end=3, part="lead_in")
    act(block, EventKind.HIGHLIGHT_ADDED, 0, start=2, end=5, part="option:B")
    act(block, EventKind.HIGHLIGHT_REMOVED, 0, start=0, end=3, part="lead_in")
    assert block.item(0).highlights == [Highlight(1, 4), Highlight(2, 5, "option:B")]
    with pytest.raises(ExamRuleError):
        block.action(EventKind.HIGHLIGHT_ADDED, 0, start=3, end=3)
    with pytest.raises(ExamRuleError):
        block.action(EventKind.HIGHLIGHT_ADDED, 0, start=0, end=3, part="explanation")


def test_a_block_stops_at_the_time_its_end_and_pause_were_stored(clock: FakeClock) -> None:
    """Storing an event takes time (a durable write): the block must stop where its log says, not later."""
    block = started(clock)
    clock.advance(30)
    pause = block.action(EventKind.PAUSED)
    clock.advance(0.2)  # the write of the pause
    block.apply(pause)
    assert block.elapsed() == pause.elapsed == 30
    block.apply(block.action(EventKind.RESUMED))
    clock.advance(10)
    end = block.end_event(EndReason.USER)
    clock.advance(0.2)  # the write of the end
    block.apply(end)
    assert block.elapsed() == end.elapsed == 40
    rebuilt = Block(block.spec, clock, block.events)
    assert rebuilt.elapsed() == block.elapsed()

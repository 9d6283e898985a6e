"""Property test: time on items derived from events equals a user's own stopwatch, for any sequence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.block import Block, BlockSpec
from app.core.clock import FakeClock
from app.core.events import EventKind

ITEMS = 4
step = st.tuples(st.sampled_from(["show", "answer", "pause", "wait"]), st.integers(0, ITEMS - 1), st.integers(1, 90))


@settings(max_examples=150, deadline=None)
@given(steps=st.lists(step, max_size=40))
def test_seconds_on_items_match_a_stopwatch(steps: list[tuple[str, int, int]]) -> None:
    clock = FakeClock()
    block = Block(BlockSpec(ITEMS, None), clock, sleep_threshold=float("inf"))
    block.apply(block.start_event())
    block.apply(block.action(EventKind.ITEM_SHOWN, 0))
    expected = [0.0] * ITEMS
    current, paused = 0, False
    for kind, position, seconds in steps:
        if kind == "wait":
            clock.advance(seconds)
            if not paused:
                expected[current] += seconds
        elif kind == "pause":
            block.apply(block.action(EventKind.RESUMED if paused else EventKind.PAUSED))
            paused = not paused
        elif paused:
            continue
        elif kind == "show":
            block.apply(block.action(EventKind.ITEM_SHOWN, position))
            current = position
        else:
            block.apply(block.action(EventKind.ANSWER_SELECTED, current, label="ABCDE"[position]))
    derived = [item.seconds for item in block.items()]
    assert derived == pytest.approx(expected)
    assert sum(derived) == pytest.approx(block.elapsed())

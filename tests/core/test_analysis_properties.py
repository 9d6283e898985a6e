"""Properties of the derivations on random event histories (hypothesis), and the intervals against tables."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.analysis.facts import SessionInput, derive_block
from app.core.analysis.intervals import Moments, ols_slope, t_quantile, wilson
from app.core.events import Event, EventKind

LABELS = "ABCDE"

action = st.tuples(
    st.sampled_from(["show", "select", "clear", "pause", "resume", "highlight"]),
    st.integers(0, 5),
    st.sampled_from(LABELS),
    st.floats(0, 120, allow_nan=False, allow_infinity=False),
)


def history(actions: list[tuple[str, int, str, float]], n: int, limit: float | None, end: bool) -> SessionInput:
    """A plausible block log: time only moves forward, and the clock stands still while paused."""
    events = [Event(EventKind.BLOCK_STARTED, 0.0)]
    t = 0.0
    paused = False
    for kind, position, label, dt in actions:
        position %= n
        if not paused:
            t += dt
        if limit is not None and t > limit:
            t = limit
            break
        if kind == "pause" and not paused:
            events.append(Event(EventKind.PAUSED, t))
            paused = True
        elif kind == "resume" and paused:
            events.append(Event(EventKind.RESUMED, t))
            paused = False
        elif paused:
            continue
        elif kind == "show":
            events.append(Event(EventKind.ITEM_SHOWN, t, position))
        elif kind == "select":
            events.append(Event(EventKind.ANSWER_SELECTED, t, position, {"label": label}))
        elif kind == "clear":
            events.append(Event(EventKind.ANSWER_CLEARED, t, position))
        elif kind == "highlight":
            events.append(Event(EventKind.HIGHLIGHT_ADDED, t, position, {"start": 0, "end": 5}))
    if end:
        events.append(Event(EventKind.BLOCK_ENDED, t, payload={"reason": "user"}))
    return SessionInput(
        session_id=1,
        time_limit_s=limit,
        events=tuple(events),
        question_keys=tuple(range(n)),
        answer_keys=tuple(LABELS[i % 5] for i in range(n)),
        status="finished" if end else "active",
        checkpoint_s=t,
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(action, max_size=60),
    st.integers(1, 6),
    st.one_of(st.none(), st.floats(60, 3000)),
    st.booleans(),
)
def test_time_on_items_never_exceeds_active_time(actions: list, n: int, limit: float | None, end: bool) -> None:  # type: ignore[type-arg]
    session = history(actions, n, limit, end)
    block = derive_block(session)
    total = sum(i.time_on_item_s for i in block.items)
    assert total <= block.used_s + 1e-6
    if limit is not None:
        assert block.used_s <= limit
    assert all(i.time_on_item_s >= 0 for i in block.items)


@settings(max_examples=300, deadline=None)
@given(st.lists(action, max_size=60), st.integers(1, 6))
def test_changes_reproduce_the_final_answer(actions: list, n: int) -> None:  # type: ignore[type-arg]
    block = derive_block(history(actions, n, None, True))
    for item in block.items:
        replayed = item.first_selection
        for change in item.changes:
            assert change.before == replayed and change.after != change.before
            replayed = change.after
        if item.answer is not None:
            assert replayed == item.answer
        times = [c.at_s for c in item.changes]
        assert times == sorted(times)
        if item.first_answer_s is not None:
            assert all(t >= item.first_answer_s for t in times)


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 5000), st.integers(0, 5000), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_bounds_contain_the_estimate(a: int, b: int, confidence: float) -> None:
    k, n = min(a, b), max(a, b)
    interval = wilson(k, n, confidence)
    assert 0.0 <= interval.low <= interval.estimate <= interval.high <= 1.0
    if n:
        assert interval.low < interval.high


def test_wilson_known_values() -> None:
    # Wilson (1927); e.g. 0 of 10 -> [0, 0.2775], 5 of 10 -> [0.2366, 0.7634] at 95 %.
    assert wilson(0, 10).high == pytest.approx(0.27753, abs=1e-4)
    five = wilson(5, 10)
    assert (five.low, five.high) == (pytest.approx(0.23659, abs=1e-4), pytest.approx(0.76341, abs=1e-4))
    assert wilson(0, 0).low == 0.0 and wilson(0, 0).high == 1.0


@pytest.mark.parametrize(
    ("df", "value"), [(1, 12.7062), (2, 4.3027), (5, 2.5706), (10, 2.2281), (30, 2.0423), (120, 1.9799)]
)
def test_student_t_quantiles_match_the_tables(df: int, value: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(value, abs=1e-3)


def test_ols_slope_matches_a_hand_computation() -> None:
    xs, ys = [0, 1, 2, 3, 4], [1.0, 0.8, 0.9, 0.5, 0.4]
    m = Moments()
    for x, y in zip(xs, ys, strict=True):
        m = m.add(x, y)
    slope = ols_slope(m)
    mx, my = sum(xs) / 5, sum(ys) / 5
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    resid = [y - (my + b * (x - mx)) for x, y in zip(xs, ys, strict=True)]
    se = math.sqrt(sum(r * r for r in resid) / 3 / sum((x - mx) ** 2 for x in xs))
    assert slope.estimate == pytest.approx(b)
    assert slope.low == pytest.approx(b - 3.18245 * se, abs=1e-4) and slope.high == pytest.approx(
        b + 3.18245 * se, abs=1e-4
    )
    assert ols_slope(Moments().add(0, 1).add(1, 0)).low is None  # two points: a slope, no interval

"""``fatigue``: accuracy and time per item by block position across a day, and first vs second half of a block.

Across a day: one point per block (its position in the day, its accuracy or mean time per item) and
the least-squares slope with its 95 % interval (Student's t, n - 2 df). Within a block: items of the
first half (x = 0) against the second (x = 1); the slope is then the difference of the halves' means.
The pattern is flagged only when the accuracy slope's interval lies wholly below zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.analysis.intervals import Moments, Slope, ols_slope
from app.core.analysis.tally import BlockTally, ItemTally


@dataclass(frozen=True)
class FatiguePoint:
    """One block of a day."""

    day_id: int
    position: int
    n: int
    accuracy: float
    mean_time_s: float


@dataclass(frozen=True)
class Trend:
    """Accuracy and time per item against a position, with the flag."""

    accuracy: Slope
    time: Slope

    @property
    def flagged(self) -> bool:
        """Accuracy falls, and the interval excludes zero."""
        return self.accuracy.excludes_zero and (self.accuracy.high or 0.0) < 0


@dataclass(frozen=True)
class Fatigue:
    """Across a day's block positions, and within blocks."""

    across_day: Trend | None
    points: tuple[FatiguePoint, ...]
    within_block: Trend | None

    def by_position(self) -> tuple[FatiguePoint, ...]:
        """The days' blocks pooled by their position in the day (``day_id`` 0): one point per position."""
        pooled: dict[int, tuple[int, float, float]] = {}
        for p in self.points:
            n, correct, seconds = pooled.get(p.position, (0, 0.0, 0.0))
            pooled[p.position] = (n + p.n, correct + p.accuracy * p.n, seconds + p.mean_time_s * p.n)
        return tuple(
            FatiguePoint(0, position, n, correct / n, seconds / n)
            for position, (n, correct, seconds) in sorted(pooled.items())
            if n
        )

    @property
    def flagged(self) -> bool:
        """Either trend shows falling accuracy beyond chance."""
        return any(t is not None and t.flagged for t in (self.across_day, self.within_block))


def fatigue(blocks: Sequence[BlockTally], items: Sequence[ItemTally], confidence: float = 0.95) -> Fatigue:
    """Fatigue over the day blocks among ``blocks`` and the halves of every block in ``items``."""
    points = tuple(
        FatiguePoint(b.day_id, b.day_index, b.n, b.correct / b.n, b.seconds / b.n)
        for b in sorted(blocks, key=lambda b: (b.day_id or 0, b.day_index or 0))
        if b.day_id is not None and b.day_index is not None and b.n
    )
    across = None
    if points:
        xs = [float(p.position) for p in points]
        sx, sxx = sum(xs), sum(x * x for x in xs)
        accuracy = Moments(
            len(points),
            sx,
            sum(p.accuracy for p in points),
            sxx,
            sum(x * p.accuracy for x, p in zip(xs, points, strict=True)),
            sum(p.accuracy * p.accuracy for p in points),
        )
        time = Moments(
            len(points),
            sx,
            sum(p.mean_time_s for p in points),
            sxx,
            sum(x * p.mean_time_s for x, p in zip(xs, points, strict=True)),
            sum(p.mean_time_s * p.mean_time_s for p in points),
        )
        across = Trend(ols_slope(accuracy, confidence), ols_slope(time, confidence))
    within = None
    n = sum(t.n for t in items)
    if n:
        second = [t for t in items if t.half == 1]
        n1 = sum(t.n for t in second)
        correct = sum(t.correct for t in items)
        correct1 = sum(t.correct for t in second)
        seconds = sum(t.seconds for t in items)
        accuracy_m = Moments(n, n1, correct, n1, correct1, correct)
        time_m = Moments(n, n1, seconds, n1, sum(t.seconds for t in second), sum(t.seconds_sq for t in items))
        within = Trend(ols_slope(accuracy_m, confidence), ols_slope(time_m, confidence))
    return Fatigue(across, points, within)

"""Pace: P = time limit / item count, and the pacing curve beside the ideal line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.analysis.facts import BlockFacts


@dataclass(frozen=True)
class PacingCurve:
    """Cumulative items answered against block time, and the ideal line at pace P."""

    session_id: int
    pace_s: float | None
    time_limit_s: float | None
    item_count: int
    actual: tuple[tuple[float, int], ...]
    """(block time of a first answer, items answered so far), starting at (0, 0)."""
    ideal: tuple[tuple[float, int], ...]
    """(0, 0) to (time limit, item count): one item every P seconds; empty when untimed."""


def pacing_curve(block: BlockFacts) -> PacingCurve:
    """The block's pacing curve (first answers, in time order)."""
    times = sorted(item.first_answer_s for item in block.items if item.first_answer_s is not None)
    actual = ((0.0, 0), *((t, i + 1) for i, t in enumerate(times)))
    ideal: tuple[tuple[float, int], ...] = ()
    if block.time_limit_s is not None:
        ideal = ((0.0, 0), (block.time_limit_s, block.item_count))
    return PacingCurve(block.session_id, block.pace_s, block.time_limit_s, block.item_count, actual, ideal)


def overall_pace(blocks: Sequence[tuple[float | None, int]]) -> float | None:
    """P over several blocks given as (time limit, item count): limits summed over items (P itself for one)."""
    timed = [(limit, count) for limit, count in blocks if limit is not None and count]
    if not timed:
        return None
    return sum(limit for limit, _ in timed) / sum(count for _, count in timed)

"""Trend over time: accuracy and pace per ISO week."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from app.core.analysis.intervals import wilson
from app.core.analysis.tally import BlockTally


@dataclass(frozen=True)
class WeekStat:
    """One ISO week of sittings."""

    week: str
    """ISO week, e.g. ``2026-W48``."""
    blocks: int
    n: int
    correct: int
    accuracy: float
    ci_low: float
    ci_high: float
    mean_time_s: float
    """Mean time on item."""
    pace_s: float | None
    """Mean P of the week's timed blocks (time limit / items)."""


def iso_week(created_at: str) -> str:
    """The ISO week of a stored UTC timestamp (``YYYY-MM-DD...``)."""
    return _week_of_day(created_at[:10])


@lru_cache(maxsize=4096)
def _week_of_day(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def weekly(blocks: Sequence[BlockTally], confidence: float = 0.95) -> tuple[WeekStat, ...]:
    """Accuracy and time per item for each week that has scored items."""
    weeks: dict[str, list[BlockTally]] = {}
    for block in blocks:
        if block.n and block.created_at:
            weeks.setdefault(iso_week(block.created_at), []).append(block)
    out = []
    for week in sorted(weeks):
        group = weeks[week]
        n = sum(b.n for b in group)
        correct = sum(b.correct for b in group)
        interval = wilson(correct, n, confidence)
        timed = [b for b in group if b.time_limit_s is not None]
        items_timed = sum(b.n for b in timed)
        pace = sum(b.time_limit_s or 0.0 for b in timed) / items_timed if items_timed else None
        out.append(
            WeekStat(
                week=week,
                blocks=len(group),
                n=n,
                correct=correct,
                accuracy=interval.estimate,
                ci_low=interval.low,
                ci_high=interval.high,
                mean_time_s=sum(b.seconds for b in group) / n,
                pace_s=pace,
            )
        )
    return tuple(out)

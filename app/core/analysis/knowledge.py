"""``knowledge-gap``: a miss with adequate time and no other explanation, or any miss in a credibly weak category."""

from __future__ import annotations

from app.core.analysis.facts import ItemFacts
from app.core.analysis.intervals import Proportion
from app.core.analysis.thresholds import AnalysisSettings


def is_plain_knowledge_gap(
    item: ItemFacts, pace_s: float | None, other_patterns: int, settings: AnalysisSettings
) -> bool:
    """Answered wrong with at least 0.33 P on the item (any time, untimed) and no other pattern."""
    if not item.answered or not item.missed or other_patterns:
        return False
    return pace_s is None or item.time_on_item_s >= settings.knowledge_gap_min_pace_fraction * pace_s


def credibly_low(proportion: Proportion, settings: AnalysisSettings) -> bool:
    """The upper end of the Wilson interval lies below the pass line."""
    return proportion.n > 0 and proportion.high < settings.pass_line

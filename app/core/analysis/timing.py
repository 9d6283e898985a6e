"""Timing patterns: rushed, end-of-block-rush, time-sink."""

from __future__ import annotations

from app.core.analysis.facts import BlockFacts, ItemFacts
from app.core.analysis.thresholds import AnalysisSettings


def is_rushed(item: ItemFacts, pace_s: float | None, settings: AnalysisSettings) -> bool:
    """``rushed``: answered wrong in less than 0.33 P."""
    if pace_s is None or not item.answered or not item.missed:
        return False
    return item.time_on_item_s < settings.rushed_below_pace_fraction * pace_s


def is_time_sink(item: ItemFacts, pace_s: float | None, settings: AnalysisSettings) -> bool:
    """``time-sink``: more than 2 P on the item, right or wrong."""
    if pace_s is None:
        return False
    return item.time_on_item_s > settings.time_sink_above_pace_multiple * pace_s


def late_positions(block: BlockFacts, settings: AnalysisSettings) -> frozenset[int]:
    """Items first answered in the last 10 % of the block's time limit."""
    if block.time_limit_s is None:
        return frozenset()
    start = (1 - settings.end_rush_last_fraction_of_limit) * block.time_limit_s
    return frozenset(
        i.position for i in block.items if i.first_answer_s is not None and i.first_answer_s >= start and i.scored
    )


def end_of_block_rush(block: BlockFacts, settings: AnalysisSettings) -> frozenset[int]:
    """``end-of-block-rush``: the late items, when the block's accuracy on them is below that on the others."""
    late = late_positions(block, settings)
    others = [i for i in block.items if i.scored and i.position not in late]
    if not late or not others:
        return frozenset()
    late_items = [i for i in block.items if i.position in late]
    late_accuracy = sum(i.correct is True for i in late_items) / len(late_items)
    other_accuracy = sum(i.correct is True for i in others) / len(others)
    return late if late_accuracy < other_accuracy else frozenset()

"""The item patterns of one block, as flag bits (the families live in timing, changes, keywords, knowledge)."""

from __future__ import annotations

from collections.abc import Mapping

from app.core.analysis.changes import item_change_pattern
from app.core.analysis.facts import BlockFacts, QuestionMeta
from app.core.analysis.keywords import is_missed_keyword
from app.core.analysis.knowledge import is_plain_knowledge_gap
from app.core.analysis.thresholds import PATTERNS, AnalysisSettings, bit
from app.core.analysis.timing import end_of_block_rush, is_rushed, is_time_sink


def block_flags(
    block: BlockFacts, questions: Mapping[int, QuestionMeta], settings: AnalysisSettings
) -> tuple[int, ...]:
    """Per position, the bits of the patterns the item shows within its own block.

    The category half of ``knowledge-gap`` depends on the whole analysed history and is added later.
    """
    pace = block.pace_s
    late = end_of_block_rush(block, settings)
    flags = []
    for item in block.items:
        if not item.scored:
            flags.append(0)
            continue
        value = 0
        if not item.answered:
            value |= bit("unanswered")
        if is_rushed(item, pace, settings):
            value |= bit("rushed")
        if item.position in late:
            value |= bit("end-of-block-rush")
        if is_time_sink(item, pace, settings):
            value |= bit("time-sink")
        change = item_change_pattern(item)
        if change is not None:
            value |= bit(change)
        question = questions.get(item.question_key) if item.question_key is not None else None
        if is_missed_keyword(item, question, pace, settings):
            value |= bit("missed-keyword")
        if is_plain_knowledge_gap(item, pace, value & ~bit("changed-wrong-to-right"), settings):
            value |= bit("knowledge-gap")
        flags.append(value)
    return tuple(flags)


def pattern_ids(flags: int) -> tuple[str, ...]:
    """The ids of the bits set, in reporting order."""
    return tuple(p for i, p in enumerate(PATTERNS) if flags >> i & 1)

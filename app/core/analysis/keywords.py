"""``missed-keyword``: a wrong answer given quickly without highlighting any decisive word."""

from __future__ import annotations

import re
from functools import lru_cache

from app.core.analysis.facts import ItemFacts, QuestionMeta
from app.core.analysis.thresholds import AnalysisSettings, Qualifiers


def lead_in_qualifiers(lead_in: str | None, qualifiers: Qualifiers) -> tuple[str, ...]:
    """The qualifiers (EXCEPT, NOT, LEAST, first, initial, next, most appropriate) found in a lead-in."""
    if not lead_in:
        return ()
    return _qualifiers_in(lead_in, qualifiers.case_sensitive, qualifiers.case_insensitive)


@lru_cache(maxsize=4096)
def _qualifiers_in(lead_in: str, exact: tuple[str, ...], any_case: tuple[str, ...]) -> tuple[str, ...]:
    found = [w for w in exact if re.search(rf"\b{re.escape(w)}\b", lead_in)]
    found += [w for w in any_case if re.search(rf"\b{re.escape(w)}\b", lead_in, re.IGNORECASE)]
    return tuple(found)


def decisive_spans(
    question: QuestionMeta, qualifiers: Qualifiers
) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    """Each decisive word with its character spans in the stem (the only highlightable text).

    The item's ``keywords`` when it has them, else its lead-in's qualifiers: those live in the
    lead-in, which cannot be highlighted, so unless the word also occurs in the stem it has no span
    and can never count as highlighted.
    """
    return _spans(question.stem, question.keywords or lead_in_qualifiers(question.lead_in, qualifiers))


@lru_cache(maxsize=4096)
def _spans(stem: str, words: tuple[str, ...]) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    out = []
    for word in words:
        spans = []
        start = stem.find(word) if word else -1
        while start >= 0:
            spans.append((start, start + len(word)))
            start = stem.find(word, start + len(word))
        out.append((word, tuple(spans)))
    return tuple(out)


def highlighted_any(item: ItemFacts, question: QuestionMeta, qualifiers: Qualifiers) -> bool | None:
    """Whether a highlight overlaps a decisive word; None when the item has no decisive words."""
    spans = decisive_spans(question, qualifiers)
    if not spans:
        return None
    return any(
        start < end_h and start_h < end
        for _, ranges in spans
        for start, end in ranges
        for start_h, end_h in item.highlights
    )


def is_missed_keyword(
    item: ItemFacts, question: QuestionMeta | None, pace_s: float | None, settings: AnalysisSettings
) -> bool:
    """``missed-keyword``: wrong, decisive words exist, none highlighted, and less than P on the item."""
    if question is None or pace_s is None or not item.answered or not item.missed:
        return False
    if item.time_on_item_s >= settings.missed_keyword_below_pace_fraction * pace_s:
        return False
    return highlighted_any(item, question, settings.qualifiers) is False

"""The one result object of an analysis, built from tallies, and its JSON and text forms."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.core.analysis.changes import RIGHT_TO_WRONG, WRONG_TO_RIGHT, WRONG_TO_WRONG, AnswerChanges, ChangeCounts
from app.core.analysis.facts import BlockFacts, ItemFacts, QuestionMeta
from app.core.analysis.fatigue import Fatigue, Trend, fatigue
from app.core.analysis.intervals import Proportion, Slope, wilson
from app.core.analysis.pace import PacingCurve, overall_pace, pacing_curve
from app.core.analysis.patterns import block_flags, pattern_ids
from app.core.analysis.reasons import ReasonTaxonomy
from app.core.analysis.strengths import CategoryStat, TriageEntry, categories, triage
from app.core.analysis.tally import BlockTally, ItemTally, tally_blocks
from app.core.analysis.thresholds import DIMENSIONS, FATIGUE, PATTERNS, AnalysisSettings, bit
from app.core.analysis.trend import WeekStat, weekly
from app.core.outline import UNCLASSIFIED, ContentOutline

JSON_FORMAT = "blocksim-analysis"
JSON_VERSION = 1


@dataclass(frozen=True)
class ItemAnalysis:
    """One item with its patterns and reasons."""

    facts: ItemFacts
    question_id: str | None
    pack_id: str | None
    patterns: tuple[str, ...]
    suggested_reason: str | None
    """For a missed item: the reason its patterns suggest."""
    reason: str | None
    """The user's own reason (the latest one given), which wins over the suggestion."""


@dataclass(frozen=True)
class Analysis:
    """Everything the analysis says about a session, a day or the whole history."""

    scope: str
    """``session``, ``day`` or ``all``."""
    session_ids: tuple[int, ...]
    total: Proportion
    """Correct of the scored items, with its Wilson interval."""
    answered: int
    time_on_items_s: float
    pace_s: float | None
    items: tuple[ItemAnalysis, ...]
    pacing: tuple[PacingCurve, ...]
    categories: tuple[CategoryStat, ...]
    triage: tuple[TriageEntry, ...]
    patterns_summary: tuple[tuple[str, int], ...]
    answer_changes: AnswerChanges
    fatigue: Fatigue
    trend: tuple[WeekStat, ...]
    messages: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing scored."""
        return self.total.n == 0

    def pattern_count(self, pattern: str) -> int:
        """Items showing ``pattern``."""
        return dict(self.patterns_summary).get(pattern, 0)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON object (documented in docs/analytics.md)."""
        return _to_dict(self)

    def to_json(self) -> str:
        """Pretty JSON."""
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def to_text(self) -> str:
        """A readable summary of the same figures."""
        return _to_text(self)


def low_categories(stats: Sequence[CategoryStat], settings: AnalysisSettings) -> frozenset[tuple[str, str]]:
    """(kind, name) of the categories whose accuracy is credibly below the pass line (knowledge-gap's rule)."""
    return frozenset((s.kind, s.name) for s in stats if s.credibly_low and s.kind in settings.knowledge_gap_dimensions)


def _in_low(question: QuestionMeta | None, low: frozenset[tuple[str, str]]) -> bool:
    if question is None or not low:
        return False
    return any((d, question.category(d) or UNCLASSIFIED) in low for d in DIMENSIONS)


def summarise(
    item_tallies: Sequence[ItemTally],
    block_tallies: Sequence[BlockTally],
    questions: Mapping[int, QuestionMeta],
    settings: AnalysisSettings,
    outline: ContentOutline,
    *,
    scope: str,
    items: tuple[ItemAnalysis, ...] = (),
    pacing: tuple[PacingCurve, ...] = (),
    messages: tuple[str, ...] = (),
) -> Analysis:
    """An analysis from tallies (the pure and the fast path both end here)."""
    # Sum per question first: categories, and knowledge-gap's category rule, are per question.
    per_question: dict[int | None, list[int]] = {}
    per_flags: dict[int, int] = {}
    changes = ChangeCounts()
    plain_gap = bit("knowledge-gap")
    for tally in item_tallies:
        sums = per_question.setdefault(tally.question_key, [0, 0, 0])
        sums[0] += tally.n
        sums[1] += tally.correct
        if tally.flags & plain_gap:
            sums[2] += tally.n
        per_flags[tally.flags] = per_flags.get(tally.flags, 0) + tally.n
        changes += ChangeCounts(tally.wrong_to_right, tally.right_to_wrong, tally.wrong_to_wrong)
    question_tallies = [
        ItemTally(key, 0, 0, n, correct, 0, 0.0, 0.0, 0, 0, 0) for key, (n, correct, _) in per_question.items()
    ]
    stats = categories(question_tallies, questions, settings, outline)
    low = low_categories(stats, settings)
    counts = dict.fromkeys(PATTERNS, 0)
    for flags, n in per_flags.items():
        for pattern in PATTERNS:
            if pattern != "knowledge-gap" and flags & bit(pattern):
                counts[pattern] += n
    for key, (n, correct, gaps) in per_question.items():
        question = questions.get(key) if key is not None else None
        counts["knowledge-gap"] += n - correct if _in_low(question, low) else gaps
    answer_changes = AnswerChanges(
        items_changed=sum(counts[p] for p in (RIGHT_TO_WRONG, WRONG_TO_RIGHT, WRONG_TO_WRONG)),
        items_right_to_wrong=counts["changed-right-to-wrong"],
        items_wrong_to_right=counts["changed-wrong-to-right"],
        items_wrong_to_wrong=counts["changed-wrong-to-wrong"],
        changes=changes,
        published=settings.published_change_rates,
    )
    n = sum(b.n for b in block_tallies)
    correct = sum(b.correct for b in block_tallies)
    return Analysis(
        scope=scope,
        session_ids=tuple(b.session_id for b in block_tallies),
        total=wilson(correct, n, settings.confidence),
        answered=sum(b.answered for b in block_tallies),
        time_on_items_s=sum(b.seconds for b in block_tallies),
        pace_s=overall_pace([(b.time_limit_s, b.item_count) for b in block_tallies]),
        items=items,
        pacing=pacing,
        categories=stats,
        triage=triage(stats, settings, outline),
        patterns_summary=tuple(counts.items()),
        answer_changes=answer_changes,
        fatigue=fatigue(block_tallies, item_tallies, settings.confidence),
        trend=weekly(block_tallies, settings.confidence),
        messages=messages,
    )


def analyse(
    blocks: Sequence[BlockFacts],
    questions: Mapping[int, QuestionMeta],
    settings: AnalysisSettings,
    taxonomy: ReasonTaxonomy,
    outline: ContentOutline,
    *,
    scope: str,
    reasons: Mapping[tuple[int, int], str] | None = None,
    first_right: Mapping[int, int] | None = None,
    include_items: bool = True,
    messages: tuple[str, ...] = (),
) -> Analysis:
    """The analysis of replayed sittings (the definition; the fast path must agree with it).

    ``reasons``: the user's own reason per (session id, 0-based position); ``first_right``: per
    question key, the id of the first block that answered it right (a knowledge gap on a question
    answered right in an earlier block suggests "forgot").
    """
    flags = [block_flags(block, questions, settings) for block in blocks]
    item_tallies, block_tallies = tally_blocks(blocks, flags)
    base = summarise(
        item_tallies,
        block_tallies,
        questions,
        settings,
        outline,
        scope=scope,
        messages=messages,
    )
    if not include_items:
        return base
    low = low_categories(base.categories, settings)
    given = reasons or {}
    right_first = first_right or {}
    items = []
    for block, block_flag in zip(blocks, flags, strict=True):
        for item, item_flags in zip(block.items, block_flag, strict=True):
            question = questions.get(item.question_key) if item.question_key is not None else None
            value = item_flags
            if item.missed and _in_low(question, low):
                value |= bit("knowledge-gap")
            patterns = pattern_ids(value)
            suggested = None
            if item.missed:
                first = right_first.get(item.question_key) if item.question_key is not None else None
                suggested = taxonomy.suggest(patterns, right_before=first is not None and first < item.session_id)
            items.append(
                ItemAnalysis(
                    facts=item,
                    question_id=question.question_id if question else None,
                    pack_id=question.pack_id if question else None,
                    patterns=patterns,
                    suggested_reason=suggested,
                    reason=given.get((item.session_id, item.position)),
                )
            )
    return replace(base, items=tuple(items), pacing=tuple(pacing_curve(b) for b in blocks))


# -- serialisation -------------------------------------------------------------------------
def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _slope(slope: Slope) -> dict[str, Any]:
    return {
        "slope": _r(slope.estimate, 6),
        "ci_low": _r(slope.low, 6),
        "ci_high": _r(slope.high, 6),
        "n": slope.n,
        "excludes_zero": slope.excludes_zero,
    }


def _trend(trend: Trend | None) -> dict[str, Any] | None:
    if trend is None:
        return None
    return {"accuracy": _slope(trend.accuracy), "time_s": _slope(trend.time), "flagged": trend.flagged}


def _item(item: ItemAnalysis) -> dict[str, Any]:
    f = item.facts
    return {
        "session_id": f.session_id,
        "position": f.position + 1,
        "question_id": item.question_id,
        "pack_id": item.pack_id,
        "correct": f.correct,
        "answer": f.answer,
        "correct_answer": f.correct_answer,
        "time_on_item_s": _r(f.time_on_item_s),
        "visits": f.visits,
        "first_answer_s": _r(f.first_answer_s),
        "changes": [[c.before, c.after] for c in f.changes],
        "change_times_s": [_r(c.at_s) for c in f.changes],
        "marked": f.marked,
        "struck": list(f.struck),
        "highlights": [list(h) for h in f.highlights],
        "note": f.note,
        "day_block": None if f.day_index is None else f.day_index + 1,
        "day_clock_s": _r(f.day_clock_s),
        "patterns": list(item.patterns),
        "suggested_reason": item.suggested_reason,
        "reason": item.reason,
    }


def _to_dict(a: Analysis) -> dict[str, Any]:
    ch = a.answer_changes
    rates = {
        "wrong_to_right": _r(ch.rate(ch.changes.wrong_to_right), 4),
        "right_to_wrong": _r(ch.rate(ch.changes.right_to_wrong), 4),
        "wrong_to_wrong": _r(ch.rate(ch.changes.wrong_to_wrong), 4),
    }
    return {
        "format": JSON_FORMAT,
        "format_version": JSON_VERSION,
        "scope": a.scope,
        "session_ids": list(a.session_ids),
        "messages": list(a.messages),
        "n": a.total.n,
        "correct": a.total.k,
        "answered": a.answered,
        "accuracy": _r(a.total.estimate, 4),
        "ci_low": _r(a.total.low, 4),
        "ci_high": _r(a.total.high, 4),
        "time_on_items_s": _r(a.time_on_items_s),
        "pace_s": _r(a.pace_s),
        "items": [_item(i) for i in a.items],
        "pacing": [
            {
                "session_id": p.session_id,
                "pace_s": _r(p.pace_s),
                "time_limit_s": _r(p.time_limit_s),
                "item_count": p.item_count,
                "actual": [[_r(t), k] for t, k in p.actual],
                "ideal": [[_r(t), k] for t, k in p.ideal],
            }
            for p in a.pacing
        ],
        "categories": [
            {
                "kind": c.kind,
                "name": c.name,
                "label": c.label,
                "n": c.n,
                "correct": c.correct,
                "accuracy": _r(c.accuracy, 4),
                "ci_low": _r(c.ci_low, 4),
                "ci_high": _r(c.ci_high, 4),
                "credibly_low": c.credibly_low,
            }
            for c in a.categories
        ],
        "triage": [
            {
                "kind": t.kind,
                "name": t.name,
                "label": t.label,
                "n": t.n,
                "accuracy": _r(t.accuracy, 4),
                "weight": _r(t.weight, 4),
                "gap": _r(t.gap, 4),
                "score": _r(t.score, 5),
            }
            for t in a.triage
        ],
        "patterns_summary": dict(a.patterns_summary),
        "answer_changes": {
            "items_changed": ch.items_changed,
            "changed-right-to-wrong": ch.items_right_to_wrong,
            "changed-wrong-to-right": ch.items_wrong_to_right,
            "changed-wrong-to-wrong": ch.items_wrong_to_wrong,
            "changes": {
                "total": ch.changes.total,
                "wrong_to_right": ch.changes.wrong_to_right,
                "right_to_wrong": ch.changes.right_to_wrong,
                "wrong_to_wrong": ch.changes.wrong_to_wrong,
            },
            "net_gain": ch.net_gain,
            "rates": rates,
            "published_rates": {
                "wrong_to_right": ch.published.wrong_to_right,
                "right_to_wrong": ch.published.right_to_wrong,
                "wrong_to_wrong": ch.published.wrong_to_wrong,
                "source": ch.published.source,
            },
        },
        "fatigue": {
            "pattern": FATIGUE,
            "flagged": a.fatigue.flagged,
            "across_day": _trend(a.fatigue.across_day),
            "points": [
                {
                    "day_id": p.day_id,
                    "block": p.position + 1,
                    "n": p.n,
                    "accuracy": _r(p.accuracy, 4),
                    "mean_time_s": _r(p.mean_time_s),
                }
                for p in a.fatigue.points
            ],
            "within_block": _trend(a.fatigue.within_block),
        },
        "trend": [
            {
                "week": w.week,
                "blocks": w.blocks,
                "n": w.n,
                "correct": w.correct,
                "accuracy": _r(w.accuracy, 4),
                "ci_low": _r(w.ci_low, 4),
                "ci_high": _r(w.ci_high, 4),
                "mean_time_s": _r(w.mean_time_s),
                "pace_s": _r(w.pace_s),
            }
            for w in a.trend
        ],
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _to_text(a: Analysis) -> str:
    lines = [f"Analysis of {a.scope} ({len(a.session_ids)} block(s))"]
    lines += [f"  {m}" for m in a.messages]
    if a.empty:
        lines.append("  Nothing to analyse: no scored items.")
        return "\n".join(lines) + "\n"
    lines.append(
        f"Score: {a.total.k}/{a.total.n} = {_pct(a.total.estimate)} (95% CI {_pct(a.total.low)}-{_pct(a.total.high)}), "
        f"{a.total.n - a.answered} unanswered"
    )
    mean = a.time_on_items_s / a.total.n
    pace = f"{a.pace_s:.0f} s" if a.pace_s is not None else "untimed"
    lines.append(f"Pace: P = {pace}; mean time on item {mean:.0f} s")
    found = [(p, c) for p, c in a.patterns_summary if c]
    lines.append("Patterns: " + (", ".join(f"{p} {c}" for p, c in found) if found else "none"))
    ch = a.answer_changes
    if ch.changes.total:
        lines.append(
            f"Answer changes: {ch.changes.total} ({ch.changes.wrong_to_right} wrong->right, "
            f"{ch.changes.right_to_wrong} right->wrong, {ch.changes.wrong_to_wrong} wrong->wrong); "
            f"published: about {_pct(ch.published.wrong_to_right)} wrong->right, "
            f"{_pct(ch.published.right_to_wrong)} right->wrong"
        )
    if a.fatigue.across_day is not None and a.fatigue.across_day.accuracy.estimate is not None:
        s = a.fatigue.across_day.accuracy
        interval = "" if s.low is None else f" (95% CI {100 * s.low:+.1f} to {100 * (s.high or 0):+.1f})"
        lines.append(f"Across the day: accuracy {100 * (s.estimate or 0):+.1f} points per block{interval}")
    if a.fatigue.within_block is not None and a.fatigue.within_block.accuracy.estimate is not None:
        s = a.fatigue.within_block.accuracy
        lines.append(f"Second half vs first half of blocks: accuracy {100 * (s.estimate or 0):+.1f} points")
    lines.append("Fatigue: flagged" if a.fatigue.flagged else "Fatigue: not flagged")
    if a.triage:
        lines.append("Where the next points are:")
        lines += [f"  {t.label} ({t.kind}): {_pct(t.accuracy)} of {t.n}, weight {_pct(t.weight)}" for t in a.triage[:5]]
    weak = [c for c in a.categories if c.credibly_low]
    if weak:
        lines.append("Credibly below the pass line: " + ", ".join(f"{c.label} ({c.kind})" for c in weak))
    missed = [i for i in a.items if i.facts.missed]
    if missed:
        lines.append("Missed items:")
        for item in missed:
            f = item.facts
            reason = item.reason or item.suggested_reason
            source = "your reason" if item.reason else "suggested"
            lines.append(
                f"  session {f.session_id} #{f.position + 1} {item.question_id or '?'}: answer {f.answer or '-'}, "
                f"key {f.correct_answer}, {f.time_on_item_s:.0f} s, {', '.join(item.patterns) or 'no pattern'}; "
                f"{source}: {reason}"
            )
    if len(a.trend) > 1:
        lines.append("By week: " + ", ".join(f"{w.week} {_pct(w.accuracy)} ({w.n})" for w in a.trend))
    return "\n".join(lines) + "\n"

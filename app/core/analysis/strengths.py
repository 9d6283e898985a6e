"""Strengths and weaknesses: accuracy by category with Wilson intervals, and where the next points are."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.analysis.facts import QuestionMeta
from app.core.analysis.intervals import wilson
from app.core.analysis.knowledge import credibly_low
from app.core.analysis.tally import ItemTally
from app.core.analysis.thresholds import DIMENSIONS, AnalysisSettings
from app.core.outline import UNCLASSIFIED, ContentOutline


@dataclass(frozen=True)
class CategoryStat:
    """Accuracy in one category of one dimension."""

    kind: str
    name: str
    label: str
    n: int
    correct: int
    accuracy: float
    ci_low: float
    ci_high: float
    credibly_low: bool


@dataclass(frozen=True)
class TriageEntry:
    """A weak category ranked by outline weight x distance below the target."""

    kind: str
    name: str
    label: str
    n: int
    accuracy: float
    weight: float
    """The category's share of an exam form (midpoint of the published range, as a fraction)."""
    gap: float
    """Target accuracy minus accuracy."""
    score: float


def categories(
    tallies: Sequence[ItemTally],
    questions: Mapping[int, QuestionMeta],
    settings: AnalysisSettings,
    outline: ContentOutline,
) -> tuple[CategoryStat, ...]:
    """Accuracy per discipline, system, physician task and topic (questions no longer stored are left out)."""
    counts: dict[tuple[str, str], list[int]] = {}
    for tally in tallies:
        question = questions.get(tally.question_key) if tally.question_key is not None else None
        if question is None:
            continue
        for dimension in DIMENSIONS:
            name = question.category(dimension) or UNCLASSIFIED
            pair = counts.setdefault((dimension, name), [0, 0])
            pair[0] += tally.n
            pair[1] += tally.correct
    out = []
    ordered = sorted(counts.items(), key=lambda kv: (DIMENSIONS.index(kv[0][0]), kv[0][1]))
    for (dimension, name), (n, correct) in ordered:
        interval = wilson(correct, n, settings.confidence)
        label = name if dimension == "topic" else outline.name_of(dimension, None if name == UNCLASSIFIED else name)
        out.append(
            CategoryStat(
                kind=dimension,
                name=name,
                label=label,
                n=n,
                correct=correct,
                accuracy=interval.estimate,
                ci_low=interval.low,
                ci_high=interval.high,
                credibly_low=credibly_low(interval, settings),
            )
        )
    return tuple(out)


def triage(
    stats: Sequence[CategoryStat], settings: AnalysisSettings, outline: ContentOutline
) -> tuple[TriageEntry, ...]:
    """Weak categories with an outline weight, by weight x (target - accuracy), largest first."""
    entries = []
    for stat in stats:
        if stat.kind == "topic" or stat.n < settings.triage_min_items or stat.accuracy >= settings.target_accuracy:
            continue
        weight = next((c.midpoint / 100 for c in outline.dimension(stat.kind) if c.slug == stat.name), None)
        if weight is None:
            continue
        gap = settings.target_accuracy - stat.accuracy
        entries.append(TriageEntry(stat.kind, stat.name, stat.label, stat.n, stat.accuracy, weight, gap, weight * gap))
    return tuple(sorted(entries, key=lambda e: (-e.score, e.kind, e.name)))

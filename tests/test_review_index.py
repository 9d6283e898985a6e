"""The review list's index filters and sorts exactly as the per-item definition does. No Qt."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import date, timedelta

from app.core.analysis.facts import ItemFacts
from app.core.analysis.result import ItemAnalysis
from app.services.dashboard import DashboardQuery
from app.services.item_review import ReviewItem, ReviewItems
from app.services.review_index import ANY, COLUMNS, NO_REASON, ReviewCriteria, ReviewIndex, accepts, sort_key


def history(count: int, seed: int = 3) -> ReviewItems:
    """Items over three weeks: answers right, wrong or blank, marked, patterns, reasons, two packs."""
    rng = random.Random(seed)
    items = []
    for n in range(count):
        answer = rng.choice(["A", "B", None])
        facts = ItemFacts(
            n // 10 + 1, n % 10, rng.randrange(1, 50), "A", answer, rng.uniform(5, 300), 1, 0.0, 10.0, answer,
            (), rng.random() < 0.2, (), (), "",
        )  # fmt: skip
        missed = answer != "A"
        patterns = tuple(rng.sample(["rushed", "time-sink", "unanswered"], rng.randint(0, 2))) if missed else ()
        given = rng.choice([None, "misread-stem"]) if missed else None
        analysis = ItemAnalysis(
            facts, f"q{n}", rng.choice(["one", "two"]), patterns, "reasoning-error" if missed else None, given
        )
        system = rng.choice(["cardiovascular", "renal-urinary", None])
        items.append(ReviewItem(analysis, date(2026, 3, 1) + timedelta(days=n * 21 // count), "medicine", system))
    return ReviewItems(DashboardQuery(), tuple(items))


CHOICES = {
    "result": [ANY, "correct", "incorrect", "unanswered", "marked"],
    "pattern": [ANY, "rushed", "unanswered"],
    "reason": [ANY, NO_REASON, "misread-stem", "reasoning-error"],
    "system": [ANY, "cardiovascular", "unclassified"],
    "pack": [ANY, "two"],
}


def test_every_combination_of_filters_selects_what_accepts_says() -> None:
    index = ReviewIndex(history(300))
    for values in itertools.product(*CHOICES.values()):
        criteria = ReviewCriteria(**dict(zip(CHOICES, values, strict=True)))
        wanted = [r for r, item in enumerate(index.items) if accepts(item, criteria)]
        assert index.select(criteria) == wanted, criteria
    dated = ReviewCriteria(since=date(2026, 3, 5), until=date(2026, 3, 9))
    assert index.select(dated) == [r for r, item in enumerate(index.items) if accepts(item, dated)]
    assert 0 < len(index.select(dated)) < 300


def test_sorted_selections_follow_each_columns_key() -> None:
    index = ReviewIndex(history(200))
    incorrect = ReviewCriteria(result="incorrect")
    for column in range(len(COLUMNS)):
        rows = index.select(incorrect, column, descending=True)
        keys = [sort_key(index.items[r], column, index.names) for r in rows]
        assert keys == sorted(keys, reverse=True), COLUMNS[column]  # type: ignore[type-var]
        assert sorted(rows) == index.select(incorrect)


def test_a_given_reason_moves_the_item_between_reason_filters() -> None:
    index = ReviewIndex(history(100))
    row = next(r for r, i in enumerate(index.items) if i.missed and i.analysis.reason is None)
    item = index.items[row]
    assert row in index.select(ReviewCriteria(reason=NO_REASON))
    index.replace(row, replace(item, analysis=replace(item.analysis, reason="misread-stem")))
    assert row not in index.select(ReviewCriteria(reason=NO_REASON))
    assert row in index.select(ReviewCriteria(reason="misread-stem"))
    assert row not in index.select(ReviewCriteria(reason="reasoning-error"))
    reasons = [
        sort_key(index.items[r], COLUMNS.index("Reason"), index.names) for r in index.select(ReviewCriteria(), 8)
    ]
    assert reasons == sorted(reasons)  # type: ignore[type-var]

"""Answer changes: the three kinds per item, every single change, and the rates beside published ones."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.analysis.facts import ItemFacts
from app.core.analysis.thresholds import PublishedChangeRates

RIGHT_TO_WRONG = "changed-right-to-wrong"
WRONG_TO_RIGHT = "changed-wrong-to-right"
WRONG_TO_WRONG = "changed-wrong-to-wrong"


def item_change_pattern(item: ItemFacts) -> str | None:
    """The item's change pattern, if its answer was changed at least once.

    Right-to-wrong: the key was selected at some point and the final answer is not the key (cleared
    counts as not the key). Wrong-to-right: the final answer is the key after an earlier wrong one.
    Wrong-to-wrong: changed, and the key was never selected.
    """
    if not item.changes or item.correct_answer is None:
        return None
    if item.answer == item.correct_answer:
        return WRONG_TO_RIGHT
    if item.key_selected:
        return RIGHT_TO_WRONG
    return WRONG_TO_WRONG


@dataclass(frozen=True)
class ChangeCounts:
    """Every single change of an item (or many), by direction."""

    wrong_to_right: int = 0
    right_to_wrong: int = 0
    wrong_to_wrong: int = 0

    @property
    def total(self) -> int:
        """All changes."""
        return self.wrong_to_right + self.right_to_wrong + self.wrong_to_wrong

    def __add__(self, other: ChangeCounts) -> ChangeCounts:
        return ChangeCounts(
            self.wrong_to_right + other.wrong_to_right,
            self.right_to_wrong + other.right_to_wrong,
            self.wrong_to_wrong + other.wrong_to_wrong,
        )


def change_counts(item: ItemFacts) -> ChangeCounts:
    """Each change of the item classed by whether it left and reached the key."""
    key = item.correct_answer
    if key is None:
        return ChangeCounts()
    wr = sum(c.after == key for c in item.changes)
    rw = sum(c.before == key for c in item.changes)
    return ChangeCounts(wr, rw, len(item.changes) - wr - rw)


@dataclass(frozen=True)
class AnswerChanges:
    """The user's answer changes beside the published rates."""

    items_changed: int
    items_right_to_wrong: int
    items_wrong_to_right: int
    items_wrong_to_wrong: int
    changes: ChangeCounts
    published: PublishedChangeRates

    def rate(self, count: int) -> float | None:
        """Share of all single changes."""
        return count / self.changes.total if self.changes.total else None

    @property
    def net_gain(self) -> int:
        """Points won minus points lost by changing answers (per change)."""
        return self.changes.wrong_to_right - self.changes.right_to_wrong

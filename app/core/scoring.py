"""Per-item results and block scores, derived from events alone (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.events import Event, EventKind

STEM = "stem"
LEAD_IN = "lead_in"


def option_part(label: str) -> str:
    """The part name of an option's text, e.g. ``option:A``."""
    return f"option:{label}"


@dataclass(frozen=True)
class Highlight:
    """A highlighted character range of one part of the item.

    ``part`` is ``"stem"`` (logs written before highlights elsewhere existed have only stem ones),
    ``"lead_in"`` or ``"option:A"`` ... ``"option:J"``; ``start`` and ``end`` index that part's text.
    """

    start: int
    end: int
    part: str = STEM


@dataclass
class ItemState:
    """The user's work on one item, as the events left it."""

    position: int
    answer: str | None = None
    answer_changes: list[str | None] = field(default_factory=list)
    marked: bool = False
    struck: set[str] = field(default_factory=set)
    highlights: list[Highlight] = field(default_factory=list)
    note: str = ""
    submitted: bool = False
    seconds: float = 0.0
    visits: int = 0
    first_answer_elapsed: float | None = None
    # Block time of each entry of ``answer_changes`` (same length), and of the first visit.
    answer_change_times: list[float] = field(default_factory=list)
    first_shown_elapsed: float | None = None

    @property
    def answered(self) -> bool:
        """Whether an answer is selected."""
        return self.answer is not None

    @property
    def changed_count(self) -> int:
        """How many times a selected answer was replaced by another (or cleared)."""
        return max(0, len(self.answer_changes) - 1)


@dataclass(frozen=True)
class ItemResult:
    """One item scored against its key."""

    state: ItemState
    correct_answer: str

    @property
    def correct(self) -> bool:
        """Unanswered items count as wrong."""
        return self.state.answer == self.correct_answer

    @property
    def changed_from_correct(self) -> bool:
        """The item once held the right answer and ended elsewhere."""
        return not self.correct and self.correct_answer in self.state.answer_changes


@dataclass(frozen=True)
class BlockScore:
    """A block's totals."""

    total: int
    correct: int
    answered: int
    marked: int

    @property
    def percent(self) -> float:
        """Percent correct of all items (unanswered count as wrong)."""
        return 100.0 * self.correct / self.total if self.total else 0.0

    @property
    def unanswered(self) -> int:
        """Items left without an answer."""
        return self.total - self.answered

    def __add__(self, other: BlockScore) -> BlockScore:
        """The totals of two blocks together (a day's score is the sum of its blocks')."""
        return BlockScore(
            total=self.total + other.total,
            correct=self.correct + other.correct,
            answered=self.answered + other.answered,
            marked=self.marked + other.marked,
        )


def derive_items(events: Sequence[Event], item_count: int, until: float | None = None) -> list[ItemState]:
    """Replay ``events`` into the state of every item.

    Time on an item is the sum of its visits: a visit starts at ``item_shown`` and ends at the next
    ``item_shown``, ``paused`` or ``block_ended`` event, or at ``until`` (the block's elapsed time now)
    for a visit still open.
    """
    items, open_visit = replay(events, item_count)
    if until is not None and open_visit is not None:
        position, start = open_visit
        items[position].seconds += max(0.0, until - start)
    return items


def replay(events: Sequence[Event], item_count: int) -> tuple[list[ItemState], tuple[int, float] | None]:
    """Item states with closed visits counted, and the visit still open at the end as (position, start)."""
    items = [ItemState(position=i) for i in range(item_count)]
    current: int | None = None
    visit_start = 0.0
    paused = False
    for event in events:
        kind = event.kind
        pos = event.position
        if kind is EventKind.ITEM_SHOWN and pos is not None:
            if current is not None and not paused:
                items[current].seconds += max(0.0, event.elapsed - visit_start)
            current, visit_start, paused = pos, event.elapsed, False
            items[pos].visits += 1
            if items[pos].first_shown_elapsed is None:
                items[pos].first_shown_elapsed = event.elapsed
        elif kind is EventKind.PAUSED:
            if current is not None and not paused:
                items[current].seconds += max(0.0, event.elapsed - visit_start)
            paused = True
        elif kind is EventKind.RESUMED:
            visit_start, paused = event.elapsed, False
        elif kind is EventKind.BLOCK_ENDED:
            if current is not None and not paused:
                items[current].seconds += max(0.0, event.elapsed - visit_start)
            current = None
        elif pos is None or not 0 <= pos < item_count:
            continue
        else:
            _apply_item_event(items[pos], event)
    open_visit = None if current is None or paused else (current, visit_start)
    return items, open_visit


def _apply_item_event(item: ItemState, event: Event) -> None:
    kind = event.kind
    payload = event.payload
    if kind is EventKind.ANSWER_SELECTED:
        label = str(payload["label"])
        if label != item.answer:
            item.answer = label
            item.answer_changes.append(label)
            item.answer_change_times.append(event.elapsed)
            if item.first_answer_elapsed is None:
                item.first_answer_elapsed = event.elapsed
    elif kind is EventKind.ANSWER_CLEARED:
        if item.answer is not None:
            item.answer = None
            item.answer_changes.append(None)
            item.answer_change_times.append(event.elapsed)
    elif kind is EventKind.MARKED:
        item.marked = True
    elif kind is EventKind.UNMARKED:
        item.marked = False
    elif kind is EventKind.OPTION_STRUCK:
        item.struck.add(str(payload["label"]))
    elif kind is EventKind.OPTION_RESTORED:
        item.struck.discard(str(payload["label"]))
    elif kind is EventKind.HIGHLIGHT_ADDED:
        item.highlights.append(_highlight(payload))
    elif kind is EventKind.HIGHLIGHT_REMOVED:
        removed = _highlight(payload)
        if removed in item.highlights:
            item.highlights.remove(removed)
    elif kind is EventKind.HIGHLIGHTS_CLEARED:
        item.highlights.clear()
    elif kind is EventKind.NOTE_WRITTEN:
        item.note = str(payload.get("text", ""))
    elif kind is EventKind.ITEM_SUBMITTED:
        item.submitted = True


def _highlight(payload: dict[str, Any]) -> Highlight:
    return Highlight(int(payload["start"]), int(payload["end"]), str(payload.get("part", STEM)))


def score_items(states: Sequence[ItemState], keys: Sequence[str]) -> tuple[list[ItemResult], BlockScore]:
    """Score item states against the answer keys (same order)."""
    if len(states) != len(keys):
        raise ValueError("one key per item is needed")
    results = [ItemResult(state=state, correct_answer=key) for state, key in zip(states, keys, strict=True)]
    score = BlockScore(
        total=len(results),
        correct=sum(r.correct for r in results),
        answered=sum(r.state.answered for r in results),
        marked=sum(r.state.marked for r in results),
    )
    return results, score

"""Per-item facts of a sitting, derived from its events by the one replay (``app.core.scoring``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.events import Event, EventKind
from app.core.exam_day import DayEvent, DayEventKind
from app.core.scoring import ItemState, derive_items


@dataclass(frozen=True)
class QuestionMeta:
    """What the analysis needs to know about a question (its current pack version)."""

    key: int
    question_id: str
    pack_id: str
    stem: str
    lead_in: str | None = None
    keywords: tuple[str, ...] = ()
    discipline: str | None = None
    system: str | None = None
    task: str | None = None
    topic: str | None = None

    def category(self, dimension: str) -> str | None:
        """The question's value on one dimension (discipline, system, task, topic)."""
        value: str | None = getattr(self, dimension)
        return value


@dataclass(frozen=True)
class DaySlot:
    """Where a block sat in an exam day."""

    day_id: int
    index: int
    started_at_s: float
    """The day clock when the block started."""


@dataclass(frozen=True)
class SessionInput:
    """Everything stored about one sitting that its facts are derived from."""

    session_id: int
    time_limit_s: float | None
    events: tuple[Event, ...]
    question_keys: tuple[int | None, ...]
    """Per position (None: the question is no longer in the store)."""
    answer_keys: tuple[str | None, ...]
    """The correct label per position as sat (None: unknown, e.g. its pack was removed)."""
    created_at: str = ""
    status: str = "finished"
    checkpoint_s: float = 0.0
    day: DaySlot | None = None

    @property
    def item_count(self) -> int:
        """Items in the block."""
        return len(self.question_keys)


@dataclass(frozen=True)
class Change:
    """One answer change: from one selected label to another, at a block time."""

    before: str
    after: str
    at_s: float


@dataclass(frozen=True)
class ItemFacts:
    """One item of a sitting, as its events left it."""

    session_id: int
    position: int
    question_key: int | None
    correct_answer: str | None
    answer: str | None
    time_on_item_s: float
    """Sum of its visits, active time only."""
    visits: int
    first_shown_s: float | None
    first_answer_s: float | None
    first_selection: str | None
    changes: tuple[Change, ...]
    marked: bool
    struck: tuple[str, ...]
    highlights: tuple[tuple[int, int], ...]
    note: str
    day_index: int | None = None
    day_clock_s: float | None = None
    """The day clock when the item was first shown (a day's block only)."""

    @property
    def scored(self) -> bool:
        """Its answer key is known."""
        return self.correct_answer is not None

    @property
    def answered(self) -> bool:
        """An answer was selected when the block ended."""
        return self.answer is not None

    @property
    def correct(self) -> bool | None:
        """True/False, None when unanswered or its key is unknown (unanswered items score as wrong)."""
        if self.answer is None or self.correct_answer is None:
            return None
        return self.answer == self.correct_answer

    @property
    def missed(self) -> bool:
        """Scored and not correct (unanswered counts as missed)."""
        return self.scored and self.answer != self.correct_answer

    @property
    def selections(self) -> tuple[str, ...]:
        """Every label selected, in order (repeats after a clear collapsed)."""
        if self.first_selection is None:
            return ()
        return (self.first_selection, *(c.after for c in self.changes))

    @property
    def key_selected(self) -> bool:
        """The right answer was selected at some point."""
        return self.correct_answer is not None and self.correct_answer in self.selections


@dataclass(frozen=True)
class BlockFacts:
    """A sitting's facts: its items and its clock."""

    session_id: int
    time_limit_s: float | None
    used_s: float
    """Active time the block has used (its end, or its last record while unfinished)."""
    items: tuple[ItemFacts, ...]
    created_at: str = ""
    day: DaySlot | None = None

    @property
    def item_count(self) -> int:
        """Items in the block."""
        return len(self.items)

    @property
    def pace_s(self) -> float | None:
        """P: the time limit divided by the item count (None for an untimed block)."""
        if self.time_limit_s is None or not self.items:
            return None
        return self.time_limit_s / len(self.items)


def _changes(state: ItemState) -> tuple[str | None, tuple[Change, ...]]:
    first: str | None = None
    previous: str | None = None
    changes: list[Change] = []
    for label, at in zip(state.answer_changes, state.answer_change_times, strict=True):
        if label is None:
            continue
        if previous is None:
            first = label
        elif label != previous:
            changes.append(Change(previous, label, at))
        previous = label
    return first, tuple(changes)


def used_time(session: SessionInput) -> float:
    """Active block time used: the end event's time, else the last record (capped at the limit)."""
    ended = [e.elapsed for e in session.events if e.kind is EventKind.BLOCK_ENDED]
    used = ended[-1] if ended else max([session.checkpoint_s, *(e.elapsed for e in session.events)])
    if session.time_limit_s is not None:
        used = min(used, session.time_limit_s)
    return used


def derive_block(session: SessionInput) -> BlockFacts:
    """The facts of every item of one sitting."""
    used = used_time(session)
    states = derive_items(list(session.events), session.item_count, until=used)
    items = []
    for state, key, answer_key in zip(states, session.question_keys, session.answer_keys, strict=True):
        first, changes = _changes(state)
        day_clock = None
        if session.day is not None and state.first_shown_elapsed is not None:
            day_clock = session.day.started_at_s + state.first_shown_elapsed
        items.append(
            ItemFacts(
                session_id=session.session_id,
                position=state.position,
                question_key=key,
                correct_answer=answer_key,
                answer=state.answer,
                time_on_item_s=state.seconds,
                visits=state.visits,
                first_shown_s=state.first_shown_elapsed,
                first_answer_s=state.first_answer_elapsed,
                first_selection=first,
                changes=changes,
                marked=state.marked,
                struck=tuple(sorted(state.struck)),
                highlights=tuple((h.start, h.end) for h in state.highlights),
                note=state.note,
                day_index=session.day.index if session.day else None,
                day_clock_s=day_clock,
            )
        )
    return BlockFacts(
        session_id=session.session_id,
        time_limit_s=session.time_limit_s,
        used_s=used,
        items=tuple(items),
        created_at=session.created_at,
        day=session.day,
    )


def derive_blocks(sessions: Sequence[SessionInput]) -> list[BlockFacts]:
    """Facts of many sittings."""
    return [derive_block(s) for s in sessions]


def day_slots(day_id: int, day_events: Sequence[DayEvent]) -> dict[int, DaySlot]:
    """Per block session id: its position in the day and the day clock when it started (from the day's log)."""
    slots = {}
    for event in day_events:
        if event.kind is DayEventKind.BLOCK_STARTED:
            session_id = int(event.payload["session_id"])
            slots[session_id] = DaySlot(day_id, int(event.payload["index"]), event.elapsed)
    return slots

"""The timed block: its clock, its rules, and the events a user's actions become.

A :class:`Block` never stores anything itself: it turns an action into an :class:`Event`
(refusing what the rules forbid), the service appends the event to the store, and only then
does the block apply it. Time left is computed from the active time already recorded and the
injected clock, never by counting ticks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from app.core.clock import ActiveClock, Clock
from app.core.errors import ExamRuleError
from app.core.events import ITEM_ACTIONS, EndReason, Event, EventKind
from app.core.scoring import LEAD_IN, STEM, ItemState, replay

# A tick is expected every ``TICK_SECONDS`` or so while a block runs; a longer silence means the
# process was suspended or the computer slept, and that time is not charged.
DEFAULT_SLEEP_THRESHOLD = 10.0
TWO_MINUTE_WARNING = 120.0


class Mode(StrEnum):
    """How a block is sat."""

    TIMED = "timed"
    TUTOR = "tutor"


@dataclass(frozen=True)
class BlockSpec:
    """What a block is: its size, time limit (``None``: untimed) and mode."""

    item_count: int
    time_limit: float | None
    mode: Mode = Mode.TIMED

    def __post_init__(self) -> None:
        if self.item_count < 1:
            raise ValueError("a block needs at least one item")
        if self.time_limit is not None and self.time_limit <= 0:
            raise ValueError("a time limit must be positive")


# The events :meth:`Block._track_status` reads.
_STATUS_KINDS = frozenset(
    {EventKind.BLOCK_STARTED, EventKind.PAUSED, EventKind.RESUMED, EventKind.WARNING_SHOWN, EventKind.BLOCK_ENDED}
)


class Block:
    """One block in progress or finished, rebuilt from its events."""

    def __init__(
        self,
        spec: BlockSpec,
        clock: Clock,
        events: Iterable[Event] = (),
        checkpoint: float = 0.0,
        sleep_threshold: float = DEFAULT_SLEEP_THRESHOLD,
    ) -> None:
        self.spec = spec
        self.events: list[Event] = list(events)
        self._ended: EndReason | None = None
        self._paused = False
        self._started = False
        self._warned = False
        self._replayed: list[ItemState] = []
        self._open_visit: tuple[int, float] | None = None
        self._replayed_count = -1
        status_kinds = _STATUS_KINDS
        for event in self.events:
            if event.kind in status_kinds:  # most events are answers and visits: skip them cheaply
                self._track_status(event)
        recorded = max([checkpoint, *(e.elapsed for e in self.events)])
        if spec.time_limit is not None:
            recorded = min(recorded, spec.time_limit)
        # A block rebuilt from its log stands still at its last record until it is resumed:
        # time after a crash or kill, and while a resume prompt waits, is never charged.
        self._clock = ActiveClock(clock, recorded, sleep_threshold)

    # -- status ------------------------------------------------------------------------
    @property
    def started(self) -> bool:
        """Whether the block_started event exists."""
        return self._started

    @property
    def ended(self) -> bool:
        """Whether the block is closed for good."""
        return self._ended is not None

    @property
    def end_reason(self) -> EndReason | None:
        """Why it ended, if it did."""
        return self._ended

    @property
    def paused(self) -> bool:
        """Whether the block is paused (time not charged)."""
        return self._paused

    def elapsed(self) -> float:
        """Active seconds used, capped at the time limit."""
        value = self._clock.elapsed()
        limit = self.spec.time_limit
        return min(value, limit) if limit is not None else value

    def remaining(self) -> float | None:
        """Seconds left, or ``None`` for an untimed block."""
        limit = self.spec.time_limit
        if limit is None:
            return None
        return max(0.0, limit - self._clock.elapsed())

    def is_expired(self) -> bool:
        """Whether the time limit has been reached."""
        remaining = self.remaining()
        return remaining is not None and remaining <= 0.0

    def in_warning(self) -> bool:
        """Whether the two-minute warning applies."""
        remaining = self.remaining()
        return remaining is not None and 0.0 < remaining <= TWO_MINUTE_WARNING

    @property
    def warned(self) -> bool:
        """Whether the two-minute warning was shown (a ``warning_shown`` event exists)."""
        return self._warned

    def warning_due(self) -> bool:
        """Whether the two-minute warning must be shown now: once per block, never after the end.

        A block that starts, or is resumed, with two minutes or less left and has not warned yet
        warns at once; one that warned before a kill never warns again.
        """
        return self._started and not self.ended and not self._warned and not self._paused and self.in_warning()

    def left_running(self) -> bool:
        """Whether the log ends with the clock running (started, neither paused nor ended): the app was
        killed, or lost power, during the block, and ran on for up to a tick after its last checkpoint."""
        return self._started and not self.ended and not self._paused and not self._clock.running

    def charge_unrecorded(self, estimate: float) -> float:
        """Charge the block, rebuilt after a kill, ``estimate`` seconds for the time after its last
        checkpoint (bounded by the time it has left); returns what was charged."""
        if not self.left_running():
            return 0.0
        remaining = self.remaining()
        charged = estimate if remaining is None else max(0.0, min(estimate, remaining))
        self._clock.add(charged)
        return charged

    def tick(self) -> float:
        """Called every ``TICK_SECONDS`` or so by the UI; see :meth:`ActiveClock.tick`."""
        return self._clock.tick()

    @property
    def current_position(self) -> int:
        """The item shown last (0 before any)."""
        for event in reversed(self.events):
            if event.kind is EventKind.ITEM_SHOWN and event.position is not None:
                return event.position
        return 0

    def items(self) -> list[ItemState]:
        """Every item's state now (treat as read-only: the replay is cached until the next event)."""
        if self._replayed_count != len(self.events):
            self._replayed, self._open_visit = replay(self.events, self.spec.item_count)
            self._replayed_count = len(self.events)
        if self._open_visit is None or self.ended:
            return list(self._replayed)
        position, start = self._open_visit
        states = list(self._replayed)
        states[position] = replace(
            states[position], seconds=states[position].seconds + max(0.0, self.elapsed() - start)
        )
        return states

    def item(self, position: int) -> ItemState:
        """One item's state now."""
        return self.items()[position]

    # -- turning actions into events ---------------------------------------------------
    def start_event(self, payload: dict[str, Any] | None = None) -> Event:
        """The first event of a block."""
        if self._started:
            raise ExamRuleError("this block has already started")
        return self._event(EventKind.BLOCK_STARTED, None, payload or {})

    def action(self, kind: EventKind, position: int | None = None, **payload: Any) -> Event:
        """The event for a user action, or :class:`ExamRuleError` when the rules refuse it."""
        if not self._started:
            raise ExamRuleError("the block has not started")
        if self.ended:
            raise ExamRuleError("this block is closed; it can no longer be changed")
        if self.is_expired():
            raise ExamRuleError("time is up for this block; the action was not recorded")
        if self._paused and kind is not EventKind.RESUMED:
            raise ExamRuleError("the block is paused; resume it first")
        if kind in ITEM_ACTIONS or kind is EventKind.ITEM_SHOWN:
            if position is None or not 0 <= position < self.spec.item_count:
                raise ExamRuleError(f"no item at position {position}")
            self._check_item_rule(kind, position, payload)
        return self._event(kind, position, payload)

    def end_event(self, reason: EndReason) -> Event:
        """The closing event; at expiry its time is exactly the limit."""
        if self.ended:
            raise ExamRuleError("this block is already closed")
        elapsed = self.elapsed()
        if reason is EndReason.EXPIRED and self.spec.time_limit is not None:
            elapsed = self.spec.time_limit
        return Event(kind=EventKind.BLOCK_ENDED, elapsed=elapsed, payload={"reason": reason.value})

    def _check_item_rule(self, kind: EventKind, position: int, payload: dict[str, Any]) -> None:
        if kind in (EventKind.ANSWER_SELECTED, EventKind.ANSWER_CLEARED, EventKind.ITEM_SUBMITTED):
            state = self.item(position)
            if self.spec.mode is Mode.TUTOR and state.submitted:
                raise ExamRuleError("this item was submitted; its answer is final")
            if kind is EventKind.ITEM_SUBMITTED and state.answer is None:
                raise ExamRuleError("select an answer before submitting")
            if kind is EventKind.ITEM_SUBMITTED and self.spec.mode is not Mode.TUTOR:
                raise ExamRuleError("items are submitted one by one only in tutor mode")
        if kind in (EventKind.HIGHLIGHT_ADDED, EventKind.HIGHLIGHT_REMOVED):
            start, end, part = payload.get("start"), payload.get("end"), payload.get("part", STEM)
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
                raise ExamRuleError("a highlight needs a start before its end")
            if part not in (STEM, LEAD_IN) and not (isinstance(part, str) and part.startswith("option:")):
                raise ExamRuleError(f"no part {part!r} to highlight")
        if kind in (EventKind.ANSWER_SELECTED, EventKind.OPTION_STRUCK, EventKind.OPTION_RESTORED) and not isinstance(
            payload.get("label"), str
        ):
            raise ExamRuleError("an option label is needed")

    def _event(self, kind: EventKind, position: int | None, payload: dict[str, Any]) -> Event:
        return Event(kind=kind, elapsed=self.elapsed(), position=position, payload=dict(payload))

    # -- applying stored events --------------------------------------------------------
    def apply(self, event: Event) -> None:
        """Take in an event that the store has accepted."""
        self.events.append(event)
        self._track_status(event)
        self._clock.alive()
        if event.kind is EventKind.BLOCK_STARTED:
            self._clock.start()
        elif event.kind is EventKind.PAUSED:
            self._clock.stop(at=event.elapsed)
        elif event.kind is EventKind.RESUMED and self._ended is None:
            self._clock.start()
        elif event.kind is EventKind.BLOCK_ENDED:
            self._clock.stop(at=event.elapsed)
            if self.spec.time_limit is not None:
                self._clock.cap(self.spec.time_limit)

    def _track_status(self, event: Event) -> None:
        if event.kind is EventKind.BLOCK_STARTED:
            self._started = True
        elif event.kind is EventKind.PAUSED:
            self._paused = True
        elif event.kind is EventKind.RESUMED:
            self._paused = False
        elif event.kind is EventKind.WARNING_SHOWN:
            self._warned = True
        elif event.kind is EventKind.BLOCK_ENDED:
            self._ended = EndReason(str(event.payload.get("reason", EndReason.USER.value)))

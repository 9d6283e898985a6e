"""A whole exam day: one day clock, blocks with their own clocks, one pooled break allowance.

The rules (usmle.org, "Break Time"):

* The day has a fixed length: tutorial + blocks + break time (9 hours for both official formats).
* Break time is one pool for the day. Unused tutorial time and time left when a block is ended early
  go into the pool; they never lengthen another block.
* Time between blocks is break time. Going over the pool is taken from the testing time that remains:
  the last block(s) of the day are shortened by exactly the overrun.
* The day clock starts when the candidate starts the tutorial or block 1 (the "Your exam day is
  ready" screen charges nothing) and then runs through blocks, breaks and the between-block prompt;
  a closed block never reopens.
* While a block runs, the day clock and the block clock agree: a block closed at its limit (however
  late the 0:00 was noticed) has used exactly its limit, and the day stands at its start plus that.
  So the day's time always adds up: tutorial + blocks + breaks + time between blocks = day time used.
* The day's two-minute warning is stored when it is shown, so it comes exactly once per day, also
  across a kill and resume.

All of this follows from one quantity, the day time remaining, compared with the standard time of the
parts of the day not yet used. Like a block, the day stores events and derives everything from them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.atomic_file import damage_summary, set_aside, write_text_atomic
from app.core.block import DEFAULT_SLEEP_THRESHOLD, TWO_MINUTE_WARNING
from app.core.clock import ActiveClock, Clock
from app.core.errors import ExamRuleError
from app.paths import resource

MAX_DAY_BLOCKS = 16


class DayPreset(BaseModel):
    """The shape of an exam day, in minutes."""

    # defer_build: the validator is made when presets are first read (the day setup), not at start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    blocks: int = Field(ge=1, le=MAX_DAY_BLOCKS)
    block_minutes: float = Field(gt=0, le=120)
    items_per_block: int = Field(ge=1, le=40)
    tutorial_minutes: float = Field(ge=0, le=60)
    break_minutes: float = Field(ge=0, le=240)
    idle_minutes: float = Field(default=10, gt=0, le=120)
    block_items: tuple[int, ...] = ()
    """Items of each block in order, when they differ (the official days); empty: ``items_per_block`` each."""

    @model_validator(mode="after")
    def _sane(self) -> DayPreset:
        if self.items_per_block > 40:
            raise ValueError("a block holds at most 40 items")
        if self.block_items:
            if len(self.block_items) != self.blocks:
                raise ValueError(f"block_items lists {len(self.block_items)} blocks, but the day has {self.blocks}")
            if not all(1 <= n <= 40 for n in self.block_items):
                raise ValueError("each block holds 1 to 40 items")
            if max(self.block_items) != self.items_per_block:
                raise ValueError("items_per_block must be the largest entry of block_items")
        return self

    def items_in_block(self, index: int) -> int:
        """Items of block ``index`` (0-based)."""
        return self.block_items[index] if self.block_items else self.items_per_block

    @property
    def item_counts(self) -> list[int]:
        """Items of every block, in order."""
        return [self.items_in_block(i) for i in range(self.blocks)]

    def describe_items(self) -> str:
        """The blocks' item counts in words: "316 items (12 blocks of 20, 4 of 19)"."""
        counts = self.item_counts
        runs: list[tuple[int, int]] = []
        for n in sorted(set(counts), reverse=True):
            runs.append((counts.count(n), n))
        if len(runs) == 1:
            return f"{self.total_items} items ({self.blocks} × {counts[0]})"
        first, *rest = runs
        parts = [f"{first[0]} blocks of {first[1]}", *(f"{k} of {n}" for k, n in rest)]
        return f"{self.total_items} items ({', '.join(parts)})"

    @property
    def day_seconds(self) -> float:
        """Length of the whole day."""
        return 60 * (self.tutorial_minutes + self.blocks * self.block_minutes + self.break_minutes)

    @property
    def block_seconds(self) -> float:
        """Standard length of one block."""
        return 60 * self.block_minutes

    @property
    def tutorial_seconds(self) -> float:
        """Length of the optional tutorial."""
        return 60 * self.tutorial_minutes

    @property
    def total_items(self) -> int:
        """Items in the whole day."""
        return sum(self.item_counts)


class DayPresets(BaseModel):
    """The presets file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    note: str = ""
    presets: tuple[DayPreset, ...]

    def get(self, preset_id: str) -> DayPreset:
        """A preset by id."""
        for preset in self.presets:
            if preset.id == preset_id:
                return preset
        raise KeyError(preset_id)


def load_presets(path: Path) -> DayPresets:
    """Read and validate a presets file."""
    return DayPresets.model_validate(json.loads(path.read_text(encoding="utf-8")))


USER_PRESETS_FILE = "day_presets.json"


def load_user_presets(folder: Path) -> DayPresets:
    """The user's saved custom days (none when the file is missing; a damaged one is moved aside as ``.bad``)."""
    path = folder / USER_PRESETS_FILE
    try:
        return load_presets(path)
    except FileNotFoundError:
        return DayPresets(presets=())
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        set_aside(path, damage_summary(exc))
        return DayPresets(presets=())


def save_user_preset(folder: Path, preset: DayPreset) -> DayPresets:
    """Add or replace a saved custom day (atomic write) and return all saved ones."""
    current = [p for p in load_user_presets(folder).presets if p.id != preset.id]
    saved = DayPresets(note="Custom exam days saved in Blocksim.", presets=(*current, preset))
    write_text_atomic(folder / USER_PRESETS_FILE, saved.model_dump_json(indent=2))
    return saved


@cache
def official_presets() -> DayPresets:
    """The official formats shipped in ``resources/day_presets.json``."""
    return load_presets(resource("day_presets.json"))


class DayEventKind(StrEnum):
    """Events of the day's own log (block actions go to each block's log)."""

    DAY_STARTED = "day_started"
    TUTORIAL_STARTED = "tutorial_started"
    TUTORIAL_ENDED = "tutorial_ended"
    BLOCK_STARTED = "day_block_started"
    BLOCK_ENDED = "day_block_ended"
    BREAK_STARTED = "break_started"
    BREAK_ENDED = "break_ended"
    IDLE_STARTED = "idle_started"
    IDLE_ENDED = "idle_ended"
    WARNED = "day_warned"
    DAY_ENDED = "day_ended"


class Phase(StrEnum):
    """Where the day is."""

    NOT_STARTED = "not_started"
    TUTORIAL = "tutorial"
    BETWEEN = "between"
    BREAK = "break"
    BLOCK = "block"
    DONE = "done"


@dataclass(frozen=True)
class DayEvent:
    """One event of the day log; ``elapsed`` is day time in seconds."""

    kind: DayEventKind
    elapsed: float
    payload: dict[str, Any]
    seq: int = 0


@dataclass(frozen=True)
class BreakRecord:
    """A break the user took ("Take a break" until "End break")."""

    after_block: int
    seconds: float


@dataclass(frozen=True)
class DayAccount:
    """Where the day's time went; the parts add up to ``total`` (the day time used)."""

    tutorial: float
    blocks: float
    breaks: float
    between: float

    @property
    def total(self) -> float:
        """Day time used."""
        return self.tutorial + self.blocks + self.breaks + self.between


@dataclass(frozen=True)
class BlockRecord:
    """A block of the day as the day log saw it."""

    index: int
    session_id: int
    time_limit: float
    started_at: float
    used: float | None = None


class ExamDay:
    """The day's rules, rebuilt from the day log."""

    def __init__(
        self,
        preset: DayPreset,
        clock: Clock,
        events: Iterable[DayEvent] = (),
        checkpoint: float = 0.0,
        sleep_threshold: float = DEFAULT_SLEEP_THRESHOLD,
    ) -> None:
        self.preset = preset
        self.events: list[DayEvent] = []
        self.phase = Phase.NOT_STARTED
        self.tutorial_used: float | None = None
        self._tutorial_started: float | None = None
        self.blocks: list[BlockRecord] = []
        self.breaks: list[BreakRecord] = []
        self._between_since: float | None = None
        self._between_total = 0.0
        self._break_since: float | None = None
        self._idle_since: float | None = None
        self.idle_seconds = 0.0
        self.warned = False
        """Whether the day's two-minute warning has been shown (it is stored: once per day)."""
        stored = list(events)
        for event in stored:
            self._track(event)
        recorded = max([checkpoint, *(e.elapsed for e in stored)])
        recorded = min(recorded, preset.day_seconds)
        # A day rebuilt from its log stands still at its last record until :meth:`resume` is called.
        self._clock = ActiveClock(clock, recorded, sleep_threshold)

    # -- time ------------------------------------------------------------------------------
    def elapsed(self) -> float:
        """Day seconds used."""
        return min(self._clock.elapsed(), self.preset.day_seconds)

    def remaining(self) -> float:
        """Day seconds left."""
        return max(0.0, self.preset.day_seconds - self._clock.elapsed())

    def is_expired(self) -> bool:
        """The day clock has run out."""
        return self.remaining() <= 0.0

    def in_warning(self) -> bool:
        """Two minutes or less of the day remain."""
        return 0.0 < self.remaining() <= TWO_MINUTE_WARNING

    def resume(self) -> None:
        """Run the day clock again after a restart (a day that is over or not yet begun stays still)."""
        if self.events and self.phase not in (Phase.DONE, Phase.NOT_STARTED):
            self._clock.start()

    def tick(self) -> float:
        """Called every ``TICK_SECONDS`` or so by the UI (sleep is not charged)."""
        return self._clock.tick()

    @property
    def tutorial_taken(self) -> bool:
        """Whether the candidate started the tutorial (even at day time 0.0)."""
        return self._tutorial_started is not None

    def account(self) -> DayAccount:
        """The day time used, split into tutorial, blocks, breaks taken and time between blocks."""
        elapsed = self.elapsed()
        tutorial = self.tutorial_used or 0.0
        if self.phase is Phase.TUTORIAL and self._tutorial_started is not None:
            tutorial = elapsed - self._tutorial_started
        blocks = sum(b.used for b in self.blocks if b.used is not None)
        if self.phase is Phase.BLOCK and self.blocks:
            blocks += elapsed - self.blocks[-1].started_at
        breaks = sum(b.seconds for b in self.breaks)
        if self._break_since is not None:
            breaks += elapsed - self._break_since
        return DayAccount(tutorial=tutorial, blocks=blocks, breaks=breaks, between=self.break_used() - breaks)

    def warning_due(self) -> bool:
        """Whether the day's two-minute warning should be shown now (never twice)."""
        return not self.warned and bool(self.events) and self.phase is not Phase.DONE and self.in_warning()

    def warn(self) -> DayEvent:
        """Record that the two-minute warning was shown."""
        if self.warned:
            raise ExamRuleError("the day's two-minute warning was already given")
        return DayEvent(DayEventKind.WARNED, self.elapsed(), {})

    @property
    def blocks_done(self) -> int:
        """Blocks closed so far."""
        return sum(1 for b in self.blocks if b.used is not None)

    @property
    def next_block(self) -> int:
        """Index of the next block to sit (== preset.blocks when none is left)."""
        return len(self.blocks)

    def _reserved(self) -> float:
        """Standard time of the parts of the day not yet begun (tutorial, current and later blocks)."""
        tutorial = self.preset.tutorial_seconds if self.tutorial_used is None and self.phase is Phase.NOT_STARTED else 0
        not_started = self.preset.blocks - len(self.blocks)
        current = 0.0
        if self.phase is Phase.BLOCK and self.blocks:
            current = max(0.0, self.blocks[-1].time_limit - (self.elapsed() - self.blocks[-1].started_at))
        if self.phase is Phase.TUTORIAL and self._tutorial_started is not None:
            tutorial = max(0.0, self.preset.tutorial_seconds - (self.elapsed() - self._tutorial_started))
        return tutorial + current + not_started * self.preset.block_seconds

    def break_remaining(self) -> float:
        """Break time left in the pool (negative once it is overrun)."""
        return self.remaining() - self._reserved()

    def break_allowance(self) -> float:
        """The pool so far: break time, plus unused tutorial time, plus time left in blocks ended early."""
        tutorial_credit = 0.0
        if self.tutorial_used is not None:
            tutorial_credit = max(0.0, self.preset.tutorial_seconds - self.tutorial_used)
        early = sum(max(0.0, b.time_limit - b.used) for b in self.blocks if b.used is not None)
        return 60 * self.preset.break_minutes + tutorial_credit + early

    def overrun(self) -> float:
        """Seconds of break time taken beyond the pool (they come off the last block(s))."""
        return max(0.0, self.break_used() - self.break_allowance())

    def break_used(self) -> float:
        """Seconds spent outside blocks and the tutorial so far (breaks and between-block screens)."""
        used = self._between_total
        if self._between_since is not None:
            used += self.elapsed() - self._between_since
        return used

    def block_time_limit(self) -> float:
        """The time the next block gets: its standard time, or what is left of the day if that is less.

        So an overrun of the break pool is never taken from the next block while the day can still
        absorb it: it comes off the end of the day, i.e. off the last block(s).
        """
        return max(0.0, min(self.preset.block_seconds, self.remaining()))

    # -- actions -------------------------------------------------------------------------
    def start(self) -> DayEvent:
        """Begin the day."""
        if self.phase is not Phase.NOT_STARTED or self.events:
            raise ExamRuleError("the day has already started")
        return DayEvent(DayEventKind.DAY_STARTED, 0.0, {})

    def start_tutorial(self) -> DayEvent:
        """Take the optional tutorial (only at the start of the day)."""
        self._require(Phase.NOT_STARTED, "the tutorial is offered only at the start of the day")
        if not self.events:
            raise ExamRuleError("start the day first")
        if self.preset.tutorial_seconds <= 0:
            raise ExamRuleError("this day has no tutorial")
        return DayEvent(DayEventKind.TUTORIAL_STARTED, self.elapsed(), {})

    def end_tutorial(self) -> DayEvent:
        """End the tutorial; its unused time joins the break pool."""
        self._require(Phase.TUTORIAL, "the tutorial is not running")
        at = self.elapsed()
        if self._tutorial_started is not None:  # noticed late at 0:00: the tutorial ends at its length
            at = min(at, self._tutorial_started + self.preset.tutorial_seconds)
        return DayEvent(DayEventKind.TUTORIAL_ENDED, at, {})

    def tutorial_remaining(self) -> float:
        """Seconds left in the tutorial."""
        if self.phase is not Phase.TUTORIAL or self._tutorial_started is None:
            return 0.0
        return max(0.0, self.preset.tutorial_seconds - (self.elapsed() - self._tutorial_started))

    def start_block(self, session_id: int) -> DayEvent:
        """Start the next block (its time limit is fixed now, from the day's rules)."""
        if self.phase not in (Phase.NOT_STARTED, Phase.BETWEEN, Phase.BREAK):
            raise ExamRuleError("a block can start only between blocks")
        if not self.events:
            raise ExamRuleError("start the day first")
        if self.next_block >= self.preset.blocks:
            raise ExamRuleError("every block of the day has been sat")
        if self.is_expired():
            raise ExamRuleError("the day's time is up")
        limit = self.block_time_limit()
        if limit <= 0:
            raise ExamRuleError("no testing time is left for another block")
        return DayEvent(
            DayEventKind.BLOCK_STARTED,
            self.elapsed(),
            {"index": self.next_block, "session_id": session_id, "time_limit": limit},
        )

    def end_block(self, used: float) -> DayEvent:
        """Close the current block; its unused time joins the break pool.

        The day stands at the block's start plus ``used``: time the block did not charge (a 0:00 noticed
        late, the moment between the day's and the block's records) is never taken from the break pool.
        """
        self._require(Phase.BLOCK, "no block is running")
        at = min(self.preset.day_seconds, self.blocks[-1].started_at + used)
        return DayEvent(DayEventKind.BLOCK_ENDED, at, {"index": self.blocks[-1].index, "used": used})

    def start_break(self) -> DayEvent:
        """Take a break (only between blocks)."""
        self._require(Phase.BETWEEN, "breaks happen only between blocks")
        return DayEvent(DayEventKind.BREAK_STARTED, self.elapsed(), {"after_block": self.next_block - 1})

    def end_break(self) -> DayEvent:
        """Come back from a break to the between-block prompt."""
        self._require(Phase.BREAK, "no break is running")
        return DayEvent(DayEventKind.BREAK_ENDED, self.elapsed(), {"after_block": self.next_block - 1})

    @property
    def idle_open(self) -> bool:
        """Whether an unauthorised break is under way."""
        return self._idle_since is not None

    def idle_current(self) -> float:
        """Seconds of the unauthorised break under way (0 when none is)."""
        return 0.0 if self._idle_since is None else max(0.0, self.elapsed() - self._idle_since)

    def idle(self, started: bool) -> DayEvent:
        """An unauthorised break inside a block begins or ends (the clocks keep running)."""
        self._require(Phase.BLOCK, "idle time is tracked only inside a block")
        kind = DayEventKind.IDLE_STARTED if started else DayEventKind.IDLE_ENDED
        return DayEvent(kind, self.elapsed(), {})

    def end(self, reason: str) -> DayEvent:
        """Close the day (all blocks done, the day expired, or the user stopped)."""
        if self.phase is Phase.DONE:
            raise ExamRuleError("the day is already over")
        if self.phase is Phase.BLOCK:
            raise ExamRuleError("end the current block first")
        return DayEvent(DayEventKind.DAY_ENDED, self.elapsed(), {"reason": reason})

    def _require(self, phase: Phase, message: str) -> None:
        if self.phase is not phase:
            raise ExamRuleError(message)

    # -- applying stored events ---------------------------------------------------------
    def apply(self, event: DayEvent) -> None:
        """Take in an event the store accepted."""
        self._track(event)
        self._clock.alive()
        if event.kind in (DayEventKind.TUTORIAL_STARTED, DayEventKind.BLOCK_STARTED):
            self._clock.start()  # the day clock starts with the tutorial or block 1
        elif event.kind in (DayEventKind.TUTORIAL_ENDED, DayEventKind.BLOCK_ENDED):
            self._clock.settle(event.elapsed)
        elif event.kind is DayEventKind.DAY_ENDED:
            self._clock.stop(at=event.elapsed)
            self._clock.cap(self.preset.day_seconds)

    def _track(self, event: DayEvent) -> None:
        self.events.append(event)
        kind = event.kind
        payload = event.payload
        if kind is DayEventKind.DAY_STARTED:
            self.phase = Phase.NOT_STARTED
        elif kind is DayEventKind.TUTORIAL_STARTED:
            self.phase = Phase.TUTORIAL
            self._tutorial_started = event.elapsed
        elif kind is DayEventKind.TUTORIAL_ENDED:
            started = self._tutorial_started if self._tutorial_started is not None else event.elapsed
            self.tutorial_used = event.elapsed - started
            self._enter_between(event.elapsed)
        elif kind is DayEventKind.BLOCK_STARTED:
            self._leave_between(event.elapsed)
            if self.tutorial_used is None:
                self.tutorial_used = 0.0
            self.blocks.append(
                BlockRecord(
                    index=int(payload["index"]),
                    session_id=int(payload["session_id"]),
                    time_limit=float(payload["time_limit"]),
                    started_at=event.elapsed,
                )
            )
            self.phase = Phase.BLOCK
        elif kind is DayEventKind.BLOCK_ENDED:
            if self._idle_since is not None:  # an unauthorised break ends with its block
                self.idle_seconds += event.elapsed - self._idle_since
                self._idle_since = None
            last = self.blocks[-1]
            self.blocks[-1] = BlockRecord(
                last.index, last.session_id, last.time_limit, last.started_at, float(payload["used"])
            )
            self._enter_between(event.elapsed)
        elif kind is DayEventKind.BREAK_STARTED:
            self.phase = Phase.BREAK
            self._break_since = event.elapsed
        elif kind is DayEventKind.BREAK_ENDED:
            self.phase = Phase.BETWEEN
            if self._break_since is not None:
                after = int(payload.get("after_block", len(self.blocks) - 1))
                self.breaks.append(BreakRecord(after_block=after, seconds=event.elapsed - self._break_since))
            self._break_since = None
        elif kind is DayEventKind.IDLE_STARTED:
            self._idle_since = event.elapsed
        elif kind is DayEventKind.IDLE_ENDED:
            if self._idle_since is not None:
                self.idle_seconds += event.elapsed - self._idle_since
            self._idle_since = None
        elif kind is DayEventKind.WARNED:
            self.warned = True
        elif kind is DayEventKind.DAY_ENDED:
            self._leave_between(event.elapsed)
            self.phase = Phase.DONE

    def _enter_between(self, at: float) -> None:
        self.phase = Phase.BETWEEN
        self._between_since = at

    def _leave_between(self, at: float) -> None:
        if self._between_since is not None:
            self._between_total += at - self._between_since
        self._between_since = None

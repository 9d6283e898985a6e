"""Use cases of a whole exam day: plan it, run its blocks and breaks, resume it, summarise it. No Qt."""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.core.block import Mode
from app.core.clock import CHECKPOINT_SECONDS, Clock
from app.core.day_plan import plan_day
from app.core.errors import ExamRuleError
from app.core.events import EndReason
from app.core.exam_day import BreakRecord, DayAccount, DayEvent, DayPreset, ExamDay, Phase
from app.core.outline import default_outline
from app.core.records import SessionInfo
from app.core.scoring import BlockScore
from app.core.selection import BlockFilter, matching
from app.services.blocks import BlockReview, BlockRunner, BlockService
from app.storage.repositories import Store


@dataclass(frozen=True)
class DayRequest:
    """What the day setup screen asks for."""

    preset: DayPreset
    block_filter: BlockFilter
    allow_repeats: bool = False
    seed: int | None = None


@dataclass(frozen=True)
class BlockSummary:
    """One block of the day, scored."""

    index: int
    review: BlockReview
    time_limit: float

    @property
    def mean_seconds(self) -> float:
        """Mean time per item (items never visited count as 0 s)."""
        return statistics.fmean(r.state.seconds for r in self.review.results) if self.review.results else 0.0


@dataclass(frozen=True)
class DaySummary:
    """Everything the day summary screen shows."""

    preset: DayPreset
    blocks: list[BlockSummary]
    breaks: list[BreakRecord]
    break_used: float
    overrun: float
    day_elapsed: float
    tutorial_used: float | None
    """Seconds in the tutorial, or None when it was skipped."""
    idle_seconds: float
    end_reason: str | None
    account: DayAccount
    """The day time used, split so that the parts add up to ``day_elapsed``."""
    allowance: float
    """The break pool earned so far (break time + unused tutorial time + time left in blocks ended early)."""
    day_id: int | None = None

    @property
    def percent(self) -> float:
        """Percent correct over the blocks sat."""
        return 100 * self.correct / self.total if self.total else 0.0

    @property
    def correct(self) -> int:
        """Correct answers over the day."""
        return sum(b.review.score.correct for b in self.blocks)

    @property
    def total(self) -> int:
        """Items of the blocks sat."""
        return sum(b.review.score.total for b in self.blocks)


class DayRunner:
    """A day being sat. Owns the current block's runner; every step is stored before it is applied."""

    def __init__(self, store: Store, blocks: BlockService, session: SessionInfo, day: ExamDay) -> None:
        self.store = store
        self.block_service = blocks
        self.session = session
        self.day = day
        self.block: BlockRunner | None = None
        self._last_checkpoint = day.elapsed()

    @property
    def plan(self) -> list[list[int]]:
        """Question keys of every block."""
        plan: list[list[int]] = self.session.settings["plan"]
        return plan

    def record(self, event: DayEvent) -> DayEvent:
        """Store a day event, then apply it."""
        stored = self.store.append_day_event(self.session.id, event)
        self.day.apply(stored)
        return stored

    # -- the day's steps ---------------------------------------------------------------
    def start_tutorial(self) -> None:
        """Take the optional tutorial."""
        self.record(self.day.start_tutorial())

    def end_tutorial(self) -> None:
        """Leave the tutorial; its unused time joins the break pool."""
        self.record(self.day.end_tutorial())

    def start_next_block(self) -> BlockRunner:
        """Start the next block with the time the day's rules give it."""
        index = self.day.next_block
        planned = self.day.start_block(0)  # checks the rules and fixes the time limit before anything is stored
        runner = self.block_service.start_with(
            self.plan[index],
            time_limit=float(planned.payload["time_limit"]),
            mode=Mode.TIMED,
            seed=self.session.seed + index,
            settings={"day": self.session.id, "index": index},
            parent_id=self.session.id,
            parent_index=index,
        )
        self.record(DayEvent(planned.kind, planned.elapsed, {**planned.payload, "session_id": runner.session_id}))
        self.block = runner
        return runner

    def end_block(self, reason: EndReason = EndReason.USER) -> None:
        """End the current block (it can never be reopened)."""
        if self.block is None:
            raise ExamRuleError("no block is running")
        if not self.block.block.ended:
            self.block.end(reason)
        self._close_block()

    def _close_block(self) -> None:
        assert self.block is not None
        self.record(self.day.end_block(self.block.block.elapsed()))
        self.block = None
        if self.day.next_block >= self.day.preset.blocks:
            self.record(self.day.end("completed"))

    def start_break(self) -> None:
        """Take a break between blocks."""
        self.record(self.day.start_break())

    def end_break(self) -> None:
        """Come back from the break to the between-block prompt."""
        self.record(self.day.end_break())

    def warn(self) -> None:
        """The day's two-minute warning is being shown (stored, so it is never shown again)."""
        self.record(self.day.warn())

    def idle(self, started: bool) -> None:
        """An unauthorised break inside a block begins or ends (the clocks keep running)."""
        self.record(self.day.idle(started))

    def stop_day(self) -> None:
        """End the day early (between blocks); blocks not sat are not scored."""
        self.record(self.day.end("stopped"))

    def tick(self) -> bool:
        """Called every ``TICK_SECONDS`` or so. True when the phase changed (a block, the tutorial or the day ended)."""
        if self.day.phase is Phase.DONE:
            return False
        self.day.tick()
        changed = self._tick_block() or self._tick_tutorial()
        changed = self._end_if_day_expired() or changed
        elapsed = self.day.elapsed()
        if elapsed - self._last_checkpoint >= CHECKPOINT_SECONDS:
            self.store.set_checkpoint(self.session.id, elapsed)  # a failure leaves it to the next tick
            self._last_checkpoint = elapsed
        return changed

    def _tick_block(self) -> bool:
        if self.block is None:
            return False
        if self.day.is_expired() and not self.block.block.ended:
            self.block.end(EndReason.DAY_EXPIRED)
        else:
            self.block.tick()
        if self.block.block.ended:
            self._close_block()
            return True
        return False

    def _tick_tutorial(self) -> bool:
        if self.day.phase is Phase.TUTORIAL and self.day.tutorial_remaining() <= 0:
            self.end_tutorial()
            return True
        return False

    def _end_if_day_expired(self) -> bool:
        phase = self.day.phase
        if phase in (Phase.DONE, Phase.BLOCK) or not self.day.is_expired():
            return False
        if phase is Phase.BREAK:
            self.end_break()
        self.record(self.day.end("expired"))
        return True

    def summary(self) -> DaySummary:
        """Scores and times of the day so far."""
        blocks = [
            BlockSummary(
                index=record.index, review=self.block_service.review(record.session_id), time_limit=record.time_limit
            )
            for record in self.day.blocks
        ]
        end_reason = None
        for event in reversed(self.day.events):
            if event.kind.value == "day_ended":
                end_reason = str(event.payload.get("reason"))
                break
        return DaySummary(
            preset=self.day.preset,
            blocks=blocks,
            breaks=list(self.day.breaks),
            break_used=self.day.break_used(),
            overrun=self.day.overrun(),
            day_elapsed=self.day.elapsed(),
            tutorial_used=self.day.tutorial_used if self.day.tutorial_taken else None,
            idle_seconds=self.day.idle_seconds,
            end_reason=end_reason,
            account=self.day.account(),
            allowance=self.day.break_allowance(),
            day_id=self.session.id,
        )


class DayService:
    """Plans, starts and resumes exam days."""

    def __init__(self, store: Store, clock: Clock, blocks: BlockService) -> None:
        self.store = store
        self.clock = clock
        self.blocks = blocks

    def available(self, block_filter: BlockFilter) -> int:
        """How many questions a day could draw from."""
        return len(matching(self.blocks.candidates(), block_filter))

    def start(self, request: DayRequest) -> DayRunner:
        """Plan the day's questions, store the day and start its clock."""
        seed = request.seed if request.seed is not None else random.SystemRandom().randrange(2**31)
        preset = request.preset
        pool = matching(self.blocks.candidates(), request.block_filter)
        plan = plan_day(
            pool,
            default_outline(),
            preset.blocks,
            preset.items_per_block,
            seed,
            request.allow_repeats,
            sizes=preset.item_counts,
        )
        settings: dict[str, Any] = {
            "preset": preset.model_dump(mode="json"),
            "plan": plan,
            "packs": sorted(request.block_filter.packs),
            "allow_repeats": request.allow_repeats,
        }
        session = self.store.create_session(
            kind="day",
            mode=Mode.TIMED.value,
            time_limit=preset.day_seconds,
            question_keys=[],
            seed=seed,
            settings=settings,
        )
        day = ExamDay(preset, self.clock, sleep_threshold=self.blocks.sleep_threshold)
        runner = DayRunner(self.store, self.blocks, session, day)
        runner.record(day.start())
        return runner

    def open(self, day_id: int) -> DayRunner:
        """Rebuild a stored day (and its running block) from the logs, changing nothing."""
        session = self.store.session(day_id)
        preset = DayPreset.model_validate(session.settings["preset"])
        day = ExamDay(
            preset,
            self.clock,
            self.store.day_events(day_id),
            checkpoint=session.checkpoint,
            sleep_threshold=self.blocks.sleep_threshold,
        )
        runner = DayRunner(self.store, self.blocks, session, day)
        if day.phase is Phase.BLOCK:
            runner.block = self.blocks.open(day.blocks[-1].session_id)
        return runner

    def resume(self, day_id: int) -> DayRunner:
        """Continue an unfinished day where it was (a running block resumes with its time left)."""
        runner = self.open(day_id)
        if runner.day.phase is Phase.DONE:
            raise ExamRuleError("this day is over")
        # A kill between creating a block and logging it in the day leaves an orphan: close it.
        logged = {record.session_id for record in runner.day.blocks}
        for child in self.store.children(day_id):
            if child.id not in logged and child.status == "active":
                self.store.set_status(child.id, "abandoned")
        runner.day.resume()
        if runner.block is not None:
            if runner.block.block.ended or runner.block.end_if_expired():
                runner._close_block()
            else:
                runner.block.resume()
                if runner.day.idle_open:  # left or killed during an unauthorised break: the user is back
                    runner.idle(False)
        runner.tick()
        return runner

    def scores(self, day_ids: Sequence[int], sessions: Sequence[SessionInfo] | None = None) -> dict[int, BlockScore]:
        """Each day's totals over the blocks it has sat so far, for many days at once.

        ``sessions``: every session, when the caller has already read them (they are not read again).
        """
        wanted = set(day_ids)
        children = [
            info
            for info in (self.store.sessions(kind="block") if sessions is None else sessions)
            if info.kind == "block" and info.parent_id in wanted and info.status != "abandoned"
        ]
        by_block = self.blocks.scores(children)
        totals = {day_id: BlockScore(total=0, correct=0, answered=0, marked=0) for day_id in day_ids}
        for info in children:
            assert info.parent_id is not None
            totals[info.parent_id] += by_block[info.id]
        return totals

    def unfinished(self) -> list[SessionInfo]:
        """Days left open by a crash, a kill or closing the app."""
        return self.store.sessions(status="active", kind="day")

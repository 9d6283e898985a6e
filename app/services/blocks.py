"""Use cases of one block: build, start, act, tick, end, resume, review. No Qt."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from app.core.block import DEFAULT_SLEEP_THRESHOLD, Block, BlockSpec, Mode
from app.core.clock import CHECKPOINT_SECONDS, UNRECORDED_ESTIMATE, Clock
from app.core.errors import BlocksimError, ExamRuleError, NotEnoughQuestionsError, StoreWriteError
from app.core.events import EndReason, Event, EventKind
from app.core.question_versions import Correction
from app.core.records import SessionInfo, StoredQuestion
from app.core.scoring import BlockScore, ItemResult, ItemState, score_items
from app.core.selection import (
    MAX_BLOCK_SIZE,
    BlockFilter,
    Candidate,
    CategoryCounts,
    Pool,
    category_counts,
    default_minutes,
    draw,
    matching,
)
from app.services.analysis import AnalysisService
from app.services.history import History
from app.storage.repositories import Store

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BlockRequest:
    """What the block builder asks for."""

    block_filter: BlockFilter
    size: int = 40
    minutes: float | None = None
    mode: Mode = Mode.TIMED
    timed: bool = True
    seed: int | None = None

    def time_limit(self) -> float | None:
        """Seconds, or None for an untimed tutor block."""
        if self.mode is Mode.TUTOR and not self.timed:
            return None
        minutes = self.minutes if self.minutes is not None else default_minutes(self.size)
        return minutes * 60.0


@dataclass(frozen=True)
class BlockReview:
    """A finished (or unfinished) block scored from its events, on the questions as sat.

    ``corrections`` holds, by position, what a newer pack version changed in a question since it was
    sat (shown beside the review; the score stays as sat).
    """

    session: SessionInfo
    questions: list[StoredQuestion]
    results: list[ItemResult]
    score: BlockScore
    time_used: float
    corrections: dict[int, Correction] = field(default_factory=dict)


@dataclass(frozen=True)
class RedoRequest:
    """Re-do these questions as a block: ``mode`` timed or tutor (a tutor block may be untimed)."""

    keys: tuple[int, ...]
    mode: Mode = Mode.TIMED
    timed: bool = True


def _days_ago(created_at: str, today: date) -> int:
    return (today - datetime.fromisoformat(created_at).astimezone().date()).days


def candidates(store: Store, history: History, today: date | None = None) -> list[Candidate]:
    """Every active question with the user's history of it (``today``: the local date, for the recent pools)."""
    question_history = history.question_history()
    now = today or date.today()
    wrong = {key: _days_ago(at, now) for key, at in history.last_wrong().items()}
    return [
        Candidate(
            key=key,
            pack_id=pack_id,
            discipline=discipline,
            system=system,
            task=task,
            used=key in question_history,
            last_incorrect=question_history.get(key, (False, False))[0],
            marked=question_history.get(key, (False, False))[1],
            incorrect_days_ago=wrong.get(key),
        )
        for key, pack_id, discipline, system, task in store.question_rows()
    ]


_ITEM_WORDS: dict[EventKind, str] = {
    EventKind.ITEM_SHOWN: "moving to item {n}",
    EventKind.ANSWER_CLEARED: "clearing the answer of item {n}",
    EventKind.MARKED: "marking item {n}",
    EventKind.UNMARKED: "unmarking item {n}",
    EventKind.OPTION_STRUCK: "striking out option {label} of item {n}",
    EventKind.OPTION_RESTORED: "restoring option {label} of item {n}",
    EventKind.HIGHLIGHT_ADDED: "the highlight on item {n}",
    EventKind.HIGHLIGHT_REMOVED: "removing a highlight of item {n}",
    EventKind.HIGHLIGHTS_CLEARED: "clearing the highlights of item {n}",
    EventKind.NOTE_WRITTEN: "your note on item {n}",
    EventKind.ITEM_SUBMITTED: "submitting item {n}",
}
_BLOCK_WORDS: dict[EventKind, str] = {
    EventKind.BLOCK_STARTED: "the start of the block",
    EventKind.BLOCK_ENDED: "the end of the block",
    EventKind.PAUSED: "the pause",
    EventKind.RESUMED: "resuming the block",
    EventKind.WARNING_SHOWN: "the two-minute warning",
}


def action_words(event: Event) -> str:
    """What a user would call the action behind ``event`` ("your answer B to item 3")."""
    label = str(event.payload.get("label", ""))
    if event.kind is EventKind.ANSWER_SELECTED and event.position is not None:
        return f"your answer {label} to item {event.position + 1}"
    if event.kind in _ITEM_WORDS and event.position is not None:
        return _ITEM_WORDS[event.kind].format(n=event.position + 1, label=label)
    return _BLOCK_WORDS.get(event.kind, event.kind.value.replace("_", " "))


class BlockRunner:
    """A block being sat: every action is stored before it is applied and acknowledged.

    A write that fails (:class:`StoreWriteError`: disk full, read-only) leaves the block as stored: the
    action is not applied, the error names it, and the same action can be done again. The clock keeps
    running from what is stored; ``save_problem`` says why the time is not being saved meanwhile.
    """

    def __init__(self, store: Store, session: SessionInfo, block: Block, questions: list[StoredQuestion]) -> None:
        self.store = store
        self.session = session
        self.block = block
        self.questions = questions
        self._last_checkpoint = block.elapsed()
        self.save_problem: str | None = None
        """What the last failed write did not save and why (the screen keeps saying it); None once writes work."""
        self._time_unsaved = False

    def _store(self, event: Event) -> Event:
        """Append ``event``; a failed write is reported in the user's words and the block is left unchanged."""
        try:
            stored = self.store.append_event(self.session.id, event)
        except StoreWriteError as exc:
            failed = StoreWriteError(action_words(event), exc.reason)
            self.save_problem = str(failed)
            self._time_unsaved = False
            raise failed from exc
        self.save_problem = None
        self._time_unsaved = False
        return stored

    @property
    def session_id(self) -> int:
        """The stored session's id."""
        return self.session.id

    def record(self, kind: EventKind, position: int | None = None, **payload: Any) -> Event:
        """Store an action, then apply it. Raises :class:`ExamRuleError` if the rules refuse it."""
        # An end at 0:00 that cannot be stored waits for the disk (``save_problem`` says so, and the next
        # tick tries again); the rules below still refuse a late action.
        with suppress(StoreWriteError):
            self.end_if_expired()
        event = self.block.action(kind, position, **payload)
        stored = self._store(event)
        self.block.apply(stored)
        return stored

    def show(self, position: int) -> Event | None:
        """Show an item (a new visit), unless it is already the one shown."""
        last = self.block.events[-1] if self.block.events else None
        if last is not None and last.kind is EventKind.ITEM_SHOWN and last.position == position:
            return None
        return self.record(EventKind.ITEM_SHOWN, position)

    def select(self, position: int, label: str) -> Event | None:
        """Select an answer (no event when it is already the selected one).

        Selecting a struck-out option restores it first (an ``option_restored`` event), so an answer
        is never also struck.
        """
        if self.block.item(position).answer == label:
            return None
        if label not in {o.label for o in self.questions[position].question.options}:
            raise ExamRuleError(f"no option {label} in this item")
        if label in self.block.item(position).struck:
            self.record(EventKind.OPTION_RESTORED, position, label=label)
        return self.record(EventKind.ANSWER_SELECTED, position, label=label)

    def toggle_mark(self, position: int) -> Event:
        """Mark or unmark an item for review."""
        kind = EventKind.UNMARKED if self.block.item(position).marked else EventKind.MARKED
        return self.record(kind, position)

    def toggle_strike(self, position: int, label: str) -> Event:
        """Strike out an option, or restore it. Striking out the selected answer clears the answer first."""
        item = self.block.item(position)
        struck = label in item.struck
        if not struck and item.answer == label:
            self.record(EventKind.ANSWER_CLEARED, position)
        return self.record(EventKind.OPTION_RESTORED if struck else EventKind.OPTION_STRUCK, position, label=label)

    def warn_if_due(self) -> bool:
        """Store that the two-minute warning is shown, if it is due now. True if the screen must show it."""
        if not self.block.warning_due():
            return False
        self.record(EventKind.WARNING_SHOWN)
        return True

    def tick(self) -> bool:
        """Called every ``TICK_SECONDS`` or so: discount sleep, checkpoint, end at 0:00. True if it ended now.

        A write that fails here never stops the clock: the end at 0:00 is tried again at the next tick
        (the rules refuse every action meanwhile), and ``save_problem`` says why.
        """
        if self.block.ended:
            return False
        self.block.tick()
        try:
            if self.end_if_expired():
                return True
        except StoreWriteError:
            return False
        elapsed = self.block.elapsed()
        if elapsed - self._last_checkpoint >= CHECKPOINT_SECONDS and not self.block.paused:
            try:
                self.store.set_checkpoint(self.session.id, elapsed)
            except StoreWriteError as exc:
                # A failed action's message stays: it names what the user must do again.
                self.save_problem = self.save_problem or str(exc)
                self._time_unsaved = True
                return False
            self._last_checkpoint = elapsed
            if self._time_unsaved:
                self._time_unsaved = False
                self.save_problem = None
        return False

    def end_if_expired(self) -> bool:
        """Close the block at exactly its limit once time is up."""
        if not self.block.ended and self.block.is_expired():
            self._end(EndReason.EXPIRED)
            return True
        return False

    def end(self, reason: EndReason = EndReason.USER) -> None:
        """End the block for good."""
        if self.end_if_expired():
            return
        self._end(reason)

    def _end(self, reason: EndReason) -> None:
        stored = self._store(self.block.end_event(reason))
        self.block.apply(stored)
        self.boundary()

    def boundary(self) -> None:
        """At a block's start, pause and end: copy the write-ahead log into the store file, so a lost
        ``-wal`` costs at most the actions since. The event is stored already; a failed copy only waits."""
        try:
            self.store.checkpoint_log()
        except StoreWriteError as exc:
            _log.warning("write-ahead log not copied at a block boundary: %s", exc)

    def pause(self) -> None:
        """Stop the clock (standalone blocks only: the real exam has no pause)."""
        if self.session.parent_id is not None:
            raise ExamRuleError("blocks of an exam day cannot be paused; the day clock keeps running")
        self.record(EventKind.PAUSED)
        self.boundary()

    def resume(self) -> None:
        """Start the clock again after a pause or a restart."""
        if not self.block.ended:
            self.record(EventKind.RESUMED)

    def review(self) -> BlockReview:
        """Score the block from its events, with what newer pack versions corrected since."""
        return review_of(self.session, self.questions, self.block, self.store.session_corrections(self.session.id))


def review_of(
    session: SessionInfo,
    questions: list[StoredQuestion],
    block: Block,
    corrections: dict[int, Correction] | None = None,
) -> BlockReview:
    """A review from a block's events."""
    states: list[ItemState] = block.items()
    results, score = score_items(states, [q.question.answer for q in questions])
    return BlockReview(
        session=session,
        questions=questions,
        results=results,
        score=score,
        time_used=block.elapsed(),
        corrections=dict(corrections or {}),
    )


class BlockService:
    """Builds, resumes and reviews blocks."""

    def __init__(self, store: Store, clock: Clock, sleep_threshold: float = DEFAULT_SLEEP_THRESHOLD) -> None:
        self.store = store
        self.clock = clock
        self.sleep_threshold = sleep_threshold
        self._candidates: tuple[object, list[Candidate]] | None = None
        self._flagged: tuple[object, frozenset[int]] | None = None
        self.history = History(store)
        self.analysis = AnalysisService(store)
        """Reads which questions a mistake pattern flagged (the "flagged by a pattern" pool)."""

    def candidates(self) -> list[Candidate]:
        """Every active question with its history; replayed only when the store changed since last time."""
        # This process's writes bump the generation; another process's import changes the packs.
        version = (self.store.generation, self.store.packs_signature())
        if self._candidates is None or self._candidates[0] != version:
            self._candidates = (version, candidates(self.store, self.history))
        return self._candidates[1]

    def flagged_keys(self) -> frozenset[int]:
        """Questions whose latest finished sitting showed a mistake pattern (derived only when asked for)."""
        version = (self.store.generation, self.store.packs_signature())
        if self._flagged is None or self._flagged[0] != version:
            keys = self.analysis.flagged_keys()
            self._flagged = ((self.store.generation, self.store.packs_signature()), keys)
        return self._flagged[1]

    def pool_candidates(self, block_filter: BlockFilter) -> list[Candidate]:
        """The candidates, with the pattern flags filled in when the filter's pool needs them."""
        every = self.candidates()
        if block_filter.pool is not Pool.FLAGGED:
            return every
        flagged = self.flagged_keys()
        return [replace(c, flagged=c.key in flagged) for c in every]

    def count_matching(self, block_filter: BlockFilter) -> int:
        """How many questions a filter matches now."""
        return len(matching(self.pool_candidates(block_filter), block_filter))

    def category_counts(self, block_filter: BlockFilter) -> CategoryCounts:
        """How many questions a filter matches now, in all and per discipline and system (one read)."""
        return category_counts(self.pool_candidates(block_filter), block_filter)

    def start(
        self, request: BlockRequest, *, parent_id: int | None = None, parent_index: int | None = None
    ) -> BlockRunner:
        """Draw questions, store the session, and start the block on its first item."""
        seed = request.seed if request.seed is not None else random.SystemRandom().randrange(2**31)
        chosen = draw(self.pool_candidates(request.block_filter), request.block_filter, request.size, seed)
        return self.start_with(
            [c.key for c in chosen],
            time_limit=request.time_limit(),
            mode=request.mode,
            seed=seed,
            settings={
                "pool": request.block_filter.pool.value,
                "packs": sorted(request.block_filter.packs),
                "disciplines": sorted(request.block_filter.disciplines),
                "systems": sorted(request.block_filter.systems),
                "recent_days": request.block_filter.recent_days,
            },
            parent_id=parent_id,
            parent_index=parent_index,
        )

    def start_with(
        self,
        keys: list[int],
        *,
        time_limit: float | None,
        mode: Mode,
        seed: int,
        settings: dict[str, Any],
        parent_id: int | None = None,
        parent_index: int | None = None,
    ) -> BlockRunner:
        """Start a block on given questions."""
        session = self.store.create_session(
            kind="block",
            mode=mode.value,
            time_limit=time_limit,
            question_keys=keys,
            seed=seed,
            settings=settings,
            parent_id=parent_id,
            parent_index=parent_index,
        )
        block = Block(BlockSpec(len(keys), time_limit, mode), self.clock, sleep_threshold=self.sleep_threshold)
        runner = BlockRunner(self.store, session, block, self.store.session_questions(session.id))
        stored = self.store.append_event(session.id, block.start_event())
        block.apply(stored)
        runner.show(0)
        runner.boundary()
        return runner

    def redo(self, keys: Sequence[int], *, mode: Mode = Mode.TIMED, timed: bool = True) -> BlockRunner:
        """A block of exactly these questions (in this order), at exam pace (or untimed in tutor mode)."""
        chosen = list(dict.fromkeys(keys))
        if not chosen:
            raise BlocksimError("choose at least one question to re-do")
        if len(chosen) > MAX_BLOCK_SIZE:
            raise BlocksimError(
                f"{len(chosen)} questions are selected; a block holds at most {MAX_BLOCK_SIZE}. Narrow the selection."
            )
        request = BlockRequest(BlockFilter(), size=len(chosen), mode=mode, timed=timed)
        return self.start_with(
            chosen,
            time_limit=request.time_limit(),
            mode=mode,
            seed=0,
            settings={"pool": "redo", "packs": [], "disciplines": [], "systems": []},
        )

    def category_keys(self, kind: str, name: str) -> list[int]:
        """Active questions of one category (discipline, system, task or topic; "unclassified" for none)."""
        active = {c.key for c in self.candidates()}
        index = {"discipline": 3, "system": 4, "task": 5, "topic": 6}[kind]
        return [
            row[0]
            for row in self.store.question_categories()
            if row[0] in active and (row[index] or "unclassified") == name
        ]

    def practice(self, kind: str, name: str, size: int = 20, seed: int | None = None) -> BlockRunner:
        """A block of up to ``size`` questions of one weak category, drawn at random, at exam pace."""
        keys = self.category_keys(kind, name)
        if not keys:
            raise NotEnoughQuestionsError(1, 0)
        rng = random.Random(seed if seed is not None else random.SystemRandom().randrange(2**31))
        return self.redo(rng.sample(keys, min(size, len(keys))))

    def open(self, session_id: int) -> BlockRunner:
        """Rebuild a stored block from its events (finished or not) without changing it."""
        session = self.store.session(session_id)
        questions = self.store.session_questions(session_id)
        spec = BlockSpec(len(questions), session.time_limit, Mode(session.mode))
        block = Block(
            spec,
            self.clock,
            self.store.events(session_id),
            checkpoint=session.checkpoint,
            sleep_threshold=self.sleep_threshold,
        )
        return BlockRunner(self.store, session, block, questions)

    def resume(self, session_id: int) -> BlockRunner:
        """Reopen an unfinished block where it was, with the time it had left."""
        runner = self.open(session_id)
        if runner.block.ended:
            raise ExamRuleError("this block is closed and cannot be reopened")
        # Killed while running: charge the most likely time after its last checkpoint (half a tick),
        # so the error of each kill is unbiased and the errors of many kills do not add up.
        runner.block.charge_unrecorded(UNRECORDED_ESTIMATE)
        if runner.end_if_expired():
            return runner
        runner.resume()
        return runner

    def unfinished(self) -> list[SessionInfo]:
        """Standalone blocks that were left open (crash, kill, or suspended)."""
        return [s for s in self.store.sessions(status="active", kind="block") if s.parent_id is None]

    def scores(self, sessions: Sequence[SessionInfo]) -> dict[int, BlockScore]:
        """Scores of many stored blocks at once (the home screen's history)."""
        return self.history.scores(sessions)

    def review(self, session_id: int) -> BlockReview:
        """Score a stored block."""
        return self.open(session_id).review()

"""Use case: analyse a block, a day or the whole history. Gathers what is stored and calls the core. No Qt.

Sessions, events, answer keys (as sat), question metadata, the day's own log and the user's reasons
are read here; every figure is computed by ``app.core.analysis``. The whole history is analysed from
the derived facts table (kept in step with the events here), a block or a day by replaying its events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.analysis.changes import change_counts
from app.core.analysis.facts import BlockFacts, DaySlot, ItemFacts, QuestionMeta, SessionInput, day_slots, derive_block
from app.core.analysis.patterns import block_flags
from app.core.analysis.reasons import ReasonTaxonomy, default_taxonomy
from app.core.analysis.result import Analysis, analyse, summarise
from app.core.analysis.tally import BlockTally, ItemTally, half_of
from app.core.analysis.thresholds import AnalysisSettings, default_settings
from app.core.errors import AnalysisError, StoreError
from app.core.outline import ContentOutline, default_outline
from app.core.records import SessionInfo
from app.storage.repositories import Store

FACTS_VERSION = 1
"""Bumped when the derivation changes, so stored facts are rebuilt."""
BATCH = 400


@dataclass(frozen=True)
class ReasonSet:
    """A reason the user gave."""

    session_id: int
    position: int
    reason: str
    recorded_at: str


def _meta(key: int, pack_id: str, data: dict[str, Any]) -> QuestionMeta:
    return QuestionMeta(
        key=key,
        question_id=str(data.get("id", key)),
        pack_id=pack_id,
        stem=str(data.get("stem", "")),
        lead_in=data.get("lead_in"),
        keywords=tuple(data.get("keywords", ())),
        discipline=data.get("discipline"),
        system=data.get("system"),
        task=data.get("task"),
        topic=data.get("topic"),
    )


class AnalysisService:
    """Analyses stored sittings."""

    def __init__(
        self,
        store: Store,
        settings: AnalysisSettings | None = None,
        taxonomy: ReasonTaxonomy | None = None,
        outline: ContentOutline | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or default_settings()
        self.taxonomy = taxonomy or default_taxonomy()
        self.outline = outline or default_outline()
        self.basis = f"{FACTS_VERSION}:{self.settings.fingerprint()}"

    # -- gathering ------------------------------------------------------------------------
    def _inputs(self, sessions: Sequence[SessionInfo]) -> tuple[list[SessionInput], dict[int, QuestionMeta]]:
        ids = [s.id for s in sessions]
        events = self.store.events_by_session(ids)
        keys = self.store.question_keys_by_session(ids)
        answers = self.store.session_answer_keys(ids)
        wanted = {k for ks in keys.values() for k in ks}
        questions = {k: _meta(k, pack, data) for k, (pack, data) in self.store.question_metadata(wanted).items()}
        slots: dict[int, DaySlot] = {}
        for day_id in sorted({s.parent_id for s in sessions if s.parent_id is not None}):
            slots.update(day_slots(day_id, self.store.day_events(day_id)))
        inputs = []
        for info in sessions:
            by_key = dict(answers[info.id])
            session_keys = keys[info.id]
            inputs.append(
                SessionInput(
                    session_id=info.id,
                    time_limit_s=info.time_limit,
                    events=tuple(events[info.id]),
                    question_keys=tuple(k if k in questions else None for k in session_keys),
                    answer_keys=tuple(by_key.get(k) if k in questions else None for k in session_keys),
                    created_at=info.created_at,
                    status=info.status,
                    checkpoint_s=info.checkpoint,
                    day=slots.get(info.id),
                )
            )
        return inputs, questions

    def _block(self, ref: str | int) -> SessionInfo:
        if isinstance(ref, str):
            if ref == "latest":
                latest = self.store.latest_session_id("block")
                if latest is None:
                    raise AnalysisError("no block has been sat yet: nothing to analyse")
                ref = latest
            elif ref.isdigit():
                ref = int(ref)
            else:
                raise AnalysisError(f"--session takes a session id or 'latest', not {ref!r}")
        info = self._session(ref)
        if info.kind != "block":
            raise AnalysisError(f"session {ref} is an exam day; use --day {ref}")
        return info

    def _session(self, session_id: int) -> SessionInfo:
        try:
            return self.store.session(session_id)
        except StoreError:
            raise AnalysisError(f"no session {session_id}") from None

    def _analyse(self, sessions: Sequence[SessionInfo], scope: str) -> Analysis:
        inputs, questions = self._inputs(sessions)
        blocks = [derive_block(i) for i in inputs]
        messages = list(self._messages(blocks, sessions))
        keys = {i.question_key for b in blocks for i in b.items if i.question_key is not None}
        self.refresh_facts()
        return analyse(
            blocks,
            questions,
            self.settings,
            self.taxonomy,
            self.outline,
            scope=scope,
            reasons=self.store.item_reasons(s.id for s in sessions),
            first_right=self.store.first_right_sittings(keys),
            messages=tuple(messages),
        )

    @staticmethod
    def _messages(blocks: Sequence[BlockFacts], sessions: Sequence[SessionInfo]) -> Iterable[str]:
        for block, info in zip(blocks, sessions, strict=True):
            unscored = sum(not i.scored for i in block.items)
            if unscored:
                yield (
                    f"session {block.session_id}: {unscored} item(s) cannot be scored: their questions are no "
                    "longer installed (the pack was removed)"
                )
            if block.items and not any(i.answered for i in block.items):
                yield f"session {block.session_id}: no answers were given in this block"
            if info.status == "active":
                yield f"session {block.session_id} is still open; figures are as of its last record"

    # -- the three scopes ------------------------------------------------------------------
    def blocks(self, sessions: Sequence[SessionInfo], scope: str = "all") -> Analysis:
        """Chosen blocks (e.g. a date range of the history), replayed from their events, with their items."""
        if not sessions:
            return summarise(
                [], [], {}, self.settings, self.outline, scope=scope, messages=("no finished blocks match",)
            )
        return self._analyse(sessions, scope)

    def session(self, ref: str | int) -> Analysis:
        """One block (``latest`` or an id), replayed from its events."""
        return self._analyse([self._block(ref)], "session")

    def day(self, day_id: int) -> Analysis:
        """An exam day's blocks (those it logged), replayed from their events."""
        info = self._session(day_id)
        if info.kind != "day":
            raise AnalysisError(f"session {day_id} is not an exam day; use --session {day_id}")
        blocks = [c for c in self.store.children(day_id) if c.status != "abandoned"]
        if not blocks:
            return summarise(
                [], [], {}, self.settings, self.outline, scope="day", messages=("this day has no blocks yet",)
            )
        return self._analyse(blocks, "day")

    def history(self, *, include_items: bool = False) -> Analysis:
        """Every finished block, from the derived facts (brought up to date first).

        ``include_items`` replays every block instead, to list its items (slow on long histories).
        """
        if include_items:
            return self.history_replayed()
        self.refresh_facts()
        item_tallies = [ItemTally._make(row) for row in self.store.item_fact_tallies()]
        block_tallies = [BlockTally._make(row) for row in self.store.item_fact_block_tallies()]
        questions = {
            key: QuestionMeta(key, qid, pack, "", None, (), discipline, system, task, topic)
            for key, pack, qid, discipline, system, task, topic in self.store.question_categories()
        }
        messages = () if block_tallies else ("no finished blocks yet: nothing to analyse",)
        return summarise(
            item_tallies, block_tallies, questions, self.settings, self.outline, scope="all", messages=messages
        )

    def history_replayed(self) -> Analysis:
        """Every finished block replayed from its events: the definition the fast path must equal."""
        sessions = self.store.sessions(status="finished", kind="block")
        if not sessions:
            return summarise(
                [],
                [],
                {},
                self.settings,
                self.outline,
                scope="all",
                messages=("no finished blocks yet: nothing to analyse",),
            )
        return self._analyse(sessions, "all")

    # -- derived facts -----------------------------------------------------------------------
    def refresh_facts(self) -> int:
        """Derive the facts of finished blocks that have none (or stale ones); returns how many were derived."""
        stale = self.store.stale_fact_sessions(self.basis)
        if not stale:
            return 0
        wanted = set(stale)
        sessions = [s for s in self.store.sessions(status="finished", kind="block") if s.id in wanted]
        for start in range(0, len(sessions), BATCH):
            self._derive_and_store(sessions[start : start + BATCH])
        return len(sessions)

    def rebuild_facts(self) -> int:
        """Drop every derived fact and derive them again from the events."""
        self.store.clear_item_facts()
        return self.refresh_facts()

    def _derive_and_store(self, sessions: Sequence[SessionInfo]) -> None:
        inputs, questions = self._inputs(sessions)
        stamps = self.store.event_stamps(s.id for s in sessions)
        batch = []
        for session in inputs:
            block = derive_block(session)
            flags = block_flags(block, questions, self.settings)
            rows = [_fact_row(item, block.item_count, value) for item, value in zip(block.items, flags, strict=True)]
            max_seq, count = stamps.get(session.session_id, (0, 0))
            scored = [r for r in rows if r["scored"]]
            stamp = {
                "max_seq": max_seq,
                "event_count": count,
                "status": session.status,
                "basis": self.basis,
                "scored": len(scored),
                "correct": sum(r["correct"] for r in scored),
                "answered": sum(r["answered"] for r in scored),
                "seconds": sum(r["seconds"] for r in scored),
            }
            batch.append((session.session_id, rows, stamp))
        self.store.write_item_facts(batch)

    # -- the user's reasons ------------------------------------------------------------------
    def set_reason(self, session_id: int, position: int, reason: str) -> ReasonSet:
        """Store the user's reason for item ``position`` (1-based) of a block; it wins over the suggestion."""
        if reason not in self.taxonomy.ids():
            raise AnalysisError(f"unknown reason {reason!r}; choose one of: {', '.join(self.taxonomy.ids())}")
        info = self._block(session_id)
        if not 1 <= position <= info.item_count:
            raise AnalysisError(f"session {session_id} has items 1 to {info.item_count}, not {position}")
        recorded = self.store.add_item_reason(session_id, position - 1, reason)
        return ReasonSet(session_id, position, reason, recorded)


def _fact_row(item: ItemFacts, item_count: int, flags: int) -> dict[str, Any]:
    counts = change_counts(item)
    return {
        "position": item.position,
        "question_key": item.question_key,
        "answer": item.answer,
        "correct_answer": item.correct_answer,
        "scored": int(item.scored),
        "correct": int(item.correct is True),
        "answered": int(item.answered),
        "seconds": item.time_on_item_s,
        "visits": item.visits,
        "first_answer_s": item.first_answer_s,
        "changes": len(item.changes),
        "wrong_to_right": counts.wrong_to_right,
        "right_to_wrong": counts.right_to_wrong,
        "wrong_to_wrong": counts.wrong_to_wrong,
        "marked": int(item.marked),
        "flags": flags,
        "half": half_of(item.position, item_count),
    }

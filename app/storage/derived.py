"""Derived history: each closed block's score and each question's state at its latest closed sitting.

Caches of the event log, so a long history costs a few small queries instead of a replay of every
event at each start. They are written in the same transaction as whatever closes a block (its
``block_ended`` event, or a status change to finished or abandoned), and rebuilt from the events
when missing or stale: a summary whose status or derivation version differs from its session's, a
stamp of another version, or a question-state count that differs from the stamp's. Never the only
copy: deleting both tables loses nothing.

Open blocks are not derived here (their state changes with every click): readers replay their events.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ClauseElement, Connection, Engine, Text, delete, func, insert, or_, select, type_coerce, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from app.core.events import Event, EventKind
from app.core.scoring import BlockScore, derive_items
from app.storage.orm import (
    DerivedStampRow,
    EventRow,
    QuestionStateRow,
    QuestionVersionRow,
    SessionItemRow,
    SessionRow,
    SessionSummaryRow,
)
from app.storage.store_file import undecodable

# Bump when the derivation changes: every summary and the question states are then rebuilt.
VERSION = 1
STAMP = "question_states"


@dataclass(frozen=True)
class QuestionState:
    """A question at its latest closed sitting, when that block was started, and when the latest finished
    block that got it wrong was started (``last_wrong_at``)."""

    session_id: int
    sat_at: str
    answer: str | None
    correct: bool
    marked: bool
    last_incorrect: bool
    last_wrong_at: str | None


@dataclass(frozen=True)
class _Sitting:
    session_id: int
    status: str
    created_at: str
    event_count: int
    score: BlockScore
    # (question key, answer given, correct, marked) by position.
    items: list[tuple[int, str | None, bool, bool]]


_KINDS = {kind.value: kind for kind in EventKind}


def driver_rows(connection: Connection, query: ClauseElement) -> list[Any]:
    """The rows of ``query`` as the SQLite driver returns them (tuples, no per-value result processing).

    For reads of a long history (hundreds of thousands of rows) whose columns need no conversion:
    integers, floats and text (JSON left as text).
    """
    sql = str(query.compile(connection.engine, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def read_events(connection: Connection, ids: Sequence[int] | None) -> dict[int, list[Event]]:
    """Block events by session, in order (all blocks' when ``ids`` is None), for long histories: plain
    rows, the kind looked up in a table and a payload decoded only when it is not empty."""
    payload = type_coerce(EventRow.payload, Text)
    query = (
        select(EventRow.session_id, EventRow.kind, EventRow.elapsed, EventRow.position, payload, EventRow.seq)
        .join(SessionRow, SessionRow.id == EventRow.session_id)
        .where(SessionRow.kind == "block")
        .order_by(EventRow.session_id, EventRow.seq)
    )
    out: dict[int, list[Event]] = {}
    if ids is not None:
        query = query.where(EventRow.session_id.in_(ids))
        out = {sid: [] for sid in ids}
    kinds = _KINDS
    # A long history repeats a few payloads ({"label": "C"}) a hundred thousand times: each distinct text
    # is decoded once, and every event gets its own copy (a flat dict: a shallow copy is a full one).
    flat: dict[str, dict[str, Any]] = {"{}": {}}
    current: int | None = None
    bucket: list[Event] = []
    for sid, kind, elapsed, position, raw, seq in driver_rows(connection, query):
        if sid != current:  # rows come grouped by session
            current, bucket = sid, out.setdefault(sid, [])
        if (known := flat.get(raw)) is not None:
            data = known.copy()
        elif not raw:
            data = {}
        else:
            data = _decoded(raw, flat)
        event_kind = kinds.get(kind)
        if event_kind is None:
            raise undecodable(sid, seq, kind)
        bucket.append(Event(event_kind, elapsed, position, data, seq))
    return out


def _decoded(raw: str, flat: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``raw`` decoded (an empty dict for JSON null), remembered in ``flat`` when it holds no list or dict."""
    data = json.loads(raw) or {}
    if isinstance(data, dict) and len(flat) < 4096 and all(not isinstance(v, dict | list) for v in data.values()):
        flat[raw] = data.copy()
    return data


def _closed_blocks(connection: Connection, ids: Sequence[int] | None) -> list[tuple[int, str, str]]:
    query = select(SessionRow.id, SessionRow.status, SessionRow.created_at).where(
        SessionRow.kind == "block", SessionRow.status != "active"
    )
    if ids is not None:
        query = query.where(SessionRow.id.in_(ids))
    return [(r[0], r[1], r[2]) for r in connection.execute(query.order_by(SessionRow.id))]


def _sittings(connection: Connection, ids: Sequence[int] | None) -> list[_Sitting]:
    """Replay the closed blocks among ``ids`` (all of them when None), oldest first."""
    sessions = _closed_blocks(connection, ids)
    if not sessions:
        return []
    wanted = [sid for sid, _, _ in sessions]
    found = read_events(connection, None if ids is None else wanted)
    events = {sid: found.get(sid, []) for sid in wanted}
    keys: dict[int, list[tuple[int, str]]] = {sid: [] for sid in wanted}
    key_query = (
        select(SessionItemRow.session_id, SessionItemRow.question_key, QuestionVersionRow.answer)
        .join(QuestionVersionRow, QuestionVersionRow.hash == SessionItemRow.content_hash)
        .order_by(SessionItemRow.session_id, SessionItemRow.position)
    )
    if ids is not None:
        key_query = key_query.where(SessionItemRow.session_id.in_(wanted))
    for sid, key, answer in connection.execute(key_query):
        if sid in keys:
            keys[sid].append((key, answer))
    out = []
    for sid, status, created_at in sessions:
        states = derive_items(events[sid], len(keys[sid]))
        items = [
            (key, state.answer, state.answer == answer, state.marked)
            for (key, answer), state in zip(keys[sid], states, strict=True)
        ]
        score = BlockScore(
            total=len(items),
            correct=sum(correct for _, _, correct, _ in items),
            answered=sum(given is not None for _, given, _, _ in items),
            marked=sum(marked for _, _, _, marked in items),
        )
        out.append(_Sitting(sid, status, created_at, len(events[sid]), score, items))
    return out


def _summary_row(sitting: _Sitting) -> dict[str, object]:
    return {
        "session_id": sitting.session_id,
        "status": sitting.status,
        "version": VERSION,
        "event_count": sitting.event_count,
        "total": sitting.score.total,
        "correct": sitting.score.correct,
        "answered": sitting.score.answered,
        "marked": sitting.score.marked,
    }


def _state_row(sitting: _Sitting, key: int, given: str | None, correct: bool, marked: bool) -> dict[str, object]:
    return {
        "question_key": key,
        "session_id": sitting.session_id,
        "answer": given,
        "correct": int(correct),
        "marked": int(marked),
        "last_incorrect": int(sitting.status == "finished" and not correct),
    }


def _write_summaries(connection: Connection, sittings: Sequence[_Sitting]) -> None:
    ids = [s.session_id for s in sittings]
    connection.execute(delete(SessionSummaryRow).where(SessionSummaryRow.session_id.in_(ids)))
    connection.execute(insert(SessionSummaryRow), [_summary_row(s) for s in sittings])


def _rebuild(connection: Connection) -> None:
    """Every summary and question state afresh from the events (one replay of the whole log)."""
    connection.execute(delete(SessionSummaryRow))
    connection.execute(delete(QuestionStateRow))
    sittings = _sittings(connection, None)
    states: dict[int, dict[str, object]] = {}
    for sitting in sittings:  # oldest first: the latest sitting of a question wins
        for key, given, correct, marked in sitting.items:
            wrong_in = states[key]["last_wrong_session"] if key in states else None
            if sitting.status == "finished" and not correct:
                wrong_in = sitting.session_id
            states[key] = _state_row(sitting, key, given, correct, marked) | {"last_wrong_session": wrong_in}
    if sittings:
        _write_summaries(connection, sittings)
    if states:
        connection.execute(insert(QuestionStateRow), list(states.values()))
    connection.execute(delete(DerivedStampRow).where(DerivedStampRow.name == STAMP))
    connection.execute(insert(DerivedStampRow).values(name=STAMP, version=VERSION, rows=len(states)))


def _fold(connection: Connection, ids: Sequence[int]) -> None:
    """(Re)derive some closed blocks and fold them into the question states, whatever order they close in."""
    sittings = _sittings(connection, ids)
    if not sittings:
        return
    _write_summaries(connection, sittings)
    q = QuestionStateRow
    for sitting in sittings:
        rows = [_state_row(sitting, *item) for item in sitting.items]
        if not rows:
            continue
        upsert = sqlite_insert(q)
        connection.execute(
            upsert.on_conflict_do_update(
                index_elements=[q.question_key],
                set_={name: upsert.excluded[name] for name in rows[0] if name != "question_key"},
                # An older block closing late (a day's orphan) never overrides a newer sitting.
                where=upsert.excluded.session_id >= q.session_id,
            ),
            rows,
        )
        wrong = [key for key, _, correct, _ in sitting.items if sitting.status == "finished" and not correct]
        if wrong:
            sid = sitting.session_id
            latest = func.max(func.coalesce(q.last_wrong_session, sid), sid)
            connection.execute(update(q).where(q.question_key.in_(wrong)).values(last_wrong_session=latest))
    connection.execute(
        update(DerivedStampRow)
        .where(DerivedStampRow.name == STAMP)
        .values(rows=select(func.count()).select_from(QuestionStateRow).scalar_subquery())
    )


def on_closed(connection: Connection, session_id: int) -> None:
    """Hook for the store: a block just closed in ``connection``'s transaction; derive it there too."""
    _fold(connection, [session_id])


class DerivedHistory:
    """Reads the derived tables, first bringing them up to date with the event log."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def ensure_fresh(self) -> None:
        """Rebuild what is missing or stale (a few small queries when nothing is)."""
        with self.engine.begin() as connection:
            stamp = connection.execute(
                select(DerivedStampRow.version, DerivedStampRow.rows).where(DerivedStampRow.name == STAMP)
            ).first()
            count = connection.execute(select(func.count()).select_from(QuestionStateRow)).scalar_one()
            if stamp is None or stamp[0] != VERSION or stamp[1] != count:
                _rebuild(connection)
                return
            summary = SessionSummaryRow
            stale = list(
                connection.scalars(
                    select(SessionRow.id)
                    .outerjoin(summary, summary.session_id == SessionRow.id)
                    .where(
                        SessionRow.kind == "block",
                        SessionRow.status != "active",
                        or_(
                            summary.session_id.is_(None),
                            summary.status != SessionRow.status,
                            summary.version != VERSION,
                        ),
                    )
                    .order_by(SessionRow.id)
                )
            )
            if stale:
                _fold(connection, stale)

    def rebuild(self) -> int:
        """Rebuild both tables from the events whatever their stamps say; returns the blocks summarised."""
        with self.engine.begin() as connection:
            _rebuild(connection)
            return int(connection.execute(select(func.count()).select_from(SessionSummaryRow)).scalar_one())

    def question_states(self) -> dict[int, QuestionState]:
        """Per question key, its state at its latest closed sitting."""
        self.ensure_fresh()
        q = QuestionStateRow
        sat = aliased(SessionRow)
        wrong = aliased(SessionRow)
        query = (
            select(
                q.question_key,
                q.session_id,
                sat.created_at,
                q.answer,
                q.correct,
                q.marked,
                q.last_incorrect,
                wrong.created_at,
            )
            .join(sat, sat.id == q.session_id)
            .outerjoin(wrong, wrong.id == q.last_wrong_session)
        )
        with self.engine.connect() as connection:
            return {
                key: QuestionState(sid, sat_at, answer, bool(correct), bool(marked), bool(incorrect), wrong_at)
                for key, sid, sat_at, answer, correct, marked, incorrect, wrong_at in connection.execute(query)
            }

    def scores(self, session_ids: Iterable[int]) -> dict[int, BlockScore]:
        """The score of each closed block among ``session_ids`` (open ones are absent)."""
        ids = list(session_ids)
        if not ids:
            return {}
        self.ensure_fresh()
        wanted = set(ids)
        # Every summary in one plain pass (cheaper than binding thousands of ids), kept if asked for.
        sql = "SELECT session_id, total, correct, answered, marked FROM session_summaries"
        with self.engine.connect() as connection:
            return {
                sid: BlockScore(total, correct, answered, marked)
                for sid, total, correct, answered, marked in connection.exec_driver_sql(sql).all()
                if sid in wanted
            }

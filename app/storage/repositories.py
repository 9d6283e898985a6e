"""The one interface the rest of Blocksim uses to reach the store.

Every public method is one unit of work (its own transaction) and returns plain domain values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import (
    Engine,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    column,
    delete,
    func,
    insert,
    or_,
    select,
    table,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session, aliased, sessionmaker

from app.core.clock import utc_now_iso
from app.core.errors import PackError, StoreError
from app.core.events import Event, EventKind
from app.core.exam_day import DayEvent, DayEventKind
from app.core.pack_format import Question, version_key
from app.core.pack_reader import LoadedPack
from app.core.question_versions import Correction, canonical_content, correction, question_data
from app.core.records import ImportOutcome, PackInfo, SessionInfo, StoredQuestion
from app.storage import derived
from app.storage.db import checkpoint_log, session_factory
from app.storage.orm import (
    EventRow,
    ItemFactRow,
    ItemFactStampRow,
    ItemReasonRow,
    MediaRow,
    PackRow,
    QuestionRow,
    QuestionVersionRow,
    SessionItemRow,
    SessionRow,
)
from app.storage.store_file import saving, undecodable

_QUESTIONS = cast(Table, QuestionRow.__table__)
# question_versions with its JSON as text: an import writes the canonical JSON it hashed, serialised once.
_VERSION_TEXT = table(
    "question_versions",
    column("hash", String),
    column("question_key", Integer),
    column("pack_version", String),
    column("data", Text),
    column("answer", String),
)


def _session_info(row: SessionRow) -> SessionInfo:
    return SessionInfo(
        id=row.id,
        kind=row.kind,
        mode=row.mode,
        status=row.status,
        time_limit=row.time_limit,
        item_count=row.item_count,
        seed=row.seed,
        created_at=row.created_at,
        ended_at=row.ended_at,
        checkpoint=row.checkpoint,
        settings=dict(row.settings or {}),
        parent_id=row.parent_id,
        parent_index=row.parent_index,
    )


def _kind(session_id: int, seq: int, kind: str) -> EventKind:
    try:
        return EventKind(kind)
    except ValueError:
        raise undecodable(session_id, seq, kind) from None


_SESSION_COLUMNS = (
    "id",
    "kind",
    "mode",
    "status",
    "time_limit",
    "item_count",
    "seed",
    "created_at",
    "ended_at",
    "checkpoint",
    "settings",
    "parent_id",
    "parent_index",
)


def _event(row: EventRow) -> Event:
    return Event(
        kind=_kind(row.session_id, row.seq, row.kind),
        elapsed=row.elapsed,
        position=row.position,
        payload=dict(row.payload or {}),
        seq=row.seq,
    )


def _day_kind(row: EventRow) -> DayEventKind:
    try:
        return DayEventKind(row.kind)
    except ValueError:
        raise undecodable(row.session_id, row.seq, row.kind) from None


class Store:
    """Packs, questions, sessions and the event log in one SQLite database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions: sessionmaker[Session] = session_factory(engine)
        # Bumped by every write that can change the user's history or the packs, so readers
        # (e.g. the block builder's pools) can cache derived data safely within this process.
        self.generation = 0
        self.derived = derived.DerivedHistory(engine)

    # -- packs -------------------------------------------------------------------------
    def packs_signature(self) -> tuple[tuple[str, str, str], ...]:
        """(id, version, import time) of every pack: changes with any import, by this process or another."""
        with self._sessions() as s:
            rows = s.execute(select(PackRow.id, PackRow.version, PackRow.imported_at).order_by(PackRow.id)).all()
            return tuple((r[0], r[1], r[2]) for r in rows)

    def packs(self) -> list[PackInfo]:
        """Installed packs with their number of active questions."""
        with self._sessions() as s:
            counts: dict[str, int] = {
                pack_id: count
                for pack_id, count in s.execute(
                    select(QuestionRow.pack_id, func.count())
                    .where(QuestionRow.retired.is_(False))
                    .group_by(QuestionRow.pack_id)
                ).all()
            }
            rows = s.scalars(select(PackRow).order_by(PackRow.title)).all()
            return [
                PackInfo(
                    id=row.id,
                    title=row.title,
                    version=row.version,
                    question_count=counts.get(row.id, 0),
                    license=row.license,
                    description=row.description,
                )
                for row in rows
            ]

    def import_pack(self, loaded: LoadedPack, source: str) -> ImportOutcome:
        """Install or update a pack in one transaction: everything or nothing.

        A newer version updates questions in place (their keys, and so every session that used
        them, stay); questions the new version dropped are retired, not deleted. Every content not
        seen before is kept as a snapshot, so sessions keep what they were sat with.
        """
        [outcome] = self.import_packs([(loaded, source)])
        return outcome

    def import_packs(self, packs: Sequence[tuple[LoadedPack, str]]) -> list[ImportOutcome]:
        """Install or update several packs, each given with its source, in ONE transaction: if any of
        them is refused (an older version), none is imported."""
        self.generation += 1
        outcomes: list[ImportOutcome] = []
        refused: list[str] = []
        with self._sessions.begin() as s:
            for loaded, source in packs:
                try:
                    outcomes.append(self._import_one(s, loaded, source))
                except PackError as exc:  # refused before it wrote anything; go on to report every refusal
                    refused.extend(exc.problems)
            if refused:
                raise PackError(refused)  # rolls back the packs imported before it
        return outcomes

    def _import_one(self, s: Session, loaded: LoadedPack, source: str) -> ImportOutcome:
        pack = loaded.pack
        row = s.get(PackRow, pack.id)
        previous = row.version if row else None
        if previous is not None:
            if version_key(pack.version) == version_key(previous):
                return ImportOutcome(pack.id, pack.version, previous, 0, 0, 0)
            if version_key(pack.version) < version_key(previous):
                raise PackError(
                    [f"{source}: version {pack.version} is older than the installed {previous}; nothing imported"]
                )
        if row is None:
            row = PackRow(id=pack.id)
            s.add(row)
        row.title = pack.title
        row.version = pack.version
        row.license = pack.license
        row.description = pack.description
        row.authors = list(pack.authors)
        row.source = source
        row.imported_at = utc_now_iso()
        s.flush()
        # Core statements, executemany, on the session's connection (its one transaction): an ORM
        # object per question cost most of a 10 k-question import.
        connection = s.connection()
        existing: dict[str, int] = {
            qid: key
            for key, qid in connection.execute(
                select(_QUESTIONS.c.key, _QUESTIONS.c.qid).where(_QUESTIONS.c.pack_id == pack.id)
            )
        }
        known = set(
            connection.execute(
                select(QuestionVersionRow.hash)
                .join(_QUESTIONS, _QUESTIONS.c.key == QuestionVersionRow.question_key)
                .where(_QUESTIONS.c.pack_id == pack.id)
            ).scalars()
        )
        added: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        bodies: dict[str, tuple[str, str, str]] = {}  # content hash -> (question id, JSON, answer), new ones
        for position, question in enumerate(pack.questions):
            body, digest = canonical_content(pack.id, question_data(question))
            values = {
                "position": position,
                "retired": False,
                "discipline": question.discipline,
                "system": question.system,
                "task": question.task,
                "topic": question.topic,
                "answer": question.answer,
                "content_hash": digest,
            }
            key = existing.pop(question.id, None)
            if key is None:
                added.append({"pack_id": pack.id, "qid": question.id, **values})
            else:
                changed.append({"question_key": key, **values})
            if digest not in known:
                bodies[digest] = (question.id, body, question.answer)
        if added:
            connection.execute(insert(_QUESTIONS), added)
        if changed:
            connection.execute(update(_QUESTIONS).where(_QUESTIONS.c.key == bindparam("question_key")), changed)
        if existing:
            connection.execute(update(_QUESTIONS).where(_QUESTIONS.c.key.in_(existing.values())).values(retired=True))
        if bodies:
            keys = {
                qid: key
                for key, qid in connection.execute(
                    select(_QUESTIONS.c.key, _QUESTIONS.c.qid).where(_QUESTIONS.c.pack_id == pack.id)
                )
            }
            connection.execute(
                insert(_VERSION_TEXT),
                [
                    {
                        "hash": digest,
                        "question_key": keys[qid],
                        "pack_version": pack.version,
                        "data": body,
                        "answer": answer,
                    }
                    for digest, (qid, body, answer) in bodies.items()
                ],
            )
        connection.execute(delete(MediaRow).where(MediaRow.pack_id == pack.id))
        if loaded.media:
            connection.execute(
                insert(MediaRow),
                [{"pack_id": pack.id, "path": path, "data": data} for path, data in loaded.media.items()],
            )
        return ImportOutcome(pack.id, pack.version, previous, len(added), len(changed), len(existing))

    def media(self, pack_id: str, path: str) -> bytes | None:
        """The bytes of one image of a pack."""
        with self._sessions() as s:
            return s.scalar(select(MediaRow.data).where(MediaRow.pack_id == pack_id, MediaRow.path == path))

    # -- questions ---------------------------------------------------------------------
    def question_rows(self) -> list[tuple[int, str, str | None, str | None, str | None]]:
        """(key, pack, discipline, system, task) of every active question."""
        with self._sessions() as s:
            rows = s.execute(
                select(
                    QuestionRow.key, QuestionRow.pack_id, QuestionRow.discipline, QuestionRow.system, QuestionRow.task
                )
                .where(QuestionRow.retired.is_(False))
                .order_by(QuestionRow.key)
            ).all()
            return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def questions(self, keys: Sequence[int]) -> list[StoredQuestion]:
        """The questions with ``keys``, in that order."""
        query = (
            select(QuestionRow.key, QuestionRow.pack_id, QuestionVersionRow.data)
            .join(QuestionVersionRow, QuestionVersionRow.hash == QuestionRow.content_hash)
            .where(QuestionRow.key.in_(keys))
        )
        with self._sessions() as s:
            rows = {key: (pack_id, data) for key, pack_id, data in s.execute(query)}
        missing = [key for key in keys if key not in rows]
        if missing:
            raise StoreError(f"questions missing from the store: {missing}")
        return [
            StoredQuestion(key=key, pack_id=rows[key][0], question=Question.model_validate(rows[key][1]))
            for key in keys
        ]

    # -- sessions ----------------------------------------------------------------------
    def create_session(
        self,
        *,
        kind: str,
        mode: str,
        time_limit: float | None,
        question_keys: Sequence[int],
        seed: int,
        settings: dict[str, Any] | None = None,
        parent_id: int | None = None,
        parent_index: int | None = None,
    ) -> SessionInfo:
        """A new session with its items, in one transaction."""
        self.generation += 1
        with self._sessions.begin() as s:
            row = SessionRow(
                kind=kind,
                mode=mode,
                status="active",
                time_limit=time_limit,
                item_count=len(question_keys),
                seed=seed,
                settings=dict(settings or {}),
                created_at=utc_now_iso(),
                checkpoint=0.0,
                parent_id=parent_id,
                parent_index=parent_index,
            )
            hashes: dict[int, str | None] = {
                key: digest
                for key, digest in s.execute(
                    select(QuestionRow.key, QuestionRow.content_hash).where(QuestionRow.key.in_(question_keys))
                )
            }
            missing = [key for key in question_keys if hashes.get(key) is None]
            if missing:
                raise StoreError(f"questions missing from the store: {missing}")
            s.add(row)
            s.flush()
            s.add_all(
                SessionItemRow(session_id=row.id, position=i, question_key=key, content_hash=hashes[key])
                for i, key in enumerate(question_keys)
            )
            s.flush()
            return _session_info(row)

    def session(self, session_id: int) -> SessionInfo:
        """One session."""
        with self._sessions() as s:
            row = s.get(SessionRow, session_id)
            if row is None:
                raise StoreError(f"no session {session_id}")
            return _session_info(row)

    def sessions(
        self, *, status: str | None = None, kind: str | None = None, block_settings: bool = True, after_id: int = 0
    ) -> list[SessionInfo]:
        """Sessions, oldest first, optionally of one status or kind, or only those newer than ``after_id``.

        ``block_settings=False``: blocks come with empty settings (not decoded: a list of a long history
        never shows them); days keep theirs.
        """
        names = [name for name in _SESSION_COLUMNS if name != "settings"]
        settings = SessionRow.settings if block_settings else type_coerce(SessionRow.settings, Text)
        query = select(*(getattr(SessionRow, name) for name in names), settings.label("settings")).order_by(
            SessionRow.id
        )
        if status is not None:
            query = query.where(SessionRow.status == status)
        if kind is not None:
            query = query.where(SessionRow.kind == kind)
        if after_id:
            query = query.where(SessionRow.id > after_id)
        # Plain rows, no ORM instances: the home screen lists every session of a long history.
        with self.engine.connect() as connection:
            out = []
            for *values, stored in connection.execute(query).all():
                info = dict(zip(names, values, strict=True))
                if block_settings:
                    info["settings"] = dict(stored or {})
                else:
                    info["settings"] = json.loads(stored or "{}") if info["kind"] != "block" else {}
                out.append(SessionInfo(**info))
            return out

    def count_sessions(self, *, status: str | None = None, kind: str | None = None) -> int:
        """How many sessions :meth:`sessions` would return (counted by SQLite, none built)."""
        query = select(func.count()).select_from(SessionRow)
        if status is not None:
            query = query.where(SessionRow.status == status)
        if kind is not None:
            query = query.where(SessionRow.kind == kind)
        with self._sessions() as s:
            return int(s.scalar(query) or 0)

    def children(self, parent_id: int) -> list[SessionInfo]:
        """The sessions of a parent (a day's blocks), in order."""
        with self._sessions() as s:
            rows = s.scalars(
                select(SessionRow).where(SessionRow.parent_id == parent_id).order_by(SessionRow.parent_index)
            )
            return [_session_info(row) for row in rows]

    def session_question_keys(self, session_id: int) -> list[int]:
        """The question keys of a session, by position."""
        with self._sessions() as s:
            return list(
                s.scalars(
                    select(SessionItemRow.question_key)
                    .where(SessionItemRow.session_id == session_id)
                    .order_by(SessionItemRow.position)
                )
            )

    def session_questions(self, session_id: int) -> list[StoredQuestion]:
        """The questions of a session by position, exactly as they were when it was created."""
        query = (
            select(SessionItemRow.question_key, QuestionRow.pack_id, QuestionVersionRow.hash, QuestionVersionRow.data)
            .join(QuestionRow, QuestionRow.key == SessionItemRow.question_key)
            .join(QuestionVersionRow, QuestionVersionRow.hash == SessionItemRow.content_hash)
            .where(SessionItemRow.session_id == session_id)
            .order_by(SessionItemRow.position)
        )
        with self._sessions() as s:
            rows = s.execute(query).all()
        return [
            StoredQuestion(key=key, pack_id=pack_id, question=Question.model_validate(data), content_hash=digest)
            for key, pack_id, digest, data in rows
        ]

    def session_corrections(self, session_id: int) -> dict[int, Correction]:
        """By position, what the installed version of each question corrects in the content sat."""
        sat = aliased(QuestionVersionRow)
        current = aliased(QuestionVersionRow)
        query = (
            select(SessionItemRow.position, sat.data, current.data, current.pack_version)
            .join(QuestionRow, QuestionRow.key == SessionItemRow.question_key)
            .join(sat, sat.hash == SessionItemRow.content_hash)
            .join(current, current.hash == QuestionRow.content_hash)
            .where(SessionItemRow.session_id == session_id, SessionItemRow.content_hash != QuestionRow.content_hash)
            .order_by(SessionItemRow.position)
        )
        with self._sessions() as s:
            rows = s.execute(query).all()
        out: dict[int, Correction] = {}
        for position, sat_data, current_data, version in rows:
            found = correction(Question.model_validate(sat_data), Question.model_validate(current_data), version)
            if found is not None:
                out[position] = found
        return out

    def append_event(self, session_id: int, event: Event) -> Event:
        """Store one block event durably and return it with its sequence number."""
        seq = self._append(
            session_id,
            event.kind.value,
            event.elapsed,
            event.position,
            event.payload,
            finished=event.kind is EventKind.BLOCK_ENDED,
        )
        return Event(kind=event.kind, elapsed=event.elapsed, position=event.position, payload=event.payload, seq=seq)

    def append_events(self, session_id: int, events: Sequence[Event]) -> list[Event]:
        """Store a block's events in one durable transaction (an import of a whole sitting), in order.

        A ``block_ended`` among them closes the session, as :meth:`append_event` would.
        """
        recorded = utc_now_iso()
        self.generation += 1
        with self.engine.begin() as connection:
            last = connection.execute(
                select(func.coalesce(func.max(EventRow.seq), 0)).where(EventRow.session_id == session_id)
            ).scalar_one()
            rows = [
                {
                    "session_id": session_id,
                    "seq": last + n,
                    "kind": event.kind.value,
                    "position": event.position,
                    "elapsed": event.elapsed,
                    "payload": event.payload,
                    "recorded_at": recorded,
                }
                for n, event in enumerate(events, start=1)
            ]
            if rows:
                connection.execute(insert(EventRow), rows)
            ended = [event for event in events if event.kind is EventKind.BLOCK_ENDED]
            if ended:
                connection.execute(
                    update(SessionRow)
                    .where(SessionRow.id == session_id)
                    .values(status="finished", ended_at=recorded, checkpoint=ended[-1].elapsed)
                )
                derived.on_closed(connection, session_id)
        return [replace(event, seq=last + n) for n, event in enumerate(events, start=1)]

    def append_day_event(self, session_id: int, event: DayEvent) -> DayEvent:
        """Store one event of a day's own log durably."""
        seq = self._append(
            session_id,
            event.kind.value,
            event.elapsed,
            None,
            event.payload,
            finished=event.kind is DayEventKind.DAY_ENDED,
        )
        return DayEvent(kind=event.kind, elapsed=event.elapsed, payload=event.payload, seq=seq)

    def _append(
        self,
        session_id: int,
        kind: str,
        elapsed: float,
        position: int | None,
        payload: dict[str, Any],
        *,
        finished: bool,
    ) -> int:
        """Append in its own transaction (Core statements: this runs on every click and must stay fast)."""
        next_seq = (
            select(func.coalesce(func.max(EventRow.seq), 0) + 1)
            .where(EventRow.session_id == session_id)
            .scalar_subquery()
        )
        statement = (
            insert(EventRow)
            .values(
                session_id=session_id,
                seq=next_seq,
                kind=kind,
                position=position,
                elapsed=elapsed,
                payload=payload,
                recorded_at=utc_now_iso(),
            )
            .returning(EventRow.seq)
        )
        self.generation += 1
        with saving(f"the {kind.replace('_', ' ')} action"), self.engine.begin() as connection:
            seq: int = connection.execute(statement).scalar_one()
            if finished:
                connection.execute(
                    update(SessionRow)
                    .where(SessionRow.id == session_id)
                    .values(status="finished", ended_at=utc_now_iso(), checkpoint=elapsed)
                )
                derived.on_closed(connection, session_id)  # the block's summary commits with its end
        return seq

    def day_events(self, session_id: int) -> list[DayEvent]:
        """A day's own log in order."""
        with self._sessions() as s:
            rows = s.scalars(select(EventRow).where(EventRow.session_id == session_id).order_by(EventRow.seq))
            return [DayEvent(_day_kind(r), r.elapsed, dict(r.payload or {}), r.seq) for r in rows]

    def events(self, session_id: int) -> list[Event]:
        """A session's events in order."""
        with self._sessions() as s:
            rows = s.scalars(select(EventRow).where(EventRow.session_id == session_id).order_by(EventRow.seq))
            return [_event(row) for row in rows]

    def events_by_session(self, session_ids: Iterable[int]) -> dict[int, list[Event]]:
        """Events of many block sessions at once (plain rows, no ORM objects: histories grow long)."""
        ids = list(session_ids)
        if not ids:
            return {}
        with self.engine.connect() as connection:
            return derived.read_events(connection, ids)

    def session_answer_keys(self, session_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
        """Per session, its (question key, correct label as sat) pairs by position, for many sessions at once."""
        ids = list(session_ids)
        out: dict[int, list[tuple[int, str]]] = {i: [] for i in ids}
        if not ids:
            return out
        query = (
            select(SessionItemRow.session_id, SessionItemRow.question_key, QuestionVersionRow.answer)
            .join(QuestionVersionRow, QuestionVersionRow.hash == SessionItemRow.content_hash)
            .where(SessionItemRow.session_id.in_(ids))
            .order_by(SessionItemRow.session_id, SessionItemRow.position)
        )
        with self._sessions() as s:
            for session_id, key, answer in s.execute(query):
                out[session_id].append((key, answer))
        return out

    def session_items_as_sat(self, session_ids: Iterable[int]) -> dict[int, list[tuple[str, str, str, str]]]:
        """Per session, (question id, pack, correct label as sat, content hash) by position: one query, no JSON."""
        ids = list(session_ids)
        out: dict[int, list[tuple[str, str, str, str]]] = {i: [] for i in ids}
        if not ids:
            return out
        query = (
            select(
                SessionItemRow.session_id,
                QuestionRow.qid,
                QuestionRow.pack_id,
                QuestionVersionRow.answer,
                SessionItemRow.content_hash,
            )
            .join(QuestionRow, QuestionRow.key == SessionItemRow.question_key)
            .join(QuestionVersionRow, QuestionVersionRow.hash == SessionItemRow.content_hash)
            .where(SessionItemRow.session_id.in_(ids))
            .order_by(SessionItemRow.session_id, SessionItemRow.position)
        )
        # Plain driver rows (an export reads every item of a long history): no ORM, no result processing.
        with self.engine.connect() as connection:
            for session_id, qid, pack_id, answer, digest in derived.driver_rows(connection, query):
                out[session_id].append((qid, pack_id, answer, digest))
        return out

    def set_checkpoint(self, session_id: int, elapsed: float) -> None:
        """Remember the active time the running app has seen (never moves backwards).

        Written several times a second, so without waiting for the disk (``synchronous=NORMAL``): it
        survives a kill of the app at once, and a power cut up to the next answer, which is written FULL.
        """
        statement = (
            update(SessionRow)
            .where(SessionRow.id == session_id, SessionRow.checkpoint < elapsed)
            .values(checkpoint=elapsed)
        )
        with saving("the time used"), self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
            try:
                connection.execute(statement)
                connection.commit()
            finally:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA synchronous=FULL")
                connection.commit()

    def checkpoint_log(self) -> bool:
        """Copy the write-ahead log into the store file (at a block boundary); True if all of it was copied."""
        with saving("the copy of recent writes into the store file"):
            return checkpoint_log(self.engine)

    def set_status(self, session_id: int, status: str) -> None:
        """Change a session's status (a cache of what its events say)."""
        self.generation += 1
        with self._sessions.begin() as s:
            values: dict[str, Any] = {"status": status}
            if status == "finished":
                values["ended_at"] = utc_now_iso()
            s.execute(update(SessionRow).where(SessionRow.id == session_id).values(**values))
            if status != "active":
                derived.on_closed(s.connection(), session_id)

    def table_counts(self) -> dict[str, int]:
        """Rows per table (used by tests and diagnostics)."""
        tables: list[type[Any]] = [
            PackRow,
            QuestionRow,
            QuestionVersionRow,
            MediaRow,
            SessionRow,
            SessionItemRow,
            EventRow,
        ]
        with self._sessions() as s:
            return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0 for t in tables}

    # -- analysis: question metadata, the user's reasons, derived item facts ------------------
    def question_metadata(self, keys: Iterable[int] | None = None) -> dict[int, tuple[str, dict[str, Any]]]:
        """(pack, stored question JSON) per key still in the store (retired ones too); all when ``keys`` is None."""
        query = select(QuestionRow.key, QuestionRow.pack_id, QuestionVersionRow.data).join(
            QuestionVersionRow, QuestionVersionRow.hash == QuestionRow.content_hash
        )
        if keys is not None:
            query = query.where(QuestionRow.key.in_(list(keys)))
        with self._sessions() as s:
            return {key: (pack_id, dict(data)) for key, pack_id, data in s.execute(query)}

    def question_categories(self) -> list[tuple[int, str, str, str | None, str | None, str | None, str | None]]:
        """(key, pack, question id, discipline, system, task, topic) of every stored question (light: no JSON parse)."""
        query = select(
            QuestionRow.key,
            QuestionRow.pack_id,
            QuestionRow.qid,
            QuestionRow.discipline,
            QuestionRow.system,
            QuestionRow.task,
            QuestionRow.topic,
        )
        with self._sessions() as s:
            return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in s.execute(query)]

    def question_keys_by_session(self, session_ids: Iterable[int]) -> dict[int, list[int]]:
        """Per session, its question keys by position (without joining the questions: works if one was removed)."""
        ids = list(session_ids)
        out: dict[int, list[int]] = {i: [] for i in ids}
        if not ids:
            return out
        query = (
            select(SessionItemRow.session_id, SessionItemRow.question_key)
            .where(SessionItemRow.session_id.in_(ids))
            .order_by(SessionItemRow.session_id, SessionItemRow.position)
        )
        with self._sessions() as s:
            for session_id, key in s.execute(query):
                out[session_id].append(key)
        return out

    def latest_session_id(self, kind: str = "block") -> int | None:
        """The newest session of ``kind`` that was not abandoned."""
        with self._sessions() as s:
            return s.scalar(
                select(func.max(SessionRow.id)).where(SessionRow.kind == kind, SessionRow.status != "abandoned")
            )

    def add_item_reason(self, session_id: int, position: int, reason: str) -> str:
        """Append the user's reason for one item (0-based position); returns its timestamp."""
        recorded = utc_now_iso()
        with self._sessions.begin() as s:
            key = s.scalar(
                select(SessionItemRow.question_key).where(
                    SessionItemRow.session_id == session_id, SessionItemRow.position == position
                )
            )
            if key is None:
                raise StoreError(f"session {session_id} has no item {position + 1}")
            question = s.execute(select(QuestionRow.pack_id, QuestionRow.qid).where(QuestionRow.key == key)).first()
            s.add(
                ItemReasonRow(
                    session_id=session_id,
                    position=position,
                    question_key=key,
                    pack_id=question[0] if question else None,
                    question_id=question[1] if question else None,
                    reason=reason,
                    recorded_at=recorded,
                )
            )
        return recorded

    def item_reasons(self, session_ids: Iterable[int]) -> dict[tuple[int, int], str]:
        """The latest reason per (session, 0-based position) of those sessions."""
        ids = list(session_ids)
        if not ids:
            return {}
        query = (
            select(ItemReasonRow.session_id, ItemReasonRow.position, ItemReasonRow.reason)
            .where(ItemReasonRow.session_id.in_(ids))
            .order_by(ItemReasonRow.id)
        )
        with self._sessions() as s:
            return {(sid, pos): reason for sid, pos, reason in s.execute(query)}

    def stale_fact_sessions(self, basis: str) -> list[int]:
        """Finished blocks whose derived facts are missing or were built on other thresholds.

        Only finished blocks have derived facts: a closed block never gets another event, so facts
        stamped once it closed stay true. Open blocks are analysed straight from their events.
        """
        stamp = ItemFactStampRow
        query = (
            select(SessionRow.id)
            .outerjoin(stamp, stamp.session_id == SessionRow.id)
            .where(
                SessionRow.kind == "block",
                SessionRow.status == "finished",
                or_(
                    stamp.session_id.is_(None),
                    stamp.basis != basis,
                    stamp.status != SessionRow.status,
                    # Facts deleted behind the stamps' back (a block always has items).
                    ~select(ItemFactRow.session_id).where(ItemFactRow.session_id == SessionRow.id).exists(),
                ),
            )
            .order_by(SessionRow.id)
        )
        with self._sessions() as s:
            return list(s.scalars(query))

    def event_stamps(self, session_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """(max seq, event count) per session."""
        ids = list(session_ids)
        if not ids:
            return {}
        query = (
            select(EventRow.session_id, func.max(EventRow.seq), func.count())
            .where(EventRow.session_id.in_(ids))
            .group_by(EventRow.session_id)
        )
        with self._sessions() as s:
            return {sid: (mx, n) for sid, mx, n in s.execute(query)}

    def write_item_facts(self, batch: Sequence[tuple[int, Sequence[dict[str, Any]], dict[str, Any]]]) -> None:
        """Replace the derived facts of some sessions: (session id, fact rows, stamp values) each.

        A stamp holds max_seq, event_count, status, basis and the block's totals (scored, correct,
        answered, seconds).
        """
        if not batch:
            return
        ids = [session_id for session_id, _, _ in batch]
        rows = [{"session_id": session_id, **row} for session_id, facts, _ in batch for row in facts]
        stamps = [{"session_id": session_id, **stamp} for session_id, _, stamp in batch]
        with self.engine.begin() as connection:
            connection.execute(delete(ItemFactRow).where(ItemFactRow.session_id.in_(ids)))
            connection.execute(delete(ItemFactStampRow).where(ItemFactStampRow.session_id.in_(ids)))
            if rows:
                connection.execute(insert(ItemFactRow), rows)
            connection.execute(insert(ItemFactStampRow), stamps)

    def clear_item_facts(self) -> None:
        """Drop every derived fact (they are rebuilt from the events)."""
        with self.engine.begin() as connection:
            connection.execute(delete(ItemFactRow))
            connection.execute(delete(ItemFactStampRow))

    def item_facts(self, session_ids: Iterable[int]) -> list[dict[str, Any]]:
        """Derived fact rows of some sessions (tests compare them with a replay)."""
        ids = list(session_ids)
        query = (
            select(ItemFactRow)
            .where(ItemFactRow.session_id.in_(ids))
            .order_by(ItemFactRow.session_id, ItemFactRow.position)
        )
        columns = [c.name for c in ItemFactRow.__table__.columns]
        with self._sessions() as s:
            return [{c: getattr(row, c) for c in columns} for row in s.scalars(query)]

    def item_fact_tallies(self) -> list[tuple[Any, ...]]:
        """Scored items (of finished blocks: the only ones derived) summed per (question, flags, half).

        One ordered pass over the covering index, no sort.
        """
        f = ItemFactRow
        query = (
            select(
                f.question_key,
                f.flags,
                f.half,
                func.count(),
                func.sum(f.correct),
                func.sum(f.answered),
                func.sum(f.seconds),
                func.sum(f.seconds * f.seconds),
                func.sum(f.wrong_to_right),
                func.sum(f.right_to_wrong),
                func.sum(f.wrong_to_wrong),
            )
            .where(f.scored == 1)
            .group_by(f.question_key, f.flags, f.half)
        )
        sql = str(query.compile(self.engine, compile_kwargs={"literal_binds": True}))
        with self.engine.connect() as connection:
            return [tuple(r) for r in connection.exec_driver_sql(sql)]

    def item_fact_block_tallies(self) -> list[tuple[Any, ...]]:
        """Per finished block: created, time limit, item count, day, day index, and its scored items summed."""
        stamp = ItemFactStampRow
        query = (
            select(
                SessionRow.id,
                SessionRow.created_at,
                SessionRow.time_limit,
                SessionRow.item_count,
                SessionRow.parent_id,
                SessionRow.parent_index,
                stamp.scored,
                stamp.correct,
                stamp.answered,
                stamp.seconds,
            )
            .join(stamp, stamp.session_id == SessionRow.id)
            .where(SessionRow.kind == "block", SessionRow.status == "finished")
            .order_by(SessionRow.id)
        )
        # Plain driver rows (no per-value result processing): a long history has tens of thousands.
        sql = str(query.compile(self.engine, compile_kwargs={"literal_binds": True}))
        with self.engine.connect() as connection:
            return [tuple(r) for r in connection.exec_driver_sql(sql)]

    def first_right_sittings(self, keys: Iterable[int]) -> dict[int, int]:
        """Of ``keys``, each one answered right in a finished block: the first such block's id (derived facts)."""
        wanted = list(keys)
        if not wanted:
            return {}
        query = (
            select(ItemFactRow.question_key, func.min(ItemFactRow.session_id))
            .where(ItemFactRow.question_key.in_(wanted), ItemFactRow.correct == 1)
            .group_by(ItemFactRow.question_key)
        )
        with self._sessions() as s:
            return {key: sid for key, sid in s.execute(query) if key is not None}

    def item_fact_time_bins(self, width: float) -> dict[int, int]:
        """Scored items of finished blocks counted per ``floor(seconds / width)`` (the histogram's bins)."""
        f = ItemFactRow
        index = func.cast(f.seconds / width, Integer)
        query = select(index, func.count()).where(f.scored == 1).group_by(index)
        with self.engine.connect() as connection:
            return {int(i): int(n) for i, n in connection.execute(query)}

    def session_packs(self, session_ids: Iterable[int]) -> dict[int, frozenset[str]]:
        """The packs each session drew its questions from."""
        ids = list(session_ids)
        if not ids:
            return {}
        query = (
            select(SessionItemRow.session_id, QuestionRow.pack_id)
            .join(QuestionRow, QuestionRow.key == SessionItemRow.question_key)
            .where(SessionItemRow.session_id.in_(ids))
            .distinct()
        )
        out: dict[int, set[str]] = {}
        with self._sessions() as s:
            for session_id, pack_id in s.execute(query):
                out.setdefault(session_id, set()).add(pack_id)
        return {key: frozenset(value) for key, value in out.items()}

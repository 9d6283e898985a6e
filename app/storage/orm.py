"""Typed ORM tables. Events are append-only; results are derived from them."""

from __future__ import annotations

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every Blocksim table."""


class PackRow(Base):
    """An installed pack (its newest imported version)."""

    __tablename__ = "packs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(32))
    license: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[str] = mapped_column(String(40))


class QuestionRow(Base):
    """One question's identity and filter columns (narrow: its JSON body is its snapshot in question_versions)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("pack_id", "qid"), Index("ix_questions_class", "discipline", "system"))

    key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pack_id: Mapped[str] = mapped_column(ForeignKey("packs.id", ondelete="RESTRICT"))
    qid: Mapped[str] = mapped_column(String(128))
    position: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(default=False)
    discipline: Mapped[str | None] = mapped_column(String(64))
    system: Mapped[str | None] = mapped_column(String(64))
    task: Mapped[str | None] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(1))
    # The current content: a hash in question_versions, whose row holds the question's JSON (the only
    # copy of it). No foreign key, which would make the two tables depend on each other.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(Text)


class QuestionVersionRow(Base):
    """One content a question ever had, named by its hash (app.core.question_versions.content_hash)."""

    __tablename__ = "question_versions"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    question_key: Mapped[int] = mapped_column(ForeignKey("questions.key", ondelete="RESTRICT"), index=True)
    # The pack version that first installed this content.
    pack_version: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    answer: Mapped[str] = mapped_column(String(1))


class MediaRow(Base):
    """An image of a pack, kept in the store so an import is one transaction."""

    __tablename__ = "media"

    pack_id: Mapped[str] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(512), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SessionRow(Base):
    """A block (or, later, a day) that was started."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    time_limit: Mapped[float | None] = mapped_column(Float)
    item_count: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[str] = mapped_column(String(40))
    ended_at: Mapped[str | None] = mapped_column(String(40))
    # Active seconds as last seen by the running app (updated about twice a second) so that a
    # kill between two user actions costs at most that second.
    checkpoint: Mapped[float] = mapped_column(Float, default=0.0)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    parent_index: Mapped[int | None] = mapped_column(Integer)


class SessionItemRow(Base):
    """A question's place in a session."""

    __tablename__ = "session_items"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_key: Mapped[int] = mapped_column(ForeignKey("questions.key", ondelete="RESTRICT"), index=True)
    # The exact content sat: scores and reviews read this snapshot, never the question's newest text.
    content_hash: Mapped[str] = mapped_column(ForeignKey("question_versions.hash", ondelete="RESTRICT"), index=True)


class EventRow(Base):
    """One user action, appended and never changed."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("session_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    position: Mapped[int | None] = mapped_column(Integer)
    elapsed: Mapped[float] = mapped_column(Float)
    payload: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[str] = mapped_column(String(40))


class ItemReasonRow(Base):
    """The user's own reason for a missed item; appended, never changed (the latest one wins).

    Keyed by (session, position) and also carrying the question's key and ids, so a question's
    history follows it across pack versions.
    """

    __tablename__ = "item_reasons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    question_key: Mapped[int | None] = mapped_column(Integer, index=True)
    pack_id: Mapped[str | None] = mapped_column(String(64))
    question_id: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[str] = mapped_column(String(40))


class ItemFactRow(Base):
    """Per-item facts derived from the events (a cache for speed, never the only copy: rebuilt at will)."""

    __tablename__ = "item_facts"
    __table_args__ = (
        # Covers the all-history tally, so SQLite answers it from the index alone in one ordered pass.
        Index(
            "ix_item_facts_tally",
            "scored",
            "question_key",
            "flags",
            "half",
            "correct",
            "answered",
            "seconds",
            "wrong_to_right",
            "right_to_wrong",
            "wrong_to_wrong",
        ),
    )

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_key: Mapped[int | None] = mapped_column(Integer)
    answer: Mapped[str | None] = mapped_column(String(1))
    correct_answer: Mapped[str | None] = mapped_column(String(1))
    scored: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    visits: Mapped[int] = mapped_column(Integer)
    first_answer_s: Mapped[float | None] = mapped_column(Float)
    changes: Mapped[int] = mapped_column(Integer)
    wrong_to_right: Mapped[int] = mapped_column(Integer)
    right_to_wrong: Mapped[int] = mapped_column(Integer)
    wrong_to_wrong: Mapped[int] = mapped_column(Integer)
    marked: Mapped[int] = mapped_column(Integer)
    flags: Mapped[int] = mapped_column(Integer)
    half: Mapped[int] = mapped_column(Integer)


class ItemFactStampRow(Base):
    """What a session's derived facts were built from (event count, last seq, status, thresholds), and its totals."""

    __tablename__ = "item_fact_stamps"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    max_seq: Mapped[int] = mapped_column(Integer)
    event_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(String(64))
    # The block's scored items summed (the per-block half of the all-history tally, read without a scan).
    scored: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)


class SessionSummaryRow(Base):
    """A closed block's score, derived from its events when it closed (a cache, rebuilt from the log at will)."""

    __tablename__ = "session_summaries"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    # The session's status when summarised, and the derivation's version: either differing means stale.
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    event_count: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    correct: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    marked: Mapped[int] = mapped_column(Integer)


class QuestionStateRow(Base):
    """Each question's state at its latest closed sitting (a cache of the event log, rebuilt at will)."""

    __tablename__ = "question_states"

    question_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The latest closed block that held the question (the last sat: its session's created_at).
    session_id: Mapped[int] = mapped_column(Integer)
    answer: Mapped[str | None] = mapped_column(String(1))
    correct: Mapped[int] = mapped_column(Integer)
    marked: Mapped[int] = mapped_column(Integer)
    # Wrong in that sitting and the block was finished (an abandoned block is not scored).
    last_incorrect: Mapped[int] = mapped_column(Integer)
    # The latest finished block that got it wrong.
    last_wrong_session: Mapped[int | None] = mapped_column(Integer)


class DerivedStampRow(Base):
    """What a derived table was built by (its version) and how many rows it holds: else it is rebuilt."""

    __tablename__ = "derived_stamps"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)

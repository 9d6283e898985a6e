"""Exporting the user's history (every session with its items) as JSON or CSV."""

from __future__ import annotations

import csv
import gc
import io
import json
import operator
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.core.block import Block, BlockSpec, Mode
from app.core.clock import Clock
from app.storage.repositories import Store

ITEM_FIELDS = [
    "question_id",
    "pack_id",
    "position",
    "answer",
    "correct_answer",
    "correct",
    "seconds",
    "visits",
    "answer_changes",
    "marked",
    "content_hash",
]
SESSION_FIELDS = [
    "session_id",
    "kind",
    "mode",
    "status",
    "created_at",
    "ended_at",
    "time_limit",
    "time_used",
    "time_left",
]


@contextmanager
def _without_collections() -> Iterator[None]:
    """No cyclic garbage collection while a long history is built (100 k answers are about a million
    objects, none in a cycle: the collector ran many full passes that freed nothing, a quarter of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def history(store: Store, clock: Clock) -> list[dict[str, Any]]:
    """Every session with its items, derived from events (works while a block is unfinished)."""
    with _without_collections():
        return _history(store, clock)


def _history(store: Store, clock: Clock) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    sessions = store.sessions(kind="block")
    all_events = store.events_by_session(s.id for s in sessions)
    # As sat: a newer pack version's text or key never rewrites an exported session.
    all_items = store.session_items_as_sat(s.id for s in sessions)
    for info in sessions:
        sat = all_items[info.id]
        events = all_events[info.id]
        # A block rebuilt from its log reports an unfinished block as of its last record (capped at its limit).
        spec = BlockSpec(len(sat), info.time_limit, Mode(info.mode))
        block = Block(spec, clock, events, checkpoint=info.checkpoint)
        used = block.elapsed()
        states = block.items()
        items = [
            {
                "question_id": question_id,
                "pack_id": pack_id,
                "position": state.position + 1,
                "answer": state.answer,
                "correct_answer": correct_answer,
                "correct": state.answer == correct_answer,
                "seconds": round(state.seconds, 3),
                "visits": state.visits,
                "answer_changes": state.changed_count,
                "marked": state.marked,
                "content_hash": content_hash,
            }
            for (question_id, pack_id, correct_answer, content_hash), state in zip(sat, states, strict=True)
        ]
        out.append(
            {
                "session_id": info.id,
                "kind": info.kind,
                "mode": info.mode,
                "status": info.status,
                "created_at": info.created_at,
                "ended_at": info.ended_at,
                "time_limit": info.time_limit,
                "time_used": round(used, 3),
                "time_left": None if info.time_limit is None else round(max(0.0, info.time_limit - used), 3),
                "items": items,
            }
        )
    return out


def to_json(data: list[dict[str, Any]]) -> str:
    """Pretty JSON: ``{"format": ..., "sessions": [...]}``."""
    return json.dumps({"format": "blocksim-history", "format_version": 1, "sessions": data}, indent=2) + "\n"


def to_csv(data: list[dict[str, Any]]) -> str:
    """One row per item, with its session's columns repeated."""
    with _without_collections():
        return _csv_text(data)


def _csv_text(data: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    # A plain writer with the columns in DictWriter's order: the same bytes, without its per-row key checks.
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SESSION_FIELDS + ITEM_FIELDS)
    session_values = operator.itemgetter(*SESSION_FIELDS)
    item_values = operator.itemgetter(*ITEM_FIELDS)
    for session in data:
        head = session_values(session)
        writer.writerows(head + item_values(item) for item in session["items"])
    return buffer.getvalue()

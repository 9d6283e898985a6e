"""The history export stays byte for byte what the first version wrote (which validated every question
as sat and queried each session apart), on a history with finished, unfinished and re-keyed items."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from app.bootstrap import Services
from app.core.block import Block, BlockSpec, Mode
from app.core.clock import Clock, FakeClock
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.services.export import ITEM_FIELDS, SESSION_FIELDS, history, to_csv, to_json
from app.storage.repositories import Store
from tests.factories import pack_dict, write_pack


def _first_version(store: Store, clock: Clock) -> list[dict[str, Any]]:
    """The export as first written: one query per session, every question re-validated."""
    out: list[dict[str, Any]] = []
    sessions = store.sessions(kind="block")
    all_events = store.events_by_session(s.id for s in sessions)
    for info in sessions:
        questions = store.session_questions(info.id)
        spec = BlockSpec(len(questions), info.time_limit, Mode(info.mode))
        block = Block(spec, clock, all_events[info.id], checkpoint=info.checkpoint)
        used = block.elapsed()
        items = [
            {
                "question_id": stored.question.id,
                "pack_id": stored.pack_id,
                "position": state.position + 1,
                "answer": state.answer,
                "correct_answer": stored.question.answer,
                "correct": state.answer == stored.question.answer,
                "seconds": round(state.seconds, 3),
                "visits": state.visits,
                "answer_changes": state.changed_count,
                "marked": state.marked,
                "content_hash": stored.content_hash,
            }
            for stored, state in zip(questions, block.items(), strict=True)
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


def _first_csv(data: list[dict[str, Any]]) -> str:
    """The CSV as first written (a DictWriter)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SESSION_FIELDS + ITEM_FIELDS, lineterminator="\n")
    writer.writeheader()
    for session in data:
        head = {"session_id": session["session_id"], **{k: session[k] for k in SESSION_FIELDS[1:]}}
        for item in session["items"]:
            writer.writerow({**head, **item})
    return buffer.getvalue()


def test_export_is_byte_identical_to_the_first_version(services: Services, clock: FakeClock, tmp_path: Path) -> None:
    for seed in range(3):
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, seed=seed))
        for position, stored in enumerate(runner.questions):
            runner.show(position)
            clock.advance(11.5 + position)
            runner.select(position, stored.question.answer if (position + seed) % 2 else "B")
            if position == seed:
                runner.toggle_mark(position)
        runner.end()
    # A newer pack version re-keys every question: the blocks above keep the key they were sat with.
    newer = pack_dict(12, version="1.1.0")
    for item in newer["questions"]:
        item["answer"] = "E"
    services.packs.import_path(write_pack(tmp_path / "newer", newer))
    open_block = services.blocks.start(BlockRequest(BlockFilter(), size=3, minutes=None, seed=7))
    clock.advance(9)
    open_block.select(0, "E")
    expected = _first_version(services.store, services.clock)
    data = history(services.store, services.clock)
    assert to_json(data) == to_json(expected)
    assert to_csv(data) == _first_csv(expected)
    assert {item["correct_answer"] for item in data[-1]["items"]} == {"E"}
    assert len({item["correct_answer"] for s in data[:-1] for item in s["items"]}) > 1

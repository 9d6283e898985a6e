"""Benchmark: migrating a long-used store to question snapshots (revision 0002) at start-up
(target: <= 5 s for 5,000 questions and 1,000 sat 40-item blocks).
Run: python -m benchmarks.snapshot_migration [BLOCKS]

Writes a store at revision 0001 directly (one pack of 5,000 questions, BLOCKS finished blocks of 40
items), then times ``alembic upgrade head``: the back-fill of one snapshot per question and the rebuild
of ``session_items`` with its content hashes.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, event, text

from app.core.pack_format import Question
from app.core.question_versions import question_data
from app.storage.db import DB_FILE, _set_pragmas, alembic_config

QUESTIONS = 5000
ITEMS = 40


def _question(index: int) -> dict[str, object]:
    return {
        "id": f"q{index:05d}",
        "stem": f"A {20 + index % 60}-year-old patient has fever and cough for {index % 9 + 1} days.",
        "lead_in": "Which of the following is the most likely diagnosis?",
        "options": [{"label": label, "text": f"Option {label}", "explanation": f"Why {label}."} for label in "ABCDE"],
        "answer": "ABCDE"[index % 5],
        "explanation": "Overall explanation.",
        "system": "respiratory",
    }


def _store_at_0001(path: Path, blocks: int) -> None:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)
    command.upgrade(alembic_config(engine), "0001")
    now = "2026-11-30T10:00:00+00:00"
    rng = random.Random(1)
    questions = [question_data(Question.model_validate(_question(i))) for i in range(QUESTIONS)]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO packs (id, title, version, authors, source, imported_at) "
                "VALUES ('bench', 'Bench', '1.0.0', '[]', 'bench', :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO questions (pack_id, qid, position, retired, answer, data) "
                "VALUES ('bench', :qid, :position, 0, :answer, :data)"
            ),
            [
                {"qid": q["id"], "position": i, "answer": q["answer"], "data": json.dumps(q)}
                for i, q in enumerate(questions)
            ],
        )
        connection.execute(
            text(
                "INSERT INTO sessions (id, kind, mode, status, time_limit, item_count, seed, settings, created_at, "
                "ended_at, checkpoint) VALUES (:id, 'block', 'timed', 'finished', 3600, 40, :id, '{}', :now, :now, 0)"
            ),
            [{"id": i, "now": now} for i in range(1, blocks + 1)],
        )
        connection.execute(
            text("INSERT INTO session_items (session_id, position, question_key) VALUES (:s, :p, :k)"),
            [
                {"s": s, "p": p, "k": k}
                for s in range(1, blocks + 1)
                for p, k in enumerate(rng.sample(range(1, QUESTIONS + 1), ITEMS))
            ],
        )
    engine.dispose()


def main(argv: list[str]) -> int:
    blocks = int(argv[0]) if argv else 1000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / DB_FILE
        _store_at_0001(path, blocks)
        engine = create_engine(f"sqlite:///{path}")
        event.listen(engine, "connect", _set_pragmas)
        try:
            started = time.perf_counter()
            command.upgrade(alembic_config(engine), "head")
            seconds = time.perf_counter() - started
            with engine.connect() as connection:
                snapshots = connection.execute(text("SELECT count(*) FROM question_versions")).scalar_one()
                filled = connection.execute(
                    text("SELECT count(*) FROM session_items WHERE content_hash IS NOT NULL")
                ).scalar_one()
        finally:
            engine.dispose()
    print(
        f"upgrade to head: {seconds:.2f} s for {QUESTIONS} questions ({snapshots} snapshots) and {blocks} blocks "
        f"({filled} items back-filled) (target <= 5 s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

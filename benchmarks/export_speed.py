"""Benchmark: ``blocksim export`` of a long history (2,500 finished 40-item blocks: 100 k answers) as JSON
and CSV, against the floor measured in the same run: the same rows read by 3 SQL queries (sessions,
items with their questions as sat, events) and written by ``json.dumps`` (or ``csv.writer``).
Target: within 2x the floor.

Run: python -m benchmarks.export_speed [BLOCKS]
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.bootstrap import build
from app.services.export import history, to_csv, to_json
from app.storage.db import DB_FILE
from benchmarks.history_fixture import history_copy

ROUNDS = 3


def _floor_rows(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        sessions = connection.execute(
            "SELECT id, kind, mode, status, created_at, ended_at, time_limit, checkpoint FROM sessions ORDER BY id"
        ).fetchall()
        items = connection.execute(
            "SELECT i.session_id, i.position, q.qid, q.pack_id, v.answer, i.content_hash FROM session_items i "
            "JOIN questions q ON q.key = i.question_key JOIN question_versions v ON v.hash = i.content_hash "
            "ORDER BY i.session_id, i.position"
        ).fetchall()
        events = connection.execute(
            "SELECT session_id, seq, kind, position, elapsed, payload FROM events ORDER BY session_id, seq"
        ).fetchall()
    finally:
        connection.close()
    return sessions, items, events


def _floor_json(path: Path) -> int:
    sessions, items, events = _floor_rows(path)
    return len(json.dumps({"sessions": sessions, "items": items, "events": events}, indent=2))


def _floor_csv(path: Path) -> int:
    sessions, items, events = _floor_rows(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(sessions)
    writer.writerows(items)
    writer.writerows(events)
    return len(buffer.getvalue())


def _timed(work: Callable[[], int]) -> tuple[float, int]:
    runs = []
    size = 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        size = work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), size


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 2500
    with tempfile.TemporaryDirectory() as folder:
        data_dir = history_copy(count, Path(folder) / "data")
        services = build(data_dir, import_bundled=False)
        try:
            answers = services.store.table_counts()["session_items"]
            exports = {
                "json": lambda: len(to_json(history(services.store, services.clock))),
                "csv": lambda: len(to_csv(history(services.store, services.clock))),
            }
            floors = {"json": lambda: _floor_json(data_dir / DB_FILE), "csv": lambda: _floor_csv(data_dir / DB_FILE)}
            print(f"export of {count:,} blocks ({answers:,} answers), median of {ROUNDS}")
            for name, work in exports.items():
                seconds, size = _timed(work)
                floor, _ = _timed(floors[name])
                print(
                    f"export --format {name}: {seconds:6.2f} s ({size / 1e6:.0f} MB)   floor (3 queries + "
                    f"{'json.dumps' if name == 'json' else 'csv.writer'}): {floor:5.2f} s   "
                    f"{seconds / floor:.2f}x (target <= 2x)"
                )
        finally:
            services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Benchmark: the checks at every open of the store (``PRAGMA quick_check``, the application id and the schema
revision, read-only) on a big store. Run: python -m benchmarks.store_checks [BLOCKS]

Sits 10 real 40-item blocks through the services on a store with the bundled packs, then copies their
sessions, items and events in SQL until the store holds BLOCKS blocks (default 2,000: years of daily use,
about 300,000 events). It times the checks (``store_file.inspect``) against two anchors measured in the same
run: reading the whole file once, and the rest of the open (``open_engine``, which includes the checks).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app.bootstrap import build
from app.core.clock import FakeClock
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.storage import store_file
from app.storage.db import DB_FILE, open_engine

ROUNDS = 5
REAL_BLOCKS = 10


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _big_store(data_dir: Path, blocks: int) -> None:
    clock = FakeClock()
    services = build(data_dir, clock=clock, sleep_threshold=float("inf"))
    rng = random.Random(1)
    try:
        for seed in range(REAL_BLOCKS):
            runner = services.blocks.start(BlockRequest(BlockFilter(), size=40, seed=seed))
            for position in range(40):
                clock.advance(70)
                runner.show(position)
                runner.select(position, rng.choice("ABCDE"))
            runner.end()
    finally:
        services.close()
    connection = sqlite3.connect(data_dir / DB_FILE)
    try:
        sessions = [row[0] for row in connection.execute("SELECT id FROM sessions ORDER BY id")]
        top = max(sessions)
        with connection:
            for copy in range(1, blocks // len(sessions)):
                for source in sessions:
                    new = top + (copy - 1) * len(sessions) + source
                    connection.execute(
                        "INSERT INTO sessions SELECT ?, kind, mode, status, time_limit, item_count, seed, settings, "
                        "created_at, ended_at, checkpoint, parent_id, parent_index FROM sessions WHERE id = ?",
                        (new, source),
                    )
                    connection.execute(
                        "INSERT INTO session_items SELECT ?, position, question_key, content_hash "
                        "FROM session_items WHERE session_id = ?",
                        (new, source),
                    )
                    connection.execute(
                        "INSERT INTO events (session_id, seq, kind, position, elapsed, payload, recorded_at) "
                        "SELECT ?, seq, kind, position, elapsed, payload, recorded_at FROM events WHERE session_id = ?",
                        (new, source),
                    )
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def main(argv: list[str]) -> int:
    """Build the store, then time the checks and the anchors ROUNDS times each."""
    blocks = int(argv[0]) if argv else 2000
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        started = time.perf_counter()
        _big_store(data_dir, blocks)
        path = data_dir / DB_FILE
        connection = sqlite3.connect(path)
        events = connection.execute("SELECT count(*) FROM events").fetchone()[0]
        sessions = connection.execute("SELECT count(*) FROM sessions").fetchone()[0]
        connection.close()
        print(
            f"store of {sessions} blocks, {events} events: {path.stat().st_size / 1e6:.1f} MB "
            f"(built in {time.perf_counter() - started:.0f} s, not measured)"
        )
        read_ms, check_ms, open_ms = [], [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            path.read_bytes()
            read_ms.append(_ms(started))
            started = time.perf_counter()
            verdict = store_file.inspect(path)
            check_ms.append(_ms(started))
            started = time.perf_counter()
            open_engine(data_dir).dispose()
            open_ms.append(_ms(started))
    assert verdict.kind is store_file.StoreKind.OURS
    for label, figures in (
        ("anchor: read the whole file once", read_ms),
        ("checks at open (quick_check, application id, revision)", check_ms),
        ("whole open (checks, schema check, pragmas; the first also makes the day's backup)", open_ms),
    ):
        print(f"{label}: n={ROUNDS} median {statistics.median(figures):.0f} ms, max {max(figures):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Benchmark: backups of a store with a long history (target: the daily copy at start-up <= 1 s and a
restore <= 2 s for 200 finished 40-item blocks).  Run: python -m benchmarks.backup_speed [BLOCKS]

Sits BLOCKS timed blocks through the real services on a temporary store with the bundled packs, then
times a manual backup (the backup API, quick_check, fsync, rename), the first open of a new UTC day
(which adds the daily copy to the open) against an open without one, and a restore of the copy.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.storage import backup
from app.storage.backup import BackupKind
from app.storage.db import DB_FILE, known_revisions, open_engine
from benchmarks.home_history import _sit_blocks

ROUNDS = 5


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 200
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        _sit_blocks(data_dir, count)
        live = data_dir / DB_FILE
        size_mb = live.stat().st_size / 1e6
        copy_ms, daily_ms, plain_ms, restore_ms = [], [], [], []
        day = datetime(2030, 1, 1, 8, tzinfo=UTC)
        for round_ in range(ROUNDS):
            started = time.perf_counter()
            made = backup.create_backup(live, BackupKind.MANUAL)
            copy_ms.append(_ms(started))
            wall = day + timedelta(days=round_)
            started = time.perf_counter()
            open_engine(data_dir, now=lambda wall=wall: wall).dispose()  # first open of the day: copies
            daily_ms.append(_ms(started))
            started = time.perf_counter()
            open_engine(data_dir, now=lambda wall=wall: wall).dispose()  # same day: no copy
            plain_ms.append(_ms(started))
            started = time.perf_counter()
            backup.restore(made.path, live, known_revisions())
            restore_ms.append(_ms(started))
    print(f"store of {count} blocks of 40 items: {size_mb:.1f} MB")
    for label, figures in (
        ("backup (blocksim backup)", copy_ms),
        ("open with the daily copy", daily_ms),
        ("open without a copy", plain_ms),
        ("restore (with the before-restore copy)", restore_ms),
    ):
        print(f"{label}: n={ROUNDS} median {statistics.median(figures):.0f} ms, max {max(figures):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Benchmark: the home screen with a long history (target: a warm refresh's median <= 50 ms, a cold one,
as at start-up, <= 500 ms, for 200 finished 40-item blocks; a single slow warm refresh is usually a full
garbage collection of Python's heap).  Run: python -m benchmarks.home_history [BLOCKS]

Sits BLOCKS timed blocks through the real services on a temporary store with the bundled packs
(70 s per item, a third of the answers changed once), then times ``MainWindow.refresh_home`` offscreen:
cold (nothing cached, as at start-up, including the block builder's pool counts) and warm (going back
to the home screen).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.bootstrap import build
from app.core.clock import FakeClock
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow

WARM_ROUNDS = 10


def _sit_blocks(data_dir: Path, count: int) -> None:
    clock = FakeClock()
    services = build(data_dir, clock=clock, sleep_threshold=float("inf"))
    rng = random.Random(1)
    try:
        for seed in range(count):
            runner = services.blocks.start(BlockRequest(BlockFilter(), size=40, seed=seed))
            for position in range(40):
                clock.advance(70)
                runner.show(position)
                runner.select(position, rng.choice("ABCDE"))
                if rng.random() < 0.3:
                    runner.select(position, rng.choice("ABCDE"))
            runner.end()
    finally:
        services.close()


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 200
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert app is not None
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        started = time.perf_counter()
        _sit_blocks(data_dir, count)
        print(f"sat {count} blocks of 40 items in {time.perf_counter() - started:.1f} s (setup, not measured)")
        services = build(data_dir)  # a fresh process's view: nothing cached
        try:
            started = time.perf_counter()
            window = MainWindow(services, Preferences())  # builds the home screen once
            cold_ms = (time.perf_counter() - started) * 1000
            warm_ms = []
            for _ in range(WARM_ROUNDS):
                started = time.perf_counter()
                window.refresh_home()
                warm_ms.append((time.perf_counter() - started) * 1000)
            rows = window.home.session_model.rowCount()
            window.deleteLater()
        finally:
            services.close()
    print(f"home screen, cold (window built at start-up): {cold_ms:.1f} ms for {rows} rows (target <= 500 ms)")
    print(
        f"home screen, warm refresh: n={WARM_ROUNDS} median {statistics.median(warm_ms):.1f} ms, "
        f"max {max(warm_ms):.1f} ms (target: median <= 50 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Benchmark: the home screen with a long history (targets at 2,500 finished 40-item blocks: a cold
build, as at start-up, <= 500 ms; a warm refresh's median <= 50 ms; growth linear or better).

Run: python -m benchmarks.home_history [BLOCKS ...]   (default 200 1000 2500)

The histories come from benchmarks.history_fixture (written in bulk through the store, cached under
/tmp). Cold: services opened afresh and ``MainWindow`` built (the home screen and every screen built at
start-up, pool counts included), nothing cached. Warm: ``refresh_home`` again (going back to the home
screen). A single slow warm refresh is usually a full garbage collection of Python's heap.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.bootstrap import build
from app.core.preferences import Preferences
from app.ui.main_window import MainWindow
from benchmarks.history_fixture import history_copy

WARM_ROUNDS = 10


def measure(count: int) -> tuple[float, float, float, int]:
    """(cold ms, warm median ms, warm max ms, rows listed) for ``count`` finished blocks."""
    with tempfile.TemporaryDirectory() as folder:
        data_dir = history_copy(count, Path(folder) / "data")
        build(data_dir, import_bundled=False).close()  # the day's first open makes a backup: not measured
        started = time.perf_counter()
        services = build(data_dir)  # a fresh process's view: nothing cached
        try:
            window = MainWindow(services, Preferences())  # builds the home screen once
            cold_ms = (time.perf_counter() - started) * 1000
            warm_ms = []
            for _ in range(WARM_ROUNDS):
                started = time.perf_counter()
                window.nav.refresh_home()
                warm_ms.append((time.perf_counter() - started) * 1000)
            rows = window.nav.screens.home.session_model.rowCount()
            window.deleteLater()
        finally:
            services.close()
    return cold_ms, statistics.median(warm_ms), max(warm_ms), rows


def main(argv: list[str]) -> int:
    counts = [int(a) for a in argv] or [200, 1000, 2500]
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert app is not None
    results = {count: measure(count) for count in counts}
    print("blocks   cold ms (<= 500)   warm median ms (<= 50)   warm max ms   rows shown")
    for count, (cold, warm, worst, rows) in results.items():
        print(f"{count:6d}   {cold:15.1f}   {warm:22.1f}   {worst:11.1f}   {rows:10d}")
    if len(counts) > 1:
        small, large = counts[0], counts[-1]
        print(
            f"growth {small} -> {large} blocks ({large / small:.1f}x the history): cold "
            f"{results[large][0] / results[small][0]:.1f}x, warm {results[large][1] / results[small][1]:.1f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

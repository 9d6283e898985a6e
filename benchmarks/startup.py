"""Benchmark: launch -> interactive home screen, in a fresh process each time, with the bundled packs.

Run: python -m benchmarks.startup [ROUNDS]

Each round starts ``python`` the way ``blocksim`` starts (the CLI, then the GUI) on an offscreen
platform and times from spawning it to the first turn of its event loop with the home screen shown,
where it prints its resident memory and quits. Anchor from the same run: a bare PySide6 window in its
own process. Targets: launch <= 2x the bare window; with 2,500 finished blocks <= 1.2x the empty
history; memory at home <= 2x the bare window's RSS.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.history_fixture import history_copy

BLOCKS = 2500

# Prints "ready RSS_KB" once the event loop runs, then quits (the window is on show by then).
_READY = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

def _rss_kb():
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))

def _ready():
    print("ready", _rss_kb(), flush=True)
    QApplication.instance().quit()

_exec = QApplication.exec
def _exec_then_quit(*_args):
    QTimer.singleShot(0, _ready)
    return _exec()
QApplication.exec = staticmethod(_exec_then_quit)
"""

BARE = (
    _READY
    + """
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.exec()
"""
)

APP = (
    _READY
    + """
from app.cli import main
raise SystemExit(main(["--data-dir", sys.argv[1]]))
"""
)


def _launch(code: str, *args: str) -> tuple[float, int]:
    root = str(Path(__file__).resolve().parent.parent)  # this checkout's app, whatever is installed
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=root)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=root,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("ready"):
            seconds = time.perf_counter() - started
            rss = int(line.split()[1])
            break
    else:
        raise SystemExit(f"the process never became ready: {process.communicate()[1][-2000:]}")
    process.communicate(timeout=60)
    return seconds, rss


def _median(code: str, rounds: int, *args: str) -> tuple[float, float]:
    _launch(code, *args)  # warm the file cache (and let a fresh folder make its daily backup)
    runs = [_launch(code, *args) for _ in range(rounds)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs) / 1024


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 5
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty"
        long = history_copy(BLOCKS, Path(folder) / "long")
        bare_s, bare_mb = _median(BARE, rounds)
        empty_s, empty_mb = _median(APP, rounds, str(empty))
        long_s, long_mb = _median(APP, rounds, str(long))
    print(f"medians of {rounds} launches each (offscreen), spawn -> first event-loop turn on the home screen")
    print(f"bare PySide6 window (anchor):  {bare_s * 1000:7.0f} ms  {bare_mb:6.1f} MB RSS")
    print(
        f"blocksim, empty history:       {empty_s * 1000:7.0f} ms  {empty_mb:6.1f} MB RSS  "
        f"{empty_s / bare_s:.2f}x bare (target <= 2x), RSS {empty_mb / bare_mb:.2f}x bare (target <= 2x)"
    )
    print(
        f"blocksim, {BLOCKS:,} finished blocks: {long_s * 1000:7.0f} ms  {long_mb:6.1f} MB RSS  "
        f"{long_s / empty_s:.2f}x empty history (target <= 1.2x), RSS {long_mb / empty_mb:.2f}x empty "
        f"(target <= 1.2x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Benchmark: launch -> interactive home screen, in a fresh process each time, with the bundled packs.

Run: python -m benchmarks.startup [ROUNDS] [--root CHECKOUT] [--empty-only]

Each round starts ``python`` the way ``blocksim`` starts (the CLI, then the GUI) on an offscreen
platform and times from spawning it to the first turn of its event loop with the home screen shown,
where it notes its resident memory and CPU time; it then watches the event loop for 2 s (the longest
stall between 10 ms timer ticks: work deferred past the first turn onto the GUI thread would show there)
and quits. Anchor from the same run: a bare PySide6 window in its own process. Targets: launch <= 2x
the bare window; with 2,500 finished blocks <= 1.2x the empty history; memory at home <= 2x the bare
window's RSS. ``--root /path/to/other/checkout`` launches that checkout's app with this harness (a
before figure).

Issue 13, medians of 5 on the 2-core machine, same harness, main (0a81ad5) -> h-p1:
  bare window 99 ms / 45.4 MB (93 ms in the second run);
  empty history 845 ms / 159.1 MB (8.6x / 3.5x bare) -> 584 ms / 117.2 MB (6.3x / 2.6x);
  2,500 blocks 1,018 ms / 162.3 MB -> 730 ms / 120.8 MB (1.25x empty: the same ~150 ms as before, on a
  smaller base). Longest GUI stall after the first turn: under 15 ms in both.

The floor of the fixed stack (second anchor): the bare window after ``import sqlalchemy.orm, pydantic``, as the
app imports them, before Qt. Medians of 5, main (a822991), a slower run of the same machine:
  bare window 145 ms / 45.4 MB; + SQLAlchemy ORM and pydantic 486 ms / 76.5 MB (3.34x / 1.69x bare);
  empty history 1,051 ms / 116.0 MB (7.22x / 2.56x bare, 2.16x / 1.52x the floor).
So the 2x-bare launch target lies below what importing the design card's libraries costs on their own: it can
only be met with SQLAlchemy and pydantic off the path to the first home screen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.history_fixture import history_copy

BLOCKS = 2500
PYCACHE = Path(tempfile.gettempdir()) / "blocksim-bench-pycache"

# Prints "ready RSS_KB STALL_MS" once the event loop runs with the window on show, then (after a short
# watch of the event loop) quits. The hook waits for the program's own import of PySide6.QtWidgets, so the
# harness imports nothing before the program does: what the program imports before Qt is timed as it is
# in a real launch (PySide6 scans the source of every module imported after it, so the order matters).
# STALL_MS is the longest gap between 10 ms ticks of a timer in the 2 s after the first turn, minus the
# tick: work deferred past the first turn and run on the GUI thread shows up there.
_READY = """
import sys, time
import importlib.abc, importlib.machinery

WATCH_S = float(__import__("os").environ.get("STARTUP_WATCH_S", "2"))

def _rss_kb():
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))

def _hook():
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    state = {}

    def _tick():
        now = time.perf_counter()
        state["stall"] = max(state["stall"], now - state["last"] - 0.010)
        state["last"] = now
        if now - state["start"] >= WATCH_S:
            print("ready", state["rss"], round(state["stall"] * 1000), flush=True)
            QApplication.instance().quit()

    def _ready():
        state.update(rss=_rss_kb(), stall=0.0, start=time.perf_counter(), last=time.perf_counter())
        print("shown", round(time.process_time() * 1000), flush=True)
        timer = QTimer(QApplication.instance())
        timer.setInterval(10)
        timer.timeout.connect(_tick)
        timer.start()

    _exec = QApplication.exec
    def _exec_then_quit(*_args):
        QTimer.singleShot(0, _ready)
        return _exec()
    QApplication.exec = staticmethod(_exec_then_quit)

class _AfterQtWidgets(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        original = spec.loader.exec_module
        def exec_module(module):
            original(module)
            sys.modules[name] = module
            _hook()
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _AfterQtWidgets())
"""

_WINDOW = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.exec()
"""
BARE = _READY + _WINDOW

# The floor the design card sets: the same bare window after importing the libraries it fixes for storage and
# validation (SQLAlchemy with its ORM, pydantic), in the order the app imports them (before Qt). The app's own
# figures can come down to this, not below it, without leaving those libraries off the path to the home screen.
STACK = _READY + "import sqlalchemy.orm, pydantic\n" + _WINDOW

APP = (
    _READY
    + """
from app.cli import main
raise SystemExit(main(["--data-dir", sys.argv[1]]))
"""
)


def _launch(code: str, root: Path, *args: str) -> tuple[float, int, int, int]:
    """Seconds from spawn to the first event-loop turn, RSS (kB) then, longest GUI stall (ms) after it, and the
    process's CPU time (ms) up to that turn (less disturbed than wall time by other work on the machine)."""
    # As an installed app starts: from compiled bytecode. PYTHONDONTWRITEBYTECODE (set in some shells) would
    # have every launch compile the app's modules from source again; the cache goes under /tmp, never into
    # the checkout. The warm-up launch fills it.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root), PYTHONPYCACHEPREFIX=str(PYCACHE))
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(root),
    )
    assert process.stdout is not None
    seconds = None
    for line in process.stdout:
        if line.startswith("shown") and seconds is None:
            seconds = time.perf_counter() - started
            cpu = int(line.split()[1])
        elif line.startswith("ready") and seconds is not None:
            _, rss, stall = line.split()
            break
    else:
        raise SystemExit(f"the process never became ready: {process.communicate()[1][-2000:]}")
    process.communicate(timeout=60)
    return seconds, int(rss), int(stall), cpu


def _median(code: str, rounds: int, root: Path, *args: str) -> tuple[float, float, int, float]:
    _launch(code, root, *args)  # warm the file cache (and let a fresh folder make its daily backup)
    runs = [_launch(code, root, *args) for _ in range(rounds)]
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs) / 1024,
        max(r[2] for r in runs),
        statistics.median(r[3] for r in runs),
    )


def _figures(seconds: float, mb: float, stall: int, cpu: float) -> str:
    return f"{seconds * 1000:7.0f} ms  {mb:6.1f} MB RSS  stall {stall:4d} ms  CPU {cpu:5.0f} ms"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__.splitlines()[0])
    parser.add_argument("rounds", nargs="?", type=int, default=5)
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="the checkout whose app is launched (default: this one; another one gives a before figure)",
    )
    parser.add_argument("--empty-only", action="store_true", help="skip the long history (quicker)")
    options = parser.parse_args(argv)
    rounds, root = options.rounds, options.root.resolve()
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty"
        bare_s, bare_mb, bare_stall, bare_cpu = _median(BARE, rounds, root)
        stack_s, stack_mb, stack_stall, stack_cpu = _median(STACK, rounds, root)
        empty_s, empty_mb, empty_stall, empty_cpu = _median(APP, rounds, root, str(empty))
        if not options.empty_only:
            long = history_copy(BLOCKS, Path(folder) / "long")
            long_s, long_mb, long_stall, long_cpu = _median(APP, rounds, root, str(long))
    print(f"app of {root}; medians of {rounds} launches each (offscreen), spawn -> first event-loop turn on home")
    print("CPU: the process's own CPU time up to that turn (steadier than wall time on a busy machine)")
    print("longest GUI stall: the longest gap between 10 ms timer ticks in the 2 s after that turn (max of runs)")
    print(f"bare PySide6 window (anchor):  {_figures(bare_s, bare_mb, bare_stall, bare_cpu)}")
    print(
        f"+ SQLAlchemy ORM and pydantic: {_figures(stack_s, stack_mb, stack_stall, stack_cpu)}  "
        f"{stack_s / bare_s:.2f}x bare, RSS {stack_mb / bare_mb:.2f}x bare (the fixed stack's floor)"
    )
    print(
        f"blocksim, empty history:       {_figures(empty_s, empty_mb, empty_stall, empty_cpu)}  "
        f"{empty_s / bare_s:.2f}x bare (target <= 2x), RSS {empty_mb / bare_mb:.2f}x bare (target <= 2x)"
    )
    if not options.empty_only:
        print(
            f"blocksim, {BLOCKS:,} finished blocks: {_figures(long_s, long_mb, long_stall, long_cpu)}  "
            f"{long_s / empty_s:.2f}x empty history (target <= 1.2x), RSS {long_mb / empty_mb:.2f}x empty "
            "(target <= 1.2x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

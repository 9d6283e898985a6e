"""Benchmark: the all-history analysis (``blocksim analyze --all``) at 10 k, 100 k and 1 M stored answers.

Targets on the 2-core reference machine: <= 200 ms at 100 k answers, <= 1 s at 1 M, growth no worse
than linear. Run: python -m benchmarks.analytics [N ...]   (e.g. ``10000 100000``; default all three)

For each size a temporary store gets the bundled packs and a synthetic history written straight into
the tables with bulk SQL: 40-item timed blocks (every answer an ``item_shown`` and an ``answer_selected``
event, a third changed once), eight blocks to an exam day in every other group, spread over a year.
Then the derived facts are built from those events (the one-off cost after the migration or a
``blocksim rebuild``, printed) and the analysis is timed: cold (a new service, as a fresh
``blocksim analyze --all``) and warm (median of repeated calls). Up to 100 k answers it also opens the
analytics dashboard of that history in a real offscreen window and prints the longest stall of the GUI
thread while it loads and draws (target <= 50 ms): while loading (with the longest garbage collection,
which holds the GIL whichever thread runs it), while drawing, and per drawing step (the step itself and
the stall around it, its layout and painting included), beside an anchor (a fixed pure-Python loop
timed in the same run: about 7 ms on the idle reference machine; larger means the machine is busy and
every figure grows with it).
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject

from app.bootstrap import Services, build
from app.core.exam_day import official_presets
from app.services.analysis import AnalysisService
from app.storage.db import DB_FILE
from app.ui.screens.analytics_screen import AnalyticsScreen

ITEMS = 40
LIMIT = 3600.0
SIZES = (10_000, 100_000, 1_000_000)
WARM_ROUNDS = 7
DAY_SETTINGS = json.dumps({"preset": official_presets().get("step2ck-legacy").model_dump(mode="json")})


def _fill(db: Path, answers: int, rng: random.Random) -> int:
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA synchronous=OFF")
    questions = connection.execute("SELECT key, answer, content_hash FROM questions WHERE retired = 0").fetchall()
    blocks = max(1, answers // ITEMS)
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    sessions, items, events, day_events = [], [], [], []
    next_id = 1
    day_id: int | None = None
    for b in range(blocks):
        group, index = divmod(b, 8)
        when = (start + timedelta(minutes=b * 525_600 // blocks)).isoformat(timespec="milliseconds")
        in_day = group % 2 == 1
        if in_day and index == 0:
            day_id = next_id
            next_id += 1
            sessions.append(
                (day_id, "day", "timed", "finished", 32400.0, 0, 0, DAY_SETTINGS, when, when, 0.0, None, None)
            )
            day_events.append((day_id, 1, "day_started", None, 0.0, "{}", when))
        sid = next_id
        next_id += 1
        parent = (day_id, index) if in_day else (None, None)
        ended = LIMIT - rng.uniform(0, 600)
        sessions.append((sid, "block", "timed", "finished", LIMIT, ITEMS, b, "{}", when, when, ended, *parent))
        if in_day:
            payload = json.dumps({"index": index, "session_id": sid, "time_limit": LIMIT})
            day_events.append((day_id, index + 2, "day_block_started", None, index * 3900.0, payload, when))
        chosen = rng.sample(questions, ITEMS)
        seq = 1
        events.append((sid, seq, "block_started", None, 0.0, "{}", when))
        t = 0.0
        step = ended / ITEMS
        for position, (key, answer, digest) in enumerate(chosen):
            items.append((sid, position, key, digest))
            seq += 1
            events.append((sid, seq, "item_shown", position, t, "{}", when))
            skill = 0.65 - 0.02 * index if in_day else 0.65
            label = answer if rng.random() < skill else rng.choice("ABCDE")
            seq += 1
            events.append((sid, seq, "answer_selected", position, t + step * 0.6, json.dumps({"label": label}), when))
            if rng.random() < 0.33:
                seq += 1
                other = answer if rng.random() < 0.5 else rng.choice("ABCDE")
                if other != label:
                    events.append(
                        (sid, seq, "answer_selected", position, t + step * 0.9, json.dumps({"label": other}), when)
                    )
            t += step * rng.uniform(0.3, 1.6) if position < ITEMS - 1 else 0.0
            t = min(t, ended - 1)
        seq += 1
        events.append((sid, seq, "block_ended", None, ended, json.dumps({"reason": "user"}), when))
    connection.executemany("INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", sessions)
    connection.executemany(
        "INSERT INTO session_items (session_id, position, question_key, content_hash) VALUES (?,?,?,?)", items
    )
    rows = events + day_events
    connection.executemany(
        "INSERT INTO events (session_id, seq, kind, position, elapsed, payload, recorded_at) VALUES (?,?,?,?,?,?,?)",
        rows,
    )
    connection.commit()
    connection.close()
    return len(events)


def run(answers: int) -> tuple[float, float, float]:
    rng = random.Random(answers)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        build(data_dir).close()  # the store, migrated, with the bundled packs
        started = time.perf_counter()
        event_count = _fill(data_dir / DB_FILE, answers, rng)
        filled = time.perf_counter() - started
        services = build(data_dir, import_bundled=False)
        started = time.perf_counter()
        derived = services.analysis.refresh_facts()
        rebuild = time.perf_counter() - started
        started = time.perf_counter()
        analysis = AnalysisService(services.store).history()
        cold = time.perf_counter() - started
        warm_times = []
        for _ in range(WARM_ROUNDS):
            started = time.perf_counter()
            services.analysis.history()
            warm_times.append(time.perf_counter() - started)
        warm = statistics.median(warm_times)
        stalls = gui_stall(services) if answers <= GUI_STALL_MAX_ANSWERS else None
        services.close()
    print(
        f"{analysis.total.n:>9,} answers in {len(analysis.session_ids):>6,} blocks ({event_count:,} events; "
        f"written in {filled:.1f} s, facts derived for {derived:,} blocks in {rebuild:.1f} s): "
        f"all-history analysis cold {1000 * cold:7.1f} ms, warm median {1000 * warm:7.1f} ms"
    )
    if stalls is not None:
        stalls.print()
    return float(analysis.total.n), cold, warm


GUI_STALL_MAX_ANSWERS = 100_000
HEARTBEAT_MS = 5
STALL_TARGET_MS = 50


@dataclass
class Stalls:
    """What the GUI thread went through while the dashboard loaded and drew (seconds)."""

    beats: list[float] = field(default_factory=list)
    loaded_at: float = 0.0
    steps: list[tuple[str, float, float]] = field(default_factory=list)
    """(step, start, end) of each drawing step on the GUI thread."""
    gc_pauses: list[float] = field(default_factory=list)
    anchor: float = 0.0

    def gaps(self, start: float, end: float) -> list[float]:
        """Gaps between heartbeats that end in [start, end]."""
        return [b - a for a, b in itertools.pairwise(self.beats) if start < b <= end] or [0.0]

    def gap_around(self, start: float, end: float) -> float:
        """The heartbeat gap that holds [start, end]: the step and the layout and painting after it."""
        for a, b in itertools.pairwise(self.beats):
            if a <= start and end <= b:
                return b - a
        return end - start

    def print(self) -> None:
        """The longest stall, where it came from, and the target."""
        first, last = self.beats[0], self.beats[-1]
        loading = max(self.gaps(first, self.loaded_at))
        drawing = max(self.gaps(self.loaded_at, last))
        ms = 1000
        print(
            f"{'':>9} dashboard in the window: loaded on the worker after {ms * (self.loaded_at - first):.0f} ms, "
            f"drawn after {ms * (last - first):.0f} ms; longest GUI-thread stall {ms * max(loading, drawing):.0f} ms "
            f"(target <= {STALL_TARGET_MS} ms)"
        )
        print(
            f"{'':>9}   while loading {ms * loading:.0f} ms (longest GC pause {ms * max(self.gc_pauses, default=0):.0f}"
            f" ms); while drawing {ms * drawing:.0f} ms; anchor (a fixed pure-Python loop) {ms * self.anchor:.0f} ms"
        )
        steps = ", ".join(
            f"{name} {ms * (end - start):.0f}/{ms * self.gap_around(start, end):.0f}" for name, start, end in self.steps
        )
        print(f"{'':>9}   drawing steps (ms on the step / the stall around it): {steps}")


def _anchor() -> float:
    """A fixed pure-Python workload: the same-run yardstick of how fast this machine is right now."""
    started = time.perf_counter()
    total = 0
    for n in range(300_000):
        total += n % 7
    return time.perf_counter() - started


def gui_stall(services: Services) -> Stalls:
    """Open the dashboard on all history in a real (offscreen) window and time the GUI thread's stalls.

    A 5 ms timer on the GUI thread notes when it fires: while the analysis loads on the worker the
    gaps stay short; the longest gap is the worst freeze a candidate would see (the charts' drawing
    when the figures arrive included). Each drawing step is timed too, with the gap around it (the
    step and the layout and painting it causes), and every garbage collection (a collection holds
    the GIL, so one on the worker freezes the window as well).
    """
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.preferences import Preferences
    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    gc.collect()  # the timings above left garbage of their own; measure the dashboard, not their collection
    window = MainWindow(services, Preferences())
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    stalls = Stalls(anchor=_anchor())
    screen = window.screens.analytics
    steps = _StepTimer(stalls, screen)
    screen._draw_timer.installEventFilter(steps)  # the step starts as its timer event arrives ...
    screen._draw_timer.timeout.connect(steps.ended)  # ... and ends after the screen's own slot
    show = screen.show_dashboard

    def shown(board: object) -> None:
        stalls.loaded_at = time.perf_counter()
        show(board)  # type: ignore[arg-type]

    screen.show_dashboard = shown  # type: ignore[method-assign]
    collecting: list[float] = []

    def collection(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            collecting[:] = [time.perf_counter()]
        elif collecting:
            stalls.gc_pauses.append(time.perf_counter() - collecting[0])

    heartbeat = QTimer()
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: stalls.beats.append(time.perf_counter()))
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(HEARTBEAT_MS)
    poll.timeout.connect(lambda: loop.quit() if screen.dashboard is not None and not screen.loading_now else None)
    gc.callbacks.append(collection)
    heartbeat.start()
    poll.start()
    stalls.beats.append(time.perf_counter())
    window.nav.analytics()
    loop.exec()
    stalls.beats.append(time.perf_counter())
    gc.callbacks.remove(collection)
    heartbeat.stop()
    poll.stop()
    del screen.show_dashboard
    window.close()
    window.deleteLater()
    app.processEvents()
    return stalls


class _StepTimer(QObject):
    """Times each drawing step of the dashboard and names the panels it drew."""

    def __init__(self, stalls: Stalls, screen: AnalyticsScreen) -> None:
        super().__init__()
        self.stalls = stalls
        self.screen = screen
        self.started = 0.0
        self.before: dict[str, object] = {}

    def _state(self) -> dict[str, object]:
        panels: dict[str, object] = {
            name: (panel.view.chart(), panel.stack.currentIndex(), panel.empty.text())
            for name, panel in self.screen.panels.items()
        }
        panels["triage"] = self.screen.triage_table.model()
        return panels

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Timer:
            self.before = self._state()
            self.started = time.perf_counter()
        return False

    def ended(self) -> None:
        now = time.perf_counter()
        after = self._state()
        drawn = "+".join(name for name, state in after.items() if self.before.get(name) != state) or "-"
        self.stalls.steps.append((drawn, self.started, now))


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] if argv else list(SIZES)
    results = [run(n) for n in sizes]
    if len(results) > 1:
        (n0, _, w0), (n1, _, w1) = results[0], results[-1]
        print(f"growth: {n1 / n0:.0f}x the answers took {w1 / w0:.1f}x the time (warm)")
    print(f"targets: <= 200 ms at 100 k answers, <= 1000 ms at 1 M; longest GUI-thread stall <= {STALL_TARGET_MS} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

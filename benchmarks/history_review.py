"""Benchmark: GUI-thread work of the review-across-history list at 10 k and 100 k items.

The items are loaded and indexed (:class:`ReviewIndex`: a bit mask per filter value, a sorted order
per column) on the worker; what the GUI thread does is fill the table model, filter it (each filter
change) and sort it (a header click), each a few C-level passes over the index. Synthetic
:class:`ReviewItem` objects stand in for a loaded history (no store is needed for these figures).
Target: <= 50 ms per step at 100 k items; the worker's indexing time is printed beside them, with
an anchor (a fixed pure-Python loop timed in the same run) that says how busy the machine was.
Run: python -m benchmarks.history_review [N ...]   (default 10000 100000)
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.analysis.facts import ItemFacts
from app.core.analysis.result import ItemAnalysis
from app.core.analysis.thresholds import PATTERNS
from app.services.dashboard import DashboardQuery
from app.services.item_review import ReviewItem, ReviewItems
from app.services.review_index import ReviewIndex
from app.ui.screens.history_review_screen import HistoryReviewScreen
from app.ui.workers import serial_pool

SIZES = (10_000, 100_000)
TARGET_MS = 50


def synthetic(count: int, rng: random.Random) -> ReviewItems:
    """``count`` items over a year, a third missed, with patterns and suggested reasons."""
    start = date(2026, 1, 1)
    items = []
    for n in range(count):
        key = rng.randrange(1, 400)
        correct = rng.random() < 0.66
        answer = None if rng.random() < 0.05 else ("A" if correct else "B")
        facts = ItemFacts(
            session_id=n // 40 + 1,
            position=n % 40,
            question_key=key,
            correct_answer="A",
            answer=answer,
            time_on_item_s=rng.uniform(5, 300),
            visits=1,
            first_shown_s=0.0,
            first_answer_s=10.0,
            first_selection=answer,
            changes=(),
            marked=rng.random() < 0.1,
            struck=(),
            highlights=(),
            note="",
        )
        missed = answer != "A"
        patterns = tuple(rng.sample(PATTERNS, 1)) if missed else ()
        analysis = ItemAnalysis(facts, f"q{key}", "pack", patterns, "reasoning-error" if missed else None, None)
        system = rng.choice(["cardiovascular", "respiratory", "renal-urinary", None])
        items.append(ReviewItem(analysis, start + timedelta(days=n * 365 // count), "medicine", system))
    return ReviewItems(DashboardQuery(), tuple(items))


def ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(SIZES)
    app = QApplication.instance() or QApplication([])
    pool = serial_pool(app)

    def no_load(query: object, progress: object) -> ReviewItems:
        raise AssertionError("not used")

    screen = HistoryReviewScreen(no_load, lambda _id: None, None, lambda _p, _f: None, pool)  # type: ignore[arg-type, return-value]
    screen.resize(1280, 800)
    screen.show()
    for size in sizes:
        loaded = synthetic(size, random.Random(size))
        anchor = _anchor()
        started = time.perf_counter()
        index = ReviewIndex(loaded)  # on the worker in the app, with the load
        indexed = ms(started)
        started = time.perf_counter()
        screen.question_view.hide()  # the item review is not part of these figures (no block is open)
        screen.table.selectionModel().blockSignals(True)
        screen.show_items(index)
        app.processEvents()
        fill = ms(started)
        started = time.perf_counter()
        screen.result_box.setCurrentIndex(screen.result_box.findData("incorrect"))
        app.processEvents()
        narrow = ms(started)
        started = time.perf_counter()
        screen.system_box.setCurrentIndex(screen.system_box.findData("cardiovascular"))
        app.processEvents()
        narrower = ms(started)
        started = time.perf_counter()
        screen.table.horizontalHeader().setSortIndicator(
            screen.model.HEADERS.index("Time"), Qt.SortOrder.DescendingOrder
        )
        app.processEvents()
        sort = ms(started)
        shown = screen.model.rowCount()
        started = time.perf_counter()
        screen.result_box.setCurrentIndex(0)
        screen.system_box.setCurrentIndex(0)
        app.processEvents()
        widen = ms(started)
        screen.table.selectionModel().blockSignals(False)
        print(
            f"{size:>7} items: indexed off the GUI thread in {indexed:6.0f} ms; on the GUI thread: "
            f"fill {fill:5.1f} ms, "
            f"filter to incorrect {narrow:5.1f} ms, and cardiovascular {narrower:5.1f} ms, sort by time {sort:5.1f} ms "
            f"({shown} rows), clear both filters {widen:5.1f} ms ({screen.model.rowCount()} rows); "
            f"anchor {anchor:.1f} ms"
        )
        screen.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    print(f"target: <= {TARGET_MS} ms on the GUI thread per step at 100 k items")


def _anchor() -> float:
    """A fixed pure-Python loop timed in the same run (about 7 ms on the idle reference machine)."""
    started = time.perf_counter()
    total = 0
    for n in range(300_000):
        total += n % 7
    return ms(started)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Benchmark: the printable report of all history, beside the analytics dashboard it draws, at 10 k and 100 k answers.

Run: python -m benchmarks.report [N ...]   (default 10000 100000)

For each size a temporary store gets the synthetic history of :mod:`benchmarks.analytics`. Printed, for
the command line (``blocksim report --all``): the history's load, the charts' rendering, the PDF's layout
and the atomic write, each timed; and for File → Save Report… in a real offscreen window: the time until
the PDF is written and the longest stall of the GUI thread meanwhile, beside the anchor measured in the
same run, the longest stall while the analytics dashboard loads and draws the same figures (target
<= 50 ms for both; one chart is rendered per turn of the event loop, like the dashboard draws them).
"""

from __future__ import annotations

import gc
import itertools
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from app.bootstrap import Services, build
from app.services.dashboard import DashboardQuery
from app.storage.db import DB_FILE
from benchmarks.analytics import HEARTBEAT_MS, _fill, gui_stall

SIZES = (10_000, 100_000)


def run(answers: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.core.atomic_file import write_bytes_atomic
    from app.ui.printable_report import encode_report, render_figure, report_figures

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        build(data_dir).close()
        _fill(data_dir / DB_FILE, answers, random.Random(answers))
        services = build(data_dir, import_bundled=False)
        services.analysis.refresh_facts()
        started = time.perf_counter()
        data = services.reports.load(DashboardQuery())
        loaded = time.perf_counter() - started
        renders = []
        rendered = []
        for figure in report_figures(data):
            started = time.perf_counter()
            rendered.append(render_figure(figure))
            renders.append(time.perf_counter() - started)
        out = Path(folder) / "report.pdf"
        started = time.perf_counter()
        content, pages = encode_report(data, rendered, out, "a4")
        laid_out = time.perf_counter() - started
        started = time.perf_counter()
        write_bytes_atomic(out, content)
        written = time.perf_counter() - started
        print(
            f"{data.board.analysis.total.n:>9,} answers: report --all: load {1000 * loaded:.0f} ms, "
            f"{len(renders)} charts rendered in {1000 * sum(renders):.0f} ms (longest {1000 * max(renders):.0f} ms), "
            f"PDF of {pages} pages laid out in {1000 * laid_out:.0f} ms ({len(content) / 1e6:.1f} MB), "
            f"written in {1000 * written:.0f} ms"
        )
        dashboard_stall, _shown = gui_stall(services)
        report_stall, saved = save_report_stall(services, Path(folder) / "window.pdf")
        print(
            f"{'':>9} File → Save Report… in the window: written after {1000 * saved:.0f} ms; longest GUI-thread "
            f"stall {1000 * report_stall:.0f} ms; anchor, the dashboard of the same history: longest stall "
            f"{1000 * dashboard_stall:.0f} ms (target <= 50 ms)"
        )
        services.close()
    del app


def save_report_stall(services: Services, out: Path) -> tuple[float, float]:
    """Save the all-history PDF from a real offscreen window; the longest gap between 5 ms heartbeats."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.preferences import Preferences
    from app.ui.main_window import MainWindow
    from app.ui.report_flow import ReportRequest

    app = QApplication.instance()
    assert app is not None
    gc.collect()
    window = MainWindow(services, Preferences())
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(HEARTBEAT_MS)
    poll.timeout.connect(lambda: loop.quit() if window.reports.saved == out else None)
    heartbeat.start()
    poll.start()
    started = time.perf_counter()
    beats.append(started)
    window.reports.start(ReportRequest(DashboardQuery(), "a4", out))
    loop.exec()
    saved = time.perf_counter() - started
    beats.append(time.perf_counter())
    heartbeat.stop()
    poll.stop()
    window.close()
    window.deleteLater()
    app.processEvents()
    return max(b - a for a, b in itertools.pairwise(beats)), saved


def main(argv: list[str]) -> int:
    for answers in [int(a) for a in argv] if argv else SIZES:
        run(answers)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

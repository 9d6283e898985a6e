"""The printable report: `blocksim report` and File → Save Report…, HTML and PDF, in black and white."""

from __future__ import annotations

import html
import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.cli import main
from app.core.clock import FakeClock
from app.core.exam_day import DayPreset
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.services.dashboard import DashboardQuery
from app.services.days import DayRequest
from app.services.report import NOTHING_SAT
from app.ui.main_window import MainWindow
from app.ui.printable_report import chart_png, default_page_size
from app.ui.report_figures import NAMES, figures
from app.ui.report_flow import ReportRequest, ReportScope, SaveReportDialog
from app.ui.widgets.charts import DARK, LIGHT, PRINT, CategoryBar, accuracy_bars, grouped_bars, histogram

DAY = DayPreset(
    id="tiny", name="Tiny", blocks=3, block_minutes=6, items_per_block=4, tutorial_minutes=0, break_minutes=5
)
ROOT = Path(__file__).resolve().parents[2]


def sit_day(services: Services, clock: FakeClock) -> int:
    rng = random.Random(4)
    day = services.days.start(DayRequest(preset=DAY, block_filter=BlockFilter(), seed=1))
    for _ in range(DAY.blocks):
        block = day.start_next_block()
        for position in range(DAY.items_per_block):
            clock.advance(rng.choice([10, 60, 100]))
            block.show(position)
            block.select(position, rng.choice("ABCDE"))
        day.end_block()
    return day.session.id


def sit_block(services: Services, clock: FakeClock) -> int:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, minutes=6, seed=2))
    for position, label in enumerate("ABCE"):
        runner.show(position)
        clock.advance(40)
        runner.select(position, label)
    runner.end()
    return runner.session_id


def report(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), "report", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def test_a_day_report_as_html_holds_every_table_and_a_picture_of_every_chart(
    qtbot: QtBot, services: Services, clock: FakeClock, data_tmpdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    day = sit_day(services, clock)
    out = tmp_path / "day.html"
    code, printed, _ = report(data_tmpdir, capsys, "--day", str(day), "--out", str(out))
    assert code == 0 and printed.strip() == f"wrote the HTML report of Exam day {day} to {out}"
    text = out.read_text(encoding="utf-8")
    board = services.dashboard.load(DashboardQuery("day", day))
    a = board.analysis
    assert f"{a.total.k} of {a.total.n} correct" in text
    for stat in a.categories:
        if stat.kind in ("discipline", "system", "task"):
            assert html.escape(stat.label, quote=True) in text, stat.label
            assert f">{100 * stat.accuracy:.1f}<" in text and f">{100 * stat.ci_high:.1f}<" in text
    for count in board.histogram.counts:
        assert f">{count}<" in text
    charts = [f for f in figures(board, PRINT) if f.chart is not None]
    images = re.findall(r"<img src='data:image/png;base64,([A-Za-z0-9+/=]+)'", text)
    assert len(images) == len(charts) >= 6
    assert all(f"alt='{html.escape(f.title, quote=True)}'" in text for f in charts)
    [pack] = services.store.packs()
    assert f"Exam day {day}" in text and f"<td><b>Packs</b></td><td>{html.escape(pack.title)}</td>" in text
    assert re.search(r"<td><b>Generated</b></td><td>\d{4}-\d\d-\d\d \d\d:\d\d", text)


def test_a_day_report_as_pdf_has_several_pages(
    qtbot: QtBot, services: Services, clock: FakeClock, data_tmpdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    day = sit_day(services, clock)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "day.pdf"
    code, printed, _ = report(data_tmpdir, capsys, "--day", str(day), "--out", str(out), "--page", "letter")
    data = out.read_bytes()
    assert code == 0 and data.startswith(b"%PDF")
    pages = pdf_pages(data)
    assert pages > 1 and printed.strip().endswith(f", {pages} page(s)")
    assert re.search(rb"/MediaBox \[0 0 612(\.0+)? 792(\.0+)?\]", data)  # Letter, in points
    code, _, _ = report(data_tmpdir, capsys, "--day", str(day), "--out", str(out), "--page", "a4")
    assert code == 0 and re.search(rb"/MediaBox \[0 0 595(\.0+)? 842(\.0+)?\]", out.read_bytes())
    assert [p.name for p in out.parent.iterdir()] == ["day.pdf"]  # written atomically, no temporary left


def test_a_block_report_and_an_empty_range(
    qtbot: QtBot, services: Services, clock: FakeClock, data_tmpdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    block = sit_block(services, clock)
    out = tmp_path / "block.html"
    assert report(data_tmpdir, capsys, "--session", str(block), "--out", str(out))[0] == 0
    assert f"Block {block}" in out.read_text(encoding="utf-8")
    empty = tmp_path / "empty.html"
    code, _, _ = report(data_tmpdir, capsys, "--all", "--since", "2100-01-01", "--out", str(empty))
    text = empty.read_text(encoding="utf-8")
    assert code == 0 and NOTHING_SAT in text and "<img" not in text and "<h2>" not in text
    assert "All history from 2100-01-01" in text
    code, _, _ = report(data_tmpdir, capsys, "--all", "--since", "2100-01-01", "--out", str(tmp_path / "empty.pdf"))
    assert code == 0 and pdf_pages((tmp_path / "empty.pdf").read_bytes()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--session", "999", "--out", "{tmp}/r.html"], "blocksim: no session 999"),
        (["--day", "999", "--out", "{tmp}/r.pdf"], "blocksim: no session 999"),
        (["--all", "--out", "{tmp}/r.docx"], "the file name must end in .html or .pdf"),
        (["--all", "--out", "{tmp}/missing/r.html"], "the folder {tmp}/missing does not exist"),
        (["--day", "1", "--since", "2026-01-01", "--out", "{tmp}/r.html"], "--since, --until and --pack go with --all"),
    ],
)
def test_bad_requests_are_one_clear_line(
    services: Services,
    data_tmpdir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    code, out, err = report(data_tmpdir, capsys, *[a.format(tmp=tmp_path) for a in args])
    assert code == 1 and out == "" and message.format(tmp=tmp_path) in err and "Traceback" not in err
    assert list(tmp_path.glob("**/r.*")) == []


@pytest.mark.parametrize("display", [None, ":987"])
def test_the_command_runs_without_a_display(
    services: Services, clock: FakeClock, data_tmpdir: Path, tmp_path: Path, display: str | None
) -> None:
    """No display, or one that cannot be reached: offscreen, never Qt's platform-plugin abort."""
    block = sit_block(services, clock)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    if display is not None:
        env["DISPLAY"] = display
    out = tmp_path / "r.pdf"
    command = [sys.executable, "-m", "app", "--data-dir", str(data_tmpdir), "report", "--session", str(block)]
    result = subprocess.run(
        [*command, "--out", str(out)], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "This application failed to start" not in result.stderr and out.read_bytes().startswith(b"%PDF")
    assert result.stdout.startswith("wrote the PDF report")


def test_the_print_palette_has_no_saturated_colour(qtbot: QtBot) -> None:
    assert all(colour.hsvSaturation() == 0 for colour in PRINT.colours())
    assert any(colour.hsvSaturation() > 100 for colour in LIGHT.colours() + DARK.colours())  # the test can fail
    bars = [CategoryBar("Renal", 10, 0.4, 0.17, 0.69), CategoryBar("Nervous", 30, 0.7, 0.52, 0.83)]
    charts = [
        accuracy_bars("Accuracy", bars, 0.6, palette=PRINT),
        histogram("Time", [0, 30, 60, 90, 120], [1, 3, 2, 1], 90, 30, 90, palette=PRINT),
        grouped_bars("Changes", ["a", "b"], [("You", [1.0, 2.0]), ("Published", [2.0, 1.0])], "%", palette=PRINT),
    ]
    for chart in charts:
        image = QImage.fromData(chart_png(chart, 320, 200, scale=1))
        saturations = {
            QColor(image.pixel(x, y)).hsvSaturation() for x in range(0, image.width(), 2) for y in range(image.height())
        }
        assert max(saturations) <= 12, chart.title()  # antialiasing aside, grey only
    screen_chart = QImage.fromData(chart_png(accuracy_bars("Accuracy", bars, 0.6, palette=LIGHT), 320, 200, scale=1))
    assert max(QColor(screen_chart.pixel(x, 100)).hsvSaturation() for x in range(screen_chart.width())) > 100


def test_the_page_size_follows_the_locale() -> None:
    try:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert default_page_size() == "letter"
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        assert default_page_size() == "a4"
    finally:
        QLocale.setDefault(QLocale.system())


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.screens.analytics.cancel()
    win.reports.cancel()
    win.worker.waitForDone(5000)


def test_the_screen_and_the_report_draw_the_same_figures(
    window: MainWindow, qtbot: QtBot, services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    day = sit_day(services, clock)
    screen = window.screens.analytics
    window.nav.analytics("day", day)
    qtbot.waitUntil(lambda: screen.dashboard is not None and not screen.loading_now, timeout=10_000)
    board = screen.dashboard
    assert board is not None
    report = [(f.name, f.title) for f in figures(board, PRINT)]
    assert [name for name, _ in report] == list(NAMES)
    assert list(screen.shown_titles.items()) == report
    for name, title in report:
        panel = screen.panels.get(name)
        if panel is not None and not panel.is_empty:
            assert panel.view.chart().title() == title, name
    html_path = tmp_path / "r.html"
    window.reports.start(ReportRequest(DashboardQuery("day", day), "a4", html_path))
    qtbot.waitUntil(lambda: window.reports.saved == html_path, timeout=20_000)
    text = html_path.read_text(encoding="utf-8")
    assert [t for t in re.findall(r"<h2>(.*?)</h2>", text)] == [html.escape(t, quote=True) for _, t in report]


def test_file_save_report_offers_the_block_on_show_and_writes_it(
    window: MainWindow, qtbot: QtBot, services: Services, clock: FakeClock, tmp_path: Path, monkeypatch
) -> None:
    block = sit_block(services, clock)
    action = window.menu_actions["save_report"]
    assert action.shortcut().toString() == "Ctrl+P" and action.text() == "Save &Report…"
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()  # type: ignore[union-attr]
    offered: list[list[ReportScope]] = []
    out = tmp_path / "block.pdf"

    def ask(_parent: object, scopes: list[ReportScope], page: str, folder: Path) -> ReportRequest:
        offered.append(scopes)
        return ReportRequest(scopes[0].query, page, out)

    monkeypatch.setattr(SaveReportDialog, "ask", ask)
    window.nav.review(block)
    action.trigger()
    assert [s.label for s in offered[0]] == [f"This block ({block})", "All history"]
    assert offered[0][0].query == DashboardQuery("session", block)
    qtbot.waitUntil(lambda: window.reports.saved == out, timeout=20_000)
    assert out.read_bytes().startswith(b"%PDF") and not window.reports.busy
    assert pdf_pages(out.read_bytes()) > 1 and not window.reports.progress.isVisible()
    assert str(out) in window.statusBar().currentMessage()
    # From the day summary: this exam day; from the dashboard's history with a pack chosen: that pack.
    day = sit_day(services, clock)
    window.nav.day_summary(day)
    action.trigger()
    assert offered[-1][0].label == f"This exam day ({day})"
    qtbot.waitUntil(lambda: not window.reports.busy, timeout=20_000)
    window.nav.analytics()
    window.screens.analytics.pack_box.setCurrentIndex(1)
    action.trigger()
    [history] = offered[-1]
    assert history.query.pack == window.screens.analytics.pack_box.currentData() and history.query.scope == "all"
    qtbot.waitUntil(lambda: not window.reports.busy, timeout=20_000)


def test_cancel_writes_nothing(
    window: MainWindow, qtbot: QtBot, services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    day = sit_day(services, clock)
    out = tmp_path / "day.pdf"
    saver = window.reports
    saver.start(ReportRequest(DashboardQuery("day", day), "a4", out))
    assert saver.busy and saver.progress.isVisible()
    saver.progress.findChild(QPushButton).click()  # the dialog's Cancel button
    assert not saver.busy
    window.worker.waitForDone(5000)
    qtbot.waitUntil(lambda: not saver._timer.isActive(), timeout=5000)
    assert not out.exists() and saver.saved is None


def test_the_dialog_checks_the_file_name(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr("app.ui.report_flow.show_error", lambda _p, _t, message: errors.append(message))
    scopes = [
        ReportScope("This exam day (3)", DashboardQuery("day", 3), "blocksim-day-3"),
        ReportScope("All history", DashboardQuery(), "blocksim-history"),
    ]
    dialog = SaveReportDialog(scopes, "letter", tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.path_edit.text() == str(tmp_path / "blocksim-day-3.pdf")
    assert dialog.page_box.currentData() == "letter"
    dialog.format_box.setCurrentIndex(1)
    dialog.scope_box.setCurrentIndex(1)
    assert dialog.request() == ReportRequest(DashboardQuery(), "letter", tmp_path / "blocksim-history.html")
    dialog.path_edit.setText(str(tmp_path / "notes.txt"))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.result() != dialog.DialogCode.Accepted and "must end in .html or .pdf" in errors[0]

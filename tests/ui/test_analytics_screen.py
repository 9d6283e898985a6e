"""The analytics dashboard: empty state, a block's figures, triage practice, loading off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.clock import FakeClock
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from app.ui.screens.analytics_screen import EMPTY, AnalyticsScreen


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.screens.analytics.cancel()
    win.worker.waitForDone(5000)


def loaded(qtbot: QtBot, screen: AnalyticsScreen) -> None:
    qtbot.waitUntil(lambda: screen.dashboard is not None and not screen.loading_now, timeout=10_000)


def sit(services: Services, clock: FakeClock, answers: list[tuple[str, float]]) -> int:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=len(answers), minutes=10, seed=4))
    for position, (label, seconds) in enumerate(answers):
        runner.show(position)
        clock.advance(seconds)
        runner.select(position, label)
    runner.end()
    return runner.session_id


def test_an_empty_history_says_what_to_do(window: MainWindow, qtbot: QtBot) -> None:
    window.screens.home.analytics_button.click()
    screen = window.screens.analytics
    assert window.stack.currentWidget() is screen
    loaded(qtbot, screen)
    assert EMPTY in screen.summary.text() and not screen.figures.isVisible()
    assert all(panel.is_empty for panel in screen.panels.values())
    assert screen.panels["pacing"].empty.text() == EMPTY
    assert not screen.review_button.isEnabled() and not screen.practice_button.isEnabled()


def test_a_block_is_drawn_beside_its_figures(
    window: MainWindow, qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    session = sit(services, clock, [("A", 5), ("B", 100), ("C", 40), ("D", 200), ("E", 20), ("A", 60)])
    window.nav.review(session)
    window.screens.results.analysis_button.click()
    screen = window.screens.analytics
    loaded(qtbot, screen)
    board = screen.dashboard
    assert board is not None and board.query.scope == "session" and board.query.target == session
    assert screen.scope_box.currentText() == "This block"
    assert f"{board.analysis.total.k} of 6 correct" in screen.summary.text()
    for name in ("discipline", "system", "time", "pacing", "patterns"):
        assert not screen.panels[name].is_empty, name
    systems = [s for s in board.analysis.categories if s.kind == "system"]
    model = screen.panels["system"].model
    assert model is not None and model.rowCount() == len(systems)
    weakest = min(systems, key=lambda s: (s.accuracy, -s.n))
    assert model.item(0, 0).text() == weakest.label and model.item(0, 1).text() == str(weakest.n)
    time_model = screen.panels["time"].model
    assert time_model is not None
    assert sum(int(time_model.item(r, 1).text()) for r in range(time_model.rowCount())) == 6
    # Back to all history: the same single block, now as part of the history.
    screen.scope_box.setCurrentIndex(0)
    screen.refresh()
    loaded(qtbot, screen)
    assert screen.dashboard is not None and screen.dashboard.query.scope == "all"


def test_a_triage_row_starts_a_block_on_its_category(
    window: MainWindow, qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    for _ in range(2):
        sit(services, clock, [("E", 60)] * 6)  # every answer wrong: every category is weak
    window.nav.analytics()
    screen = window.screens.analytics
    loaded(qtbot, screen)
    board = screen.dashboard
    assert board is not None and board.analysis.triage
    assert screen.practice_button.isEnabled()
    entry = board.analysis.triage[0]
    screen.practice_button.click()
    assert window.stack.currentWidget() is window.screens.block
    controller = window.screens.block.controller
    assert controller is not None
    keys = {q.key for q in controller.runner.questions}
    assert keys and keys <= set(services.blocks.category_keys(entry.kind, entry.name))
    controller.stop()


def test_cancel_keeps_the_window_usable(window: MainWindow, qtbot: QtBot) -> None:
    screen = window.screens.analytics
    window.nav.analytics()
    screen.cancel()
    assert not screen.loading.isVisible()
    window.worker.waitForDone(5000)
    screen.refresh()
    loaded(qtbot, screen)
    assert screen.dashboard is not None


def test_charts_follow_the_zoom_and_the_theme(
    window: MainWindow, qtbot: QtBot, services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCharts import QChart

    from app.ui.appearance import BASE_POINT_SIZE, ZOOM_STEP

    sit(services, clock, [("A", 30), ("B", 60), ("C", 90)])
    window.nav.analytics()
    screen = window.screens.analytics
    loaded(qtbot, screen)
    window.appearance.zoom(2)
    loaded(qtbot, screen)
    chart = screen.panels["discipline"].view.chart()
    assert chart.titleFont().pointSizeF() == pytest.approx(BASE_POINT_SIZE + 2 * ZOOM_STEP)
    assert chart.theme() is QChart.ChartTheme.ChartThemeLight
    window.appearance.toggle_dark()
    loaded(qtbot, screen)
    assert screen.panels["discipline"].view.chart().theme() is QChart.ChartTheme.ChartThemeDark


def test_charts_in_high_contrast_are_drawn_on_black_in_its_colours(
    window: MainWindow, qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    from PySide6.QtCharts import QBarSeries, QHorizontalBarSeries

    sit(services, clock, [("A", 30), ("B", 60), ("C", 90)])
    window.nav.analytics()
    screen = window.screens.analytics
    loaded(qtbot, screen)
    window.appearance.set_theme("high_contrast")
    loaded(qtbot, screen)
    drawn = [panel.view.chart() for panel in screen.panels.values() if panel.view.chart().series()]
    assert len(drawn) >= 4  # a panel with nothing to draw shows its message instead
    for chart in drawn:
        assert chart.backgroundBrush().color().name() == "#000000", chart.title()
        assert chart.titleBrush().color().name() == "#ffffff"
        for axis in chart.axes():
            assert axis.labelsColor().name() == "#ffffff"
    bars = screen.panels["discipline"].view.chart().series()
    fills = {
        bar_set.brush().color().name()
        for series in bars
        if isinstance(series, QHorizontalBarSeries | QBarSeries)
        for bar_set in series.barSets()
    }
    assert fills and fills <= {"#ffff00", "#00e5ff", "#ffffff"}

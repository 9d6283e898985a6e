"""Chart builders draw exactly the figures handed to them; panels show a message when empty."""

from __future__ import annotations

from PySide6.QtCharts import QAreaSeries, QHorizontalBarSeries, QLineSeries
from pytestqt.qtbot import QtBot

from app.ui.widgets.charts import CategoryBar, ChartPanel, accuracy_bars, histogram, line_chart, table_model


def test_accuracy_bars_draw_each_category_with_its_whisker_and_the_pass_line(qtbot: QtBot) -> None:
    rows = [CategoryBar("Renal", 10, 0.4, 0.17, 0.69), CategoryBar("Nervous", 30, 0.7, 0.52, 0.83)]
    chart = accuracy_bars("Accuracy", rows, 0.6)
    [bars] = [s for s in chart.series() if isinstance(s, QHorizontalBarSeries)]
    values = [bars.barSets()[0].at(i) for i in range(2)]
    assert values == [70.0, 40.0]  # drawn bottom-up, so the weakest (first) row is on top
    lines = [s for s in chart.series() if isinstance(s, QLineSeries)]
    whiskers = [[(p.x(), p.y()) for p in s.points()] for s in lines if not s.name()]
    assert [(round(a[0], 1), round(b[0], 1)) for a, b in whiskers] == [(52.0, 83.0), (17.0, 69.0)]
    [pass_line] = [s for s in lines if s.name().startswith("Pass line")]
    assert {p.x() for p in pass_line.points()} == {60.0}


def test_histogram_shades_both_zones_and_draws_the_pace_line(qtbot: QtBot) -> None:
    chart = histogram("Time", [0, 30, 60, 90, 120, 150, 180, 210], [1, 2, 3, 4, 3, 2, 1], 90, 30, 180)
    zones = sorted(s.name() for s in chart.series() if isinstance(s, QAreaSeries))
    assert zones == ["Items", "Rushed zone", "Time-sink zone"]
    [pace] = [s for s in chart.series() if s.name().startswith("Pace")]
    assert {p.x() for p in pace.points()} == {90.0}  # type: ignore[attr-defined]


def test_panel_shows_the_message_until_there_is_something_to_draw(qtbot: QtBot) -> None:
    panel = ChartPanel("pacing", "Sit a block to see your analysis")
    qtbot.addWidget(panel)
    assert panel.is_empty and panel.empty.text() == "Sit a block to see your analysis"
    model = table_model(["t", "items"], [(0.0, 0), (60.0, 1)])
    panel.show_chart(line_chart("Pacing", [("You", [(0, 0), (60, 1)])], "s", "items"), model)
    assert not panel.is_empty and panel.table.model() is model
    assert model.item(1, 0).text() == "60.0" and model.item(1, 1).text() == "1"


def test_a_panels_size_hint_does_not_follow_its_chart(qtbot: QtBot) -> None:
    """A chart view hinting its scene's size made every resize lay the whole dashboard out again."""
    panel = ChartPanel("time", "empty")
    qtbot.addWidget(panel)
    panel.show_chart(line_chart("Pacing", [("You", [(0, 0), (60, 1)])], "s", "items"), table_model(["t"], []), 300)
    panel.resize(700, 320)
    panel.show()
    hint = panel.view.sizeHint()
    panel.resize(1400, 500)
    qtbot.waitUntil(lambda: panel.view.chart().size().width() > 700)
    assert panel.view.sizeHint() == hint and hint.height() == 300

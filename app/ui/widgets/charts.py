"""Charts are views of numbers: each QtCharts chart is drawn from the same rows a table shows beside it.

The builders take plain figures (never recompute analytics) and return a ``QChart``;
:class:`ChartPanel` puts a chart next to the table model of its figures, or says what to do when
there is nothing to draw yet ("Sit a block to see your analysis"), never an empty axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QAreaSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QStackedWidget, QTableView, QVBoxLayout, QWidget

from app.ui.widgets.naming import named


@dataclass(frozen=True)
class Palette:
    """How a chart is drawn: the screen's light or dark colours, or paper's black and greys.

    ``ink`` and ``accent`` stay apart in grey scale; on paper (``paper``) series are told apart by
    fill patterns, line styles and value labels on the bars, never by colour alone.
    """

    ink: QColor
    accent: QColor
    guide: QColor
    zone_low: QBrush
    zone_high: QBrush
    fills: tuple[QBrush, ...]
    """The bar sets' fills, in order (e.g. "You", then "Published")."""
    dark: bool = False
    paper: bool = False
    ground: QColor | None = None
    """A ground of its own (paper, high contrast), with ``text`` and ``grid``; None keeps the Qt chart theme's."""
    text: QColor | None = None
    grid: QColor | None = None
    area: QColor | None = None
    """The histogram's fill; None derives it from ``ink``."""

    def colours(self) -> list[QColor]:
        """Every colour the palette draws with (brushes included)."""
        brushes = (self.zone_low, self.zone_high, *self.fills)
        return [self.ink, self.accent, self.guide, *(b.color() for b in brushes)]


def _solid(*colours: QColor) -> tuple[QBrush, ...]:
    return tuple(QBrush(c) for c in colours)


_LIGHT_INK, _LIGHT_ACCENT, _LIGHT_GUIDE = QColor("#1f4e79"), QColor("#c55a11"), QColor("#6f6f6f")
_DARK_INK, _DARK_ACCENT, _DARK_GUIDE = QColor("#7fb3e6"), QColor("#f4a259"), QColor("#b0b0b0")
LIGHT = Palette(
    _LIGHT_INK,
    _LIGHT_ACCENT,
    _LIGHT_GUIDE,
    QBrush(QColor(197, 90, 17, 50)),
    QBrush(QColor(31, 78, 121, 50)),
    _solid(_LIGHT_INK, _LIGHT_ACCENT, _LIGHT_GUIDE),
)
DARK = Palette(
    _DARK_INK,
    _DARK_ACCENT,
    _DARK_GUIDE,
    QBrush(QColor(244, 162, 89, 60)),
    QBrush(QColor(127, 179, 230, 60)),
    _solid(_DARK_INK, _DARK_ACCENT, _DARK_GUIDE),
    dark=True,
)
PRINT = Palette(
    QColor("#000000"),
    QColor("#000000"),
    QColor("#555555"),
    QBrush(QColor("#000000"), Qt.BrushStyle.BDiagPattern),
    QBrush(QColor("#000000"), Qt.BrushStyle.FDiagPattern),
    (
        QBrush(QColor("#b4b4b4")),
        QBrush(QColor("#000000"), Qt.BrushStyle.BDiagPattern),
        QBrush(QColor("#000000"), Qt.BrushStyle.Dense5Pattern),
    ),
    paper=True,
    ground=QColor("#ffffff"),
    text=QColor("#000000"),
    grid=QColor("#c8c8c8"),
    area=QColor("#b4b4b4"),
)
"""Black, greys and hatching: a report reads the same on a black-and-white printer."""
_HC_INK, _HC_ACCENT, _HC_GUIDE = QColor("#ffff00"), QColor("#00e5ff"), QColor("#ffffff")
HIGH_CONTRAST = Palette(
    _HC_INK,
    _HC_ACCENT,
    _HC_GUIDE,
    QBrush(_HC_ACCENT, Qt.BrushStyle.BDiagPattern),
    QBrush(_HC_INK, Qt.BrushStyle.FDiagPattern),
    (QBrush(_HC_INK), QBrush(_HC_ACCENT), QBrush(_HC_GUIDE, Qt.BrushStyle.Dense4Pattern)),
    dark=True,
    ground=QColor("#000000"),
    text=QColor("#ffffff"),
    grid=QColor("#8c8c8c"),
    area=QColor("#806f00"),
)
"""The high-contrast theme's: yellow, cyan and white on black, zones hatched rather than tinted."""
PAPER_BAR = QColor("#b4b4b4")
"""The fill of the accuracy bars on paper: light enough for the black whiskers and labels on it."""


@dataclass(frozen=True)
class CategoryBar:
    """One category's accuracy with its 95 % interval, as a bar with whiskers draws it."""

    name: str
    n: int
    accuracy: float
    low: float
    high: float


def _chart(title: str, palette: Palette) -> QChart:
    chart = QChart()
    # The theme first: it resets every colour, so the series' own colours come after it.
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if palette.dark else QChart.ChartTheme.ChartThemeLight)
    chart.setTitle(title)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    return chart


def chart_palette(theme_key: str, *, dark: bool) -> Palette:
    """The screen palette of the theme called ``theme_key`` (``dark`` for the themes without one of their own)."""
    if theme_key == "high_contrast":
        return HIGH_CONTRAST
    return DARK if dark else LIGHT


def _finish(chart: QChart, palette: Palette) -> QChart:
    """A palette with a ground of its own (paper: white, black text and a grey grid, since the light theme's tints
    would print as smudges; high contrast: black, white text) replaces the Qt chart theme's ground and text."""
    if palette.ground is None or palette.text is None or palette.grid is None:
        return chart
    text, grid = palette.text, palette.grid
    chart.setBackgroundBrush(QBrush(palette.ground))
    chart.setBackgroundPen(QPen(Qt.PenStyle.NoPen))
    chart.setPlotAreaBackgroundVisible(False)
    chart.setTitleBrush(QBrush(text))
    chart.legend().setLabelColor(text)
    for axis in chart.axes():
        axis.setLabelsColor(text)
        axis.setTitleBrush(QBrush(text))
        axis.setLinePenColor(text)
        axis.setGridLineColor(grid)
        axis.setShadesVisible(False)
    return chart


def _line(name: str, points: Sequence[tuple[float, float]], colour: QColor, width: float = 2.0) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    series.append([QPointF(x, y) for x, y in points])
    pen = QPen(colour)
    pen.setWidthF(width)
    series.setPen(pen)
    return series


def _short(name: str, limit: int = 34) -> str:
    """A category name short enough for an axis label (the table beside the chart has it whole)."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _label_bars(series: QAbstractBarSeries, position: QAbstractBarSeries.LabelsPosition, unit: str = "") -> None:
    """Print each bar's value on it: on paper a number tells more than a shade of grey."""
    series.setLabelsVisible(True)
    series.setLabelsFormat(f"@value{unit}")
    series.setLabelsPrecision(3)
    series.setLabelsPosition(position)
    for bar_set in series.barSets():
        bar_set.setLabelColor(QColor("#000000"))


def accuracy_bars(title: str, rows: Sequence[CategoryBar], pass_line: float, *, palette: Palette = LIGHT) -> QChart:
    """Horizontal bars (percent correct) with 95 % whiskers and the pass line; rows top to bottom."""
    chart = _chart(title, palette)
    ordered = list(reversed(rows))  # Qt draws the first category at the bottom
    bars = QBarSet("Accuracy")
    if palette.paper:
        bars.setBrush(QBrush(PAPER_BAR))
        bars.setPen(QPen(QColor("#000000"), 0.8))
    else:
        bars.setColor(palette.ink)
    bars.append([100 * row.accuracy for row in ordered])
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setBarWidth(0.6)
    if palette.paper:
        _label_bars(series, QAbstractBarSeries.LabelsPosition.LabelsInsideBase, "%")
    chart.addSeries(series)
    x_axis = QValueAxis()
    x_axis.setRange(0, 100)
    x_axis.setLabelFormat("%d%%")
    x_axis.setTickCount(6)
    y_axis = QBarCategoryAxis()
    y_axis.append([f"{_short(row.name)} (n={row.n})" for row in ordered])
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)
    # Whiskers and the pass line share the value axis; a hidden axis maps category i to y = i.
    hidden = QValueAxis()
    hidden.setRange(-0.5, len(ordered) - 0.5)
    hidden.setVisible(False)
    chart.addAxis(hidden, Qt.AlignmentFlag.AlignRight)
    for index, row in enumerate(ordered):
        whisker = _line("", [(100 * row.low, index), (100 * row.high, index)], palette.accent, 2.5)
        chart.addSeries(whisker)
        whisker.attachAxis(x_axis)
        whisker.attachAxis(hidden)
    line = _line(
        f"Pass line {pass_line:.0%}", [(100 * pass_line, -0.5), (100 * pass_line, len(ordered) - 0.5)], palette.guide
    )
    line.setPen(QPen(palette.guide, 2, Qt.PenStyle.DashLine))
    chart.addSeries(line)
    line.attachAxis(x_axis)
    line.attachAxis(hidden)
    for marker, candidate in zip(chart.legend().markers(), chart.series(), strict=False):
        marker.setVisible(candidate is series or candidate is line)
    return _finish(chart, palette)


def histogram(
    title: str,
    edges: Sequence[float],
    counts: Sequence[int],
    pace: float,
    low_zone: float,
    high_zone: float,
    *,
    palette: Palette = LIGHT,
) -> QChart:
    """Counts per time bin, the pace line, and the shaded zones below ``low_zone`` and above ``high_zone``."""
    chart = _chart(title, palette)
    top = max(counts, default=0) + 1
    x_axis = QValueAxis()
    x_axis.setRange(edges[0], edges[-1])
    x_axis.setTitleText("seconds on the item")
    x_axis.setLabelFormat("%d")
    x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    x_axis.setTickAnchor(edges[0])
    x_axis.setTickInterval(30 if edges[-1] - edges[0] <= 360 else 60)
    y_axis = QValueAxis()
    y_axis.setRange(0, top)
    y_axis.setLabelFormat("%d")
    y_axis.setTitleText("items")
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

    def add(series: QLineSeries | QAreaSeries) -> None:
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)

    for name, start, end, brush in (
        ("Rushed zone", edges[0], min(low_zone, edges[-1]), palette.zone_low),
        ("Time-sink zone", max(high_zone, edges[0]), edges[-1], palette.zone_high),
    ):
        if end > start:
            upper = _line("", [(start, top), (end, top)], brush.color())
            zone = QAreaSeries(upper)
            upper.setParent(zone)  # an area series does not own its boundary line
            zone.setName(name)
            zone.setBrush(brush)
            zone.setPen(QPen(Qt.PenStyle.NoPen))
            add(zone)
    steps: list[tuple[float, float]] = [(edges[0], 0.0)]
    for index, count in enumerate(counts):
        steps += [(edges[index], count), (edges[index + 1], count)]
    steps.append((edges[-1], 0.0))
    bars = _line("", steps, palette.ink)
    outline = QAreaSeries(bars)
    bars.setParent(outline)
    outline.setName("Items")
    fill = palette.area or palette.ink.lighter(130 if palette.dark else 160)
    outline.setBrush(QBrush(fill))
    outline.setPen(QPen(palette.ink, 1.5))
    add(outline)
    pace_line = _line(f"Pace {pace:.0f} s", [(pace, 0), (pace, top)], palette.accent)
    pace_line.setPen(QPen(palette.accent, 2, Qt.PenStyle.DashLine))
    add(pace_line)
    return _finish(chart, palette)


def line_chart(
    title: str,
    lines: Sequence[tuple[str, Sequence[tuple[float, float]]]],
    x_title: str,
    y_title: str,
    y_range: tuple[float, float] | None = None,
    *,
    palette: Palette = LIGHT,
) -> QChart:
    """One or more named lines on shared value axes; the first is drawn strongest, later ones dashed."""
    chart = _chart(title, palette)
    x_axis, y_axis = QValueAxis(), QValueAxis()
    x_axis.setTitleText(x_title)
    y_axis.setTitleText(y_title)
    xs = [x for _, points in lines for x, _ in points] or [0.0, 1.0]
    ys = [y for _, points in lines for _, y in points] or [0.0, 1.0]
    x_axis.setRange(min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1)
    low, high = y_range if y_range is not None else (min(0.0, min(ys)), max(ys) * 1.1 or 1.0)
    y_axis.setRange(low, high)
    for axis in (x_axis, y_axis):
        axis.applyNiceNumbers()
        axis.setLabelFormat("%g")
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    styles = [Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine]
    colours = [palette.ink, palette.accent, palette.guide, palette.ink.darker(150)]
    for index, (name, points) in enumerate(lines):
        series = _line(name, points, colours[index % len(colours)])
        series.setPen(QPen(colours[index % len(colours)], 2.5 if index == 0 else 2, styles[index % len(styles)]))
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    return _finish(chart, palette)


def grouped_bars(
    title: str,
    categories: Sequence[str],
    groups: Sequence[tuple[str, Sequence[float]]],
    y_title: str,
    *,
    palette: Palette = LIGHT,
) -> QChart:
    """Vertical bars, one set per group (e.g. "You" beside "Published"), per category."""
    chart = _chart(title, palette)
    series = QBarSeries()
    for index, (name, values) in enumerate(groups):
        bar_set = QBarSet(name)
        bar_set.setBrush(palette.fills[index % len(palette.fills)])
        if palette.paper:
            bar_set.setPen(QPen(QColor("#000000"), 0.8))
        bar_set.append(list(values))
        series.append(bar_set)
    if palette.paper:
        _label_bars(series, QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart.addSeries(series)
    x_axis = QBarCategoryAxis()
    x_axis.append(list(categories))
    y_axis = QValueAxis()
    top = max((v for _, values in groups for v in values), default=0)
    y_axis.setRange(0, top * 1.15 if top else 1)
    y_axis.applyNiceNumbers()
    y_axis.setLabelFormat("%g")
    y_axis.setTitleText(y_title)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)
    chart.legend().setVisible(len(groups) > 1)
    return _finish(chart, palette)


BASE_CHART_POINTS = 11.0
"""The text size the chart heights are designed for (the app's normal size)."""


def scale_fonts(chart: QChart, point_size: float) -> None:
    """Set the chart's title, axis labels and titles and legend to ``point_size`` (the window's zoom)."""
    for setter, getter in ((chart.setTitleFont, chart.titleFont), (chart.legend().setFont, chart.legend().font)):
        font = getter()
        font.setPointSizeF(point_size)
        setter(font)
    for axis in chart.axes():
        labels = axis.labelsFont()
        labels.setPointSizeF(point_size * 0.9)
        axis.setLabelsFont(labels)
        title = axis.titleFont()
        title.setPointSizeF(point_size * 0.9)
        axis.setTitleFont(title)


def table_model(
    headers: Sequence[str], rows: Sequence[Sequence[object]], parent: QWidget | None = None
) -> QStandardItemModel:
    """A read-only table of the figures a chart draws (numbers right-aligned)."""
    model = QStandardItemModel(len(rows), len(headers), parent)
    model.setHorizontalHeaderLabels(list(headers))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QStandardItem(value if isinstance(value, str) else _number(value))
            item.setEditable(False)
            if not isinstance(value, str):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setData(value, Qt.ItemDataRole.UserRole)
            model.setItem(r, c, item)
    return model


def _number(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return "" if value is None else str(value)


class _ChartView(QChartView):
    """A chart view whose size hint is its minimum size, not its scene's.

    A ``QGraphicsView`` hints the size of its scene, and a chart's scene is as large as the view: each
    resize then changes the hint and lays the whole dashboard out again (and again), which is most of
    the time a long history spends drawing. A fixed hint ends that loop.
    """

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """The minimum size (the layout gives the rest)."""
        return self.minimumSize().expandedTo(QSize(320, 200))


class ChartPanel(QWidget):
    """A chart beside the table of its figures, or a message saying what to do when empty."""

    def __init__(self, name: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.view = _ChartView()
        self.view.setAccessibleName(f"{name} chart")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(260)
        self.table = named(QTableView(), f"{name}Table")
        self.table.setAccessibleName(f"{name} figures")
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setMinimumWidth(430)  # room for a category name beside its figures
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.empty = named(QLabel(empty_text), "emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.model: QStandardItemModel | None = None
        self.point_size: float | None = None
        """The zoomed text size: titles, labels and legends follow it."""

    def show_chart(self, chart: QChart, model: QStandardItemModel, height: int = 320) -> None:
        """Draw ``chart`` beside ``model``, ``height`` pixels tall (more for a long list of categories)."""
        if self.point_size is not None:
            scale_fonts(chart, self.point_size)
            height = round(height * self.point_size / BASE_CHART_POINTS)
        self.view.setMinimumHeight(height)
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()
        self.model = model
        model.setParent(self)
        self.table.setModel(model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if model.columnCount() > 1:  # the names stretch (and elide); the figures always show whole
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.stack.setCurrentIndex(1)

    def show_empty(self, text: str | None = None) -> None:
        """Nothing to draw: say what to do instead."""
        if text is not None:
            self.empty.setText(text)
        self.stack.setCurrentIndex(0)

    @property
    def is_empty(self) -> bool:
        """Whether the message shows instead of a chart."""
        return self.stack.currentIndex() == 0

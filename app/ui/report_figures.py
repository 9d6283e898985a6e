"""The dashboard's figures, built once for the analytics screen and the printable report.

:func:`figures` turns a :class:`Dashboard` into figures (a title, a chart and the table model of the
numbers it draws, or the message that says why there is nothing to draw), in one palette: the screen's
light or dark one, or paper's black and greys. Nothing here computes an analytic: every number comes
from the analysis objects the dashboard service loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCharts import QChart
from PySide6.QtGui import QStandardItemModel

from app.core.analysis.strengths import CategoryStat
from app.core.analysis.thresholds import PATTERNS
from app.services.dashboard import Dashboard
from app.ui.widgets.charts import (
    CategoryBar,
    Palette,
    accuracy_bars,
    grouped_bars,
    histogram,
    line_chart,
    table_model,
)

EMPTY = "Sit a block to see your analysis."
PATTERN_NAMES = {
    "rushed": "Rushed",
    "end-of-block-rush": "End-of-block rush",
    "time-sink": "Time sink",
    "changed-right-to-wrong": "Right → wrong",
    "changed-wrong-to-right": "Wrong → right",
    "changed-wrong-to-wrong": "Wrong → wrong",
    "missed-keyword": "Missed keyword",
    "knowledge-gap": "Knowledge gap",
    "unanswered": "Unanswered",
}
DIMENSION_TITLES = {
    "discipline": "Accuracy by discipline",
    "system": "Accuracy by system",
    "task": "Accuracy by physician task",
}
TRIAGE = "triage"
"""The name of the figure that is a table only: where the next points are."""
NAMES = ("discipline", "system", "task", TRIAGE, "time", "pacing", "fatigue", "patterns", "reasons", "changes", "trend")
"""Every figure, in the order :func:`figures` yields them."""


@dataclass(frozen=True)
class Figure:
    """One figure: a chart beside the table of its figures, or the message saying why there is none.

    ``name`` is the panel it belongs to; ``height`` the chart's height in pixels at the normal text size.
    The triage figure has a table and no chart.
    """

    name: str
    title: str
    chart: QChart | None = None
    table: QStandardItemModel | None = None
    empty: str = ""
    height: int = 320

    @property
    def drawn(self) -> bool:
        """Whether there is something to show (a chart, or the triage table)."""
        return self.chart is not None or (self.table is not None and self.table.rowCount() > 0)


def _bars(stats: list[CategoryStat]) -> list[CategoryBar]:
    ordered = sorted(stats, key=lambda s: (s.accuracy, -s.n))
    return [CategoryBar(s.label, s.n, s.accuracy, s.ci_low, s.ci_high) for s in ordered]


def figures(board: Dashboard, palette: Palette) -> Iterator[Figure]:
    """The figures of ``board`` in :data:`NAMES` order, each built only when asked for.

    Lazy on purpose: the screen draws one per turn of the event loop so the window stays responsive.
    """
    categories = board.analysis.categories
    for dimension, title in DIMENSION_TITLES.items():
        yield _categories(dimension, title, [s for s in categories if s.kind == dimension], board.pass_line, palette)
    yield _triage(board)
    yield _time(board, palette)
    yield _pacing(board, palette)
    yield _fatigue(board, palette)
    yield _patterns(board, palette)
    yield _reasons(board, palette)
    yield _changes(board, palette)
    yield _trend(board, palette)


def _categories(dimension: str, title: str, stats: list[CategoryStat], pass_line: float, palette: Palette) -> Figure:
    if not stats:
        return Figure(dimension, title, empty=f"No item of this history is classified by {dimension}.")
    bars = _bars(stats)
    rows = [(b.name, b.n, 100 * b.accuracy, 100 * b.low, 100 * b.high) for b in bars]
    return Figure(
        dimension,
        title,
        accuracy_bars(title, bars, pass_line, palette=palette),
        table_model([dimension.title(), "n", "Accuracy %", "95 % low", "95 % high"], rows),
        height=140 + 30 * len(bars),
    )


def _triage(board: Dashboard) -> Figure:
    rows = [(t.label, t.kind, t.n, 100 * t.accuracy, 100 * t.weight, 100 * t.gap) for t in board.analysis.triage]
    return Figure(
        TRIAGE,
        "Where the next points are",
        table=table_model(["Category", "Kind", "n", "Accuracy %", "Weight %", "Gap %"], rows),
        empty="" if rows else "No weak area stands out yet.",
    )


def _time(board: Dashboard, palette: Palette) -> Figure:
    h = board.histogram
    title = "Time per item"
    if not h.total:
        return Figure("time", title, empty=EMPTY)
    rows = [
        (f"{h.edges[i]:.0f}–{h.edges[i + 1]:.0f}" + ("+" if i == len(h.counts) - 1 else ""), h.counts[i])
        for i in range(len(h.counts))
    ]
    return Figure(
        "time",
        title,
        histogram(title, h.edges, h.counts, h.pace_s, h.rushed_below_s, h.time_sink_above_s, palette=palette),
        table_model(["Seconds", "Items"], rows),
    )


def _pacing(board: Dashboard, palette: Palette) -> Figure:
    curves = [c for c in board.analysis.pacing if c.ideal]
    if not curves:
        return Figure(
            "pacing", "Pacing", empty="The pacing curve shows for a timed block: open the analysis of a block or a day."
        )
    curve = curves[-1]
    title = f"Pacing, block {curve.session_id}"
    lines = [
        ("You", [(t, float(n)) for t, n in curve.actual]),
        ("Ideal pace", [(t, float(n)) for t, n in curve.ideal]),
    ]
    rows = [(f"{t / 60:.1f}", n) for t, n in curve.actual]
    return Figure(
        "pacing",
        title,
        line_chart(title, lines, "block time (s)", "items answered", palette=palette),
        table_model(["Minutes", "Answered"], rows),
    )


def _fatigue(board: Dashboard, palette: Palette) -> Figure:
    fatigue = board.analysis.fatigue
    pooled = fatigue.by_position()
    if not pooled:
        return Figure("fatigue", "Fatigue", empty="Fatigue across a day shows once you have sat an exam day.")
    points = [(float((p.position or 0) + 1), 100 * p.accuracy) for p in pooled]
    lines: list[tuple[str, list[tuple[float, float]]]] = [("Accuracy %", points)]
    trend = fatigue.across_day
    if trend is not None and trend.accuracy.estimate is not None and len(points) > 1:
        # The analysis gives the slope; the line is drawn through the items' weighted centre.
        xs = [x for x, _ in points]
        mean_x = sum(x * p.n for x, p in zip(xs, pooled, strict=True)) / sum(p.n for p in pooled)
        mean_y = sum(y * p.n for (_, y), p in zip(points, pooled, strict=True)) / sum(p.n for p in pooled)
        slope = 100 * trend.accuracy.estimate
        lines.append(("Trend", [(x, mean_y + slope * (x - mean_x)) for x in (min(xs), max(xs))]))
    verdict = "falls beyond chance" if fatigue.flagged else "no fall beyond chance"
    days = len({p.day_id for p in fatigue.points})
    title = f"Fatigue across {'the day' if days == 1 else f'{days} days'} ({verdict})"
    rows = [(f"Block {(p.position or 0) + 1}", p.n, 100 * p.accuracy, p.mean_time_s) for p in pooled]
    return Figure(
        "fatigue",
        title,
        line_chart(title, lines, "block in the day", "accuracy %", (0, 100), palette=palette),
        table_model(["Block", "Items", "Accuracy %", "Mean s/item"], rows),
    )


def _patterns(board: Dashboard, palette: Palette) -> Figure:
    counts = dict(board.analysis.patterns_summary)
    shown = [p for p in PATTERNS if counts.get(p)]
    title = "Mistake patterns"
    if not shown:
        return Figure("patterns", title, empty="No mistake pattern in these items.")
    names = [PATTERN_NAMES.get(p, p) for p in shown]
    return Figure(
        "patterns",
        title,
        grouped_bars(title, names, [("Items", [float(counts[p]) for p in shown])], "items", palette=palette),
        table_model(["Pattern", "Items"], [(name, counts[p]) for name, p in zip(names, shown, strict=True)]),
    )


def _reasons(board: Dashboard, palette: Palette) -> Figure:
    title = "Why the points were lost"
    if not board.reasons:
        message = "No missed item in these blocks." if board.itemised else "Give your reasons in the review."
        return Figure("reasons", title, empty=message)
    return Figure(
        "reasons",
        title,
        grouped_bars(
            title,
            [r.name for r in board.reasons],
            [
                ("Suggested", [float(r.suggested) for r in board.reasons]),
                ("Yours", [float(r.confirmed) for r in board.reasons]),
            ],
            "missed items",
            palette=palette,
        ),
        table_model(["Reason", "Suggested", "Yours"], [(r.name, r.suggested, r.confirmed) for r in board.reasons]),
    )


def _changes(board: Dashboard, palette: Palette) -> Figure:
    changes = board.analysis.answer_changes
    if not changes.changes.total:
        return Figure("changes", "Answer changes", empty="No answer was changed in these items.")
    published = changes.published
    kinds = [
        ("Wrong → right", changes.changes.wrong_to_right, published.wrong_to_right),
        ("Right → wrong", changes.changes.right_to_wrong, published.right_to_wrong),
        ("Wrong → wrong", changes.changes.wrong_to_wrong, published.wrong_to_wrong),
    ]
    yours = [100 * (changes.rate(count) or 0.0) for _, count, _ in kinds]
    title = f"Answer changes ({changes.changes.total}; net {changes.net_gain:+d} points)"
    return Figure(
        "changes",
        title,
        grouped_bars(
            title,
            [name for name, _, _ in kinds],
            [("You", yours), ("Published", [100 * rate for _, _, rate in kinds])],
            "% of changes",
            palette=palette,
        ),
        table_model(
            ["Change", "Count", "Your %", "Published %"],
            [(name, count, you, 100 * rate) for (name, count, rate), you in zip(kinds, yours, strict=True)],
        ),
    )


def _trend(board: Dashboard, palette: Palette) -> Figure:
    weeks = board.analysis.trend
    title = "Trend over weeks"
    if len(weeks) < 2:
        return Figure(
            "trend", title, empty="The trend over weeks shows once you have sat blocks in two different weeks."
        )
    accuracy = [(float(i + 1), 100 * w.accuracy) for i, w in enumerate(weeks)]
    seconds = [(float(i + 1), w.mean_time_s) for i, w in enumerate(weeks)]
    return Figure(
        "trend",
        title,
        line_chart(title, [("Accuracy %", accuracy), ("Mean s/item", seconds)], "week", "", palette=palette),
        table_model(
            ["Week", "Blocks", "Items", "Accuracy %", "Mean s/item"],
            [(w.week, w.blocks, w.n, 100 * w.accuracy, w.mean_time_s) for w in weeks],
        ),
    )

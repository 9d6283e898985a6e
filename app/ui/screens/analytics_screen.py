"""The analytics dashboard: where the points went, drawn from the analysis, each chart beside its figures.

The screen never computes a figure: it asks for a :class:`Dashboard` on the window's worker (with a
progress bar and Cancel, so the window never freezes on a long history) and draws what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import QDate, QModelIndex, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.analysis.strengths import CategoryStat
from app.core.analysis.thresholds import PATTERNS
from app.core.records import PackInfo
from app.services.dashboard import Dashboard, DashboardQuery
from app.ui.appearance import Look
from app.ui.widgets.charts import (
    CategoryBar,
    ChartPanel,
    accuracy_bars,
    grouped_bars,
    histogram,
    line_chart,
    table_model,
)
from app.ui.widgets.naming import named
from app.ui.workers import Progress, QueryOp

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


@dataclass(frozen=True)
class PracticeRequest:
    """Start a block on one weak category (a triage row)."""

    kind: str
    name: str


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _bars(stats: list[CategoryStat]) -> list[CategoryBar]:
    ordered = sorted(stats, key=lambda s: (s.accuracy, -s.n))
    return [CategoryBar(s.label, s.n, s.accuracy, s.ci_low, s.ci_high) for s in ordered]


class AnalyticsScreen(QWidget):
    """Accuracy, triage, timing, pacing, fatigue, patterns, answer changes and trend, for a chosen scope.

    Signals:
        back_requested(): leave the dashboard.
        practice_requested(object): a :class:`PracticeRequest` from the triage list.
        review_requested(object): the current :class:`DashboardQuery`, to review its items.
    """

    back_requested = Signal()
    practice_requested = Signal(object)
    review_requested = Signal(object)

    def __init__(
        self, load: Callable[[DashboardQuery, Progress], Dashboard], pool: QThreadPool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("analyticsScreen")
        self._load = load
        self._pool = pool
        self._op: QueryOp[Dashboard] | None = None
        self._pending: list[Callable[[], None]] = []
        self._draw_timer = QTimer(self)
        self._draw_timer.setInterval(0)
        self._draw_timer.timeout.connect(self._draw_next)
        self._target: tuple[str, int] | None = None
        self.dark = False
        self.dashboard: Dashboard | None = None

        title = named(QLabel("Analytics"), "screenTitle")
        self.scope_box = named(QComboBox(), "scopeBox")
        self.scope_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope_box.setMinimumContentsLength(len("This exam day") + 2)
        self.scope_box.setAccessibleName("Scope")
        self.dates_box = named(QCheckBox("Dates"), "datesBox")
        self.since_edit = QDateEdit()
        self.until_edit = QDateEdit()
        for edit, name in ((self.since_edit, "From"), (self.until_edit, "To")):
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        today = QDate.currentDate()
        self.since_edit.setDate(today.addDays(-27))
        self.until_edit.setDate(today)
        self.pack_box = named(QComboBox(), "packBox")
        self.pack_box.setAccessibleName("Pack")
        self.pack_box.addItem("All packs", None)
        self.refresh_button = named(QPushButton("&Refresh"), "refreshButton")
        self.review_button = named(QPushButton("Re&view These Items"), "reviewButton")
        self.back_button = named(QPushButton("&Back"), "backButton")
        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addSpacing(16)
        for label, widget in (
            ("Scope", self.scope_box),
            (None, self.dates_box),
            ("from", self.since_edit),
            ("to", self.until_edit),
            ("Pack", self.pack_box),
        ):
            if label:
                bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.review_button)
        bar.addWidget(self.back_button)

        self.progress = named(QProgressBar(), "loadProgress")
        self.progress.setAccessibleName("Loading the analysis")
        self.cancel_button = named(QPushButton("Cancel"), "cancelButton")
        loading = QHBoxLayout()
        loading.addWidget(self.progress, 1)
        loading.addWidget(self.cancel_button)
        self.loading = QFrame()
        self.loading.setLayout(loading)
        self.loading.hide()

        self.summary = named(QLabel(EMPTY), "analysisSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.panels: dict[str, ChartPanel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        names = ["discipline", "system", "task", "time", "pacing", "fatigue", "patterns", "reasons", "changes", "trend"]
        for index, name in enumerate(names):
            panel = ChartPanel(name, EMPTY)
            self.panels[name] = panel
            grid.addWidget(panel, index if index < 3 else index + 1, 0)
        self.triage_table = named(QTableView(), "triageTable")
        self.triage_table.setAccessibleName("Where the next points are")
        self.triage_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.triage_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.triage_table.setTabKeyNavigation(False)
        self.triage_table.verticalHeader().setVisible(False)
        self.triage_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.triage_table.horizontalHeader().setStretchLastSection(True)
        self.practice_button = named(QPushButton("Start a &Block on This"), "practiceButton")
        self.practice_button.setEnabled(False)
        triage_box = QVBoxLayout()
        triage_box.addWidget(named(QLabel("Where the next points are"), "sectionTitle"))
        triage_box.addWidget(self.triage_table)
        triage_box.addWidget(self.practice_button, 0, Qt.AlignmentFlag.AlignLeft)
        triage = QWidget()
        triage.setLayout(triage_box)
        grid.addWidget(triage, 3, 0)  # right after the accuracy charts: where the next points are

        self.figures = QWidget()
        self.figures.setLayout(grid)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.summary)
        content_layout.addWidget(self.figures)
        content_layout.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.loading)
        layout.addWidget(self.scroller, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.back_button.clicked.connect(self.back_requested)
        self.cancel_button.clicked.connect(self.cancel)
        self.review_button.clicked.connect(lambda: self.review_requested.emit(self.query()))
        self.dates_box.toggled.connect(self._dates_toggled)
        self.practice_button.clicked.connect(self._practice)
        self.triage_table.activated.connect(lambda _index: self._practice())
        QShortcut(QKeySequence("F5"), self, self.refresh)

    def set_look(self, look: Look) -> None:
        """Follow the theme and the zoom: the charts are drawn again in the new look."""
        self.dark = look.theme.dark
        for panel in self.panels.values():
            panel.point_size = look.question_points
        if self.dashboard is not None and not self.loading_now:
            self.show_dashboard(self.dashboard)

    # -- the query --------------------------------------------------------------------------
    def set_packs(self, packs: list[PackInfo]) -> None:
        """The pack filter's choices."""
        chosen = self.pack_box.currentData()
        self.pack_box.clear()
        self.pack_box.addItem("All packs", None)
        for pack in packs:
            self.pack_box.addItem(pack.title, pack.id)
        self.pack_box.setCurrentIndex(max(0, self.pack_box.findData(chosen)))

    def show_scope(self, scope: str = "all", target: int | None = None) -> None:
        """Open on a block ("session"), a day ("day") or all history, and load it."""
        self._target = (scope, target) if scope != "all" and target is not None else self._target
        self.scope_box.clear()
        self.scope_box.addItem("All history", ("all", None))
        if self._target is not None:
            kind, ident = self._target
            self.scope_box.addItem("This block" if kind == "session" else "This exam day", (kind, ident))
        self.scope_box.setCurrentIndex(self.scope_box.count() - 1 if scope != "all" else 0)
        self.refresh()

    def query(self) -> DashboardQuery:
        """What the controls ask for."""
        scope, target = self.scope_box.currentData() or ("all", None)
        since: date | None = None
        until: date | None = None
        if self.dates_box.isChecked() and scope == "all":
            first, last = self.since_edit.date(), self.until_edit.date()
            since, until = date(first.year(), first.month(), first.day()), date(last.year(), last.month(), last.day())
        pack = self.pack_box.currentData() if scope == "all" else None
        return DashboardQuery(scope=scope, target=target, since=since, until=until, pack=pack)

    def _dates_toggled(self, on: bool) -> None:
        self.since_edit.setEnabled(on)
        self.until_edit.setEnabled(on)

    # -- loading off the GUI thread ---------------------------------------------------------
    def refresh(self) -> None:
        """Load the analysis for the controls' query on the worker."""
        self.cancel()
        query = self.query()
        self.progress.setRange(0, 0)
        self.loading.show()
        op: QueryOp[Dashboard] = QueryOp(
            lambda progress: self._load(query, progress), self.show_dashboard, self._failed, self._pool, self
        )
        op.progressed.connect(self._progressed)
        op.done.connect(self.loading.hide)
        self._op = op.run_in_background()

    def cancel(self) -> None:
        """Stop a load under way (the figures already drawn stay)."""
        self._pending.clear()
        self._draw_timer.stop()
        if self._op is not None and self._op.running:
            self._op.cancel()
        self.loading.hide()

    @property
    def loading_now(self) -> bool:
        """Whether a load (or the drawing of its charts) is under way."""
        return bool(self._pending) or (self._op is not None and self._op.running)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _failed(self, error: BaseException) -> None:
        self.summary.setText(f"The analysis could not be loaded: {error}")

    # -- drawing ----------------------------------------------------------------------------
    def show_dashboard(self, board: Dashboard) -> None:
        """Draw every panel from ``board`` (or say what to do when nothing was sat)."""
        self.dashboard = board
        a = board.analysis
        self.review_button.setEnabled(board.itemised and not board.empty)
        self.figures.setVisible(not board.empty)  # nothing sat: one message, never a page of empty axes
        if board.empty:
            message = "; ".join(a.messages) if a.messages else ""
            self.summary.setText(
                f"<p style='font-size:large'><b>{EMPTY}</b></p><p>Start one on the home screen (Block → Home), "
                "or sit a full exam day; your timing, mistake patterns and weak areas appear here.</p>"
                + (f"<p>{message.capitalize()}.</p>" if message else "")
            )
            for panel in self.panels.values():
                panel.show_empty(EMPTY)
            self.triage_table.setModel(table_model(["Category", "n", "Accuracy"], [], self))
            self.practice_button.setEnabled(False)
            return
        pace = "untimed" if a.pace_s is None else f"{a.pace_s:.0f} s per item"
        self.summary.setText(
            f"<b>{a.total.k} of {a.total.n} correct ({_pct(a.total.estimate)})</b>, 95 % interval "
            f"{_pct(a.total.low)}–{_pct(a.total.high)} · {len(a.session_ids)} block(s) · pace {pace} · "
            f"{a.answered} answered" + ("" if board.itemised else " · summed from the derived facts of a long history")
        )
        # One chart per turn of the event loop: the window stays responsive while a long history draws.
        self._pending = [
            *(partial(self._draw_categories, d, [s for s in a.categories if s.kind == d]) for d in DIMENSION_TITLES),
            partial(self._draw_triage, board),
            *(partial(draw, board) for draw in (self._draw_time, self._draw_pacing, self._draw_fatigue)),
            *(partial(draw, board) for draw in (self._draw_patterns, self._draw_changes, self._draw_trend)),
        ]
        self._draw_timer.start()

    def _draw_next(self) -> None:
        if not self._pending:
            self._draw_timer.stop()
            return
        self._pending.pop(0)()
        if not self._pending:
            self._draw_timer.stop()

    def _draw_categories(self, dimension: str, stats: list[CategoryStat]) -> None:
        panel = self.panels[dimension]
        if not stats:
            panel.show_empty(f"No item of this history is classified by {dimension}.")
            return
        bars = _bars(stats)
        pass_line = self.dashboard.pass_line if self.dashboard is not None else 0.6
        rows = [(b.name, b.n, 100 * b.accuracy, 100 * b.low, 100 * b.high) for b in bars]
        panel.show_chart(
            accuracy_bars(DIMENSION_TITLES[dimension], bars, pass_line, dark=self.dark),
            table_model([dimension.title(), "n", "Accuracy %", "95 % low", "95 % high"], rows),
            height=140 + 30 * len(bars),
        )

    def _draw_time(self, board: Dashboard) -> None:
        h = board.histogram
        if not h.total:
            self.panels["time"].show_empty(EMPTY)
            return
        rows = [
            (f"{h.edges[i]:.0f}–{h.edges[i + 1]:.0f}" + ("+" if i == len(h.counts) - 1 else ""), h.counts[i])
            for i in range(len(h.counts))
        ]
        self.panels["time"].show_chart(
            histogram(
                "Time per item", h.edges, h.counts, h.pace_s, h.rushed_below_s, h.time_sink_above_s, dark=self.dark
            ),
            table_model(["Seconds", "Items"], rows),
        )

    def _draw_pacing(self, board: Dashboard) -> None:
        curves = [c for c in board.analysis.pacing if c.ideal]
        panel = self.panels["pacing"]
        if not curves:
            panel.show_empty("The pacing curve shows for a timed block: open the analysis of a block or a day.")
            return
        curve = curves[-1]
        lines = [
            ("You", [(t, float(n)) for t, n in curve.actual]),
            ("Ideal pace", [(t, float(n)) for t, n in curve.ideal]),
        ]
        rows = [(f"{t / 60:.1f}", n) for t, n in curve.actual]
        panel.show_chart(
            line_chart(f"Pacing, block {curve.session_id}", lines, "block time (s)", "items answered", dark=self.dark),
            table_model(["Minutes", "Answered"], rows),
        )

    def _draw_fatigue(self, board: Dashboard) -> None:
        fatigue = board.analysis.fatigue
        panel = self.panels["fatigue"]
        pooled = fatigue.by_position()
        if not pooled:
            panel.show_empty("Fatigue across a day shows once you have sat an exam day.")
            return
        points = [(float((p.position or 0) + 1), 100 * p.accuracy) for p in pooled]
        lines: list[tuple[str, list[tuple[float, float]]]] = [("Accuracy %", points)]
        trend = fatigue.across_day
        if trend is not None and trend.accuracy.estimate is not None and len(points) > 1:
            xs = [x for x, _ in points]
            mean_x = sum(x * p.n for x, p in zip(xs, pooled, strict=True)) / sum(p.n for p in pooled)
            mean_y = sum(y * p.n for (_, y), p in zip(points, pooled, strict=True)) / sum(p.n for p in pooled)
            slope = 100 * trend.accuracy.estimate
            lines.append(("Trend", [(x, mean_y + slope * (x - mean_x)) for x in (min(xs), max(xs))]))
        verdict = "falls beyond chance" if fatigue.flagged else "no fall beyond chance"
        days = len({p.day_id for p in fatigue.points})
        rows = [(f"Block {(p.position or 0) + 1}", p.n, 100 * p.accuracy, p.mean_time_s) for p in pooled]
        panel.show_chart(
            line_chart(
                f"Fatigue across {'the day' if days == 1 else f'{days} days'} ({verdict})",
                lines,
                "block in the day",
                "accuracy %",
                (0, 100),
                dark=self.dark,
            ),
            table_model(["Block", "Items", "Accuracy %", "Mean s/item"], rows),
        )

    def _draw_patterns(self, board: Dashboard) -> None:
        counts = dict(board.analysis.patterns_summary)
        shown = [p for p in PATTERNS if counts.get(p)]
        panel = self.panels["patterns"]
        if not shown:
            panel.show_empty("No mistake pattern in these items.")
        else:
            names = [PATTERN_NAMES.get(p, p) for p in shown]
            panel.show_chart(
                grouped_bars(
                    "Mistake patterns", names, [("Items", [float(counts[p]) for p in shown])], "items", dark=self.dark
                ),
                table_model(["Pattern", "Items"], [(name, counts[p]) for name, p in zip(names, shown, strict=True)]),
            )
        reasons = self.panels["reasons"]
        if not board.reasons:
            reasons.show_empty(
                "No missed item in these blocks." if board.itemised else "Give your reasons in the review."
            )
            return
        reasons.show_chart(
            grouped_bars(
                "Why the points were lost",
                [r.name for r in board.reasons],
                [
                    ("Suggested", [float(r.suggested) for r in board.reasons]),
                    ("Yours", [float(r.confirmed) for r in board.reasons]),
                ],
                "missed items",
                dark=self.dark,
            ),
            table_model(["Reason", "Suggested", "Yours"], [(r.name, r.suggested, r.confirmed) for r in board.reasons]),
        )

    def _draw_changes(self, board: Dashboard) -> None:
        changes = board.analysis.answer_changes
        panel = self.panels["changes"]
        if not changes.changes.total:
            panel.show_empty("No answer was changed in these items.")
            return
        published = changes.published
        kinds = [
            ("Wrong → right", changes.changes.wrong_to_right, published.wrong_to_right),
            ("Right → wrong", changes.changes.right_to_wrong, published.right_to_wrong),
            ("Wrong → wrong", changes.changes.wrong_to_wrong, published.wrong_to_wrong),
        ]
        yours = [100 * (changes.rate(count) or 0.0) for _, count, _ in kinds]
        panel.show_chart(
            grouped_bars(
                f"Answer changes ({changes.changes.total}; net {changes.net_gain:+d} points)",
                [name for name, _, _ in kinds],
                [("You", yours), ("Published", [100 * rate for _, _, rate in kinds])],
                "% of changes",
                dark=self.dark,
            ),
            table_model(
                ["Change", "Count", "Your %", "Published %"],
                [(name, count, you, 100 * rate) for (name, count, rate), you in zip(kinds, yours, strict=True)],
            ),
        )

    def _draw_trend(self, board: Dashboard) -> None:
        weeks = board.analysis.trend
        panel = self.panels["trend"]
        if len(weeks) < 2:
            panel.show_empty("The trend over weeks shows once you have sat blocks in two different weeks.")
            return
        accuracy = [(float(i + 1), 100 * w.accuracy) for i, w in enumerate(weeks)]
        seconds = [(float(i + 1), w.mean_time_s) for i, w in enumerate(weeks)]
        panel.show_chart(
            line_chart(
                "Trend over weeks", [("Accuracy %", accuracy), ("Mean s/item", seconds)], "week", "", dark=self.dark
            ),
            table_model(
                ["Week", "Blocks", "Items", "Accuracy %", "Mean s/item"],
                [(w.week, w.blocks, w.n, 100 * w.accuracy, w.mean_time_s) for w in weeks],
            ),
        )

    def _draw_triage(self, board: Dashboard) -> None:
        rows = [(t.label, t.kind, t.n, 100 * t.accuracy, 100 * t.weight, 100 * t.gap) for t in board.analysis.triage]
        model = table_model(["Category", "Kind", "n", "Accuracy %", "Weight %", "Gap %"], rows, self)
        self.triage_table.setModel(model)
        self.triage_table.selectionModel().currentRowChanged.connect(self._triage_selected)
        self.practice_button.setEnabled(False)
        if rows:
            self.triage_table.selectRow(0)

    def _triage_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.practice_button.setEnabled(current.isValid())

    def _practice(self) -> None:
        board = self.dashboard
        row = self.triage_table.currentIndex().row()
        if board is None or not 0 <= row < len(board.analysis.triage):
            return
        entry = board.analysis.triage[row]
        self.practice_requested.emit(PracticeRequest(entry.kind, entry.name))

"""The analytics dashboard: where the points went, drawn from the analysis, each chart beside its figures.

The screen never computes a figure: it asks for a :class:`Dashboard` on the window's worker (with a
progress bar and Cancel, so the window never freezes on a long history) and draws what comes back.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from app.core.records import PackInfo
from app.core.reference_data import shortcuts
from app.services.dashboard import Dashboard, DashboardQuery
from app.ui.appearance import Look
from app.ui.report_figures import EMPTY, NAMES, TRIAGE, Figure, figures
from app.ui.widgets.charts import LIGHT, ChartPanel, chart_palette, table_model
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.flow_row import FlowRow
from app.ui.widgets.naming import named
from app.ui.workers import Progress, QueryOp


@dataclass(frozen=True)
class PracticeRequest:
    """Start a block on one weak category (a triage row)."""

    kind: str
    name: str


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


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
        self._pending: Iterator[Figure] | None = None
        self.shown_titles: dict[str, str] = {}
        """The title of each figure drawn last, by panel name."""
        self._draw_timer = QTimer(self)
        self._draw_timer.setInterval(0)
        # Single shot, started again after each step: a repeating zero timer is due again in the same
        # pass of the event loop, so two steps ran back to back before input and painting had a turn.
        self._draw_timer.setSingleShot(True)
        self._draw_timer.timeout.connect(self._draw_next)
        self._target: tuple[str, int] | None = None
        self.chart_palette = LIGHT
        self.dashboard: Dashboard | None = None

        title = named(QLabel("Analytics"), "screenTitle")
        self.scope_box = named(QComboBox(), "scopeBox")
        self.scope_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope_box.setMinimumContentsLength(len("This exam day") + 2)
        self.scope_box.setAccessibleName("Scope")
        self.dates_box = named(QCheckBox("&Dates"), "datesBox")
        self.dates_box.setAccessibleName("Limit to dates")
        self.since_edit = DateEdit()
        self.until_edit = DateEdit()
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
        # A long pack title must not widen the filter row (it is elided; the list opens wide enough).
        self.pack_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.pack_box.setMinimumContentsLength(len("All packs") + 12)
        self.pack_box.addItem("All packs", None)
        # Mnemonics clear of the menu titles (File, Block, View, Help): a test walks them.
        self.refresh_button = named(QPushButton("&Refresh"), "refreshButton")
        self.review_button = named(QPushButton("Review These &Items"), "reviewButton")
        self.back_button = named(QPushButton("Bac&k"), "backButton")
        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addSpacing(16)
        filters = FlowRow()
        for label, widget in (
            ("S&cope", self.scope_box),
            (None, self.dates_box),
            ("fr&om", self.since_edit),
            ("&to", self.until_edit),
            ("&Pack", self.pack_box),
        ):
            if label:
                buddy = QLabel(label)
                buddy.setBuddy(widget)
                filters.add(buddy, widget)
            else:
                filters.add(widget)
        bar.addWidget(filters, 1)
        buttons = FlowRow()  # wraps too: at a large zoom the window never grows past the screen
        for button in (self.refresh_button, self.review_button, self.back_button):
            buttons.add(button)
        bar.addWidget(buttons, 0, Qt.AlignmentFlag.AlignTop)

        self.progress = named(QProgressBar(), "loadProgress")
        self.progress.setAccessibleName("Loading the analysis")
        self.cancel_button = named(QPushButton("Ca&ncel"), "cancelButton")
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
        for index, name in enumerate(n for n in NAMES if n != TRIAGE):
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
        self.practice_button = named(QPushButton("&Start a Block on This"), "practiceButton")
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
        self.scroller.setAccessibleName("Figures")
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
        refresh = shortcuts().get("refresh_analysis")
        self.refresh_action = QAction(refresh.text, self)
        self.refresh_action.setShortcuts([QKeySequence(k) for k in refresh.keys])
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_action.triggered.connect(self.refresh)
        self.addAction(self.refresh_action)
        for before, after in itertools.pairwise(
            [
                self.scope_box,
                self.dates_box,
                self.since_edit,
                self.until_edit,
                self.pack_box,
                self.refresh_button,
                self.review_button,
                self.back_button,
                self.cancel_button,
                self.scroller,
                *self._figure_chain(),
            ]
        ):
            QWidget.setTabOrder(before, after)

    def _figure_chain(self) -> list[QWidget]:
        """The figures in reading order: the accuracy charts, the triage list, then the rest."""
        chain: list[QWidget] = []
        for name, panel in self.panels.items():
            chain += [panel.view, panel.table]
            if name == "task":
                chain += [self.triage_table, self.practice_button]
        return chain

    def set_look(self, look: Look) -> None:
        """Follow the theme and the zoom: the charts are drawn again in the new look."""
        self.chart_palette = chart_palette(look.theme.key, dark=look.theme.dark)
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
        if scope != "all":
            return DashboardQuery(scope=scope, target=target)
        return self.history_query()

    def history_query(self) -> DashboardQuery:
        """All history, narrowed by the date range (when ticked) and the pack filter."""
        since: date | None = None
        until: date | None = None
        if self.dates_box.isChecked():
            first, last = self.since_edit.date(), self.until_edit.date()
            since, until = date(first.year(), first.month(), first.day()), date(last.year(), last.month(), last.day())
        return DashboardQuery(since=since, until=until, pack=self.pack_box.currentData())

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
        self._pending = None
        self._draw_timer.stop()
        if self._op is not None and self._op.running:
            self._op.cancel()
        self.loading.hide()

    @property
    def loading_now(self) -> bool:
        """Whether a load (or the drawing of its charts) is under way."""
        return self._pending is not None or (self._op is not None and self._op.running)

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
        # One figure per turn of the event loop: the window stays responsive while a long history draws.
        self._pending = figures(board, self.chart_palette)
        self._draw_timer.start()

    def _draw_next(self) -> None:
        figure = next(self._pending, None) if self._pending is not None else None
        if figure is None:
            self._pending = None
            self._draw_timer.stop()
            return
        self.shown_titles[figure.name] = figure.title
        if figure.name == TRIAGE:
            self._show_triage(figure)
        elif figure.chart is not None and figure.table is not None:
            self.panels[figure.name].show_chart(figure.chart, figure.table, height=figure.height)
        else:
            self.panels[figure.name].show_empty(figure.empty)
        self._draw_timer.start()  # single shot: the next figure after input and painting had a turn

    def _show_triage(self, figure: Figure) -> None:
        model = figure.table if figure.table is not None else table_model([], [])
        model.setParent(self)
        self.triage_table.setModel(model)
        self.triage_table.selectionModel().currentRowChanged.connect(self._triage_selected)
        self.practice_button.setEnabled(False)
        if model.rowCount():
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

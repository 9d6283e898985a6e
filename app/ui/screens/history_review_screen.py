"""Review across history: the items of a block, a day or the whole history, filtered and sorted.

The items (with their patterns and reasons) are loaded on the window's worker by the injected
``load`` (:meth:`ItemReviewService.load`) and indexed there too (:class:`ReviewIndex`: a filter or a sort
is a few C-level passes at 100 k items); the table model shows an array of row numbers into it. An
item opens in the same item review as a block's results (:class:`QuestionView`, the question as
sat), with the reason picker beside it. "Re-do" asks for a block of the rows shown or selected.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.analysis.reasons import default_taxonomy
from app.core.analysis.thresholds import PATTERNS
from app.core.outline import default_outline
from app.core.selection import MAX_BLOCK_SIZE
from app.services.blocks import BlockReview
from app.services.dashboard import DashboardQuery
from app.services.item_review import ReviewItem, ReviewItems
from app.services.review_index import (
    ANY,
    COLUMNS,
    NO_REASON,
    UNCLASSIFIED,
    ReviewCriteria,
    ReviewIndex,
    reason_text,
)
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.flow_row import FlowRow
from app.ui.widgets.naming import named
from app.ui.widgets.question_view import MediaLoader, QuestionView
from app.ui.widgets.reason_picker import ReasonPicker, ReasonStore
from app.ui.widgets.redo_bar import RedoBar
from app.ui.workers import Progress, QueryOp

ModelIndex = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
SIZED_ROWS = 40
"""Rows measured to size the columns (the first ones shown; at 100 k rows measuring more is a stall)."""
RESULTS = {
    "Any result": ANY,
    "Incorrect": "incorrect",
    "Unanswered": "unanswered",
    "Marked": "marked",
    "Correct": "correct",
}
NO_DATE = QDate(2000, 1, 1)
"""The date edits' "any date" value (shown as "Any")."""


class HistoryReviewModel(QAbstractTableModel):
    """The rows shown: an index array into the :class:`ReviewIndex` (filtered and sorted by it, not per row).

    One row per item: date, block, number, result, answers, marked, time, reason, patterns, system.
    """

    HEADERS = COLUMNS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index_ = ReviewIndex(ReviewItems(DashboardQuery(), ()))
        self.rows: list[int] = []
        self.criteria = ReviewCriteria()
        self.sort_column = -1
        self.descending = False
        self._outline = default_outline()
        self._colours: tuple[QColor, QColor] | None = None
        """Correct and incorrect text: the theme's (:meth:`set_colours`); the view's own text colour until set."""

    def set_colours(self, correct: QColor, incorrect: QColor) -> None:
        """The Result column's colours (the theme's ``correctText`` and ``incorrectText``)."""
        if correct.isValid() and incorrect.isValid():
            self._colours = (correct, incorrect)
            if self.rows:
                self.dataChanged.emit(self.index(0, 3), self.index(len(self.rows) - 1, 3))

    @property
    def items(self) -> list[ReviewItem]:
        """Every item loaded (shown or not), in the order sat."""
        return self.index_.items

    @property
    def total(self) -> int:
        """How many items are loaded."""
        return self.index_.size

    def set_index(self, index: ReviewIndex) -> None:
        """Replace every item (keeping the filters and the sort)."""
        self.beginResetModel()
        self.index_ = index
        self.rows = index.select(self.criteria, self.sort_column, self.descending)
        self.endResetModel()

    def set_criteria(self, criteria: ReviewCriteria) -> None:
        """Filter again (a reset: the view's selection is set again by the screen)."""
        self.beginResetModel()
        self.criteria = criteria
        self.rows = self.index_.select(criteria, self.sort_column, self.descending)
        self.endResetModel()

    def item(self, row: int) -> ReviewItem:
        """The item on a row shown."""
        return self.index_.items[self.rows[row]]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (-1: the order sat) from the index's precomputed order; selected rows follow."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        sources = [self.rows[index.row()] for index in before]
        self.sort_column, self.descending = column, order == Qt.SortOrder.DescendingOrder
        self.rows = self.index_.select(self.criteria, column, self.descending)
        where = {}
        if sources:
            wanted = set(sources)
            where = {source: row for row, source in enumerate(self.rows) if source in wanted}
        after = [self.index(where[source], index.column()) for source, index in zip(sources, before, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def replace_item(self, session_id: int, position: int, item: ReviewItem) -> None:
        """An item changed (its reason was given)."""
        source = self.index_.find(session_id, position)
        if source is None:
            return
        self.index_.replace(source, item)
        for row, shown in enumerate(self.rows):
            if shown == source:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows shown."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns."""
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text and colour."""
        column = index.column()
        if not index.isValid() or not (role == DISPLAY or (role == FOREGROUND and column == 3)):
            return None  # the view asks for a dozen roles per cell: answer the rest without building anything
        item = self.item(index.row())
        facts = item.analysis.facts
        if role == DISPLAY:
            texts = (
                item.sat_on.isoformat(),
                facts.session_id,
                facts.position + 1,
                item.result.title(),
                facts.answer or "—",
                facts.correct_answer or "?",
                "⚑" if facts.marked else "",
                f"{facts.time_on_item_s:.0f} s",
                reason_text(item, self.index_.names),
                ", ".join(item.analysis.patterns),
                self._outline.name_of("system", item.system) if item.system else UNCLASSIFIED,
            )
            return texts[column]
        if self._colours is None:
            return None
        return self._colours[0] if item.result == "correct" else self._colours[1]


def _combo(name: str, first: str) -> QComboBox:
    box = named(QComboBox(), name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(8)
    box.addItem(first, ANY)
    return box


class HistoryReviewScreen(QWidget):
    """Every item of a query, filterable and sortable, each opening in the item review.

    Signals:
        back_requested(): leave for the screen the review was opened from.
        redo_requested(RedoRequest): re-do the rows shown or selected as a block.
    """

    back_requested = Signal()
    redo_requested = Signal(object)

    def __init__(
        self,
        load: Callable[[DashboardQuery, Progress], ReviewItems],
        open_block: Callable[[int], BlockReview],
        store_reason: ReasonStore | None,
        media_loader: MediaLoader,
        pool: QThreadPool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyReviewScreen")
        self._load = load
        self._open_block = open_block
        self._pool = pool
        self._blocks: dict[int, BlockReview] = {}
        self.op: QueryOp[ReviewIndex] | None = None
        self.query: DashboardQuery | None = None
        self.title_label = named(QLabel("Review"), "scoreLabel")
        self.count_label = named(QLabel(), "muted")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        # Mnemonics clear of the menu titles (File, Block, View, Help) and of the filters: a test walks them.
        self.cancel_button = QPushButton("Ca&ncel")
        self.back_button = QPushButton("B&ack")
        header = named(QFrame(), "topBar")
        # Wrapping rows: at a large zoom the buttons move onto another line instead of widening the window.
        summary = FlowRow(header, spacing=20)
        summary.add(self.title_label)
        summary.add(self.count_label)
        controls = FlowRow(header)
        for control in (self.progress, self.cancel_button, self.back_button):
            controls.add(control)
        top = QHBoxLayout(header)
        top.addWidget(summary, 1)
        top.addWidget(controls)

        self.result_box = _combo("resultFilter", "Any result")
        self.result_box.clear()
        for text, value in RESULTS.items():
            self.result_box.addItem(text, value)
        self.pattern_box = _combo("patternFilter", "Any pattern")
        for pattern in PATTERNS:
            self.pattern_box.addItem(pattern, pattern)
        taxonomy = default_taxonomy()
        self.reason_box = _combo("reasonFilter", "Any reason")
        self.reason_box.addItem("No reason given yet", NO_REASON)
        for reason in taxonomy.reasons:
            self.reason_box.addItem(reason.name, reason.id)
        self.discipline_box = _combo("disciplineFilter", "Any discipline")
        self.system_box = _combo("systemFilter", "Any system")
        self.pack_box = _combo("packFilter", "Any pack")
        self.since_edit = self._date_edit("sinceFilter")
        self.until_edit = self._date_edit("untilFilter")
        filters = FlowRow()
        filters.flow.setContentsMargins(12, 6, 12, 0)
        cells: list[tuple[str, QWidget]] = [
            ("&Result", self.result_box),
            ("&Pattern", self.pattern_box),
            ("Rea&son", self.reason_box),
            ("&Discipline", self.discipline_box),
            ("S&ystem", self.system_box),
            ("Pac&k", self.pack_box),
            ("Fr&om", self.since_edit),
            ("&To", self.until_edit),
        ]
        for text, widget in cells:
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "") + " filter")
            filters.add(label, widget)

        self.model = HistoryReviewModel(self)
        self.table = named(QTableView(), "historyReviewTable")
        self.table.setAccessibleName("Items")
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        # Rows of one height: at 100 k rows the view never measures a row to lay them out.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(SIZED_ROWS)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.empty_label = named(QLabel(), "muted")
        self.empty_label.setWordWrap(True)
        self.redo_bar = RedoBar(self)
        self.redo_bar.add_choice("shown", "Re-do sho&wn", self.shown_keys)
        self.redo_bar.add_choice("selected", "Re-do s&elected", self.selected_keys)
        self.redo_bar.redo_requested.connect(self.redo_requested)
        list_pane = QWidget(self)
        list_layout = QVBoxLayout(list_pane)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.empty_label)
        list_layout.addWidget(self.redo_bar)

        self.question_view = QuestionView(media_loader, self)
        self.question_view.setAccessibleName("The item as sat, with its key and explanations")
        self.question_view.marks_changed.connect(self._follow_marks)
        self.picker = ReasonPicker(store_reason, taxonomy, self)
        self.picker.reason_chosen.connect(self._reason_given)
        item_pane = named(QWidget(self), "reviewItemPane")
        item_pane.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        item_layout = QVBoxLayout(item_pane)
        item_layout.setContentsMargins(0, 0, 0, 0)
        item_layout.addWidget(self.picker)
        item_layout.addWidget(self.question_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(list_pane)
        splitter.addWidget(item_pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(header)
        layout.addWidget(filters)
        layout.addWidget(splitter, 1)

        for box in (
            self.result_box,
            self.pattern_box,
            self.reason_box,
            self.discipline_box,
            self.system_box,
            self.pack_box,
        ):
            box.currentIndexChanged.connect(self._filter)
        self.since_edit.dateChanged.connect(self._filter)
        self.until_edit.dateChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(self._show_row)
        self.back_button.clicked.connect(self.back_requested)
        self.cancel_button.clicked.connect(self.cancel)
        self._set_loading(False)
        chain = [box for _text, box in cells]
        chain += [self.table, self.redo_bar.mode_box, *self.redo_bar.buttons.values(), self.picker.combo]
        chain += [self.question_view, self.cancel_button, self.back_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    @staticmethod
    def _date_edit(name: str) -> DateEdit:
        edit = named(DateEdit(), name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("Any")
        edit.setDate(NO_DATE)
        return edit

    # -- loading ---------------------------------------------------------------------------
    def load(self, query: DashboardQuery) -> None:
        """Load the items of ``query`` on the worker (a load under way is cancelled)."""
        self.cancel()
        self.query = query
        self.title_label.setText(_title(query))
        self.model.set_index(ReviewIndex(ReviewItems(query, ())))
        self._blocks.clear()
        self.picker.show_item(None)
        self.empty_label.setText("Loading…")
        self._set_loading(True)
        op: QueryOp[ReviewIndex] = QueryOp(
            lambda progress: ReviewIndex(self._load(query, progress)), self.show_items, self._failed, self._pool, self
        )
        op.progressed.connect(self._progressed)
        op.done.connect(lambda: self._set_loading(False) if self.op is op or self.op is None else None)
        self.op = op
        op.run_in_background()

    def cancel(self) -> None:
        """Stop a load under way."""
        if self.op is not None and self.op.running:
            self.op.cancel()
            self.empty_label.setText("Loading cancelled.")
        self.op = None
        self._set_loading(False)

    def _set_loading(self, loading: bool) -> None:
        self.progress.setVisible(loading)
        self.cancel_button.setVisible(loading)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _failed(self, error: BaseException) -> None:
        self.empty_label.setText(f"Could not load the items: {error}")

    def show_items(self, loaded: ReviewIndex | ReviewItems) -> None:
        """Fill the list: the worker's indexed items (tests may hand plain items, indexed here)."""
        index = loaded if isinstance(loaded, ReviewIndex) else ReviewIndex(loaded)
        query = index.loaded.query
        self.query = query
        self.title_label.setText(_title(query))
        self._fill(self.discipline_box, index.values("discipline"), "discipline")
        self._fill(self.system_box, index.values("system"), "system")
        self._fill(self.pack_box, [p for p in index.values("pack") if p], None)
        if query.pack is not None:
            self.pack_box.setCurrentIndex(max(0, self.pack_box.findData(query.pack)))
        header = self.table.horizontalHeader()
        self.model.criteria = self.criteria()
        self.model.sort_column = header.sortIndicatorSection()
        self.model.descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        self.model.set_index(index)
        self._filtered()
        self.table.resizeColumnsToContents()

    def _fill(self, box: QComboBox, values: list[str], kind: str | None) -> None:
        outline = default_outline()
        current = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for value in values:
            box.addItem(outline.name_of(kind, value) if kind and value != UNCLASSIFIED else value, value)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)

    # -- filtering and selection -------------------------------------------------------------
    def criteria(self) -> ReviewCriteria:
        """The filters as set."""
        since = self.since_edit.date()
        until = self.until_edit.date()
        return ReviewCriteria(
            result=str(self.result_box.currentData()),
            pattern=str(self.pattern_box.currentData()),
            reason=str(self.reason_box.currentData()),
            discipline=str(self.discipline_box.currentData()),
            system=str(self.system_box.currentData()),
            pack=str(self.pack_box.currentData()),
            since=None if since == NO_DATE else date(since.year(), since.month(), since.day()),
            until=None if until == NO_DATE else date(until.year(), until.month(), until.day()),
        )

    def _filter(self) -> None:
        self.model.set_criteria(self.criteria())
        self._filtered()

    def _filtered(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        self.count_label.setText(f"{shown} of {total} items shown")
        if total == 0:
            self.empty_label.setText("No items to review here yet: sit a block first.")
        elif shown == 0:
            self.empty_label.setText("No item matches these filters. Widen a filter to see more.")
        elif shown > MAX_BLOCK_SIZE:
            self.empty_label.setText(
                f"A block holds at most {MAX_BLOCK_SIZE} questions: narrow the filters, or select rows, to re-do them."
            )
        else:
            self.empty_label.setText("Sort by a column header (e.g. Time); Ctrl+click or Shift+click selects rows.")
        self.redo_bar.buttons["shown"].setEnabled(0 < shown <= MAX_BLOCK_SIZE)
        if shown:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().setCurrentIndex(self.model.index(0, 0), flags)
        else:
            self.picker.show_item(None)

    def shown_items(self) -> list[ReviewItem]:
        """The items the filters let through, in the order shown."""
        return [self.model.item(r) for r in range(self.model.rowCount())]

    def selected_items(self) -> list[ReviewItem]:
        """The selected rows' items, in the order shown."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.item(r) for r in rows]

    def shown_keys(self) -> list[int]:
        """Question keys of the rows shown (items whose question is gone are left out)."""
        return [i.key for i in self.shown_items() if i.key is not None]

    def selected_keys(self) -> list[int]:
        """Question keys of the rows selected."""
        return [i.key for i in self.selected_items() if i.key is not None]

    def current_item(self) -> ReviewItem | None:
        """The item open in the item review."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.item(index.row())

    def _show_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        item = self.model.item(current.row())
        self.picker.show_item(item.analysis, missed=item.missed)
        review = self._blocks.get(item.session_id)
        if review is None:
            review = self._blocks[item.session_id] = self._open_block(item.session_id)
        stored = review.questions[item.position]
        self.question_view.show_question(stored.question, stored.pack_id)
        self.question_view.show_state(review.results[item.position].state, reveal=True, show_keywords=True)

    def _follow_marks(self) -> None:
        self.model.set_colours(*self.question_view.mark_colours())

    def _reason_given(self, session_id: int, position: int, reason: str) -> None:
        row = self.model.index_.find(session_id, position)
        if row is not None:
            self.model.replace_item(session_id, position, self.model.items[row].with_reason(reason))


def _title(query: DashboardQuery) -> str:
    if query.scope == "session":
        return f"Review: block {query.target}"
    if query.scope == "day":
        return f"Review: exam day {query.target}"
    narrowed = replace(query, scope="all", target=None)
    return "Review: history" + (" (filtered)" if narrowed.filtered else "")

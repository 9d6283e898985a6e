"""Review across history: the items of a block, a day or the whole history, filtered and sorted.

The items (with their patterns and reasons) are loaded on the window's worker by the injected
``load`` (:meth:`ItemReviewService.load`); the list is a table model behind a filter/sort proxy. An
item opens in the same item review as a block's results (:class:`QuestionView`, the question as
sat), with the reason picker beside it. "Re-do" asks for a block of the rows shown or selected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
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
from app.ui.widgets.naming import named
from app.ui.widgets.question_view import MediaLoader, QuestionView
from app.ui.widgets.reason_picker import ReasonPicker, ReasonStore
from app.ui.widgets.redo_bar import RedoBar
from app.ui.workers import Progress, QueryOp

ModelIndex = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole
ANY = "any"
NO_REASON = "not-given"
RESULTS = {
    "Any result": ANY,
    "Incorrect": "incorrect",
    "Unanswered": "unanswered",
    "Marked": "marked",
    "Correct": "correct",
}
NO_DATE = QDate(2000, 1, 1)
"""The date edits' "any date" value (shown as "Any")."""


@dataclass(frozen=True)
class ReviewCriteria:
    """The filters of the review list (``ANY`` or None: no filter)."""

    result: str = ANY
    pattern: str = ANY
    reason: str = ANY
    discipline: str = ANY
    system: str = ANY
    pack: str = ANY
    since: date | None = None
    until: date | None = None


def accepts(item: ReviewItem, c: ReviewCriteria) -> bool:
    """Whether an item passes every filter.

    Result "marked" means marked at the end of its block (whatever the result); reason matches your
    reason, else the suggested one; ``NO_REASON``: a missed item you have not given a reason yet.
    """
    if c.result == "marked":
        if not item.analysis.facts.marked:
            return False
    elif c.result != ANY and item.result != c.result:
        return False
    if c.pattern != ANY and c.pattern not in item.analysis.patterns:
        return False
    if c.reason == NO_REASON:
        if not item.missed or item.analysis.reason is not None:
            return False
    elif c.reason != ANY and item.reason != c.reason:
        return False
    if c.discipline != ANY and (item.discipline or "unclassified") != c.discipline:
        return False
    if c.system != ANY and (item.system or "unclassified") != c.system:
        return False
    if c.pack != ANY and item.analysis.pack_id != c.pack:
        return False
    if c.since is not None and item.sat_on < c.since:
        return False
    return not (c.until is not None and item.sat_on > c.until)


class HistoryReviewModel(QAbstractTableModel):
    """One row per item: date, block, number, result, answers, marked, time, patterns, reason, categories."""

    HEADERS = ("Date", "Block", "#", "Result", "Yours", "Key", "Marked", "Time", "Reason", "Patterns", "System")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[ReviewItem] = []
        self._outline = default_outline()
        self._reasons = {r.id: r.name for r in default_taxonomy().reasons}

    def set_items(self, items: list[ReviewItem]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def item(self, row: int) -> ReviewItem:
        """The item on a (source) row."""
        return self.items[row]

    def sort_key(self, item: ReviewItem, column: int) -> object:
        """What a column sorts by (numbers for numbers: time on item sorts by seconds)."""
        facts = item.analysis.facts
        if column == 0:
            return (item.sat_on.toordinal(), facts.session_id, facts.position)
        if column in (1, 2):
            return (facts.session_id, facts.position) if column == 1 else (facts.position, facts.session_id)
        values: tuple[Callable[[], object], ...] = (
            lambda: item.result,
            lambda: facts.answer or "",
            lambda: facts.correct_answer or "",
            lambda: int(facts.marked),
            lambda: facts.time_on_item_s,
            lambda: self._reason_text(item),
            lambda: ", ".join(item.analysis.patterns),
            lambda: item.system or "",
        )
        return values[column - 3]()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python (one key per row, not a Python call per comparison); -1 is the order sat."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        rows = [index.row() for index in before]
        old = self.items
        if column < 0:
            order_of = sorted(range(len(old)), key=lambda r: (old[r].session_id, old[r].position))
        else:
            keys = [self.sort_key(item, column) for item in old]
            descending = order == Qt.SortOrder.DescendingOrder
            order_of = sorted(range(len(old)), key=keys.__getitem__, reverse=descending)  # type: ignore[arg-type]
        self.items = [old[r] for r in order_of]
        moved = {was: now for now, was in enumerate(order_of)}
        after = [self.index(moved[r], index.column()) for r, index in zip(rows, before, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def replace_item(self, row: int, item: ReviewItem) -> None:
        """An item changed (its reason was given)."""
        self.items[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Items loaded."""
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Columns."""
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def _reason_text(self, item: ReviewItem) -> str:
        if item.analysis.reason is not None:
            return self._reasons.get(item.analysis.reason, item.analysis.reason)
        if item.analysis.suggested_reason is not None:
            return f"{self._reasons.get(item.analysis.suggested_reason, '')} (suggested)"
        return ""

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text, sort keys and colour."""
        if not index.isValid():
            return None
        item = self.items[index.row()]
        facts = item.analysis.facts
        column = index.column()
        if role == SortRole:
            return self.sort_key(item, column)
        if role == Qt.ItemDataRole.DisplayRole:
            texts = (
                item.sat_on.isoformat(),
                facts.session_id,
                facts.position + 1,
                item.result.title(),
                facts.answer or "—",
                facts.correct_answer or "?",
                "⚑" if facts.marked else "",
                f"{facts.time_on_item_s:.0f} s",
                self._reason_text(item),
                ", ".join(item.analysis.patterns),
                self._outline.name_of("system", item.system) if item.system else "unclassified",
            )
            return texts[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QColor("#1f9d55") if item.result == "correct" else QColor("#d64545")
        return None


class ReviewFilter(QSortFilterProxyModel):
    """The rows that pass the :class:`ReviewCriteria`, sorted by the model's sort keys."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.criteria = ReviewCriteria()
        self.setSortRole(SortRole)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: the source model sorts itself (fast on long histories); the proxy keeps its order."""
        model = self.sourceModel()
        assert isinstance(model, HistoryReviewModel)
        model.sort(column, order)

    def set_criteria(self, criteria: ReviewCriteria) -> None:
        """Filter again."""
        self.beginFilterChange()
        self.criteria = criteria
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:  # noqa: N802 (Qt override)
        """Whether the item passes the filters."""
        model = self.sourceModel()
        assert isinstance(model, HistoryReviewModel)
        return accepts(model.item(source_row), self.criteria)


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
        self.op: QueryOp[ReviewItems] | None = None
        self.query: DashboardQuery | None = None
        self.title_label = named(QLabel("Review"), "scoreLabel")
        self.count_label = named(QLabel(), "muted")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.cancel_button = QPushButton("Cancel")
        self.back_button = QPushButton("Back")
        header = named(QFrame(), "topBar")
        top = QHBoxLayout(header)
        top.addWidget(self.title_label)
        top.addSpacing(20)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)
        top.addWidget(self.back_button)

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
        filters = QGridLayout()
        filters.setContentsMargins(12, 6, 12, 0)
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
        for n, (text, widget) in enumerate(cells):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label, n // 4, 2 * (n % 4))
            filters.addWidget(widget, n // 4, 2 * (n % 4) + 1)
            filters.setColumnStretch(2 * (n % 4) + 1, 1)

        self.model = HistoryReviewModel(self)
        self.proxy = ReviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = named(QTableView(), "historyReviewTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(200)
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
        layout.addLayout(filters)
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

    @staticmethod
    def _date_edit(name: str) -> QDateEdit:
        edit = named(QDateEdit(), name)
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
        self.model.set_items([])
        self._blocks.clear()
        self.picker.show_item(None)
        self.empty_label.setText("Loading…")
        self._set_loading(True)
        op: QueryOp[ReviewItems] = QueryOp(
            lambda progress: self._load(query, progress), self.show_items, self._failed, self._pool, self
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

    def show_items(self, loaded: ReviewItems) -> None:
        """Fill the list (the worker's result; tests call it directly too)."""
        self.query = loaded.query
        self.title_label.setText(_title(loaded.query))
        items = list(loaded.items)
        self._fill(self.discipline_box, sorted({i.discipline or "unclassified" for i in items}), "discipline")
        self._fill(self.system_box, sorted({i.system or "unclassified" for i in items}), "system")
        self._fill(self.pack_box, sorted({i.analysis.pack_id for i in items if i.analysis.pack_id}), None)
        if loaded.query.pack is not None:
            self.pack_box.setCurrentIndex(max(0, self.pack_box.findData(loaded.query.pack)))
        self.model.set_items(items)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() >= 0:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._filter()
        self.table.resizeColumnsToContents()

    def _fill(self, box: QComboBox, values: list[str], kind: str | None) -> None:
        outline = default_outline()
        current = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for value in values:
            box.addItem(outline.name_of(kind, value) if kind and value != "unclassified" else value, value)
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
        self.proxy.set_criteria(self.criteria())
        shown, total = self.proxy.rowCount(), self.model.rowCount()
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
            self.table.selectionModel().setCurrentIndex(self.proxy.index(0, 0), flags)
        else:
            self.picker.show_item(None)

    def shown_items(self) -> list[ReviewItem]:
        """The items the filters let through, in the order shown."""
        return [self._item_at(r) for r in range(self.proxy.rowCount())]

    def selected_items(self) -> list[ReviewItem]:
        """The selected rows' items, in the order shown."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self._item_at(r) for r in rows]

    def _item_at(self, proxy_row: int) -> ReviewItem:
        return self.model.item(self.proxy.mapToSource(self.proxy.index(proxy_row, 0)).row())

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
        return self.model.item(self.proxy.mapToSource(index).row())

    def _show_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        item = self.model.item(self.proxy.mapToSource(current).row())
        self.picker.show_item(item.analysis, missed=item.missed)
        review = self._blocks.get(item.session_id)
        if review is None:
            review = self._blocks[item.session_id] = self._open_block(item.session_id)
        stored = review.questions[item.position]
        self.question_view.show_question(stored.question, stored.pack_id)
        self.question_view.show_state(review.results[item.position].state, reveal=True, show_keywords=True)

    def _reason_given(self, session_id: int, position: int, reason: str) -> None:
        for row, item in enumerate(self.model.items):
            if item.session_id == session_id and item.position == position:
                self.model.replace_item(row, item.with_reason(reason))
                break


def _title(query: DashboardQuery) -> str:
    if query.scope == "session":
        return f"Review: block {query.target}"
    if query.scope == "day":
        return f"Review: exam day {query.target}"
    narrowed = replace(query, scope="all", target=None)
    return "Review: history" + (" (filtered)" if narrowed.filtered else "")

"""After a block: the score, a review list of every item, and each item in full."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.analysis.result import ItemAnalysis
from app.core.outline import default_outline
from app.core.scoring import ItemResult
from app.services.blocks import BlockReview
from app.ui.screens.block_screen import format_clock
from app.ui.widgets.correction_notice import CorrectionNotice
from app.ui.widgets.flow_row import FlowRow
from app.ui.widgets.focus_chain import tab_order
from app.ui.widgets.naming import named
from app.ui.widgets.question_view import MediaLoader, QuestionView
from app.ui.widgets.reason_picker import ReasonPicker, ReasonStore
from app.ui.widgets.redo_bar import RedoBar

ModelIndex = QModelIndex | QPersistentModelIndex
FILTER_ALL = "All items"
SYSTEM_COLUMN = 7


def _everything(_result: ItemResult) -> bool:
    return True


def _incorrect(result: ItemResult) -> bool:
    return not result.correct


def _unanswered(result: ItemResult) -> bool:
    return not result.state.answered


def _marked(result: ItemResult) -> bool:
    return result.state.marked


def _correct(result: ItemResult) -> bool:
    return result.correct


FILTERS: dict[str, Callable[[ItemResult], bool]] = {
    FILTER_ALL: _everything,
    "Incorrect": _incorrect,
    "Unanswered": _unanswered,
    "Marked": _marked,
    "Correct": _correct,
}


class ReviewModel(QAbstractTableModel):
    """One row per item: number, result, your answer, correct answer, marked, time, system."""

    HEADERS = ("#", "Result", "Your answer", "Correct", "Marked", "Time", "Changes", "System")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ItemResult] = []
        self._colours: tuple[QColor, QColor] | None = None
        """Correct and incorrect text: the theme's (:meth:`set_colours`); the view's own text colour until set."""
        self._systems: list[str] = []
        self._new_keys: list[str | None] = []

    def set_review(self, review: BlockReview, shown: list[int]) -> None:
        """Show the items at positions ``shown``."""
        outline = default_outline()
        self.beginResetModel()
        self._rows = [review.results[i] for i in shown]
        self._systems = [outline.name_of("system", review.questions[i].question.system) for i in shown]
        corrections = review.corrections
        self._new_keys = [
            corrections[i].question.answer if i in corrections and corrections[i].key_changed else None for i in shown
        ]
        self.endResetModel()

    def set_colours(self, correct: QColor, incorrect: QColor) -> None:
        """The Result column's colours (the theme's ``correctText`` and ``incorrectText``)."""
        if correct.isValid() and incorrect.isValid():
            self._colours = (correct, incorrect)
            if self._rows:
                column = self.HEADERS.index("Result")
                self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def result(self, row: int) -> ItemResult:
        """The item on a row."""
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Items shown."""
        return 0 if parent.isValid() else len(self._rows)

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
        if not index.isValid():
            return None
        result = self._rows[index.row()]
        state = result.state
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return state.position + 1
            if column == 1:
                return "Correct" if result.correct else ("Unanswered" if not state.answered else "Incorrect")
            if column == 2:
                return state.answer or "—"
            if column == 3:
                new_key = self._new_keys[index.row()]
                return result.correct_answer if new_key is None else f"{result.correct_answer} (now {new_key})"
            if column == 4:
                return "⚑" if state.marked else ""
            if column == 5:
                return f"{state.seconds:.0f} s"
            if column == 6:
                return state.changed_count
            return self._systems[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and column == len(self.HEADERS) - 1:
            return self._systems[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and self._colours is not None:
            return self._colours[0] if result.correct else self._colours[1]
        return None


class ResultsScreen(QWidget):
    """Score summary and item review.

    Signals:
        home_requested(): the back button: home, or the day summary the block was opened from
            (the navigator knows which; :meth:`set_back_label` names it).
        anki_export_requested(int): export this block's misses (incorrect and unanswered) to Anki.
        redo_requested(RedoRequest): re-do this block's missed or marked questions as a new block.
        analysis_requested(int): open the analytics dashboard on this block.
    """

    home_requested = Signal()
    anki_export_requested = Signal(int)
    redo_requested = Signal(object)
    analysis_requested = Signal(int)

    def __init__(
        self, media_loader: MediaLoader, parent: QWidget | None = None, store_reason: ReasonStore | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resultsScreen")
        self.review: BlockReview | None = None
        self.analysed: dict[int, ItemAnalysis] = {}
        """The analysis of each item by position (patterns, suggested and given reason)."""
        self.score_label = named(QLabel(), "scoreLabel")
        self.detail_label = named(QLabel(), "muted")
        self.detail_label.setWordWrap(True)  # a long line must not widen the window past 1024 px
        self.filter_box = QComboBox()
        self.filter_box.addItems(list(FILTERS))
        self.home_button = QPushButton("Back to Home")
        self.anki_button = QPushButton("Export misses to Anki…")
        self.analysis_button = named(QPushButton("&Analyze This Block"), "analysisButton")
        header = named(QFrame(), "topBar")
        # Wrapping rows: at a large zoom the buttons move onto another line instead of widening the window.
        summary = FlowRow(header, spacing=20)
        summary.add(self.score_label)
        summary.add(self.detail_label)
        controls = FlowRow(header)
        controls.add(QLabel("Show:"), self.filter_box)
        for button in (self.analysis_button, self.anki_button, self.home_button):
            controls.add(button)
        header_layout = QHBoxLayout(header)
        header_layout.addWidget(summary, 1)
        header_layout.addWidget(controls)
        self.model = ReviewModel(self)
        self.table = named(QTableView(), "reviewTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(SYSTEM_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line per item; a system too long for the pane is elided, with a tooltip
        self.table.setAccessibleName("Items of the block")
        self.filter_box.setAccessibleName("Show items")
        self.question_view = QuestionView(media_loader, self)
        self.question_view.setAccessibleName("Item and explanation")
        self.question_view.marks_changed.connect(self._follow_marks)
        self.correction_notice = CorrectionNotice(self)
        self.picker = ReasonPicker(store_reason, parent=self)
        self.picker.reason_chosen.connect(self._reason_given)
        self.redo_bar = RedoBar(self)
        self.redo_bar.add_choice("missed", "Re-do &missed", self.missed_keys)
        self.redo_bar.add_choice("marked", "Re-do ma&rked", self.marked_keys)
        self.redo_bar.redo_requested.connect(self.redo_requested)
        list_pane = QWidget(self)
        list_layout = QVBoxLayout(list_pane)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.redo_bar)
        item_pane = named(QWidget(self), "reviewItemPane")
        item_pane.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        item_layout = QVBoxLayout(item_pane)
        item_layout.setContentsMargins(0, 0, 0, 0)
        item_layout.addWidget(self.correction_notice)
        item_layout.addWidget(self.picker)
        item_layout.addWidget(self.question_view, 1)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(list_pane)
        splitter.addWidget(item_pane)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([520, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(header)
        layout.addWidget(splitter, 1)
        self.filter_box.currentIndexChanged.connect(self._apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._show_row)
        tab_order(
            self.filter_box,
            self.analysis_button,
            self.anki_button,
            self.home_button,
            self.table,
            self.redo_bar.mode_box,
            *self.redo_bar.buttons.values(),
            self.picker.combo,
            self.question_view,
        )
        self._list_sized_by_hand = False
        splitter.splitterMoved.connect(self._splitter_moved)
        self.home_button.clicked.connect(self.home_requested)
        self.anki_button.clicked.connect(self._request_anki_export)
        self.analysis_button.clicked.connect(self._request_analysis)

    def _follow_marks(self) -> None:
        self.model.set_colours(*self.question_view.mark_colours())

    def _request_analysis(self) -> None:
        if self.review is not None:
            self.analysis_requested.emit(self.review.session.id)

    def set_back_label(self, text: str) -> None:
        """Name where the back button leads ("Back to Home", "Back to Day Summary")."""
        self.home_button.setText(text)

    def show_review(self, review: BlockReview, analysed: Sequence[ItemAnalysis] = ()) -> None:
        """Show a scored block (``analysed``: its items' analysis, for the patterns and the reason picker)."""
        self.review = review
        self.analysed = {i.facts.position: i for i in analysed if i.facts.session_id == review.session.id}
        score = review.score
        self.score_label.setText(f"{score.correct} / {score.total} correct ({score.percent:.0f}%)")
        limit = review.session.time_limit
        used = format_clock(review.time_used)
        limit_text = f" of {format_clock(limit)}" if limit is not None else ""
        self.detail_label.setText(
            f"{review.session.mode.title()} block · time used {used}{limit_text} · "
            f"{score.unanswered} unanswered · {score.marked} marked"
        )
        self.filter_box.setCurrentIndex(0)
        self._apply_filter()
        self._fit_list()

    LIST_SHARE = 0.5
    """The most of the screen's width the item list takes to show every column whole."""

    def _fit_list(self) -> None:
        """Widen the list pane to its columns' contents (System included), up to half the screen.

        Until the candidate drags the splitter: from then on the pane keeps the width they chose.
        """
        if self._list_sized_by_hand:
            return
        table, header = self.table, self.table.horizontalHeader()
        system = max(table.sizeHintForColumn(SYSTEM_COLUMN), header.sectionSizeHint(SYSTEM_COLUMN))
        columns = sum(header.sectionSize(c) for c in range(SYSTEM_COLUMN)) + system
        wanted = columns + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
        total = sum(self.splitter.sizes()) or self.width()
        left = min(wanted, int(total * self.LIST_SHARE))
        self.splitter.setSizes([left, max(1, total - left)])

    def _splitter_moved(self) -> None:
        self._list_sized_by_hand = True

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Keep the item list as wide as its columns need (up to half the width) at every window size."""
        super().resizeEvent(event)
        self._fit_list()

    def _request_anki_export(self) -> None:
        if self.review is not None:
            self.anki_export_requested.emit(self.review.session.id)

    def _apply_filter(self) -> None:
        review = self.review
        if review is None:
            return
        choice = self.filter_box.currentText() or FILTER_ALL
        shown = [i for i, r in enumerate(review.results) if FILTERS[choice](r)]
        self.model.set_review(review, shown)
        if shown:
            self.table.selectRow(0)

    def missed_keys(self) -> list[int]:
        """Question keys of the incorrect and unanswered items, in block order."""
        review = self.review
        wanted = [] if review is None else [r.state.position for r in review.results if not r.correct]
        return [self.review.questions[p].key for p in wanted] if self.review is not None else []

    def marked_keys(self) -> list[int]:
        """Question keys of the items marked at the end, in block order."""
        review = self.review
        wanted = [] if review is None else [r.state.position for r in review.results if r.state.marked]
        return [self.review.questions[p].key for p in wanted] if self.review is not None else []

    def _reason_given(self, _session_id: int, position: int, reason: str) -> None:
        item = self.analysed.get(position)
        if item is not None:
            self.analysed[position] = replace(item, reason=reason)

    def _show_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.review is None or not current.isValid():
            return
        result = self.model.result(current.row())
        self.picker.show_item(self.analysed.get(result.state.position), missed=not result.correct)
        stored = self.review.questions[result.state.position]
        self.correction_notice.show_correction(self.review.corrections.get(result.state.position), stored.question)
        self.question_view.show_question(stored.question, stored.pack_id)
        self.question_view.show_state(result.state, reveal=True, show_keywords=True)

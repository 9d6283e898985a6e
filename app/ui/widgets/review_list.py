"""The in-block review list, as on the exam: all, marked or incomplete items; choosing one jumps to it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.navigator import NavEntry

ALL, MARKED, INCOMPLETE = "All", "Marked", "Incomplete"
_PositionRole = Qt.ItemDataRole.UserRole + 1
_MarkedRole = Qt.ItemDataRole.UserRole + 2
_AnsweredRole = Qt.ItemDataRole.UserRole + 3


class _ReviewFilter(QSortFilterProxyModel):
    """Shows every item, the marked ones or the incomplete (unanswered) ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show = ALL

    def set_show(self, show: str) -> None:
        """Which items to list."""
        self.beginFilterChange()
        self.show = show
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        """Keep the rows of the chosen kind."""
        model = self.sourceModel()
        index = model.index(row, 0, parent)
        if self.show == MARKED:
            return bool(model.data(index, _MarkedRole))
        if self.show == INCOMPLETE:
            return not model.data(index, _AnsweredRole)
        return True


class ReviewListDialog(QDialog):
    """Every item with its state; Enter or a double click goes to the chosen item."""

    def __init__(self, entries: Sequence[NavEntry], current: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review Items")
        self.setObjectName("reviewListDialog")
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Item", "Status", "Marked"])
        for position, entry in enumerate(entries):
            number = QStandardItem(f"Item {position + 1}")
            number.setData(position, _PositionRole)
            number.setData(entry.marked, _MarkedRole)
            number.setData(entry.answered, _AnsweredRole)
            status = QStandardItem("Answered" if entry.answered else "Incomplete")
            marked = QStandardItem("⚑ Marked" if entry.marked else "")
            for cell in (number, status, marked):
                cell.setEditable(False)
            self.model.appendRow([number, status, marked])
        self.proxy = _ReviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("reviewList")
        self.table.setAccessibleName("Items of the block")
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.accept)
        self.choices = QButtonGroup(self)
        choice_row = QHBoxLayout()
        choice_row.addWidget(QLabel("Show:"))
        self.buttons: dict[str, QRadioButton] = {}
        counts = {
            ALL: len(entries),
            MARKED: sum(e.marked for e in entries),
            INCOMPLETE: sum(not e.answered for e in entries),
        }
        for name, count in counts.items():
            button = QRadioButton(f"{name} ({count})", self)
            button.toggled.connect(partial(self._toggled, name))
            self.choices.addButton(button)
            self.buttons[name] = button
            choice_row.addWidget(button)
        choice_row.addStretch(1)
        box = QDialogButtonBox(self)
        self.go_button = box.addButton("Go to Item", QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        self.go_button.setDefault(True)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(choice_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        self.buttons[ALL].setChecked(True)
        self._select_position(current)
        self.table.setFocus()
        self.resize(420, 520)

    def _toggled(self, name: str, on: bool) -> None:
        if on:
            self.show_only(name)

    def show_only(self, show: str) -> None:
        """List all, the marked or the incomplete items."""
        if not self.buttons[show].isChecked():
            self.buttons[show].setChecked(True)
            return
        self.proxy.set_show(show)
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.go_button.setEnabled(self.proxy.rowCount() > 0)

    def _select_position(self, position: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(_PositionRole) == position:
                self.table.selectRow(row)
                return
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def visible_positions(self) -> list[int]:
        """The 0-based positions listed now."""
        return [int(self.proxy.index(row, 0).data(_PositionRole)) for row in range(self.proxy.rowCount())]

    def chosen_position(self) -> int | None:
        """The item selected in the list."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return int(self.proxy.index(index.row(), 0).data(_PositionRole))

    @classmethod
    def choose(cls, parent: QWidget | None, entries: Sequence[NavEntry], current: int) -> int | None:
        """The item to go to, or None. Tests patch this classmethod."""
        dialog = cls(entries, current, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.chosen_position()
        return None

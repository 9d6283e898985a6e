"""The item navigator: numbers with answered, unanswered, marked and current states."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

ModelIndex = QModelIndex | QPersistentModelIndex
VERDICT_COLOURS = {True: "#1f9d55", False: "#d64545"}
SELECTED_VERDICT_COLOURS = {True: "#c8f7d4", False: "#ffd6d6"}
FLAG_COLOUR = "#e8a317"
SELECTED_FLAG_COLOUR = "#ffe082"


@dataclass(frozen=True)
class NavEntry:
    """What the navigator shows of one item."""

    answered: bool
    marked: bool
    correct: bool | None = None


class NavigatorModel(QAbstractListModel):
    """One row per item of the block."""

    AnsweredRole = Qt.ItemDataRole.UserRole + 1
    MarkedRole = Qt.ItemDataRole.UserRole + 2
    CorrectRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[NavEntry] = []

    def set_entries(self, entries: list[NavEntry]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def update_entry(self, row: int, entry: NavEntry) -> None:
        """Change one row."""
        if self._entries[row] != entry:
            self._entries[row] = entry
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt signature)
        """Number of items."""
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Number, state flags and an accessible description."""
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(index.row() + 1)
        if role == self.AnsweredRole:
            return entry.answered
        if role == self.MarkedRole:
            return entry.marked
        if role == self.CorrectRole:
            return entry.correct
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            state = "answered" if entry.answered else "unanswered"
            return f"Item {index.row() + 1}, {state}{', marked' if entry.marked else ''}"
        return None


class NavigatorDelegate(QStyledItemDelegate):
    """Paints an item number, a dot when unanswered, and a flag when marked."""

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:  # noqa: N802
        """A compact row."""
        return QSize(72, max(24, option.fontMetrics.height() + 8))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        """Draw one row."""
        painter.save()
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.highlight())
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        answered = bool(index.data(NavigatorModel.AnsweredRole))
        marked = bool(index.data(NavigatorModel.MarkedRole))
        correct = index.data(NavigatorModel.CorrectRole)
        font = painter.font()
        font.setBold(not answered)
        painter.setFont(font)
        painter.setPen(text_color)
        painter.drawText(rect.adjusted(22, 0, -24, 0), Qt.AlignmentFlag.AlignVCenter, str(index.data()))
        if not answered:
            painter.setBrush(QColor("#2f6fdf") if not selected else text_color)
            painter.setPen(Qt.PenStyle.NoPen)
            cy = rect.center().y()
            painter.drawEllipse(rect.left() + 8, cy - 3, 7, 7)
        # On the selected (highlight-coloured) row the marks switch to light tints of the same
        # colours, in bold, so they keep at least 3:1 contrast against the highlight.
        glyph_font = painter.font()
        glyph_font.setBold(True)
        painter.setFont(glyph_font)
        if correct is not None:
            colours = SELECTED_VERDICT_COLOURS if selected else VERDICT_COLOURS
            painter.setPen(QColor(colours[bool(correct)]))
            painter.drawText(
                rect.adjusted(0, 0, -26, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                "✓" if correct else "✗",
            )
        if marked:
            painter.setPen(QColor(SELECTED_FLAG_COLOUR if selected else FLAG_COLOUR))
            painter.drawText(
                rect.adjusted(0, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, "⚑"
            )
        painter.restore()


class NavigatorView(QListView):
    """The navigator list; it never takes keyboard focus, so exam shortcuts always work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigator")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setItemDelegate(NavigatorDelegate(self))
        self.setUniformItemSizes(True)
        self.setFixedWidth(88)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)

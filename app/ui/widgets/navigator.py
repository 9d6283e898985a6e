"""The item navigator: numbers with answered, unanswered, marked and current states."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Property, QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass
class NavigatorInks:
    """The colours of the navigator's marks; the stylesheet sets them (``qproperty-*`` of ``#navigator``)."""

    dot: QColor = field(default_factory=lambda: QColor("#1f5fbf"))
    flag: QColor = field(default_factory=lambda: QColor("#a86400"))
    selected_flag: QColor = field(default_factory=lambda: QColor("#ffe082"))
    correct: QColor = field(default_factory=lambda: QColor("#17703c"))
    incorrect: QColor = field(default_factory=lambda: QColor("#b42318"))
    selected_correct: QColor = field(default_factory=lambda: QColor("#c8f7d4"))
    selected_incorrect: QColor = field(default_factory=lambda: QColor("#ffe3e3"))


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
    """Paints an item number, a dot when unanswered, and a flag when marked, in the theme's inks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inks = NavigatorInks()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:  # noqa: N802
        """A compact row."""
        return QSize(72, max(24, option.fontMetrics.height() + 8))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        """Draw one row; every offset follows the font, so the zoom scales the row as a whole."""
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
        metrics = option.fontMetrics
        dot = max(7, metrics.height() // 2 - 1)
        number_left = dot + 14
        flag_width = metrics.horizontalAdvance("⚑") + 8
        font = painter.font()
        font.setBold(not answered)
        painter.setFont(font)
        painter.setPen(text_color)
        painter.drawText(rect.adjusted(number_left, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, str(index.data()))
        if not answered:
            painter.setBrush(self.inks.dot if not selected else text_color)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(rect.left() + 7, rect.center().y() - dot // 2, dot, dot)
        # On the selected (highlight-coloured) row the marks switch to the theme's selected inks, in bold,
        # declared against the highlight in the theme's contrast pairs.
        glyph_font = painter.font()
        glyph_font.setBold(True)
        painter.setFont(glyph_font)
        right = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
        if correct is not None:
            inks = self.inks
            if selected:
                painter.setPen(inks.selected_correct if correct else inks.selected_incorrect)
            else:
                painter.setPen(inks.correct if correct else inks.incorrect)
            painter.drawText(rect.adjusted(0, 0, -flag_width - 4, 0), right, "✓" if correct else "✗")
        if marked:
            painter.setPen(self.inks.selected_flag if selected else self.inks.flag)
            painter.drawText(rect.adjusted(0, 0, -6, 0), right, "⚑")
        painter.restore()

    def row_width(self, metrics: QFontMetrics) -> int:
        """The width a row needs: dot, a two-digit number, tick and flag at this font."""
        dot = max(7, metrics.height() // 2 - 1)
        advance = metrics.horizontalAdvance
        return dot + 14 + advance("00") + 10 + advance("✓") + 4 + advance("⚑") + 8


def _ink(name: str) -> Property:
    """A ``QColor`` property of the view that sets one of the delegate's inks (``qproperty-NAME`` in the qss)."""

    def getter(view: NavigatorView) -> QColor:
        return QColor(getattr(view.delegate.inks, name))

    def setter(view: NavigatorView, colour: QColor) -> None:
        setattr(view.delegate.inks, name, QColor(colour))
        view.viewport().update()

    return Property(QColor, getter, setter)


class NavigatorView(QListView):
    """The navigator list; it never takes keyboard focus, so exam shortcuts always work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigator")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.delegate = NavigatorDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)
        self._fit_width()
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)

    dotColour = _ink("dot")  # noqa: N815 (a Qt property named as in the stylesheet)
    flagColour = _ink("flag")  # noqa: N815
    selectedFlagColour = _ink("selected_flag")  # noqa: N815
    correctColour = _ink("correct")  # noqa: N815
    incorrectColour = _ink("incorrect")  # noqa: N815
    selectedCorrectColour = _ink("selected_correct")  # noqa: N815
    selectedIncorrectColour = _ink("selected_incorrect")  # noqa: N815

    def _fit_width(self) -> None:
        frame = 2 * self.frameWidth() + self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + 4
        bold = self.font()
        bold.setBold(True)
        self.setFixedWidth(max(88, self.delegate.row_width(QFontMetrics(bold)) + frame))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """The zoom changed the font: the column widens or narrows with it."""
        if event.type() == QEvent.Type.FontChange:
            self._fit_width()
        super().changeEvent(event)

"""A row of controls that wraps onto a second line when the window is narrow (Qt's flow layout example).

Filter rows hold a label and its control side by side; at 1024 px they no longer fit on one line, and
a row that does not wrap forces the whole window wider than the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Lays its items out left to right and starts a new line when the next one would not fit."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8, *, align_right: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.align_right = align_right
        """Each line ends at the right edge (a bar's tools and clock), rather than starting at the left one."""
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt override)
        """Qt hands each added widget here."""
        self._items.append(item)

    def count(self) -> int:
        """Items laid out."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        """The item at ``index``, or None."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        """Remove and return the item at ``index``."""
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt override)
        """Neither: it takes the width it is given and the height its lines need."""
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """Its height depends on its width (how many lines)."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        """The height of the lines at ``width``."""
        margins = self.contentsMargins()
        inner = QRect(0, 0, width, 0).marginsRemoved(margins)
        return self._lay_out(inner, move=False) + margins.top() + margins.bottom()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt override)
        """Place the items."""
        super().setGeometry(rect)
        self._lay_out(rect.marginsRemoved(self.contentsMargins()), move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Everything on one line."""
        items = [i for i in self._items if not i.isEmpty()]
        width = sum(i.sizeHint().width() for i in items) + self._spacing * max(0, len(items) - 1)
        height = max((i.sizeHint().height() for i in items), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt override)
        """As narrow as the widest single item."""
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    def _lay_out(self, rect: QRect, *, move: bool) -> int:
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = rect.x()
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            # An item wider than the row (a wrapping label) gets the row's width and the height it needs there.
            width = max(item.minimumSize().width(), min(hint.width(), rect.width()))
            height = item.heightForWidth(width) if item.hasHeightForWidth() else hint.height()
            if x + width > rect.right() + 1 and lines[-1]:
                lines.append([])
                x = rect.x()
            lines[-1].append((item, QSize(width, height)))
            x += width + self._spacing
        y = rect.y()
        for line in lines:
            tallest = max((size.height() for _item, size in line), default=0)
            if move:
                used = sum(size.width() for _item, size in line) + self._spacing * max(0, len(line) - 1)
                x = rect.x() + (max(0, rect.width() - used) if self.align_right else 0)
                for item, size in line:  # centred on the line, as in a box layout
                    item.setGeometry(QRect(QPoint(x, y + (tallest - size.height()) // 2), size))
                    x += size.width() + self._spacing
            y += tallest + self._spacing
        return max(0, y - self._spacing - rect.y())


class FlowRow(QWidget):
    """Controls (each optionally with its label, kept together) that wrap when the row is narrow."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8, *, align_right: bool = False) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self, spacing, align_right=align_right)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, *widgets: QWidget) -> None:
        """One cell: the widgets side by side (a label and its control never split across lines)."""
        if len(widgets) == 1:
            self.flow.addWidget(widgets[0])
            return
        cell = QWidget(self)
        row = QHBoxLayout(cell)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for widget in widgets:
            row.addWidget(widget)
        self.flow.addWidget(cell)


class LineLabel(QLabel):
    """A word-wrapping label that asks for one line: it wraps only when a row gives it less than that."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """The whole text on one line (a wrapping QLabel's own hint is a narrower guess)."""
        margins = self.contentsMargins()
        one_line = self.heightForWidth(10_000)
        width = self.fontMetrics().horizontalAdvance(self.text()) + margins.left() + margins.right() + 2 * self.margin()
        while self.heightForWidth(width) > one_line and width < 10_000:  # the label's own text measure decides
            width += 4
        return QSize(width, one_line)

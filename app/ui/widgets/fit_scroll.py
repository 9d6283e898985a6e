"""A screen's body that never forces the window wider or taller than the screen: it scrolls instead.

At a large zoom on a small screen a screen's controls can need more room than the window has. Inside a
:class:`FitScroll` they keep their size and scroll; given its side-by-side ``columns``, it first stacks
them (one above the other) when they no longer fit side by side, so only the height scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QScrollArea, QWidget


def side_by_side_width(columns: QBoxLayout) -> int:
    """The narrowest ``columns`` can be laid out left to right, whatever their direction now."""
    items = [columns.itemAt(i) for i in range(columns.count())]
    widths = [item.minimumSize().width() for item in items if item is not None and not item.isEmpty()]
    margins = columns.contentsMargins()
    spacing = max(0, columns.spacing())
    return sum(widths) + spacing * max(0, len(widths) - 1) + margins.left() + margins.right()


class FitScroll(QScrollArea):
    """Holds ``body``; stacks its ``columns`` when they do not fit side by side, and scrolls what is left."""

    def __init__(self, body: QWidget, columns: QBoxLayout | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Not a stop of its own for Tab: the controls inside are, and the area scrolls to the one focused.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidgetResizable(True)
        self.setWidget(body)
        self.columns = columns

    @property
    def stacked(self) -> bool:
        """True when the columns are one above the other."""
        return self.columns is not None and self.columns.direction() is QBoxLayout.Direction.TopToBottom

    def fit(self) -> None:
        """Side by side when they fit in the width shown, stacked otherwise."""
        if self.columns is None:
            return
        fits = side_by_side_width(self.columns) <= self.viewport().width()
        wanted = QBoxLayout.Direction.LeftToRight if fits else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() is not wanted:
            self.columns.setDirection(wanted)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Choose the columns' direction for the new width."""
        super().resizeEvent(event)
        self.fit()

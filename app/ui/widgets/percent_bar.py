"""A table cell drawn as a real bar: the fraction filled, with the percentage beside it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

PERCENT_ROLE = Qt.ItemDataRole.UserRole + 40
"""The cell's value, 0 to 100 (a float), read by :class:`PercentBarDelegate`."""

BAR_COLOUR = QColor("#2f7d4a")


class PercentBarDelegate(QStyledItemDelegate):
    """Paints ``PERCENT_ROLE`` as a filled bar in a framed track, readable on a selected row too.

    The track and the text take the row's own text colour (highlighted text on a selected row), so
    nothing turns white on white; the fill keeps one colour in every state.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Draw the bar (or the plain cell when it holds no percentage)."""
        value = index.data(PERCENT_ROLE)
        if value is None:
            super().paint(painter, option, index)
            return
        percent = max(0.0, min(100.0, float(value)))
        painter.save()
        style = option.widget.style() if option.widget is not None else None
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        rect: QRect = option.rect
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        elif style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        metrics = painter.fontMetrics()
        label = f"{percent:.0f}%"
        label_width = metrics.horizontalAdvance("100%") + 8
        track = rect.adjusted(6, 0, -(label_width + 6), 0)
        height = max(6, min(14, rect.height() - 10))
        track.setTop(rect.center().y() - height // 2)
        track.setHeight(height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(text_colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(track.adjusted(0, 0, -1, -1))
        filled = QRect(
            track.left() + 1, track.top() + 1, round((track.width() - 2) * percent / 100), track.height() - 2
        )
        if filled.width() > 0:
            painter.fillRect(filled, BAR_COLOUR)
        text_rect = QRect(track.right() + 6, rect.top(), label_width, rect.height())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), label)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        """Wide enough for a readable bar."""
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), 140), hint.height())

"""One passage of an item (stem, lead-in, an option's text): wrapped, selectable, with highlights.

A word-wrapped :class:`QLabel` is the one Qt text widget whose height always follows its width
(height-for-width), so the layout and the scroll area give it exactly the room its text needs at
every window size and zoom; nothing is measured by hand.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget

HIGHLIGHT_BACKGROUND = "#fff176"
HIGHLIGHT_TEXT = "#111111"

Range = tuple[int, int]


def passage_html(
    text: str, highlights: Sequence[Range] = (), underlines: Sequence[Range] = (), prefix: str = ""
) -> str:
    """Rich text of ``text`` with highlighted and underlined character ranges.

    Every character of ``text`` stays one character of the label's document (newlines become
    ``<br>``, spaces are kept), so document positions are positions in ``text`` after ``prefix``.
    """
    size = len(text)
    marks: list[tuple[bool, bool]] = [(False, False)] * size
    for start, end in highlights:
        for i in range(max(0, start), min(size, end)):
            marks[i] = (True, marks[i][1])
    for start, end in underlines:
        for i in range(max(0, start), min(size, end)):
            marks[i] = (marks[i][0], True)
    parts = [html.escape(prefix)]
    i = 0
    while i < size:
        j = i
        while j < size and marks[j] == marks[i]:
            j += 1
        chunk = html.escape(text[i:j]).replace("\n", "<br>")
        lit, underlined = marks[i]
        if underlined:
            chunk = f"<u>{chunk}</u>"
        if lit:
            chunk = f"<span style='background-color:{HIGHLIGHT_BACKGROUND}; color:{HIGHLIGHT_TEXT}'>{chunk}</span>"
        parts.append(chunk)
        i = j
    return f"<span style='white-space: pre-wrap'>{''.join(parts)}</span>"


class Passage(QLabel):
    """Text the candidate can select with the mouse and highlight.

    Signals:
        selection_made(): the mouse selected some text here.
        clicked(): a left click that selected nothing (an option row selects its option).
        right_clicked(): a right click (an option row strikes its option out).
    """

    selection_made = Signal()
    clicked = Signal()
    right_clicked = Signal()

    def __init__(self, part: str, parent: QWidget | None = None, *, object_name: str = "passage") -> None:
        super().__init__(parent)
        self.part = part
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._plain = ""
        self._prefix = ""
        self._press: QPoint | None = None
        self._marks: tuple[tuple[Range, ...], tuple[Range, ...]] = ((), ())

    # -- content -------------------------------------------------------------------------
    def set_passage(self, text: str, prefix: str = "") -> None:
        """New text (``prefix``, e.g. ``"A. "``, is shown before it but is not part of it)."""
        self._plain = text
        self._prefix = prefix
        self._marks = ((), ())
        self.setText(passage_html(text, prefix=prefix))

    def set_marks(self, highlights: Sequence[Range], underlines: Sequence[Range] = ()) -> None:
        """Highlight and underline character ranges of the text (only re-rendered when they change)."""
        marks = (tuple(highlights), tuple(underlines))
        if marks != self._marks:
            self._marks = marks
            self.setText(passage_html(self._plain, marks[0], marks[1], self._prefix))

    @property
    def plain_text(self) -> str:
        """The passage's own text, without its prefix."""
        return self._plain

    def toPlainText(self) -> str:  # noqa: N802 (the name QTextEdit uses)
        """The passage's own text, without its prefix."""
        return self._plain

    def rendered_document(self) -> QTextDocument:
        """A document of the text as shown (positions offset by the prefix), to inspect formats."""
        document = QTextDocument()
        document.setDefaultFont(QFont(self.font()))
        document.setDocumentMargin(0)
        document.setHtml(self.text())
        return document

    def set_struck(self, struck: bool) -> None:
        """Strike the whole passage through (a struck-out option)."""
        font = self.font()
        if font.strikeOut() != struck:
            font.setStrikeOut(struck)
            self.setFont(font)

    # -- selection -----------------------------------------------------------------------
    def selected_range(self) -> Range | None:
        """The selected range in the passage's own text, or None."""
        if not self.hasSelectedText():
            return None
        offset = len(self._prefix)
        start = self.selectionStart() - offset
        end = start + len(self.selectedText())
        start, end = max(0, start), min(len(self._plain), end)
        return (start, end) if end > start else None

    def select_range(self, start: int, end: int) -> None:
        """Select part of the text (tests and keyboard-driven selection)."""
        self.setSelection(len(self._prefix) + start, end - start)

    def clear_selection(self) -> None:
        """Drop the selection, if any."""
        if self.hasSelectedText():
            self.setSelection(0, 0)

    def position_at(self, point: QPoint) -> int | None:
        """The text position under a point of the widget, or None outside the text."""
        document = self.rendered_document()
        rect = self.contentsRect().adjusted(self.margin(), self.margin(), -self.margin(), -self.margin())
        document.setTextWidth(rect.width())
        layout = document.documentLayout()
        hit = layout.hitTest(point - rect.topLeft(), Qt.HitTestAccuracy.ExactHit)
        if hit < 0:
            return None
        position = hit - len(self._prefix)
        return position if 0 <= position < len(self._plain) else None

    # -- mouse ---------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Left starts a selection (or a click); right is reported and goes no further."""
        if event.button() == Qt.MouseButton.RightButton:
            self.right_clicked.emit()
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)
        event.accept()  # the row under the passage must not see the press as well

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """A release after dragging over text is a selection; otherwise a click."""
        super().mouseReleaseEvent(event)
        event.accept()
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        moved = (event.position().toPoint() - self._press).manhattanLength()
        self._press = None
        if self.hasSelectedText() and moved >= QApplication.startDragDistance():
            self.selection_made.emit()
        else:
            self.clear_selection()
            self.clicked.emit()

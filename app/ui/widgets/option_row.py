"""One answer option: left click selects, right click strikes out or restores."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCursor, QEnterEvent, QMouseEvent, QMoveEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QRadioButton, QWidget

from app.core.scoring import option_part
from app.ui.widgets.passage import Passage, Range


class OptionRow(QFrame):
    """An option with its radio indicator; its text can be selected and highlighted.

    The hover look is a ``hovered`` property set on enter and leave (not the ``:hover``
    pseudo-state, which stayed lit on a row the pointer had left when rows were re-polished).

    Signals:
        chosen(str): left click; the argument is the option's label.
        strike_toggled(str): right click; the argument is the option's label.
    """

    chosen = Signal(str)
    strike_toggled = Signal(str)

    def __init__(self, label: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setObjectName("optionRow")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click to select; right-click to strike out or restore; drag over the text to select it")
        self._radio = QRadioButton(self)
        self._radio.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._radio.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.passage = Passage(option_part(label), self, object_name="optionText")
        self.passage.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.passage.setCursor(Qt.CursorShape.PointingHandCursor)
        self.passage.clicked.connect(lambda: self.chosen.emit(self.label))
        self.passage.right_clicked.connect(lambda: self.strike_toggled.emit(self.label))
        self.passage.set_passage(text, f"{label}. ")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self._radio, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.passage, 1)
        self._struck = False
        self._state: tuple[bool, bool, str] | None = None
        self.setProperty("hovered", False)

    def set_text(self, text: str) -> None:
        """The option's text (rows are reused from item to item)."""
        self.passage.set_passage(text, f"{self.label}. ")
        self.refresh_hover()

    def set_highlights(self, highlights: Sequence[Range]) -> None:
        """Highlighted ranges of the option's text."""
        self.passage.set_marks(highlights)

    def set_state(self, *, selected: bool, struck: bool, verdict: str | None = None) -> None:
        """Show selection, strike-out and (after submission or in review) right/wrong."""
        state = (selected, struck, verdict or "")
        if state == self._state:
            return
        self._state = state
        self._radio.setChecked(selected)
        self._struck = struck
        self.passage.set_struck(struck)
        self.setProperty("struck", struck)
        self.setProperty("selected", selected)
        self.setProperty("verdict", verdict or "")
        self._repolish()

    def refresh_hover(self) -> None:
        """Hovered only if the pointer is really over the row now.

        Enter and leave events come only when the pointer moves; a row that moves under a still
        pointer (scrolling, the next item's layout) must check for itself.
        """
        pointer = QCursor.pos()
        inside = self.isVisible() and self.rect().contains(self.mapFromGlobal(pointer))
        under = QApplication.widgetAt(pointer) if inside else None
        self.set_hovered(under is not None and (under is self or self.isAncestorOf(under)))

    def moveEvent(self, event: QMoveEvent) -> None:  # noqa: N802 (Qt override)
        """The row moved: the pointer may no longer be over it (or now is)."""
        super().moveEvent(event)
        self.refresh_hover()

    def set_hovered(self, hovered: bool) -> None:
        """Show (or drop) the hover look."""
        if bool(self.property("hovered")) != hovered:
            self.setProperty("hovered", hovered)
            self._repolish()

    def _repolish(self) -> None:
        # Re-polish only this row, and only when its look changed: stylesheet polishing is costly.
        self.style().unpolish(self)
        self.style().polish(self)
        self.passage.style().unpolish(self.passage)
        self.passage.style().polish(self.passage)
        self.update()

    @property
    def struck(self) -> bool:
        """Whether the option is struck out."""
        return self._struck

    @property
    def text(self) -> str:
        """The option's text as shown."""
        return f"{self.label}. {self.passage.plain_text}"

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 (Qt override)
        """The pointer is over the row."""
        super().enterEvent(event)
        self.set_hovered(True)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """The pointer left the row."""
        super().leaveEvent(event)
        self.set_hovered(False)

    def hideEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """A hidden row is never hovered."""
        super().hideEvent(event)  # type: ignore[arg-type]
        self.set_hovered(False)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Left selects, right strikes (a press on the radio or the row's margin)."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.chosen.emit(self.label)
        elif event.button() == Qt.MouseButton.RightButton:
            self.strike_toggled.emit(self.label)
        event.accept()

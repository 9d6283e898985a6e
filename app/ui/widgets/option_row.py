"""One answer option: left click selects, right click strikes out or restores."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QRadioButton, QSizePolicy, QWidget


class OptionRow(QFrame):
    """An option with its radio indicator.

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
        self.setToolTip("Click to select; right-click to strike out or restore")
        self._radio = QRadioButton(self)
        self._radio.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._radio.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._text = QLabel(f"{label}. {text}", self)
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self._radio, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        self._struck = False
        self._state: tuple[bool, bool, str] | None = None

    def set_text(self, text: str) -> None:
        """The option's text (rows are reused from item to item)."""
        self._text.setText(f"{self.label}. {text}")

    def set_state(self, *, selected: bool, struck: bool, verdict: str | None = None) -> None:
        """Show selection, strike-out and (after submission or in review) right/wrong."""
        state = (selected, struck, verdict or "")
        if state == self._state:
            return
        self._state = state
        self._radio.setChecked(selected)
        self._struck = struck
        font = self._text.font()
        font.setStrikeOut(struck)
        self._text.setFont(font)
        self.setProperty("struck", struck)
        self.setProperty("selected", selected)
        self.setProperty("verdict", verdict or "")
        # Re-polish only this row, and only when its look changed: stylesheet polishing is costly.
        self.style().unpolish(self)
        self.style().polish(self)
        self._text.style().unpolish(self._text)
        self._text.style().polish(self._text)

    @property
    def struck(self) -> bool:
        """Whether the option is struck out."""
        return self._struck

    @property
    def text(self) -> str:
        """The option's text as shown."""
        return self._text.text()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Left selects, right strikes."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.chosen.emit(self.label)
        elif event.button() == Qt.MouseButton.RightButton:
            self.strike_toggled.emit(self.label)
        event.accept()

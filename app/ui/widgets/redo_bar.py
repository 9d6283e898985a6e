""" "Re-do these as a block": timed or tutor, on the questions a screen chooses."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.core.block import Mode
from app.services.blocks import RedoRequest
from app.ui.widgets.flow_row import FlowRow

MODES: dict[str, tuple[Mode, bool]] = {
    "Timed": (Mode.TIMED, True),
    "Tutor": (Mode.TUTOR, True),
    "Tutor, untimed": (Mode.TUTOR, False),
}


class RedoBar(QWidget):
    """A mode list and one button per choice of questions (e.g. "Re-do missed", "Re-do marked").

    Signals:
        redo_requested(RedoRequest): the questions chosen, in order, and the mode.
    """

    redo_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode_box = QComboBox()
        self.mode_box.addItems(list(MODES))
        self.mode_box.setAccessibleName("Re-do as")
        self.buttons: dict[str, QPushButton] = {}
        # A wrapping row: at a large zoom the buttons move onto a second line instead of widening the window.
        self._row = FlowRow(self)
        label = QLabel("Re-do as a b&lock:")
        label.setBuddy(self.mode_box)
        self._row.add(label, self.mode_box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.addWidget(self._row, 1)

    def add_choice(self, name: str, text: str, keys: Callable[[], Sequence[int]]) -> QPushButton:
        """A button that re-does the questions ``keys()`` returns when pressed."""
        button = QPushButton(text)
        button.clicked.connect(lambda: self.request(keys()))
        self._row.add(button)
        self.buttons[name] = button
        return button

    def request(self, keys: Sequence[int]) -> None:
        """Ask for a block of exactly ``keys`` (duplicates dropped, order kept) in the chosen mode."""
        mode, timed = MODES[self.mode_box.currentText()]
        self.redo_requested.emit(RedoRequest(tuple(dict.fromkeys(keys)), mode, timed))

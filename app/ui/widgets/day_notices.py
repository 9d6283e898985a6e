"""Messages of the exam day that the candidate must see and acknowledge (the clocks keep running)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


class DayWarningNotice(QMessageBox):
    """ "Two minutes remain in the exam day.": a window-modal message with OK, shown without blocking.

    It covers the exam screens until dismissed (as the exam's own time notice does); it never stops a
    clock, and it opens with ``open()``, so timers keep ticking while it waits.
    """

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayWarningNotice")
        self.setWindowTitle("Time Warning")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setText(message)
        self.setInformativeText("The day ends when its clock reaches 0:00; a block still open then is closed.")
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

    @classmethod
    def show_notice(cls, parent: QWidget | None, message: str) -> DayWarningNotice:
        """Show the notice and return it (tests read or patch this classmethod)."""
        notice = cls(message, parent)
        notice.open()
        return notice

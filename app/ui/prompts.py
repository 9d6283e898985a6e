"""The questions the app asks before a session changes course: resume, leave a day, end a day.

Each is a classmethod tests patch, so no test ever waits on a modal box.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget


class ResumeDialog:
    """Offers to resume an unfinished block or day; Resume is the default (Enter accepts)."""

    @staticmethod
    def make_box(parent: QWidget | None, description: str, what: str = "block") -> tuple[QMessageBox, QPushButton]:
        """The question box and its Resume button."""
        box = QMessageBox(parent)
        box.setWindowTitle(f"Resume {what}")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(f"You have an unfinished {what}.")
        box.setInformativeText(
            f"{description}\n\nResume it with every answer, mark and highlight as you left them "
            "and the time it had left?"
        )
        resume = box.addButton("Resume", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(resume)
        return box, resume

    @classmethod
    def ask(cls, parent: QWidget | None, description: str, what: str = "block") -> bool:
        """True to resume. Tests patch this classmethod."""
        box, resume = cls.make_box(parent, description, what)
        box.exec()
        return box.clickedButton() is resume


class LeaveDayDialog:
    """Confirms leaving an exam day in progress for another screen; Stay is the default."""

    @classmethod
    def confirm(cls, parent: QWidget | None) -> bool:
        """True to leave. Tests patch this classmethod."""
        box = QMessageBox(parent)
        box.setWindowTitle("Leave the exam day")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText("Leave the exam day for now?")
        box.setInformativeText(
            "It stays saved where it is; resume it from the home screen or at the next start. Its clocks "
            "stand still while you are away, but on the real exam day nothing stops the clock."
        )
        box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 420px; }")
        leave = box.addButton("Leave", QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton("Stay", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.exec()
        return box.clickedButton() is leave


class LeaveChoice(StrEnum):
    """What the candidate chose when leaving a timed block for another screen."""

    PAUSE = "pause"
    END = "end"
    CANCEL = "cancel"


class LeaveBlockDialog:
    """Asks before a standalone timed block is left for another screen; Cancel (stay) is the default."""

    @staticmethod
    def make_box(parent: QWidget | None) -> tuple[QMessageBox, dict[LeaveChoice, QPushButton]]:
        """The question box and its three buttons."""
        box = QMessageBox(parent)
        box.setWindowTitle("Leave the block")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText("Leave this timed block?")
        box.setInformativeText(
            "Pause it to resume later from the home screen with the time it has left, or end it now and "
            "score it as it stands (unanswered items count as incorrect)."
        )
        box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 420px; }")
        buttons = {
            LeaveChoice.PAUSE: box.addButton("Pause Block", QMessageBox.ButtonRole.AcceptRole),
            LeaveChoice.END: box.addButton("End Block", QMessageBox.ButtonRole.DestructiveRole),
            LeaveChoice.CANCEL: box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole),
        }
        box.setDefaultButton(buttons[LeaveChoice.CANCEL])
        box.setEscapeButton(buttons[LeaveChoice.CANCEL])
        return box, buttons

    @classmethod
    def choose(cls, parent: QWidget | None) -> LeaveChoice:
        """Pause, end or stay. Tests patch this classmethod."""
        box, buttons = cls.make_box(parent)
        box.exec()
        clicked = box.clickedButton()
        return next((choice for choice, button in buttons.items() if button is clicked), LeaveChoice.CANCEL)


class StopDayDialog:
    """Confirms ending an exam day early."""

    @classmethod
    def confirm(cls, parent: QWidget | None) -> bool:
        """True to end the day. Tests patch this classmethod."""
        answer = QMessageBox.question(
            parent,
            "End the exam day",
            "End the day now? Blocks not yet sat will not be scored, and the day cannot be continued.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

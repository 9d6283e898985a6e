"""The notice beside a reviewed item that a newer pack version corrected since it was sat."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.core.pack_format import Question
from app.core.question_versions import Correction

NO_EXPLANATION = "No explanation given."


def correction_html(correction: Correction, sat: Question) -> str:
    """What changed since the item was sat: the new key and its explanation, and how it was scored."""
    new = correction.question
    parts = [f"<b>Corrected in version {html.escape(correction.version)}</b>"]
    if correction.key_changed:
        parts.append(
            f"<br><b>Correct answer now: {new.answer}. {html.escape(new.option(new.answer).text)}</b>"
            f"<br>This block was scored on the key it was sat with ({sat.answer}); its score stays as sat."
        )
    else:
        parts.append(f"<br>The key is unchanged ({new.answer}); the wording of the question was revised.")
    if new.stem != sat.stem:
        parts.append(f"<br><b>Revised stem:</b> {html.escape(new.stem)}")
    option_explanation = new.option(new.answer).explanation
    if option_explanation:
        parts.append(f"<br><b>Why {new.answer}:</b> {html.escape(option_explanation)}")
    parts.append(f"<br><b>Explanation:</b> {html.escape(new.explanation or NO_EXPLANATION)}")
    return "".join(parts)


class CorrectionNotice(QFrame):
    """A box shown only when the reviewed item has a correction."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctionNotice")
        self.label = QLabel(self)
        self.label.setObjectName("correctionText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.label)
        self.hide()

    def show_correction(self, correction: Correction | None, sat: Question) -> None:
        """Show what ``correction`` changed in ``sat``, or hide the box when there is none."""
        if correction is None:
            self.label.clear()
            self.hide()
            return
        self.label.setText(correction_html(correction, sat))
        self.show()

"""A date field that Tab leaves (Qt's moves between day, month and year, and never leaves "Any")."""

from __future__ import annotations

from PySide6.QtWidgets import QDateEdit, QWidget


class DateEdit(QDateEdit):
    """Tab and Shift+Tab go to the next or previous control; Left and Right move between the date's parts.

    A ``QDateEdit`` spends Tab on its own sections, and one that shows its special value ("Any") has
    none, so Tab never got out: a keyboard trap on the review screen's filters.
    """

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 (Qt override and its argument name)
        """Leave the field."""
        return QWidget.focusNextPrevChild(self, next)

"""Warnings meant for the user (a damaged settings file set aside, ...) shown without blocking.

Code anywhere logs a warning with ``extra={"user_notice": text}``; ``NoticeRelay`` picks those
records up, keeps them until a window is there, then shows each in a non-modal message box.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget


class NoticeRelay(QObject):
    """Collects user notices from the log and shows them on a window.

    Signals:
        notice(str): a notice arrived (emitted from whichever thread logged it; shown on the GUI thread).
    """

    notice = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pending: list[str] = []
        self._window: QWidget | None = None
        self.handler = _NoticeHandler(self)
        self.notice.connect(self._on_notice)

    def install(self) -> None:
        """Start listening to the log."""
        logging.getLogger().addHandler(self.handler)

    def uninstall(self) -> None:
        """Stop listening to the log."""
        logging.getLogger().removeHandler(self.handler)

    def show_on(self, window: QWidget) -> None:
        """Show the notices gathered so far, and every later one, on ``window``."""
        self._window = window
        pending, self.pending = self.pending, []
        for text in pending:
            self._show(text)

    def _on_notice(self, text: str) -> None:
        if self._window is None:
            self.pending.append(text)
        else:
            self._show(text)

    def _show(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Blocksim", text, QMessageBox.StandardButton.Ok, self._window)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()


class _NoticeHandler(logging.Handler):
    def __init__(self, relay: NoticeRelay) -> None:
        super().__init__(logging.WARNING)
        self._relay = relay

    def emit(self, record: logging.LogRecord) -> None:
        text = getattr(record, "user_notice", None)
        if isinstance(text, str):
            self._relay.notice.emit(text)

"""Qt's own messages (warnings from the platform plugin, fonts, ...) into Blocksim's log."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

MessageHandler = Callable[[QtMsgType, QMessageLogContext, str], None]


def install_qt_message_handler() -> Callable[[], None]:
    """Route Qt's messages into the ``qt`` logger; returns the function that puts the old handler back.

    A handler installed before (pytest-qt's, in the tests) still sees every message.
    """
    previous: MessageHandler | None = None

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category if context is not None and context.category else ""
        log.log(
            _LEVELS.get(kind, logging.WARNING),
            "%s%s",
            f"[{category}] " if category not in ("", "default") else "",
            message,
        )
        if previous is not None:
            previous(kind, context, message)

    previous = qInstallMessageHandler(handler)

    def restore() -> None:
        qInstallMessageHandler(previous)

    return restore

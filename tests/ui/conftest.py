"""Fixtures of the window tests: no question box may open unanswered (a modal would hang the test), and a
window's look (theme, zoom) is the application's, so each test gets the previous one back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.preferences import Preferences
from app.ui.main_window import MainWindow
from app.ui.prompts import LeaveBlockDialog, LeaveChoice
from app.ui.window_fit import WindowFit


def _unexpected_leave_question(cls: type[LeaveBlockDialog], _parent: object) -> LeaveChoice:
    raise AssertionError("the leave-block question opened; patch LeaveBlockDialog.choose in this test")


@pytest.fixture(autouse=True)
def no_unpatched_leave_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail, rather than hang, when a test leaves a timed block without answering the question."""
    monkeypatch.setattr(LeaveBlockDialog, "choose", classmethod(_unexpected_leave_question))


@pytest.fixture(autouse=True)
def restore_application_look(qapp: QApplication) -> Iterator[None]:
    """Put back the font, palette, style and stylesheet a test's windows applied."""
    font, palette, style, sheet = qapp.font(), qapp.palette(), qapp.style().name(), qapp.styleSheet()
    yield
    # Each call repolishes every widget still alive: only what the test changed is put back.
    if qapp.styleSheet() != sheet:
        qapp.setStyleSheet(sheet)
    if qapp.style().name() != style:
        qapp.setStyle(style)
    if qapp.palette() != palette:
        qapp.setPalette(palette)
    if qapp.font() != font:
        qapp.setFont(font)


@pytest.fixture(autouse=True)
def delete_closed_widgets(qapp: QApplication) -> Iterator[None]:
    """Delete the widgets a test closed (pytest-qt's deleteLater needs an event loop turn that may never come):
    every stylesheet change repolishes every live widget, so leftovers made later tests ever slower."""
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    """The main window on ``services``, shown, with default preferences; after the test its block's clock is
    stopped and its worker has finished."""
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win.screens.block.controller is not None:
        win.screens.block.controller.stop()
    win.worker.waitForDone(5000)  # no load left running into the next test


@pytest.fixture(autouse=True)
def roomy_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows measure the room on a 1920×1080 screen (the offscreen one is 800×800); a test may set another."""
    monkeypatch.setattr(WindowFit, "available_size", lambda _fit: QSize(1920, 1080))

"""The question screen's defects of issue 11: strike and select, text always visible, highlights."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.events import EventKind
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win.screens.block.controller is not None:
        win.screens.block.controller.stop()


def start(window: MainWindow, qtbot: QtBot, size: int = 4) -> None:
    window.flow.start_block(BlockRequest(BlockFilter(), size=size, minutes=10, seed=5))
    screen = window.screens.block
    window.activateWindow()
    screen.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen or screen.isAncestorOf(QApplication.focusWidget()))


def stored_kinds(services: Services, window: MainWindow) -> list[EventKind]:
    assert window.screens.block.controller is not None
    return [e.kind for e in services.store.events(window.screens.block.controller.runner.session_id)]


def test_selecting_a_struck_option_restores_it(window: MainWindow, qtbot: QtBot, services: Services) -> None:
    start(window, qtbot)
    screen = window.screens.block
    qtbot.keyClick(screen, Qt.Key.Key_B, Qt.KeyboardModifier.ShiftModifier)
    assert screen.question_view.option_rows[1].struck
    qtbot.keyClick(screen, Qt.Key.Key_B)
    state = screen.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.answer == "B" and state.struck == set()
    assert not screen.question_view.option_rows[1].struck
    assert stored_kinds(services, window)[-2:] == [EventKind.OPTION_RESTORED, EventKind.ANSWER_SELECTED]


def test_striking_the_selected_answer_clears_it(window: MainWindow, qtbot: QtBot, services: Services) -> None:
    start(window, qtbot)
    screen = window.screens.block
    qtbot.keyClick(screen, Qt.Key.Key_C)
    qtbot.keyClick(screen, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    state = screen.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.answer is None and state.struck == {"C"}
    assert stored_kinds(services, window)[-2:] == [EventKind.ANSWER_CLEARED, EventKind.OPTION_STRUCK]

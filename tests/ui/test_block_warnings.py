"""The block's two-minute warning: once per block, stored, shown as a message (issue 11)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.clock import FakeClock
from app.core.events import EventKind
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.controllers.block_controller import BlockController
from app.ui.main_window import MainWindow
from app.ui.prompts import ResumeDialog


def run_seconds(controller: BlockController, clock: FakeClock, seconds: int) -> None:
    for _ in range(seconds):
        clock.advance(1)
        controller.tick()


def warnings_stored(services: Services, session_id: int) -> int:
    return [e.kind for e in services.store.events(session_id)].count(EventKind.WARNING_SHOWN)


def test_warning_does_not_carry_over_to_the_next_block(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:
    window.flow.start_block(BlockRequest(BlockFilter(), size=2, minutes=3, seed=1))
    screen = window.screens.block
    assert screen.controller is not None
    run_seconds(screen.controller, clock, 65)
    assert screen.timer_label.property("warning") and screen.warning_banner.isVisibleTo(screen)
    screen.controller.end_block()
    window.flow.start_block(BlockRequest(BlockFilter(), size=2, minutes=10, seed=2))
    assert screen.timer_label.property("warning") is False
    assert screen.status_label.text() == ""
    assert not screen.warning_banner.isVisibleTo(screen)
    # The yellow colour is really gone, not only the property: the label was re-polished.
    timer_colour = screen.timer_label.palette().color(screen.timer_label.foregroundRole()).name()
    assert timer_colour != "#ffd54f"


def test_warning_is_a_message_to_dismiss(window: MainWindow, qtbot: QtBot, clock: FakeClock) -> None:
    window.flow.start_block(BlockRequest(BlockFilter(), size=2, minutes=3, seed=1))
    screen = window.screens.block
    assert screen.controller is not None
    run_seconds(screen.controller, clock, 61)
    assert screen.warning_banner.isVisible()
    assert "Two minutes remain" in screen.warning_text.text()
    screen.setFocus()
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert not screen.warning_banner.isVisible()
    assert screen.timer_label.property("warning")


def test_block_shorter_than_two_minutes_warns_at_its_start(
    window: MainWindow, qtbot: QtBot, services: Services
) -> None:
    window.flow.start_block(BlockRequest(BlockFilter(), size=1, minutes=1.5, seed=1))
    screen = window.screens.block
    assert screen.controller is not None
    assert screen.warning_banner.isVisibleTo(screen)
    assert warnings_stored(services, screen.controller.runner.session_id) == 1


def test_warning_fires_once_even_after_kill_and_resume(
    qtbot: QtBot, services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=2, minutes=3, seed=1))
    first = BlockController(runner)
    fired: list[int] = []
    first.warning.connect(lambda: fired.append(1))
    run_seconds(first, clock, 70)
    assert fired == [1]
    first.stop()  # the process is killed here: nothing more is stored
    resumed = services.blocks.resume(runner.session_id)
    second = BlockController(resumed)
    second.warning.connect(lambda: fired.append(2))
    second.start()
    run_seconds(second, clock, 20)
    second.stop()
    assert fired == [1]
    assert warnings_stored(services, runner.session_id) == 1


def test_resume_in_the_last_two_minutes_warns_if_it_never_did(
    qtbot: QtBot, services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=2, minutes=3, seed=1))
    # Killed between the checkpoint past 2:00 left and the warning (no tick read the clock there).
    clock.advance(70)
    services.store.set_checkpoint(runner.session_id, 70.0)
    monkeypatch.setattr(ResumeDialog, "ask", classmethod(lambda cls, parent, text, what="block": True))
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    win.show()
    assert win.flow.offer_resume()
    screen = win.screens.block
    assert screen.controller is not None
    assert screen.warning_banner.isVisibleTo(screen)
    assert screen.timer_label.property("warning")
    assert warnings_stored(services, runner.session_id) == 1
    screen.controller.stop()
    QApplication.processEvents()

"""Leaving a standalone timed block asks first; files stay shut while a timed session runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.block import Mode
from app.core.events import EventKind
from app.core.exam_day import DayPreset
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.services.days import DayRequest
from app.ui.main_window import MainWindow
from app.ui.prompts import LeaveBlockDialog, LeaveChoice
from app.ui.widgets.dialogs import EndBlockDialog


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    yield win
    if win.screens.block.controller is not None:
        win.screens.block.controller.stop()


def _answer(monkeypatch: pytest.MonkeyPatch, choice: LeaveChoice) -> list[object]:
    asked: list[object] = []

    def choose(cls: type[LeaveBlockDialog], parent: object) -> LeaveChoice:
        asked.append(parent)
        return choice

    monkeypatch.setattr(LeaveBlockDialog, "choose", classmethod(choose))
    return asked


def _start(window: MainWindow, mode: Mode = Mode.TIMED, timed: bool = True) -> int:
    window.flow.start_block(BlockRequest(BlockFilter(), size=3, minutes=5, mode=mode, timed=timed, seed=2))
    controller = window.screens.block.controller
    assert window.nav.current() is window.screens.block and controller is not None
    return controller.runner.session_id


def _kinds(services: Services, session_id: int) -> list[EventKind]:
    return [e.kind for e in services.store.events(session_id)]


def test_cancel_stays_in_the_running_block(
    window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _answer(monkeypatch, LeaveChoice.CANCEL)
    session = _start(window)
    window.menu_actions["home"].trigger()
    assert len(asked) == 1
    assert window.nav.current() is window.screens.block
    assert EventKind.PAUSED not in _kinds(services, session)


def test_pause_goes_home_with_the_block_paused(
    window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, LeaveChoice.PAUSE)
    session = _start(window)
    window.menu_actions["home"].trigger()
    assert window.nav.current() is window.screens.home
    assert _kinds(services, session)[-1] is EventKind.PAUSED
    assert services.store.session(session).status != "finished"


def test_end_scores_the_block_and_goes_home(
    window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, LeaveChoice.END)
    session = _start(window)
    window.menu_actions["home"].trigger()
    assert window.nav.current() is window.screens.home
    assert services.store.session(session).status == "finished"
    model = window.screens.home.session_model
    assert model.data(model.index(0, 3)) == "Finished"


def test_an_untimed_block_is_paused_without_asking(
    window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _answer(monkeypatch, LeaveChoice.CANCEL)
    session = _start(window, Mode.TUTOR, timed=False)
    window.menu_actions["home"].trigger()
    assert asked == [] and window.nav.current() is window.screens.home
    assert _kinds(services, session)[-1] is EventKind.PAUSED


def test_closing_the_window_does_not_ask(window: MainWindow, services: Services) -> None:
    session = _start(window)  # the autouse guard fails the test if the question opens
    window.close()
    assert _kinds(services, session)[-1] is EventKind.PAUSED


def test_import_and_export_are_shut_during_a_timed_block(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [window.menu_actions[name] for name in ("import", "export", "save_report")]
    assert all(a.isEnabled() for a in files)
    _start(window)
    assert not any(a.isEnabled() for a in files)
    controller = window.screens.block.controller
    assert controller is not None
    controller.end_block()  # the results follow
    assert window.nav.current() is window.screens.results
    assert all(a.isEnabled() for a in files)
    _start(window, Mode.TUTOR, timed=False)
    assert all(a.isEnabled() for a in files)


def test_import_and_export_are_shut_for_a_whole_exam_day(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EndBlockDialog, "confirm", classmethod(lambda cls, parent, u, m: True))
    files = [window.menu_actions[name] for name in ("import", "export", "save_report")]
    preset = DayPreset(
        id="t", name="Test day", blocks=2, block_minutes=1, items_per_block=2, tutorial_minutes=0, break_minutes=5
    )
    window.flow.start_day(DayRequest(preset, BlockFilter(), seed=3))
    assert window.nav.current() is window.screens.between
    assert not any(a.isEnabled() for a in files)
    for _ in range(2):
        window.screens.between.continue_button.click()
        assert not any(a.isEnabled() for a in files)
        window.screens.block.end_button.click()
    assert window.nav.current() is window.screens.day_summary
    assert all(a.isEnabled() for a in files)

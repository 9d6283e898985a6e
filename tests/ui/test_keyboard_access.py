"""Every control of the home, setup, results and day screens is reached by Tab, in a loop, and is named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import Services, build
from app.core.clock import FakeClock
from app.core.exam_day import DayPreset
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.services.days import DayRequest
from app.ui.main_window import MainWindow
from app.ui.widgets.dialogs import EndBlockDialog
from tests.factories import pack_dict, write_pack

SCREENS = ["home", "results", "day_setup", "between", "day_summary"]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    services = build(tmp_path / "data", clock=clock, import_bundled=False, sleep_threshold=float("inf"))
    services.packs.import_path(write_pack(tmp_path / "p", pack_dict(12)))
    monkeypatch.setattr(EndBlockDialog, "confirm", classmethod(lambda cls, parent, u, m: True))
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    win.resize(1280, 820)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    if win.flow.day_controller is not None:
        win.flow.day_controller.stop()
    services.close()


def _open(window: MainWindow, services: Services, name: str) -> QWidget:
    if name in ("results", "home"):
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=4))
        runner.end()
        window.nav.refresh_home()
        if name == "results":
            window.nav.review(runner.session_id)
        else:
            window.screens.home.session_table.selectRow(0)  # Review or Resume enabled
    elif name == "day_setup":
        window.nav.day_setup()
    else:
        preset = DayPreset(
            id="t", name="Test day", blocks=2, block_minutes=1, items_per_block=2, tutorial_minutes=0, break_minutes=5
        )
        window.flow.start_day(DayRequest(preset, BlockFilter(), seed=3))
        window.screens.between.continue_button.click()
        window.screens.block.end_button.click()  # block 1 ends: the between-block screen
        if name == "day_summary":
            window.screens.between.continue_button.click()
            window.screens.block.end_button.click()
    screen: QWidget = getattr(window.screens, name)
    assert window.nav.current() is screen
    return screen


def _controls(screen: QWidget) -> list[QWidget]:
    """What Tab should reach: shown, enabled, taking focus by Tab, not handing it to another widget."""
    tab = Qt.FocusPolicy.TabFocus
    return [
        w
        for w in [screen, *screen.findChildren(QWidget)]
        if w.isVisible() and w.isEnabled() and (w.focusPolicy() & tab) == tab and w.focusProxy() is None
    ]


def _name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    derived = interface.text(QAccessible.Text.Name) if interface is not None else ""
    return widget.accessibleName() or derived


@pytest.mark.parametrize("name", SCREENS)
def test_tab_visits_every_control_and_comes_back(window: MainWindow, qtbot: QtBot, name: str) -> None:
    screen = _open(window, window.services, name)
    controls = _controls(screen)
    assert len(controls) >= 3
    controls[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is controls[0])
    visited: list[QWidget] = []
    for _ in range(3 * len(controls)):
        current = QApplication.focusWidget()
        assert current is not None
        visited.append(current)
        qtbot.keyClick(current, Qt.Key.Key_Tab)  # the real key: a table that keeps Tab is a trap
        if QApplication.focusWidget() is controls[0]:
            break
    assert QApplication.focusWidget() is controls[0], [_name(w) for w in visited[-3:]]
    assert len(visited) == len(set(visited)), "Tab stayed on one control"
    assert set(visited) == set(controls), {_name(w) for w in set(controls) ^ set(visited)}


@pytest.mark.parametrize("name", SCREENS)
def test_every_control_has_its_own_accessible_name(window: MainWindow, name: str) -> None:
    screen = _open(window, window.services, name)
    controls = _controls(screen)
    names = [_name(w) for w in controls]
    assert all(names), [type(w).__name__ for w, n in zip(controls, names, strict=True) if not n]
    assert len(set(names)) == len(names), sorted(names)
    for widget in controls:
        # Qt names a list after its group box ("New block") and a combo box after its current value.
        if isinstance(widget, QAbstractItemView | QComboBox):
            assert widget.accessibleName(), type(widget).__name__


def test_the_results_screen_is_tabbed_in_reading_order(window: MainWindow, qtbot: QtBot) -> None:
    results = _open(window, window.services, "results")
    assert results is window.screens.results
    expected = [
        results.filter_box,
        results.analysis_button,
        results.anki_button,
        results.home_button,
        results.table,
        results.redo_bar.mode_box,
        *results.redo_bar.buttons.values(),
        results.picker.combo,
        results.question_view,
    ]
    expected = [w for w in expected if w.isEnabled() and w.isVisible()]
    expected[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is expected[0])
    seen = []
    for _ in expected:
        focused = QApplication.focusWidget()
        assert focused is not None
        seen.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert seen == expected

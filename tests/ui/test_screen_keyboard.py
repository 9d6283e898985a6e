"""The analytics and review screens without a mouse: Alt letters clear of the menus, Tab through every
control in order, each control named for a screen reader, and their shortcuts in the F1 list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.clock import FakeClock
from app.core.preferences import Preferences
from app.core.reference_data import shortcuts
from app.services.dashboard import DashboardQuery
from app.ui.main_window import MainWindow
from app.ui.widgets.dialogs import HelpDialog
from tests.ui.test_analytics_screen import loaded, sit


@pytest.fixture
def window(qtbot: QtBot, services: Services, clock: FakeClock) -> Iterator[MainWindow]:
    sit(services, clock, [("A", 20), ("B", 70), ("C", 40)])
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.screens.analytics.cancel()
    win.screens.history_review.cancel()
    win.worker.waitForDone(5000)


def mnemonics(window: MainWindow, screen: QWidget) -> Counter[str]:
    """Every Alt letter the screen and the menu bar answer to."""
    texts = [action.text() for action in window.menuBar().actions()]
    texts += [button.text() for button in screen.findChildren(QAbstractButton)]
    texts += [label.text() for label in screen.findChildren(QLabel) if label.buddy() is not None]
    keys = [QKeySequence.mnemonic(text).toString() for text in texts]
    return Counter(key for key in keys if key)


def test_no_alt_letter_is_taken_twice(window: MainWindow) -> None:
    for screen in (window.screens.analytics, window.screens.history_review):
        taken = mnemonics(window, screen)
        assert "Alt+B" in taken and "Alt+F" in taken  # the menu titles are counted
        assert [key for key, n in taken.items() if n > 1] == [], screen.objectName()


def tab_walk(qtbot: QtBot, start: QWidget, screen: QWidget, steps: int = 60) -> list[QWidget]:
    """The widgets Tab visits from ``start``, in order, until it leaves the screen or comes round."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    seen: list[QWidget] = [start]
    for _ in range(steps):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is None or now is start or not screen.isAncestorOf(now):
            break
        seen.append(now)
    return seen


def named(widget: QWidget) -> bool:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return bool(widget.accessibleName() or text.replace("&", ""))


def in_order(seen: list[QWidget], wanted: list[QWidget]) -> bool:
    positions = [seen.index(w) for w in wanted]
    return positions == sorted(positions)


def test_tab_walks_the_dashboard_in_reading_order(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.analytics()
    screen = window.screens.analytics
    loaded(qtbot, screen)
    screen.dates_box.setChecked(True)
    seen = tab_walk(qtbot, screen.scope_box, screen)
    wanted = [
        screen.scope_box,
        screen.dates_box,
        screen.since_edit,
        screen.until_edit,
        screen.pack_box,
        screen.refresh_button,
        screen.review_button,
        screen.back_button,
        screen.triage_table,
    ]
    if screen.practice_button.isEnabled():  # Tab skips a disabled button
        wanted.append(screen.practice_button)
    assert in_order(seen, wanted)
    assert [w.objectName() or type(w).__name__ for w in seen if not named(w)] == []


def test_tab_walks_the_review_from_the_filters_to_the_item(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.history_review(DashboardQuery())
    screen = window.screens.history_review
    assert screen.op is not None
    with qtbot.waitSignal(screen.op.done, timeout=10_000):
        pass
    screen.result_box.setCurrentIndex(screen.result_box.findData("incorrect"))  # a missed item: the picker is on
    seen = tab_walk(qtbot, screen.result_box, screen)
    wanted = [
        screen.result_box,
        screen.pattern_box,
        screen.reason_box,
        screen.discipline_box,
        screen.system_box,
        screen.pack_box,
        screen.since_edit,
        screen.until_edit,
        screen.table,
        screen.redo_bar.mode_box,
        screen.redo_bar.buttons["selected"],
        screen.picker.combo,
        screen.back_button,
    ]
    assert in_order(seen, wanted)
    assert [w.objectName() or type(w).__name__ for w in seen if not named(w)] == []


def test_f1_lists_the_screens_shortcuts(window: MainWindow) -> None:
    dialog = HelpDialog(shortcuts(), window)
    [label] = dialog.findChildren(QLabel)
    assert "<code>F5</code>" in label.text() and "<code>Ctrl+R</code>" in label.text()
    assert [k.toString() for k in window.screens.analytics.refresh_action.shortcuts()] == ["F5"]

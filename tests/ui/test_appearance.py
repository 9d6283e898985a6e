"""The look of the whole app (issue 11): zoom on every screen and of everything, themes, system scheme, focus."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.clock import FakeClock
from app.core.preferences import PREFERENCES_FILE, Preferences, load_preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.appearance import BASE_POINT_SIZE, ZOOM_STEP
from app.ui.main_window import MainWindow
from app.ui.theme import THEMES, load_theme


def finished_session(services: Services, clock: FakeClock) -> int:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, minutes=10, seed=4))
    for position in range(3):
        runner.show(position)
        clock.advance(30)
        runner.select(position, "A")
    runner.end()
    return runner.session_id


def open_block(window: MainWindow) -> QWidget:
    window.flow.start_block(BlockRequest(BlockFilter(), size=4, minutes=10, seed=5))
    return window.screens.block


SCREENS: dict[str, Callable[[MainWindow, Services, FakeClock], object]] = {
    "home": lambda w, s, c: w.nav.home(),
    "block": lambda w, s, c: open_block(w),
    "results": lambda w, s, c: w.nav.review(finished_session(s, c)),
    "analytics": lambda w, s, c: w.nav.analytics(),
    "day setup": lambda w, s, c: w.nav.day_setup(),
}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize(("key", "modifier"), [(Qt.Key.Key_Equal, "ctrl"), (Qt.Key.Key_Plus, "ctrl")])
def test_zoom_keys_work_on_every_screen_and_scale_its_widgets(
    window: MainWindow, qtbot: QtBot, services: Services, clock: FakeClock, screen: str, key: Qt.Key, modifier: str
) -> None:
    SCREENS[screen](window, services, clock)
    shown = window.stack.currentWidget()
    button = shown.findChildren(QPushButton)[0]
    before = button.font().pointSizeF()
    qtbot.keyClick(shown, key, Qt.KeyboardModifier.ControlModifier)
    assert window.preferences.zoom == 1
    assert button.font().pointSizeF() > before
    qtbot.keyClick(shown, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.preferences.zoom == 0
    assert button.font().pointSizeF() == pytest.approx(before)
    qtbot.keyClick(shown, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(shown, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.preferences.zoom == 0


def test_zoom_scales_top_bar_navigator_options_and_tables(window: MainWindow, services: Services) -> None:
    block = open_block(window)
    screen = window.screens.block
    widgets = [screen.item_label, screen.mark_box, screen.lab_button, screen.navigator, screen.next_button]
    widgets += [screen.question_view.option_rows[0], window.screens.home.findChildren(QLineEdit)[0]]
    before = [w.font().pointSizeF() for w in widgets]
    stem_before = screen.question_view.stem.font().pointSizeF()
    navigator_width = screen.navigator.width()
    window.appearance.zoom(3)
    scale = (BASE_POINT_SIZE + 3 * ZOOM_STEP) / BASE_POINT_SIZE
    for widget, size in zip(widgets, before, strict=True):
        assert widget.font().pointSizeF() == pytest.approx(size * scale, abs=0.3), widget.objectName()
    assert screen.question_view.stem.font().pointSizeF() == pytest.approx(BASE_POINT_SIZE + 3 * ZOOM_STEP)
    assert stem_before == pytest.approx(BASE_POINT_SIZE)
    assert screen.navigator.width() > navigator_width
    # The radio button's circle grows with the text.
    assert "width: 17px" in QApplication.instance().styleSheet()  # type: ignore[union-attr]
    assert block is screen


def test_zoom_limits_hold_and_the_zoom_is_remembered(window: MainWindow, services: Services) -> None:
    for _ in range(20):
        window.appearance.zoom(1)
    assert window.preferences.zoom == 8
    assert load_preferences(services.data_dir).zoom == 8
    for _ in range(20):
        window.appearance.zoom(-1)
    assert load_preferences(services.data_dir).zoom == -3
    window.appearance.zoom(0)
    assert load_preferences(services.data_dir).zoom == 0


def test_view_menu_lists_zoom_and_theme_with_their_shortcuts(window: MainWindow) -> None:
    actions = window.menu_actions
    keys = {name: [k.toString() for k in actions[name].shortcuts()] for name in ("zoom_in", "zoom_out", "zoom_reset")}
    assert keys == {"zoom_in": ["Ctrl++", "Ctrl+="], "zoom_out": ["Ctrl+-"], "zoom_reset": ["Ctrl+0"]}
    assert actions["zoom_in"].shortcutContext() is Qt.ShortcutContext.ApplicationShortcut
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    texts = [a.text() for a in view.actions()]
    assert "Zoom &In" in texts and "&Theme" in texts
    theme_menu = next(a.menu() for a in view.actions() if a.text() == "&Theme")
    assert [a.text() for a in theme_menu.actions()] == ["&Light", "&Dark", "&High Contrast", "Follow &System"]
    assert all(a.isCheckable() for a in theme_menu.actions())
    assert actions["theme_system"].isChecked()  # a first start follows the system


def test_theme_choices_apply_to_the_app_and_are_remembered(window: MainWindow, services: Services) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.menu_actions["theme_high_contrast"].trigger()
    assert app.palette().window().color() == QColor("#000000")
    assert window.menu_actions["theme_high_contrast"].isChecked()
    assert not window.menu_actions["theme_system"].isChecked()
    assert load_preferences(services.data_dir).theme == "high_contrast"
    window.menu_actions["dark_mode"].trigger()  # Ctrl+Shift+D from a dark look: light
    assert load_preferences(services.data_dir).theme == "light"
    window.menu_actions["dark_mode"].trigger()
    assert app.palette().window().color() == QColor(load_theme("dark").colours["window"])
    assert window.menu_actions["theme_dark"].isChecked()


def test_old_preference_files_keep_their_dark_choice(services: Services) -> None:
    path = services.data_dir / PREFERENCES_FILE
    path.write_text(json.dumps({"zoom": 2, "dark": True}), encoding="utf-8")
    assert load_preferences(services.data_dir).theme == "dark"
    path.write_text(json.dumps({"zoom": 2, "dark": False}), encoding="utf-8")
    assert load_preferences(services.data_dir).theme == "light"
    path.unlink()
    assert load_preferences(services.data_dir).theme == "system"


def test_first_start_follows_the_system_scheme_and_then_live(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.ui.appearance.system_is_dark", lambda: True)
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    assert win.appearance.look.theme.key == "dark"
    monkeypatch.setattr("app.ui.appearance.system_is_dark", lambda: False)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert win.appearance.look.theme.key == "light"
    win.appearance.set_theme("high_contrast")
    monkeypatch.setattr("app.ui.appearance.system_is_dark", lambda: True)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert win.appearance.look.theme.key == "high_contrast"  # an explicit choice does not follow


@pytest.mark.parametrize("key", THEMES)
def test_navigator_marks_take_the_theme_colours(qtbot: QtBot, services: Services, key: str) -> None:
    win = MainWindow(services, Preferences(theme=key))  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.show()
    open_block(win)
    inks = win.screens.block.navigator.delegate.inks
    colours = load_theme(key).colours
    assert inks.flag == QColor(colours["flag"]) and inks.selected_flag == QColor(colours["selectedFlag"])
    assert inks.selected_correct == QColor(colours["selectedCorrectMark"])
    assert win.screens.block.controller is not None
    win.screens.block.controller.stop()


@pytest.mark.parametrize("key", THEMES)
def test_focus_is_visible_on_every_kind_of_control(qtbot: QtBot, services: Services, key: str) -> None:
    win = MainWindow(services, Preferences(theme=key))  # type: ignore[arg-type]
    qtbot.addWidget(win)
    panel = QWidget()
    qtbot.addWidget(panel)
    layout = QVBoxLayout(panel)
    controls: list[QWidget] = [QPushButton("Button"), QCheckBox("Check"), QLineEdit("text")]
    for control in controls:
        layout.addWidget(control)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    focus = QColor(load_theme(key).colours["focus"])
    for control in controls:
        unfocused = control.grab().toImage()
        control.setFocus()
        qtbot.waitUntil(control.hasFocus)
        image = control.grab().toImage()
        ring = image.pixelColor(1, image.height() // 2)
        assert ring == focus, (type(control).__name__, ring.name())
        assert unfocused.pixelColor(1, image.height() // 2) != focus

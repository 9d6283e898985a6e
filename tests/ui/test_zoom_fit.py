"""Zoom on a small screen (issue 11): every allowed step keeps the window inside the screen, the stem in
view, a step that cannot fit is refused with a message, and the zoom keys work in the app's dialogs too.

Offscreen there is no real screen to outgrow: as in ``test_small_screen.py``, the window's minimum size
is compared with the screen's room, given to the window through ``WindowFit.available_size``.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.clock import FakeClock
from app.core.preferences import MAX_ZOOM, MIN_ZOOM, Preferences
from app.core.reference_data import lab_values, shortcuts
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.appearance import Look
from app.ui.main_window import MainWindow
from app.ui.theme import load_theme, stylesheet
from app.ui.widgets.dialogs import HelpDialog, LabValuesDialog
from app.ui.widgets.flow_row import FlowRow, LineLabel
from app.ui.window_fit import WindowFit
from tests.ui.test_analytics_screen import loaded, sit

SIZES = [(1024, 700), (1280, 820)]


def on_screen(monkeypatch: pytest.MonkeyPatch, window: MainWindow, size: tuple[int, int]) -> None:
    monkeypatch.setattr(WindowFit, "available_size", lambda _fit: QSize(*size))
    window.resize(*size)


def fits(hint: QSize, size: tuple[int, int]) -> bool:
    return hint.width() <= size[0] and hint.height() <= size[1]


def stem_overflow(window: MainWindow) -> int:
    """How far the stem's right edge lies past the right edge of the question pane's viewport (0: none)."""
    view = window.screens.block.question_view
    stem = view.stem
    right = stem.mapTo(view.viewport(), QPoint(stem.width(), 0)).x()
    return max(0, right - view.viewport().width()) + max(0, window.width() - window.fit.available_size().width())


@pytest.mark.parametrize("size", SIZES)
def test_every_zoom_step_fits_every_screen_and_keeps_the_stem_in_view(
    window: MainWindow,
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    session = sit(services, clock, [("A", 20), ("B", 70), ("C", 40)])
    on_screen(monkeypatch, window, size)
    window.nav.analytics("session", session)
    loaded(qtbot, window.screens.analytics)
    window.nav.review(session)
    for _ in range(MAX_ZOOM - MIN_ZOOM):
        window.appearance.zoom(-1)
    assert window.preferences.zoom == MIN_ZOOM
    too_big: dict[tuple[int, str], tuple[int, int]] = {}
    stem_cut: dict[int, int] = {}
    for zoom in range(MIN_ZOOM, MAX_ZOOM + 1):
        assert window.preferences.zoom == zoom  # every step is allowed on these screens
        for screen in window.screens.all():
            window.nav.show(screen)
            QApplication.processEvents()
            for hint in (window.minimumSizeHint(), window.layout().minimumSize()):
                if not fits(hint, size):
                    too_big[(zoom, screen.objectName())] = hint.toTuple()
        window.flow.start_block(BlockRequest(BlockFilter(), size=4, minutes=10, seed=5))
        window.resize(*size)
        QApplication.processEvents()
        if stem_overflow(window):
            stem_cut[zoom] = stem_overflow(window)
        assert window.screens.block.controller is not None
        window.screens.block.controller.stop()
        window.appearance.zoom(1)
    assert too_big == {}
    assert stem_cut == {}


def test_a_zoom_step_that_cannot_fit_is_refused_with_a_message(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = (760, 560)  # a screen too small for the largest zooms
    on_screen(monkeypatch, window, size)
    window.flow.start_block(BlockRequest(BlockFilter(), size=4, minutes=10, seed=5))
    window.screens.all()  # every screen built, so every one is measured
    refusals: list[str] = []
    window.appearance.refused.connect(refusals.append)
    for _ in range(MAX_ZOOM):
        window.appearance.zoom(1)
    assert 0 < window.preferences.zoom < MAX_ZOOM
    assert fits(window.minimumSizeHint(), size)
    assert refusals and "does not fit" in refusals[-1]
    assert "does not fit" in window.statusBar().currentMessage()
    window.appearance.zoom(0)
    assert window.preferences.zoom == 0


def dialogs(window: MainWindow) -> list[QDialog]:
    """Some of the app's dialogs, and a bare modal one (as the file and message boxes are)."""
    bare = QDialog(window)
    bare.setLayout(QVBoxLayout())
    bare.layout().addWidget(QLabel("A question"))
    bare.layout().addWidget(QPushButton("OK"))
    return [HelpDialog(shortcuts(), window), LabValuesDialog(lab_values(), window), bare]


@pytest.mark.parametrize("which", [0, 1, 2])
def test_zoom_keys_work_in_a_modal_dialog_and_rescale_it(window: MainWindow, qtbot: QtBot, which: int) -> None:
    dialog = dialogs(window)[which]
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.show()
    dialog.resize(dialog.minimumSizeHint().expandedTo(QSize(400, 300)))  # room to grow on the 800 px offscreen screen
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    focus = dialog.focusWidget() or dialog.findChildren(QPushButton)[0]
    focus.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is dialog)
    label = dialog.findChildren(QWidget)[0]
    before, width = label.font().pointSizeF(), dialog.width()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.preferences.zoom == 1
    assert label.font().pointSizeF() > before
    assert dialog.width() > width  # the dialog grows with its text
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.preferences.zoom == 0
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.preferences.zoom == 0
    assert label.font().pointSizeF() == pytest.approx(before)
    dialog.close()


def test_the_discipline_list_follows_the_zoom_both_ways(window: MainWindow, qtbot: QtBot) -> None:
    home = window.screens.home
    window.nav.home()
    normal = home.discipline_list.width()
    window.appearance.zoom(4)
    qtbot.waitUntil(lambda: home.discipline_list.width() > normal)
    window.appearance.zoom(0)
    qtbot.waitUntil(lambda: home.discipline_list.width() == normal)


@pytest.mark.parametrize("zoom", [MIN_ZOOM, 0, 3, MAX_ZOOM])
def test_radio_circles_stay_round_at_every_zoom(zoom: int) -> None:
    """Qt draws a square when a radius exceeds half the indicator's outer size."""
    look = Look(load_theme("light"), zoom, 10.0)
    sheet = stylesheet(look.theme, text_points=look.text_points, question_points=look.question_points, scale=look.scale)
    for rule in re.findall(r"QRadioButton::indicator \{([^}]*)\}", sheet):
        numbers = {key: int(value) for key, value in re.findall(r"(width|border-radius|border): (\d+)px", rule)}
        assert numbers["border-radius"] <= (numbers["width"] + 2 * numbers["border"]) / 2, rule


def test_a_saved_zoom_too_large_for_the_screen_steps_down_at_start(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = (760, 560)
    monkeypatch.setattr(WindowFit, "available_size", lambda _fit: QSize(*size))
    win = MainWindow(services, Preferences(zoom=MAX_ZOOM))
    qtbot.addWidget(win)
    win.show()  # measured at its first show
    qtbot.waitExposed(win)
    assert fits(win.minimumSizeHint(), size)
    win.screens.all()  # the other screens are built on first use: one that does not fit steps the zoom down
    assert 0 <= win.preferences.zoom < MAX_ZOOM
    assert fits(win.minimumSizeHint(), size)
    assert "does not fit" in win.statusBar().currentMessage()


def test_the_window_shrinks_back_when_the_zoom_goes_down(window: MainWindow) -> None:
    """Screens hidden in the stack are measured again too: the largest one sets the window's minimum."""

    def visit_all() -> QSize:
        for screen in window.screens.all():
            window.nav.show(screen)
            QApplication.processEvents()
        window.nav.home()
        QApplication.processEvents()
        return window.minimumSizeHint()

    normal = visit_all()
    window.appearance.zoom(MAX_ZOOM)
    assert visit_all().width() > normal.width()
    window.appearance.zoom(0)
    QApplication.processEvents()
    assert window.minimumSizeHint() == normal


def test_a_flow_row_wraps_right_aligns_and_gives_a_long_label_the_row_width(qtbot: QtBot) -> None:
    row = FlowRow(align_right=True)
    qtbot.addWidget(row)
    buttons = [QPushButton(f"Button {n}") for n in range(3)]
    for button in buttons:
        row.add(button)
    timer = LineLabel("Block Time Remaining: 0:10:00")
    row.add(timer)
    one_line = row.flow.sizeHint().width()
    row.resize(one_line, row.flow.heightForWidth(one_line))
    row.flow.setGeometry(row.rect())
    assert len({b.y() for b in buttons}) == 1
    assert timer.geometry().right() == row.rect().right()  # one line, ending at the right edge
    narrow = timer.minimumSizeHint().width() + 10
    height = row.flow.heightForWidth(narrow)
    row.resize(narrow, height)
    row.flow.setGeometry(row.rect())
    assert height > row.flow.heightForWidth(one_line)  # more lines
    assert timer.width() <= narrow and timer.height() > timer.fontMetrics().height()  # it wraps inside the row
    assert row.flow.minimumSize().width() < one_line

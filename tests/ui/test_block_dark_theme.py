"""The block screen's widgets in the dark theme: Mark box, option hover, navigator marks (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QColor, QCursor, QEnterEvent, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from app.ui.theme import load_theme


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def best_contrast(image: QImage, background: QColor, x0: int, x1: int) -> float:
    return max(
        contrast(image.pixelColor(x, y), background)
        for x in range(max(0, x0), min(image.width(), x1))
        for y in range(image.height())
    )


@pytest.fixture
def dark_window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    win = MainWindow(services, Preferences(theme="dark"))
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    qtbot.waitExposed(win)
    win.flow.start_block(BlockRequest(BlockFilter(), size=4, minutes=10, seed=5))
    yield win
    if win.screens.block.controller is not None:
        win.screens.block.controller.stop()


def test_mark_box_indicator_is_visible_in_dark(dark_window: MainWindow) -> None:
    box = dark_window.screens.block.mark_box
    image = box.grab().toImage()
    bar = QColor(load_theme("dark").colours["bar"])
    # The indicator is the left part of the box, before the word "Mark".
    assert best_contrast(image, bar, 0, 18) >= 3.0


def test_flag_on_the_selected_navigator_row_is_visible(dark_window: MainWindow, qtbot: QtBot) -> None:
    screen = dark_window.screens.block
    assert screen.controller is not None
    screen.controller.toggle_mark()  # item 1 is marked and is the selected row
    QApplication.processEvents()
    navigator = screen.navigator
    rect = navigator.visualRect(screen.navigator_model.index(0))
    image = navigator.viewport().grab(rect).toImage()
    highlight = navigator.palette().highlight().color()
    assert best_contrast(image, highlight, image.width() - 22, image.width() - 4) >= 3.0


def test_option_hover_goes_when_the_pointer_leaves(dark_window: MainWindow) -> None:
    row = dark_window.screens.block.question_view.option_rows[0]
    QApplication.sendEvent(row, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
    assert row.property("hovered")
    QApplication.sendEvent(row, QEvent(QEvent.Type.Leave))
    assert not row.property("hovered")
    hover = QColor(load_theme("dark").colours["hover"])
    image = row.grab().toImage()
    assert image.pixelColor(image.width() - 3, image.height() // 2) != hover


def test_hover_leaves_a_row_that_scrolls_or_moves_away_under_a_still_pointer(
    dark_window: MainWindow, qtbot: QtBot
) -> None:
    screen = dark_window.screens.block
    row = screen.question_view.option_rows[0]
    QCursor.setPos(row.mapToGlobal(row.rect().center()))
    QApplication.sendEvent(row, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
    assert row.property("hovered")
    # The pointer stays where it is; the rows move (the next item has a different layout, or
    # the pane scrolls): no leave event comes, yet row A is no longer under the pointer.
    QCursor.setPos(row.mapToGlobal(row.rect().center()) + QPoint(0, 4000))
    row.move(row.x(), row.y() + 1)
    assert not row.property("hovered")

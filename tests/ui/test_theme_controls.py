"""Controls that Fusion draws from the palette vanish on a black ground: spin and date boxes, scroll bars and the
tick boxes of lists are drawn by the stylesheet in every theme. Checked on the pixels of each control."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QScrollBar,
    QSpinBox,
    QStyleOptionSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.ui.theme import THEMES, arrow_image, load_theme, palette, stylesheet


def _use(key: str) -> dict[str, str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = load_theme(key)
    app.setPalette(palette(theme))  # both are put back after the test
    app.setStyleSheet(stylesheet(theme, text_points=10, question_points=12, scale=1))
    return theme.colours


def _count(image: QImage, rect: QRect, colour: str) -> int:
    """Pixels of ``colour`` (within a few levels, for antialiasing) inside ``rect``."""
    want = QColor(colour)
    hits = 0
    for x in range(max(0, rect.left()), min(image.width(), rect.right() + 1)):
        for y in range(max(0, rect.top()), min(image.height(), rect.bottom() + 1)):
            got = image.pixelColor(x, y)
            if max(abs(got.red() - want.red()), abs(got.green() - want.green()), abs(got.blue() - want.blue())) < 24:
                hits += 1
    return hits


def _shown(qtbot: QtBot, widget: QWidget, width: int, height: int) -> QImage:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget.grab().toImage()


@pytest.mark.parametrize("key", THEMES)
def test_a_spin_box_has_the_themes_frame_and_arrows(qtbot: QtBot, key: str) -> None:
    colours = _use(key)
    box = QSpinBox()
    box.setRange(0, 9)
    image = _shown(qtbot, box, 160, 32)
    left_edge = QRect(0, 8, 3, 16)
    assert _count(image, left_edge, colours["border"]) >= 12  # a frame line, not the window showing through
    buttons = box.style().subControlRect(
        box.style().ComplexControl.CC_SpinBox, _option(box), box.style().SubControl.SC_SpinBoxUp, box
    )
    assert buttons.left() > 100, buttons  # the buttons sit inside the frame, on its right
    arrows = QRect(buttons.left(), 0, buttons.width(), image.height())
    assert _count(image, arrows, colours["text"]) >= 10  # both arrows drawn in the text colour


def _option(box: QSpinBox) -> QStyleOptionSpinBox:
    option = QStyleOptionSpinBox()
    option.initFrom(box)
    option.subControls = box.style().SubControl.SC_All
    option.rect = box.rect()
    return option


@pytest.mark.parametrize("key", THEMES)
def test_a_scroll_bars_handle_stands_out_from_its_groove(qtbot: QtBot, key: str) -> None:
    colours = _use(key)
    bar = QScrollBar(Qt.Orientation.Vertical)
    bar.setRange(0, 100)
    bar.setPageStep(20)
    image = _shown(qtbot, bar, 16, 300)
    inside = QRect(5, 8, 6, 30)  # the middle of the handle, which sits at the top at value 0
    assert _count(image, inside, colours["border"]) >= 150


@pytest.mark.parametrize("key", THEMES)
def test_list_tick_boxes_show_ticked_or_not(qtbot: QtBot, key: str) -> None:
    colours = _use(key)
    listing = QListWidget()
    for text, state in (("Medicine (274)", Qt.CheckState.Unchecked), ("Surgery (110)", Qt.CheckState.Checked)):
        item = QListWidgetItem(text, listing)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(state)
    image = _shown(qtbot, listing, 240, 120)
    for row, outline in ((0, colours["border"]), (1, colours["accent"])):  # unticked: an outline; ticked: filled
        rect = listing.visualItemRect(listing.item(row))
        tick_box = QRect(rect.left(), rect.top(), 24, rect.height())
        assert _count(image, tick_box, outline) >= 16, row


def test_arrow_images_are_made_once_per_colour() -> None:
    first = arrow_image("up", "#ABCDEF")
    assert first.name == "arrow-up-abcdef.svg" and 'fill="#ABCDEF"' in first.read_text(encoding="utf-8")
    assert arrow_image("up", "#ABCDEF") == first
    assert arrow_image("down", "#abcdef") != first

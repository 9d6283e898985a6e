"""Smaller widgets: the exhibit viewer, the themes, the shortcuts help."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.core.reference_data import shortcuts
from app.ui.theme import stylesheet
from app.ui.widgets.dialogs import HelpDialog, ImageViewer


def _png(color: str) -> bytes:
    image = QImage(40, 20, QImage.Format.Format_RGB888)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_viewer_contrast_and_zoom(qtbot: QtBot) -> None:
    viewer = ImageViewer(_png("#a0a0a0"), "Exhibit")
    qtbot.addWidget(viewer)
    assert viewer.adjusted_image().pixelColor(0, 0).red() == 0xA0
    viewer.contrast.setValue(50)
    assert viewer.adjusted_image().pixelColor(0, 0).red() == round((0xA0 - 128) * 1.5 + 128)
    viewer.contrast.setValue(-80)
    assert abs(viewer.adjusted_image().pixelColor(0, 0).red() - 128) < abs(0xA0 - 128)
    viewer.zoom.setValue(200)
    assert viewer.shown_width() == 80
    viewer.brightness.setValue(40)
    viewer.contrast.setValue(0)
    assert viewer.adjusted_image().pixelColor(0, 0).red() == 0xA0 + round(40 * 255 / 200)


def test_viewer_opens_fitted_to_its_window(qtbot: QtBot) -> None:
    big = QImage(3000, 1200, QImage.Format.Format_RGB888)
    big.fill(QColor("#808080"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    big.save(buffer, "PNG")
    viewer = ImageViewer(bytes(data.data()), "ECG")
    qtbot.addWidget(viewer)
    viewer.resize(900, 600)
    viewer.show()
    qtbot.waitExposed(viewer)
    viewport = viewer.view.viewport().width()
    assert viewer.zoom.value() < 100
    assert viewport - 40 <= viewer.shown_width() <= viewport


@pytest.mark.parametrize("dark", [False, True])
def test_every_theme_colour_is_defined(dark: bool) -> None:
    sheet = stylesheet(dark)
    assert not re.search(r"@[A-Za-z]", sheet)


def test_help_lists_every_shortcut(qtbot: QtBot) -> None:
    dialog = HelpDialog(shortcuts())
    qtbot.addWidget(dialog)
    html = " ".join(label.text() for label in dialog.findChildren(QLabel))
    for shortcut in shortcuts().shortcuts:
        assert shortcut.text in html

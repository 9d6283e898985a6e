"""Smaller widgets: the exhibit viewer, the themes, the shortcuts help."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.core.reference_data import lab_values, shortcuts
from app.ui.theme import THEMES, load_theme, stylesheet
from app.ui.widgets.dialogs import HelpDialog, ImageViewer, LabValuesDialog


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


@pytest.mark.parametrize("key", THEMES)
def test_every_theme_colour_is_defined(key: str) -> None:
    sheet = stylesheet(load_theme(key), text_points=9, question_points=11, scale=1)
    assert not re.search(r"@[A-Za-z]", sheet)


def test_help_lists_every_shortcut(qtbot: QtBot) -> None:
    dialog = HelpDialog(shortcuts())
    qtbot.addWidget(dialog)
    html = " ".join(label.text() for label in dialog.findChildren(QLabel))
    for shortcut in shortcuts().shortcuts:
        assert shortcut.text in html


def test_lab_values_are_tabbed_panels_searched_together(qtbot: QtBot) -> None:
    dialog = LabValuesDialog(lab_values())
    qtbot.addWidget(dialog)
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["Serum", "Cerebrospinal fluid", "Hematologic", "Urine and sweat", "Body mass index"]
    dialog.search.setText("glucose")  # in serum and in CSF
    counts = dialog.match_counts()
    assert counts["Serum"] >= 1 and counts["Cerebrospinal fluid"] >= 1 and counts["Hematologic"] == 0
    assert dialog.tabs.tabText(1).startswith("Cerebrospinal fluid (")
    dialog.tabs.setCurrentIndex(2)
    dialog.search.setText("platelet")
    assert dialog.tabs.currentIndex() == 2
    dialog.search.setText("sweat chloride")
    assert dialog.panels[dialog.tabs.currentIndex()] == "Urine and sweat"
    dialog.search.setText("lipids")  # a section name
    assert dialog.match_counts()["Serum"] == 4


@pytest.mark.parametrize("width", [640, 820, 1000])
def test_lab_values_si_column_always_inside_and_rows_compact(qtbot: QtBot, width: int) -> None:
    dialog = LabValuesDialog(lab_values())
    qtbot.addWidget(dialog)
    dialog.resize(width, 600)
    dialog.show()
    qtbot.waitExposed(dialog)
    for index, table in enumerate(dialog.tables):
        dialog.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        header = table.horizontalHeader()
        right = header.sectionViewportPosition(2) + header.sectionSize(2)
        assert right <= table.viewport().width(), dialog.panels[index]
        one_line = table.fontMetrics().height() + 12
        single = [r for r in range(table.model().rowCount()) if table.rowHeight(r) <= one_line]
        assert len(single) >= table.model().rowCount() // 2

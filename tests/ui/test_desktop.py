"""Desktop integration: the window fits the screen, an icon, a font even on a system with none."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.paths import resource
from app.ui import desktop


def test_a_window_larger_than_the_screen_is_fitted_to_it(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    available = screen.availableGeometry()
    window.resize(available.width() + 400, available.height() + 300)
    desktop.fit_to_screen(window)
    assert window.width() <= available.width() and window.height() <= available.height()
    assert window.width() >= int(available.width() * desktop.SCREEN_SHARE) - 1


def test_a_window_that_fits_keeps_its_size(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(300, 200)
    desktop.fit_to_screen(window)
    assert (window.width(), window.height()) == (300, 200)


def test_the_bundled_font_is_loaded_when_the_system_has_none(
    monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> None:
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *args: []))
    before = qapp.font()
    try:
        assert desktop.ensure_font(qapp) == "DejaVu Sans"
        assert qapp.font().family() == "DejaVu Sans"
    finally:
        qapp.setFont(before)


def test_fontconfigs_generic_aliases_alone_are_no_font(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> None:
    """What Qt lists on a system without font files: the aliases only."""
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *args: ["Monospace", "Sans Serif", "Serif"]))
    before = qapp.font()
    try:
        assert desktop.ensure_font(qapp) == "DejaVu Sans"
    finally:
        qapp.setFont(before)


def test_no_font_is_forced_when_the_system_has_some(qapp: QApplication) -> None:
    assert QFontDatabase.families()
    assert desktop.ensure_font(qapp) is None


def test_the_application_has_the_window_icon(qapp: QApplication) -> None:
    assert desktop.make_application() is qapp
    assert not QGuiApplication.windowIcon().isNull()


def test_the_desktop_files_ship_as_resources() -> None:
    desktop_entry = resource("desktop/blocksim.desktop").read_text(encoding="utf-8")
    assert "Exec=blocksim" in desktop_entry and "Icon=blocksim" in desktop_entry
    assert "<id>blocksim</id>" in resource("desktop/blocksim.metainfo.xml").read_text(encoding="utf-8")


def test_qt_scale_factor_shrinks_the_room_and_the_window_follows() -> None:
    """At QT_SCALE_FACTOR=2 the offscreen 800×800 screen is 400×400 device-independent pixels."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from PySide6.QtWidgets import QApplication, QWidget\n"
        "from app.ui.desktop import fit_to_screen\n"
        "app = QApplication([])\n"
        "window = QWidget(); window.resize(1280, 820); fit_to_screen(window)\n"
        "room = app.primaryScreen().availableGeometry()\n"
        "print(window.width(), window.height(), room.width(), room.height())\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"},
    )
    width, height, room_width, room_height = map(int, result.stdout.split())
    assert (room_width, room_height) == (400, 400)
    assert (width, height) == (int(400 * desktop.SCREEN_SHARE), int(400 * desktop.SCREEN_SHARE))

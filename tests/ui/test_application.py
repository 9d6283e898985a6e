"""Start-up: a missing Qt system library or display is named before PySide6 is imported, never a traceback."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import qWarning
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.core.exam_day import load_user_presets
from app.ui import application, desktop
from app.ui.qt_messages import install_qt_message_handler
from app.ui.widgets.notices import NoticeRelay

ROOT = Path(__file__).resolve().parents[2]


def _without(*missing: str) -> object:
    """A loader that finds every library but ``missing``: the machine's own libraries must not matter (a clean
    CI machine has the offscreen ones only when the tests run)."""
    return lambda soname: soname not in missing


def test_missing_window_libraries_are_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(application, "_dlopen", _without("libxcb-cursor.so.0"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(application.sys, "platform", "linux")
    assert application.run_gui(None) == 1
    assert "sudo apt-get install libxcb-cursor0\n" in capsys.readouterr().err


def test_offscreen_needs_no_window_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(application, "_dlopen", lambda soname: not soname.startswith("libxcb"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(application.sys, "platform", "linux")
    assert application.missing_qt_packages() == []


def test_a_frozen_app_counts_the_libraries_it_carries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The loader does not look inside the bundle; the check must, or it asks for what is already there."""
    (tmp_path / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (tmp_path / "PySide6" / "Qt" / "lib" / "libxkbcommon.so.0").write_bytes(b"")
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    monkeypatch.setattr(application, "_dlopen", _without("libxkbcommon.so.0", "libxcb-cursor.so.0", "libGL.so.1"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(application.sys, "platform", "linux")
    monkeypatch.setattr(application.sys, "_MEIPASS", str(tmp_path), raising=False)
    assert application.missing_qt_packages() == ["libgl1"]


def test_the_check_really_asks_the_loader() -> None:
    assert application._dlopen("libc.so.6")
    assert not application._dlopen("libblocksim-does-not-exist.so.7")


def test_the_check_runs_before_pyside6_is_imported() -> None:
    """On a system without libGL, importing PySide6 dies; the GUI path must not import it before the check."""
    code = (
        "import sys\n"
        "from app.ui import application\n"
        "application._dlopen = lambda soname: soname != 'libGL.so.1'\n"
        "code = application.run_gui(None)\n"
        "print(code, 'PySide6' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.split() == ["1", "False"], result.stderr
    assert "sudo apt-get install libgl1" in result.stderr


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, True),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"DISPLAY": ":99"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"QT_QPA_PLATFORM": "minimal"}, False),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, False),
    ],
)
def test_missing_display(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], missing: bool) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(application.sys, "platform", "linux")
    assert application.missing_display() is missing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display servers are a Linux matter here")
def test_no_display_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    result = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(tmp_path / "data")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "blocksim: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not set); "
        "run under a virtual screen: xvfb-run -a blocksim"
    ]
    assert not (tmp_path / "data").exists()  # refused before touching anything


def test_crash_dialog_names_the_log_file(
    qapp: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    log_file = tmp_path / "logs" / "blocksim.log"
    desktop._install_crash_handler(log_file)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        with caplog.at_level(logging.CRITICAL):
            sys.excepthook(type(exc), exc, exc.__traceback__)
    (text,) = shown
    assert f"The details are in the log file {log_file}." in text and "boom in a slot" in text
    assert any("boom in a slot" in r.getMessage() and r.levelno == logging.CRITICAL for r in caplog.records)


@pytest.mark.qt_log_ignore("routed into the log")
def test_qt_messages_go_to_the_log(qapp: object, caplog: pytest.LogCaptureFixture) -> None:
    restore = install_qt_message_handler()
    try:
        with caplog.at_level(logging.DEBUG, logger="qt"):
            qWarning("routed into the log")
    finally:
        restore()
    (record,) = [r for r in caplog.records if r.name == "qt"]
    assert record.levelno == logging.WARNING and record.getMessage().endswith("routed into the log")
    caplog.clear()
    qWarning("routed into the log, after restore")
    assert [r for r in caplog.records if r.name == "qt"] == []


def test_damaged_presets_give_a_non_blocking_notice(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "day_presets.json").write_text("{ not json")
    window = QWidget()
    qtbot.addWidget(window)
    relay = NoticeRelay(window)
    relay.install()
    try:
        assert load_user_presets(tmp_path).presets == ()  # before the window shows: kept for later
        assert relay.pending and window.findChildren(QMessageBox) == []
        window.show()
        relay.show_on(window)
    finally:
        relay.uninstall()
    (box,) = window.findChildren(QMessageBox)
    assert box.isVisible() and not box.isModal()
    assert "day_presets.json.bad" in box.text()
    assert relay.pending == []

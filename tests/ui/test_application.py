"""Start-up: a missing Qt system library is named, never Qt's bare platform-plugin error."""

from __future__ import annotations

import ctypes.util

import pytest

from app.ui import application


def test_missing_window_libraries_are_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else real(name))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(application.sys, "platform", "linux")
    assert application.run_gui(None) == 3
    assert "sudo apt-get install libxcb-cursor0" in capsys.readouterr().err


def test_offscreen_needs_no_window_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name.startswith("xcb") else real(name))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(application.sys, "platform", "linux")
    assert application.missing_qt_packages() == []

"""Start-up: a missing Qt system library is named before PySide6 is imported, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.ui import application

ROOT = Path(__file__).resolve().parents[2]


def _without(*missing: str) -> object:
    real = application._dlopen
    return lambda soname: soname not in missing and real(soname)


def test_missing_window_libraries_are_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(application, "_dlopen", _without("libxcb-cursor.so.0"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(application.sys, "platform", "linux")
    assert application.run_gui(None) == 3
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
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.split() == ["3", "False"], result.stderr
    assert "sudo apt-get install libgl1" in result.stderr

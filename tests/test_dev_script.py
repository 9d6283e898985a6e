"""scripts/dev.py: a venv that cannot be made is never left half-made; Debian's SystemExit is handled."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("blocksim_dev_script", ROOT / "scripts" / "dev.py")
    assert spec is not None and spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    venv_dir = tmp_path / ".venv"
    monkeypatch.setattr(dev, "VENV", venv_dir)
    monkeypatch.setattr(dev, "BIN", venv_dir / "bin")
    monkeypatch.setattr(dev, "PYTHON", venv_dir / "bin" / "python")
    monkeypatch.setattr(dev, "STAMP", venv_dir / ".blocksim-installed")

    def no_apt(*packages: str) -> None:
        raise AssertionError(f"a test must not run apt-get ({packages})")

    monkeypatch.setattr(dev, "_apt_install", no_apt)
    monkeypatch.setattr(dev, "_can_apt", lambda: False)
    return dev


def _fake_python(path: Path) -> None:
    """A stand-in interpreter whose ``-m pip --version`` succeeds."""
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)


class DebianVenvWithoutEnsurepip:
    """Like Debian's venv when python3-venv is missing: makes the folder, then raises SystemExit."""

    installed = False

    def __init__(self, **kwargs: object) -> None:
        pass

    def create(self, folder: Path) -> None:
        (folder / "bin").mkdir(parents=True)
        (folder / "pyvenv.cfg").write_text("home = /usr/bin\n")
        if not type(self).installed:
            print("The virtual environment was not created successfully because ensurepip is not available.")
            raise SystemExit(1)
        _fake_python(folder / "bin" / "python")


def test_without_root_a_half_made_venv_is_removed_and_the_fix_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dev = _dev(tmp_path, monkeypatch)
    DebianVenvWithoutEnsurepip.installed = False
    monkeypatch.setattr(dev.venv, "EnvBuilder", DebianVenvWithoutEnsurepip)
    monkeypatch.setattr(dev, "_can_apt", lambda: False)
    with pytest.raises(SystemExit) as exit_info:
        dev._make_venv()
    assert exit_info.value.code == 3
    assert not dev.VENV.exists()
    assert "sudo apt-get install python3-venv" in capsys.readouterr().out


def test_as_root_python3_venv_is_installed_and_the_venv_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dev = _dev(tmp_path, monkeypatch)
    DebianVenvWithoutEnsurepip.installed = False
    monkeypatch.setattr(dev.venv, "EnvBuilder", DebianVenvWithoutEnsurepip)
    monkeypatch.setattr(dev, "_can_apt", lambda: True)
    apt: list[tuple[str, ...]] = []

    def fake_apt(*packages: str) -> None:
        apt.append(packages)
        DebianVenvWithoutEnsurepip.installed = True

    monkeypatch.setattr(dev, "_apt_install", fake_apt)
    dev._make_venv()
    assert apt == [(f"python3.{sys.version_info.minor}-venv",)]
    assert dev._venv_works()


def test_a_broken_venv_left_by_an_old_run_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dev = _dev(tmp_path, monkeypatch)
    (dev.VENV / "bin").mkdir(parents=True)  # what the old script left behind: no python, no pip
    assert not dev._venv_works()
    DebianVenvWithoutEnsurepip.installed = True
    monkeypatch.setattr(dev.venv, "EnvBuilder", DebianVenvWithoutEnsurepip)
    dev._make_venv()
    assert dev._venv_works()


def test_run_installs_no_test_tools_and_test_adds_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dev = _dev(tmp_path, monkeypatch)
    (dev.VENV / "bin").mkdir(parents=True)
    _fake_python(dev.PYTHON)
    installs: list[list[str]] = []

    def fake_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        if "install" in command and "--upgrade" not in command:
            installs.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(dev.subprocess, "run", fake_run)
    monkeypatch.setattr(dev, "_venv_works", lambda: True)
    dev.ensure_venv()
    assert installs[-1][-1] == str(dev.ROOT)
    assert installs[-1][-4:-2] == ["-c", str(dev.LOCK)]
    dev.ensure_venv()
    assert len(installs) == 1  # nothing changed: no reinstall
    dev.ensure_venv(("dev",))
    assert installs[-1][-1] == f"{dev.ROOT}[dev]"
    dev.ensure_venv(("build",))
    assert installs[-1][-1] == f"{dev.ROOT}[build,dev]"
    assert len(installs) == 3


def test_the_lock_pins_every_runtime_dependency() -> None:
    pins = {
        line.split("==")[0].replace("_", "-")
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if line and not line.startswith("#")
    }
    for name in (
        "pyside6-essentials",
        "pyside6-addons",
        "sqlalchemy",
        "alembic",
        "pydantic",
        "platformdirs",
        "pyinstaller",
        "pytest",
        "ruff",
        "mypy",
    ):
        assert name in pins, name

#!/usr/bin/env python3
"""Blocksim's set-up-and-go entry point: ``python3 scripts/dev.py run`` and ``python3 scripts/dev.py test``.

On first use it creates ``.venv`` beside this repository, installs Blocksim with its test extras,
and checks the system libraries Qt needs (installing them with apt-get when run as root on Debian
or Ubuntu, otherwise printing the exact command). Later runs reinstall only when
``pyproject.toml`` changed. Only the standard library is used here: this runs before anything is
installed.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".blocksim-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

# Debian package -> a library it provides; shared with the app's own start-up check.
QT_LIBRARIES = json.loads((ROOT / "resources" / "qt_system_libraries.json").read_text(encoding="utf-8"))
QT_LIBS_OFFSCREEN: dict[str, str] = QT_LIBRARIES["offscreen"]
QT_LIBS_WINDOW: dict[str, str] = QT_LIBRARIES["window"]
FONT_PACKAGE = "fonts-dejavu-core"


def say(message: str) -> None:
    print(f"[blocksim] {message}", flush=True)


def missing_packages(table: dict[str, str]) -> list[str]:
    return [package for package, lib in table.items() if ctypes.util.find_library(lib) is None]


def ensure_system_packages(window: bool) -> None:
    if not sys.platform.startswith("linux"):
        return
    table = dict(QT_LIBS_OFFSCREEN)
    if window:
        table.update(QT_LIBS_WINDOW)
    missing = missing_packages(table)
    if not Path("/usr/share/fonts").exists() or not any(Path("/usr/share/fonts").rglob("*.ttf")):
        missing.append(FONT_PACKAGE)
    if not missing:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"installing the system libraries Qt needs: {' '.join(missing)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run([*command, "-qq"], check=True, env=env)
        return
    say("Qt needs system libraries that are missing. Install them, then run this command again:")
    say("    sudo " + " ".join(command))
    raise SystemExit(3)


def _create_venv() -> None:
    say(f"creating the virtual environment in {VENV}")
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV)


def ensure_venv() -> None:
    if not PYTHON.exists():
        try:
            _create_venv()
        except (subprocess.CalledProcessError, OSError) as exc:
            if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
                # Debian splits venv/ensurepip out of python3: install it, then try once more.
                package = f"python3.{sys.version_info.minor}-venv"
                say(f"installing {package} (Debian's python3 lacks venv)")
                env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
                subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
                subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True, env=env)
                _create_venv()
            else:
                say(f"could not create a virtual environment ({exc}).")
                say("On Debian or Ubuntu: sudo apt-get install python3-venv   (then run this command again)")
                raise SystemExit(3) from exc
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say("installing Blocksim and its test tools into .venv (first run only)")
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run_app(args: list[str]) -> int:
    ensure_system_packages(window=True)
    ensure_venv()
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        say("no display found (DISPLAY and WAYLAND_DISPLAY are unset).")
        say("Run Blocksim from a desktop session, or under a virtual screen: xvfb-run -a python3 scripts/dev.py run")
        return 3
    return subprocess.call([str(PYTHON), "-m", "app", *args], env=env, cwd=ROOT)


def run_tests(args: list[str]) -> int:
    ensure_system_packages(window=False)
    ensure_venv()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.call([str(PYTHON), "-m", "pytest", *args], env=env, cwd=ROOT)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "setup"}:
        print(__doc__)
        print("usage: python3 scripts/dev.py run [blocksim arguments] | test [pytest arguments] | setup")
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run_app(rest)
    if command == "test":
        return run_tests(rest)
    ensure_system_packages(window=True)
    ensure_venv()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

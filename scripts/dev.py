#!/usr/bin/env python3
"""Blocksim's set-up-and-go entry point.

    python3 scripts/dev.py run [blocksim arguments]   start the app (installs Blocksim's runtime dependencies)
    python3 scripts/dev.py test [pytest arguments]    run the tests (also installs the test tools)
    python3 scripts/dev.py bundle                     build the one-folder desktop app in dist/blocksim
    python3 scripts/dev.py lock                       re-resolve and rewrite requirements.lock
    python3 scripts/dev.py setup                      only create .venv and check the system

On first use it creates ``.venv`` beside this repository, installs Blocksim into it (editable, with the
exact versions of requirements.lock as constraints) and checks the system libraries Qt needs (installing
them with apt-get when run as root on Debian or Ubuntu, otherwise printing the exact command). A ``.venv``
that could not be made is removed again, never left half-made. Later runs reinstall only when
``pyproject.toml`` or ``requirements.lock`` changed, or when a command needs extras not yet installed.
Only the standard library is used here: this runs before anything is installed.
"""

from __future__ import annotations

import ctypes
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
LOCK = ROOT / "requirements.lock"
LOCKED_EXTRAS = ("dev", "build")
"""The extras requirements.lock covers (with the runtime dependencies)."""
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

# Debian package -> a library it provides; shared with the app's own start-up check.
QT_LIBRARIES = json.loads((ROOT / "resources" / "qt_system_libraries.json").read_text(encoding="utf-8"))
QT_LIBS_OFFSCREEN: dict[str, str] = QT_LIBRARIES["offscreen"]
QT_LIBS_WINDOW: dict[str, str] = QT_LIBRARIES["window"]
FONT_PACKAGE = "fonts-dejavu-core"


def say(message: str) -> None:
    print(f"[blocksim] {message}", flush=True)


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname, mode=os.RTLD_LAZY)
    except OSError:
        return False
    return True


def missing_packages(table: dict[str, str]) -> list[str]:
    """Packages whose library (a soname) the dynamic loader cannot find; one dlopen each, no ldconfig forks."""
    return [package for package, soname in table.items() if not _loadable(soname)]


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
    if _can_apt():
        say(f"installing the system libraries Qt needs: {' '.join(missing)}")
        _apt_install(*missing)
        return
    say("Qt needs system libraries that are missing. Install them, then run this command again:")
    say("    sudo " + " ".join(command))
    raise SystemExit(3)


def _apt_install(*packages: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True, env=env)


def _can_apt() -> bool:
    return bool(shutil.which("apt-get")) and hasattr(os, "geteuid") and os.geteuid() == 0


def _create_venv() -> None:
    """Create .venv with pip, or raise; a failed attempt leaves no .venv behind."""
    say(f"creating the virtual environment in {VENV}")
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        subprocess.run([str(PYTHON), "-m", "pip", "--version"], check=True, capture_output=True)
    except BaseException:
        shutil.rmtree(VENV, ignore_errors=True)
        raise


def _venv_works() -> bool:
    if not PYTHON.exists():
        return False
    probe = subprocess.run([str(PYTHON), "-m", "pip", "--version"], capture_output=True, check=False)
    return probe.returncode == 0


def _make_venv() -> None:
    if VENV.exists():
        say(f"{VENV} is incomplete (no working python and pip): making it again")
        shutil.rmtree(VENV)
    try:
        # Debian's python3 without python3-venv: venv prints "ensurepip is not available" and raises
        # SystemExit (not an error class), having made a .venv without pip.
        _create_venv()
    except (SystemExit, subprocess.CalledProcessError, OSError) as exc:
        if not _can_apt():
            say(f"could not create a virtual environment ({exc!r}).")
            say("On Debian or Ubuntu: sudo apt-get install python3-venv   (then run this command again)")
            raise SystemExit(3) from exc
        # Debian splits venv/ensurepip out of python3: install it, then try once more.
        package = f"python3.{sys.version_info.minor}-venv"
        say(f"installing {package} (this python3 lacks a working venv)")
        _apt_install(package)
        _create_venv()


def _stamp(extras: set[str]) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    if LOCK.exists():
        digest.update(LOCK.read_bytes())
    return json.dumps({"inputs": digest.hexdigest(), "extras": sorted(extras)})


def ensure_venv(extras: tuple[str, ...] = ()) -> None:
    """A working .venv with Blocksim installed editable, with ``extras`` (and whatever was installed before)."""
    if not _venv_works():
        _make_venv()
    installed: set[str] = set()
    inputs = None
    if STAMP.exists():
        try:
            previous = json.loads(STAMP.read_text())
            installed, inputs = set(previous["extras"]), previous["inputs"]
        except (ValueError, KeyError, TypeError):
            installed, inputs = set(), None
    wanted = set(extras) | installed
    if json.loads(_stamp(wanted))["inputs"] == inputs and set(extras) <= installed:
        return
    STAMP.unlink(missing_ok=True)
    what = f"Blocksim with {', '.join(sorted(wanted))}" if wanted else "Blocksim"
    say(f"installing {what} into .venv (first run only)")
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    target = f"{ROOT}[{','.join(sorted(wanted))}]" if wanted else str(ROOT)
    constraints = ["-c", str(LOCK)] if LOCK.exists() else []
    subprocess.run([*pip, *constraints, "-e", target], check=True)
    STAMP.write_text(_stamp(wanted))


def write_lock() -> int:
    """Resolve the runtime dependencies and the locked extras afresh and write requirements.lock."""
    ensure_system_packages(window=False)
    ensure_venv()
    report = VENV / "pip-report.json"
    say("resolving the newest allowed versions (nothing is installed)")
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q", "--dry-run", "--ignore-installed",
         "--report", str(report), f"{ROOT}[{','.join(LOCKED_EXTRAS)}]"],
        check=True,
    )
    resolved = json.loads(report.read_text(encoding="utf-8"))["install"]
    report.unlink()
    pins = sorted(
        f"{item['metadata']['name'].lower()}=={item['metadata']['version']}"
        for item in resolved
        if item["metadata"]["name"].lower() != "blocksim"
    )
    header = (
        "# Exact versions Blocksim is tested and bundled with (runtime dependencies and the "
        f"{', '.join(LOCKED_EXTRAS)} extras),\n"
        f"# resolved for CPython {sys.version_info.major}.{sys.version_info.minor} on {sys.platform}. "
        "Used as pip constraints by scripts/dev.py.\n"
        "# Update: python3 scripts/dev.py lock\n"
    )
    tmp = LOCK.with_name(LOCK.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(header + "\n".join(pins) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, LOCK)
    say(f"wrote {len(pins)} pins to {LOCK.name}")
    return 0


def build_bundle() -> int:
    """The one-folder app in dist/blocksim, built with the locked versions."""
    # The window libraries too: the bundle carries the xcb ones it finds on the build host.
    ensure_system_packages(window=True)
    ensure_venv(("build",))
    pyinstaller = BIN / ("pyinstaller.exe" if os.name == "nt" else "pyinstaller")
    return subprocess.call([str(pyinstaller), "build.spec", "--noconfirm", "--log-level", "WARN"], cwd=ROOT)


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
    # The window libraries too: the suite starts the app without a display in a subprocess, which must get as
    # far as the display check on a clean machine.
    ensure_system_packages(window=True)
    ensure_venv(("dev",))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.call([str(PYTHON), "-m", "pytest", *args], env=env, cwd=ROOT)


def main(argv: list[str]) -> int:
    commands = {"run", "test", "bundle", "lock", "setup"}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run_app(rest)
    if command == "test":
        return run_tests(rest)
    if command == "bundle":
        return build_bundle()
    if command == "lock":
        return write_lock()
    ensure_system_packages(window=True)
    ensure_venv()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

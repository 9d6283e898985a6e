"""Starting the GUI: the system-library check, then the application object, theme, crash handler, main window.

Nothing here imports PySide6 at module level: on a system that lacks a library Qt needs, importing PySide6
dies with a traceback (``libGL.so.1: cannot open shared object file``), so ``run_gui`` names the missing
Debian packages first and imports Qt only once they are all there.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import BlocksimError
from app.paths import resource

if TYPE_CHECKING:
    from app.services.blocks import BlockRequest

# Qt platform plugins that need a display server, and the variable that names it.
_DISPLAY_VARIABLES = {"xcb": ("DISPLAY",), "wayland": ("WAYLAND_DISPLAY",), "wayland-egl": ("WAYLAND_DISPLAY",)}


def _dlopen(soname: str) -> bool:
    """True when the dynamic loader finds ``soname`` (and the libraries it needs)."""
    try:
        ctypes.CDLL(soname, mode=os.RTLD_LAZY)
    except OSError:
        return False
    return True


def _bundled_libraries() -> set[str]:
    """File names of the shared libraries a frozen (PyInstaller) app carries; empty when not frozen."""
    root = getattr(sys, "_MEIPASS", None)
    if root is None:
        return set()
    return {path.name for path in Path(root).rglob("*.so*")}


def missing_qt_packages(*, windows: bool | None = None) -> list[str]:
    """Debian packages Qt needs here that are missing (Linux only; window libraries only for real windows).

    ``windows`` says whether the window libraries count (by default: when ``QT_QPA_PLATFORM`` needs them).
    A library counts as present when the frozen app carries it or the dynamic loader finds it (one dlopen
    per library: no ldconfig forks, and what is found is what Qt will load).
    """
    if not sys.platform.startswith("linux"):
        return []
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    wanted = json.loads(resource("qt_system_libraries.json").read_text(encoding="utf-8"))
    table: dict[str, str] = dict(wanted["offscreen"])
    if windows is None:
        windows = platform not in {"offscreen", "minimal"} and not platform.startswith("wayland")
    if windows:
        table.update(wanted["window"])
    bundled = _bundled_libraries()
    return [package for package, soname in table.items() if soname not in bundled and not _dlopen(soname)]


def missing_display() -> bool:
    """True on Linux when Qt would look for a display server that is not there (it would abort)."""
    if not sys.platform.startswith("linux"):
        return False
    requested = [part.split(":")[0].strip() for part in os.environ.get("QT_QPA_PLATFORM", "").split(";")]
    requested = [name for name in requested if name] or ["xcb", "wayland"]
    if any(name not in _DISPLAY_VARIABLES for name in requested):
        return False  # offscreen, minimal, vnc, eglfs, ...: no display server needed
    return not any(os.environ.get(var) for name in requested for var in _DISPLAY_VARIABLES[name])


def prepare_file_rendering() -> None:
    """Get Qt ready to draw into files (``blocksim report``): no window opens, so no display is needed.

    Without a display (no ``DISPLAY`` nor ``WAYLAND_DISPLAY``) Qt runs offscreen; with one, offscreen stays
    the fallback, so an unreachable display never ends the command with Qt's bare platform-plugin abort.
    Raises BlocksimError naming the Debian packages to install when a library Qt needs is missing.
    """
    if missing_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        native = [name for name, var in (("wayland", "WAYLAND_DISPLAY"), ("xcb", "DISPLAY")) if os.environ.get(var)]
        os.environ["QT_QPA_PLATFORM"] = ";".join([*native, "offscreen"])
    missing = missing_qt_packages(windows=False)  # offscreen is always there to fall back on
    if missing:
        raise BlocksimError(
            "Qt needs system libraries that are missing; install them and try again: "
            f"sudo apt-get install {' '.join(missing)}"
        )


def run_gui(data_dir: str | None, block_request: BlockRequest | None = None, *, log_file: Path | None = None) -> int:
    """Open the main window (straight into a block when asked) and run until it closes.

    A second launch on the same data folder raises the running window and returns 0.
    """
    missing = missing_qt_packages()
    if missing:
        print(
            "blocksim: Qt needs system libraries that are missing. Install them and start again:\n"
            f"    sudo apt-get install {' '.join(missing)}",
            file=sys.stderr,
        )
        return 1
    if missing_display():
        print(
            "blocksim: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not set); "
            "run under a virtual screen: xvfb-run -a blocksim",
            file=sys.stderr,
        )
        return 1
    # PySide6 reads the source of every module imported after it (to look for ``from __feature__ import``):
    # the Qt-free bulk of the app (storage, services, SQLAlchemy, pydantic) is imported first, which spares
    # that scan of hundreds of modules at every start.
    import app.bootstrap  # noqa: F401
    from app.ui.desktop import run_main_window

    return run_main_window(data_dir, block_request, log_file=log_file)


def run_self_test() -> int:
    """``blocksim --self-test``: the library check first (as for the GUI), then the checks, offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    missing = missing_qt_packages()
    if missing:
        print(f"FAIL qt libraries: missing, install them with: sudo apt-get install {' '.join(missing)}")
        return 1
    print("ok   qt libraries: every library Qt needs is present")
    from app.ui.self_test import run_self_test as run_checks

    return run_checks()

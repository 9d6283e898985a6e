"""Starting the GUI: the application object, theme, crash handler, main window."""

from __future__ import annotations

import ctypes.util
import json
import logging
import os
import sys
import traceback
from functools import partial
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from app import paths
from app.bootstrap import build
from app.core.errors import BlocksimError
from app.core.preferences import load_preferences
from app.paths import resource
from app.services.blocks import BlockRequest
from app.ui.binding_check import unsound_binding_message
from app.ui.main_window import MainWindow
from app.ui.qt_messages import install_qt_message_handler
from app.ui.single_instance import InstanceLock, ask_running_instance, bring_to_front
from app.ui.theme import apply_theme
from app.ui.widgets.notices import NoticeRelay

log = logging.getLogger(__name__)

# Qt platform plugins that need a display server, and the variable that names it.
_DISPLAY_VARIABLES = {"xcb": ("DISPLAY",), "wayland": ("WAYLAND_DISPLAY",), "wayland-egl": ("WAYLAND_DISPLAY",)}


def _install_crash_handler(log_file: Path | None = None) -> None:
    previous = sys.excepthook

    def handler(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        log.critical("unexpected error\n%s", text.rstrip())
        where = f"The details are in the log file {log_file}.\n\n" if log_file else ""
        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                "Blocksim: unexpected error",
                "Something went wrong. Every answer you gave was already saved; restart Blocksim to resume.\n"
                + where
                + text[-2000:],
            )
        if previous is not sys.__excepthook__:  # the default hook would print the text a second time
            previous(kind, value, tb)

    sys.excepthook = handler


def missing_display() -> bool:
    """True on Linux when Qt would look for a display server that is not there (it would abort)."""
    if not sys.platform.startswith("linux"):
        return False
    requested = [part.split(":")[0].strip() for part in os.environ.get("QT_QPA_PLATFORM", "").split(";")]
    requested = [name for name in requested if name] or ["xcb", "wayland"]
    if any(name not in _DISPLAY_VARIABLES for name in requested):
        return False  # offscreen, minimal, vnc, eglfs, ...: no display server needed
    return not any(os.environ.get(var) for name in requested for var in _DISPLAY_VARIABLES[name])


def missing_qt_packages() -> list[str]:
    """Debian packages Qt needs here that are missing (Linux, real windows only)."""
    if not sys.platform.startswith("linux"):
        return []
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    wanted = json.loads(resource("qt_system_libraries.json").read_text(encoding="utf-8"))
    table: dict[str, str] = dict(wanted["offscreen"])
    if platform not in {"offscreen", "minimal"} and not platform.startswith("wayland"):
        table.update(wanted["window"])
    return [package for package, library in table.items() if ctypes.util.find_library(library) is None]


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
    restore_qt_messages = install_qt_message_handler()
    try:
        return _run(data_dir, block_request, log_file)
    finally:
        restore_qt_messages()


def _run(data_dir: str | None, block_request: BlockRequest | None, log_file: Path | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    unsound = unsound_binding_message()
    if unsound is not None:
        print(f"blocksim: {unsound}", file=sys.stderr)
        return 1
    app.setApplicationName("Blocksim")
    app.setOrganizationName("Blocksim")
    folder = paths.data_dir(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"blocksim: cannot create the data folder {folder}: {exc.strerror}", file=sys.stderr)
        return 1
    instance = InstanceLock(folder)
    try:
        acquired = instance.acquire()
    except BlocksimError as exc:
        print(f"blocksim: {exc}", file=sys.stderr)
        return exc.exit_code
    if not acquired:
        return _hand_over(instance, block_request is not None)
    notices = NoticeRelay()
    notices.install()
    try:
        return _run_window(app, folder, block_request, log_file, instance, notices)
    finally:
        notices.uninstall()
        instance.release()


def _hand_over(instance: InstanceLock, block_requested: bool) -> int:
    if ask_running_instance(instance.data_dir):
        hint = " (start the block there)" if block_requested else ""
        print(f"blocksim: Blocksim is already open on {instance.data_dir}; its window was brought to the front{hint}")
        return 0
    holder = instance.holder()
    who = f" (process {holder.pid})" if holder else ""
    print(
        f"blocksim: another Blocksim{who} is using {instance.data_dir} and did not answer; "
        "close it, or wait for it to finish, and start again",
        file=sys.stderr,
    )
    return 1


def _run_window(
    app: QApplication,
    folder: Path,
    block_request: BlockRequest | None,
    log_file: Path | None,
    instance: InstanceLock,
    notices: NoticeRelay,
) -> int:
    _install_crash_handler(log_file)
    try:
        services = build(folder)
    except BlocksimError as exc:
        QMessageBox.critical(None, "Blocksim cannot start", str(exc))
        print(f"blocksim: {exc}", file=sys.stderr)
        return exc.exit_code
    preferences = load_preferences(services.data_dir)
    apply_theme(app, dark=preferences.dark)
    window = MainWindow(services, preferences)
    instance.raise_requested.connect(partial(bring_to_front, window))
    window.show()
    # Take keyboard focus even where no window manager gives it (kiosk set-ups, a virtual screen).
    window.raise_()
    window.activateWindow()
    notices.show_on(window)
    if services.bundled and services.bundled.problems:
        QMessageBox.warning(window, "Some bundled packs were not imported", "\n".join(services.bundled.problems[:20]))
    resumed = window.flow.offer_resume()
    if block_request is not None and not resumed:
        window.flow.start_block(block_request)
    log.info("window open on %s", folder)
    code = app.exec()
    services.close()
    return code

"""Starting the GUI: the application object, theme, crash handler, main window."""

from __future__ import annotations

import ctypes.util
import json
import os
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from app.bootstrap import build
from app.core.errors import BlocksimError
from app.core.preferences import load_preferences
from app.paths import resource
from app.services.blocks import BlockRequest
from app.ui.binding_check import unsound_binding_message
from app.ui.main_window import MainWindow
from app.ui.theme import apply_theme


def _install_crash_handler() -> None:
    previous = sys.excepthook

    def handler(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(text)
        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                "Blocksim: unexpected error",
                "Something went wrong. Every answer you gave was already saved; restart Blocksim to resume.\n\n"
                + text[-2000:],
            )
        previous(kind, value, tb)

    sys.excepthook = handler


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


def run_gui(data_dir: str | None, block_request: BlockRequest | None = None) -> int:
    """Open the main window (straight into a block when asked) and run until it closes."""
    missing = missing_qt_packages()
    if missing:
        print(
            "blocksim: Qt needs system libraries that are missing. Install them and start again:\n"
            f"    sudo apt-get install {' '.join(missing)}",
            file=sys.stderr,
        )
        return 3
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    unsound = unsound_binding_message()
    if unsound is not None:
        print(f"blocksim: {unsound}", file=sys.stderr)
        return 1
    app.setApplicationName("Blocksim")
    app.setOrganizationName("Blocksim")
    _install_crash_handler()
    try:
        services = build(data_dir)
    except BlocksimError as exc:
        QMessageBox.critical(None, "Blocksim cannot start", str(exc))
        print(f"blocksim: {exc}", file=sys.stderr)
        return exc.exit_code
    preferences = load_preferences(services.data_dir)
    apply_theme(app, dark=preferences.dark)
    window = MainWindow(services, preferences)
    window.show()
    # Take keyboard focus even where no window manager gives it (kiosk set-ups, a virtual screen).
    window.raise_()
    window.activateWindow()
    if services.bundled and services.bundled.problems:
        QMessageBox.warning(window, "Some bundled packs were not imported", "\n".join(services.bundled.problems[:20]))
    resumed = window.flow.offer_resume()
    if block_request is not None and not resumed:
        window.flow.start_block(block_request)
    code = app.exec()
    services.close()
    return code

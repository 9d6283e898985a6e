"""The Qt side of starting Blocksim: application object, icon, fallback font, window size, crash handler,
one instance per data folder, the main window.

Imported only after app/ui/application.py found every system library Qt needs (and a display).
"""

from __future__ import annotations

import logging
import sys
import traceback
from functools import partial
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.bootstrap import build, check_data_folder
from app.core.errors import BlocksimError
from app.core.preferences import load_preferences
from app.paths import resource
from app.services.blocks import BlockRequest
from app.ui.binding_check import unsound_binding_message
from app.ui.main_window import MainWindow
from app.ui.qt_messages import install_qt_message_handler
from app.ui.single_instance import InstanceLock, ask_running_instance, bring_to_front
from app.ui.widgets.notices import NoticeRelay

log = logging.getLogger(__name__)

FALLBACK_FONT = "fonts/DejaVuSans.ttf"
GENERIC_FAMILIES = frozenset({"Sans Serif", "Serif", "Monospace", "Sans", "Mono", "Cursive", "Fantasy"})
"""fontconfig's aliases: Qt lists them even when the system has no font file at all."""
SCREEN_SHARE = 0.95
"""The most of the available screen a window takes when it would not fit."""


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


def ensure_font(app: QGuiApplication) -> str | None:
    """Load the bundled DejaVu Sans when the system offers no font (else every label is a row of boxes).

    Returns the family loaded, or None when the system's fonts were enough. With no font installed, Qt still
    lists fontconfig's generic aliases (Sans Serif, Serif, Monospace), which draw nothing but boxes.
    """
    if set(QFontDatabase.families()) - GENERIC_FAMILIES:
        return None
    font_id = QFontDatabase.addApplicationFont(str(resource(FALLBACK_FONT)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    app.setFont(QFont(families[0]))
    return families[0]


def fit_to_screen(window: QWidget) -> None:
    """Shrink (and centre) ``window`` to the screen's available area, in device-independent pixels.

    The available area already reflects ``QT_SCALE_FACTOR`` and the screen's own scaling, so a window
    asked for at 1280×820 fits a 1600×1000 screen at a scale factor of 1.5.
    """
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    available = screen.availableGeometry()
    if window.width() <= available.width() and window.height() <= available.height():
        return
    window.resize(
        min(window.width(), int(available.width() * SCREEN_SHARE)),
        min(window.height(), int(available.height() * SCREEN_SHARE)),
    )
    frame = window.frameGeometry()
    frame.moveCenter(available.center())
    window.move(frame.topLeft())


def make_application() -> QApplication:
    """The one QApplication, named, with the window icon and a font that can be seen."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Blocksim")
    app.setOrganizationName("Blocksim")
    app.setDesktopFileName("blocksim")
    app.setWindowIcon(QIcon(str(resource("icons/blocksim.png"))))
    ensure_font(app)
    return app


def run_main_window(
    data_dir: str | None, block_request: BlockRequest | None = None, *, log_file: Path | None = None
) -> int:
    """Qt's messages into the log, then the window until it closes (or the running one raised)."""
    restore_qt_messages = install_qt_message_handler()
    try:
        return _run(data_dir, block_request, log_file)
    finally:
        restore_qt_messages()


def _run(data_dir: str | None, block_request: BlockRequest | None, log_file: Path | None) -> int:
    app = make_application()
    unsound = unsound_binding_message()
    if unsound is not None:
        print(f"blocksim: {unsound}", file=sys.stderr)
        return 1
    try:
        folder = check_data_folder(data_dir)
    except BlocksimError as exc:
        QMessageBox.critical(None, "Blocksim cannot start", str(exc))
        print(f"blocksim: {exc}", file=sys.stderr)
        return exc.exit_code
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
    window = MainWindow(services, preferences)
    instance.raise_requested.connect(partial(bring_to_front, window))
    window.memory.restore_geometry()
    fit_to_screen(window)
    window.show()
    # Take keyboard focus even where no window manager gives it (kiosk set-ups, a virtual screen).
    window.raise_()
    window.activateWindow()
    notices.show_on(window)
    if services.bundled and services.bundled.problems:
        QMessageBox.warning(window, "Some bundled packs were not imported", "\n".join(services.bundled.problems[:20]))
    if services.notices:
        QMessageBox.warning(window, "Some recent actions were lost", "\n\n".join(services.notices))
    resumed = window.flow.offer_resume()
    if block_request is not None and not resumed:
        window.flow.start_block(block_request)
    log.info("window open on %s", folder)
    code = app.exec()
    services.close()
    return code

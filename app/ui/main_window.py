"""The main window: a shell of a stacked widget, menus and one wiring method.

Which screen comes next lives in :class:`Navigator`; sitting blocks and days in :class:`SessionFlow`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import cast

from PySide6.QtCore import QCoreApplication, QEvent, QSize
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLayout, QMainWindow, QMessageBox, QStackedWidget

from app import __version__
from app.bootstrap import Services
from app.core.atomic_file import write_text_atomic
from app.core.errors import BlocksimError
from app.core.exam_day import DayPreset, save_user_preset
from app.core.preferences import Preferences, ThemeChoice, save_preferences
from app.core.reference_data import shortcuts
from app.services.dashboard import DashboardQuery
from app.services.export import history, to_csv, to_json
from app.ui.appearance import Appearance, Look
from app.ui.controllers.day_controller import DayController
from app.ui.menus import DialogShortcuts, MenuEntry, build_menus, set_enabled
from app.ui.navigator import Navigator, Screens
from app.ui.report_flow import report_saver
from app.ui.session_flow import SessionFlow
from app.ui.widgets.anki_export_dialog import export_misses
from app.ui.widgets.backups_dialog import BackupsDialog
from app.ui.widgets.dialogs import HelpDialog, IdleOverlay, show_error
from app.ui.widgets.import_flow import ask_import_path, start_import
from app.ui.window_memory import WindowMemory
from app.ui.workers import serial_pool

THEME_CHOICES: tuple[tuple[ThemeChoice, str], ...] = (
    ("light", "&Light"),
    ("dark", "&Dark"),
    ("high_contrast", "&High Contrast"),
    ("system", "Follow &System"),
)


class MainWindow(QMainWindow):
    """Holds the screens and menus and wires them; every use case goes through the services."""

    def __init__(self, services: Services, preferences: Preferences) -> None:
        super().__init__()
        self.services = services
        self.preferences = preferences
        self.setWindowTitle("Blocksim")
        self.setObjectName("mainWindow")
        self.resize(1280, 820)
        self.stack = QStackedWidget(self)
        self.worker = serial_pool(self)
        self.screens = Screens.build(services, self, self.worker)
        self.nav = Navigator(self.stack, self.screens, services)
        self.flow = SessionFlow(services, self.nav, IdleOverlay(self), self.statusBar())
        self.memory = WindowMemory(self, self.screens.home, services.data_dir, preferences)
        self.setCentralWidget(self.stack)
        self.reports = report_saver(self, services, self.nav, self.worker)
        save = partial(save_preferences, services.data_dir)
        app = cast(QApplication, QApplication.instance())
        self.appearance = Appearance(app, preferences, save, self, fits=self.fits_screen)
        entries = self._menu_entries()
        self.menu_actions = build_menus(self.menuBar(), self, entries, shortcuts())
        self.dialog_shortcuts = DialogShortcuts(app, [self.menu_actions[e.name] for e in entries if e.everywhere], self)
        self._connect_signals()
        self.appearance.apply()
        self.appearance.shrink_to_fit()
        self.memory.restore_setup()
        self.nav.refresh_home()

    # -- wiring ---------------------------------------------------------------------------
    def _menu_entries(self) -> list[MenuEntry]:
        look = self.appearance
        return [
            MenuEntry("import", "&File", "&Import…", "import_pack", self.import_pack),
            MenuEntry("export", "&File", "&Export History…", None, self.export_history),
            MenuEntry("save_report", "&File", "Save &Report…", "save_report", self.reports.save),
            MenuEntry("backups", "&File", "&Backups…", None, self.show_backups),
            MenuEntry("quit", "&File", "&Quit", "quit", self.close),
            MenuEntry("home", "&Block", "&Home", None, self.nav.home),
            MenuEntry("day", "&Block", "New Exam &Day…", None, self.nav.day_setup),
            MenuEntry(
                "history_review", "&Block", "&Review History…", None, partial(self.nav.history_review, DashboardQuery())
            ),
            MenuEntry("analytics", "&Block", "&Analytics", "analytics", self.nav.analytics),
            *(
                MenuEntry(f"theme_{key}", "&View/&Theme", text, None, partial(look.set_theme, key), group="theme")
                for key, text in THEME_CHOICES
            ),
            MenuEntry("dark_mode", "&View", "Switch Light/&Dark", "dark_mode", look.toggle_dark, everywhere=True),
            MenuEntry("zoom_in", "&View", "Zoom &In", "zoom_in", partial(look.zoom, 1), everywhere=True),
            MenuEntry("zoom_out", "&View", "Zoom &Out", "zoom_out", partial(look.zoom, -1), everywhere=True),
            MenuEntry("zoom_reset", "&View", "&Normal Size", "zoom_reset", partial(look.zoom, 0), everywhere=True),
            MenuEntry("help", "&Help", "&Keyboard Shortcuts", "help", self.show_help),
            MenuEntry("about", "&Help", "&About Blocksim", None, self.show_about),
        ]

    def _connect_signals(self) -> None:
        s, nav, flow = self.screens, self.nav, self.flow
        s.home.start_requested.connect(self.memory.remember_setup)
        s.home.start_requested.connect(flow.start_block)
        s.home.resume_requested.connect(flow.resume_block)
        s.home.review_requested.connect(nav.review)
        s.home.day_requested.connect(nav.day_setup)
        s.home.day_resume_requested.connect(flow.resume_day)
        s.home.day_summary_requested.connect(nav.day_summary)
        s.block.finished.connect(flow.block_finished)
        s.results.home_requested.connect(nav.leave_review)
        s.results.anki_export_requested.connect(self.export_misses_to_anki)
        s.results.redo_requested.connect(flow.redo_request)
        s.history_review.redo_requested.connect(flow.redo_request)
        s.history_review.back_requested.connect(nav.leave_history_review)
        s.day_setup.start_requested.connect(flow.start_day)
        s.day_setup.cancelled.connect(nav.home)
        s.day_setup.save_requested.connect(self.save_day_preset)
        s.between.continue_requested.connect(partial(flow.day_step, DayController.continue_to_block))
        s.between.break_requested.connect(partial(flow.day_step, DayController.take_break))
        s.between.tutorial_requested.connect(partial(flow.day_step, DayController.take_tutorial))
        s.between.stop_requested.connect(flow.stop_day)
        s.break_.end_requested.connect(partial(flow.day_step, DayController.end_break))
        s.tutorial.end_requested.connect(partial(flow.day_step, DayController.end_tutorial))
        s.day_summary.review_requested.connect(nav.review_day_block)
        s.day_summary.home_requested.connect(nav.home)
        s.home.analytics_requested.connect(nav.analytics)
        s.results.analysis_requested.connect(partial(nav.analytics, "session"))
        s.day_summary.analysis_requested.connect(partial(nav.analytics, "day"))
        s.analytics.back_requested.connect(nav.home)
        s.analytics.practice_requested.connect(flow.practice)
        s.analytics.review_requested.connect(nav.history_review)
        files = [self.menu_actions[name] for name in ("import", "export", "save_report")]
        flow.files_allowed.connect(partial(set_enabled, files))
        self.appearance.changed.connect(s.analytics.set_look)
        self.appearance.changed.connect(self._show_theme_choice)
        self.appearance.changed.connect(self.remeasure)
        self.appearance.refused.connect(partial(self.statusBar().showMessage, timeout=8000))

    def available_size(self) -> QSize:
        """The room the screen the window is on gives windows (its size less the task bars)."""
        return self.screen().availableGeometry().size()

    def remeasure(self, _look: Look | None = None) -> None:
        """Measure every screen again in the look just applied: hidden screens keep their old sizes otherwise,
        and the window's minimum size (the largest screen's) would stay that of the previous zoom."""
        self.ensurePolished()  # screens never shown yet take the look too
        for layout in self.findChildren(QLayout):
            layout.invalidate()

    def fits_screen(self) -> bool:
        """True when the window's minimum size, in the look applied, fits its screen's available room."""
        self.remeasure()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # minimum sizes in the new look
        room, needed = self.available_size(), self.minimumSizeHint()
        return needed.width() <= room.width() and needed.height() <= room.height()

    def save_day_preset(self, preset: DayPreset) -> None:
        """Remember a custom day for next time."""
        save_user_preset(self.services.data_dir, preset)
        self.nav.presets_changed(select=preset.id)

    # -- menu actions -------------------------------------------------------------------
    def import_pack(self) -> None:
        """Choose a pack or question file (MedQA JSONL, CSV, Moodle XML, GIFT, QTI) and import it, all or nothing."""
        path = ask_import_path(self)
        if path is not None:
            start_import(self, self.services.packs, path, self.worker, self.nav.refresh_home)

    def export_misses_to_anki(self, session_id: int) -> None:
        """Write a block's misses to an Anki package."""
        export_misses(self, self.services.store, session_id)

    def export_history(self) -> None:
        """Write every session as JSON or CSV."""
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export history", "blocksim-history.json", "JSON (*.json);;CSV (*.csv)"
        )
        if not path:
            return
        data = history(self.services.store, self.services.clock)
        text = to_csv(data) if path.endswith(".csv") or "CSV" in chosen else to_json(data)
        try:
            write_text_atomic(Path(path), text)
        except BlocksimError as exc:
            show_error(self, "History not exported", str(exc))

    def show_backups(self) -> None:
        """The copies of the store, with "Back up now"."""
        BackupsDialog.show_for(self, self.services.backups)

    def _show_theme_choice(self, _look: Look) -> None:
        self.menu_actions[f"theme_{self.appearance.theme_choice()}"].setChecked(True)

    def show_help(self) -> None:
        """The keyboard shortcuts."""
        HelpDialog(shortcuts(), self).exec()

    def show_about(self) -> None:
        """Version, data folder and licences."""
        QMessageBox.about(
            self,
            "About Blocksim",
            f"<h3>Blocksim {__version__}</h3>"
            "<p>An offline simulator of USMLE Step 2 CK exam days: timed blocks, review and analytics.</p>"
            f"<p>Your data: <code>{self.services.data_dir}</code></p>"
            "<p>Bundled question packs are original writing of the Blocksim authors, licensed CC BY 4.0. "
            "Blocksim is not affiliated with the USMLE, NBME or FSMB.</p>",
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Back in the window: show packs another process (``blocksim import``) installed meanwhile."""
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self.nav.home_is_stale():
            self.nav.refresh_home()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Stop the clocks (a standalone block is paused) and keep the window's size and place; nothing asks."""
        self.flow.put_aside()
        self.memory.remember_geometry()
        event.accept()

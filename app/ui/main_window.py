"""The main window: a shell of a stacked widget, menus and one wiring method.

Which screen comes next lives in :class:`Navigator`; sitting blocks and days in :class:`SessionFlow`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QStackedWidget, QWidget

from app import __version__
from app.bootstrap import Services
from app.core.atomic_file import write_text_atomic
from app.core.errors import BlocksimError
from app.core.exam_day import DayPreset, save_user_preset
from app.core.preferences import Preferences, ThemeChoice, save_preferences
from app.core.reference_data import shortcuts
from app.services.dashboard import DashboardQuery
from app.ui.appearance import Appearance, Look
from app.ui.controllers.day_controller import DayController
from app.ui.menus import DialogShortcuts, MenuEntry, build_menus, set_enabled
from app.ui.navigator import Navigator, Screens
from app.ui.session_flow import SessionFlow
from app.ui.widgets.dialogs import HelpDialog, IdleOverlay, show_error
from app.ui.window_fit import WindowFit
from app.ui.window_memory import WindowMemory
from app.ui.workers import serial_pool

if TYPE_CHECKING:
    from app.ui.report_flow import ReportSaver
    from app.ui.screens.analytics_screen import AnalyticsScreen
    from app.ui.screens.block_screen import BlockScreen
    from app.ui.screens.day_screens import (
        BetweenBlocksScreen,
        BreakScreen,
        DaySetupScreen,
        DaySummaryScreen,
        TutorialScreen,
    )
    from app.ui.screens.history_review_screen import HistoryReviewScreen
    from app.ui.screens.home_screen import HomeScreen
    from app.ui.screens.results_screen import ResultsScreen

THEME_CHOICES: tuple[tuple[ThemeChoice, str], ...] = (
    ("light", "&Light"),
    ("dark", "&Dark"),
    ("high_contrast", "&High Contrast"),
    ("system", "Follow &System"),
)


class MainWindow(QMainWindow):
    """Holds the screens and menus and wires them; every use case goes through the services.

    What only a menu action or a screen other than home needs (the report writer, the Anki and history
    exports, the importers, the dashboard's charts) is imported when first used, not at start-up.
    """

    def __init__(self, services: Services, preferences: Preferences) -> None:
        super().__init__()
        self.services = services
        self.preferences = preferences
        self.setWindowTitle("Blocksim")
        self.setObjectName("mainWindow")
        self.resize(1280, 820)
        self.stack = QStackedWidget(self)
        self.worker = serial_pool(self)
        self.screens = Screens(services, self, self.worker, self.stack)
        self.nav = Navigator(self.stack, self.screens, services)
        self.flow = SessionFlow(services, self.nav, IdleOverlay(self), self.statusBar())
        self.memory = WindowMemory(self, self.screens.home, services.data_dir, preferences)
        self.setCentralWidget(self.stack)
        save = partial(save_preferences, services.data_dir)
        app = cast(QApplication, QApplication.instance())
        self.fit = WindowFit(self)
        self.appearance = Appearance(app, preferences, save, self, fits=self.fit.fits)
        self.fit.follow(self.appearance)
        entries = self._menu_entries()
        self.menu_actions = build_menus(self.menuBar(), self, entries, shortcuts())
        self.dialog_shortcuts = DialogShortcuts(app, [self.menu_actions[e.name] for e in entries if e.everywhere], self)
        self._connect_signals()
        self.appearance.apply()
        self.memory.restore_setup()
        self.nav.refresh_home()

    # -- wiring ---------------------------------------------------------------------------
    def _menu_entries(self) -> list[MenuEntry]:
        look = self.appearance
        return [
            MenuEntry("import", "&File", "&Import…", "import_pack", self.import_pack),
            MenuEntry("export", "&File", "&Export History…", None, self.export_history),
            MenuEntry("save_report", "&File", "Save &Report…", "save_report", self.save_report),
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
        """The window's wiring. Each screen's part runs when that screen is built (home at once, the rest on
        first use: see :class:`Screens`)."""
        nav, flow, wire = self.nav, self.flow, self.screens.when_built

        def home(s: HomeScreen) -> None:
            s.start_requested.connect(self.memory.remember_setup)
            s.start_requested.connect(flow.start_block)
            s.resume_requested.connect(flow.resume_block)
            s.review_requested.connect(nav.review)
            s.day_requested.connect(nav.day_setup)
            s.day_resume_requested.connect(flow.resume_day)
            s.day_summary_requested.connect(nav.day_summary)
            s.analytics_requested.connect(nav.analytics)

        def block(s: BlockScreen) -> None:
            s.finished.connect(flow.block_finished)

        def results(s: ResultsScreen) -> None:
            s.home_requested.connect(nav.leave_review)
            s.anki_export_requested.connect(self.export_misses_to_anki)
            s.redo_requested.connect(flow.redo_request)
            s.analysis_requested.connect(partial(nav.analytics, "session"))

        def history_review(s: HistoryReviewScreen) -> None:
            s.redo_requested.connect(flow.redo_request)
            s.back_requested.connect(nav.leave_history_review)

        def day_setup(s: DaySetupScreen) -> None:
            s.start_requested.connect(flow.start_day)
            s.cancelled.connect(nav.home)
            s.save_requested.connect(self.save_day_preset)

        def between(s: BetweenBlocksScreen) -> None:
            s.continue_requested.connect(partial(flow.day_step, DayController.continue_to_block))
            s.break_requested.connect(partial(flow.day_step, DayController.take_break))
            s.tutorial_requested.connect(partial(flow.day_step, DayController.take_tutorial))
            s.stop_requested.connect(flow.stop_day)

        def break_(s: BreakScreen) -> None:
            s.end_requested.connect(partial(flow.day_step, DayController.end_break))

        def tutorial(s: TutorialScreen) -> None:
            s.end_requested.connect(partial(flow.day_step, DayController.end_tutorial))

        def day_summary(s: DaySummaryScreen) -> None:
            s.review_requested.connect(nav.review_day_block)
            s.home_requested.connect(nav.home)
            s.analysis_requested.connect(partial(nav.analytics, "day"))

        def analytics(s: AnalyticsScreen) -> None:
            s.back_requested.connect(nav.home)
            s.practice_requested.connect(flow.practice)
            s.review_requested.connect(nav.history_review)
            s.set_look(self.appearance.look)
            self.appearance.changed.connect(s.set_look)

        for name, part in {
            "home": home,
            "block": block,
            "results": results,
            "history_review": history_review,
            "day_setup": day_setup,
            "between": between,
            "break_": break_,
            "tutorial": tutorial,
            "day_summary": day_summary,
            "analytics": analytics,
        }.items():
            wire(name, cast("Callable[[QWidget], None]", part))
            if name != "home":  # home is measured at the window's first show
                wire(name, self.fit.screen_built)
        files = [self.menu_actions[name] for name in ("import", "export", "save_report")]
        flow.files_allowed.connect(partial(set_enabled, files))
        self.appearance.changed.connect(self._show_theme_choice)
        self.appearance.refused.connect(partial(self.statusBar().showMessage, timeout=8000))

    def save_day_preset(self, preset: DayPreset) -> None:
        """Remember a custom day for next time."""
        save_user_preset(self.services.data_dir, preset)
        self.nav.presets_changed(select=preset.id)

    # -- menu actions -------------------------------------------------------------------
    @cached_property
    def reports(self) -> ReportSaver:
        """Writes printable reports (made on first use: it brings the charts and the PDF writer)."""
        from app.ui.report_flow import report_saver

        return report_saver(self, self.services, self.nav, self.worker)

    def save_report(self) -> None:
        """Ask for a report's scope and file, then write it in the background."""
        self.reports.save()

    def import_pack(self) -> None:
        """Choose a pack or question file (MedQA JSONL, CSV, Moodle XML, GIFT, QTI) and import it, all or nothing."""
        from app.ui.widgets.import_flow import ask_import_path, start_import

        path = ask_import_path(self)
        if path is not None:
            start_import(self, self.services.packs, path, self.worker, self.nav.refresh_home)

    def export_misses_to_anki(self, session_id: int) -> None:
        """Write a block's misses to an Anki package."""
        from app.ui.widgets.anki_export_dialog import export_misses

        export_misses(self, self.services.store, session_id)

    def export_history(self) -> None:
        """Write every session as JSON or CSV."""
        from app.services.export import history, to_csv, to_json

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
        from app.ui.widgets.backups_dialog import BackupsDialog

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

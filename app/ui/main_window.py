"""The main window: a shell of screens, menus and one wiring method."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from app import __version__
from app.bootstrap import Services
from app.core.atomic_file import write_text_atomic
from app.core.errors import BlocksimError
from app.core.exam_day import DayPreset, Phase, load_user_presets, official_presets, save_user_preset
from app.core.preferences import MAX_ZOOM, MIN_ZOOM, Preferences, save_preferences
from app.core.reference_data import lab_values, shortcuts
from app.services.blocks import BlockRequest, BlockRunner
from app.services.days import DayRequest, DayRunner
from app.services.export import history, to_csv, to_json
from app.ui.controllers.block_controller import BlockController
from app.ui.controllers.day_controller import DayController
from app.ui.screens.block_screen import BASE_POINT_SIZE, ZOOM_STEP, BlockScreen, format_clock
from app.ui.screens.day_screens import (
    BetweenBlocksScreen,
    BreakScreen,
    DaySetupScreen,
    DaySummaryScreen,
    TutorialScreen,
)
from app.ui.screens.home_screen import HomeScreen, SessionRowView
from app.ui.screens.results_screen import ResultsScreen
from app.ui.theme import apply_theme
from app.ui.widgets.dialogs import HelpDialog, IdleOverlay, show_error

T = TypeVar("T")


class ResumeDialog:
    """Offers to resume an unfinished block or day; Resume is the default (Enter accepts)."""

    @staticmethod
    def make_box(parent: QWidget | None, description: str, what: str = "block") -> tuple[QMessageBox, QPushButton]:
        """The question box and its Resume button."""
        box = QMessageBox(parent)
        box.setWindowTitle(f"Resume {what}")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(f"You have an unfinished {what}.")
        box.setInformativeText(
            f"{description}\n\nResume it with every answer, mark and highlight as you left them "
            "and the time it had left?"
        )
        resume = box.addButton("Resume", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(resume)
        return box, resume

    @classmethod
    def ask(cls, parent: QWidget | None, description: str, what: str = "block") -> bool:
        """True to resume. Tests patch this classmethod."""
        box, resume = cls.make_box(parent, description, what)
        box.exec()
        return box.clickedButton() is resume


class LeaveDayDialog:
    """Confirms leaving an exam day in progress for another screen; Stay is the default."""

    @classmethod
    def confirm(cls, parent: QWidget | None) -> bool:
        """True to leave. Tests patch this classmethod."""
        box = QMessageBox(parent)
        box.setWindowTitle("Leave the exam day")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText("Leave the exam day for now?")
        box.setInformativeText(
            "It stays saved where it is; resume it from the home screen or at the next start. Its clocks "
            "stand still while you are away, but on the real exam day nothing stops the clock."
        )
        box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 420px; }")
        leave = box.addButton("Leave", QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton("Stay", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.exec()
        return box.clickedButton() is leave


class StopDayDialog:
    """Confirms ending an exam day early."""

    @classmethod
    def confirm(cls, parent: QWidget | None) -> bool:
        """True to end the day. Tests patch this classmethod."""
        answer = QMessageBox.question(
            parent,
            "End the exam day",
            "End the day now? Blocks not yet sat will not be scored, and the day cannot be continued.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


class MainWindow(QMainWindow):
    """Owns the screens and menus; every use case goes through the services."""

    def __init__(self, services: Services, preferences: Preferences) -> None:
        super().__init__()
        self.services = services
        self.preferences = preferences
        self.setWindowTitle("Blocksim")
        self.setObjectName("mainWindow")
        self.resize(1280, 820)
        self.stack = QStackedWidget(self)
        self.home = HomeScreen(services.blocks.count_matching, self)
        self.block_screen = BlockScreen(shortcuts(), lab_values(), services.store.media, self)
        self.results = ResultsScreen(services.store.media, self)
        self.day_setup = DaySetupScreen(self._day_presets(), services.days.available, self)
        self.between = BetweenBlocksScreen(self)
        self.break_screen = BreakScreen(self)
        self.tutorial = TutorialScreen(shortcuts(), self)
        self.day_summary = DaySummaryScreen(self)
        self.idle_overlay = IdleOverlay(self)
        self.day_controller: DayController | None = None
        self._shown_packs: tuple[tuple[str, str, str], ...] = ()
        for screen in (
            self.home,
            self.block_screen,
            self.results,
            self.day_setup,
            self.between,
            self.break_screen,
            self.tutorial,
            self.day_summary,
        ):
            self.stack.addWidget(screen)
        self.setCentralWidget(self.stack)
        self._make_menus()
        self._connect_signals()
        self._apply_zoom()
        self.refresh_home()

    # -- wiring ---------------------------------------------------------------------------
    def _menu_action(self, menu_title: str, text: str, action_id: str | None, slot: object) -> QAction:
        menu = self._menus.get(menu_title)
        if menu is None:
            menu = self.menuBar().addMenu(menu_title)
            self._menus[menu_title] = menu
        action = QAction(text, self)
        if action_id is not None:
            action.setShortcuts([QKeySequence(k) for k in shortcuts().get(action_id).keys])
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _make_menus(self) -> None:
        self._menus: dict[str, QMenu] = {}
        self.import_action = self._menu_action("&File", "&Import Pack…", "import_pack", self.import_pack)
        self.export_action = self._menu_action("&File", "&Export History…", None, self.export_history)
        self._menu_action("&File", "&Quit", "quit", self.close)
        self.home_action = self._menu_action("&Block", "&Home", None, self.show_home)
        self.day_action = self._menu_action("&Block", "New Exam &Day…", None, self.show_day_setup)
        self.dark_action = self._menu_action("&View", "&Dark Mode", "dark_mode", self.toggle_dark)
        self.dark_action.setCheckable(True)
        self.dark_action.setChecked(self.preferences.dark)
        self._menu_action("&View", "Zoom &In", None, partial(self.zoom, 1))
        self._menu_action("&View", "Zoom &Out", None, partial(self.zoom, -1))
        self._menu_action("&View", "&Normal Size", None, partial(self.zoom, 0))
        self.help_action = self._menu_action("&Help", "&Keyboard Shortcuts", "help", self.show_help)
        self._menu_action("&Help", "&About Blocksim", None, self.show_about)

    def _connect_signals(self) -> None:
        self.home.start_requested.connect(self.start_block)
        self.home.resume_requested.connect(self.resume_block)
        self.home.review_requested.connect(self.show_review)
        self.block_screen.finished.connect(self._block_finished)
        self.block_screen.zoom_requested.connect(self.zoom)
        self.results.home_requested.connect(self.show_home)
        self.home.day_requested.connect(self.show_day_setup)
        self.home.day_resume_requested.connect(self.resume_day)
        self.home.day_summary_requested.connect(self.show_day_summary)
        self.day_setup.start_requested.connect(self.start_day)
        self.day_setup.cancelled.connect(self.show_home)
        self.day_setup.save_requested.connect(self.save_day_preset)
        self.between.continue_requested.connect(self._day_continue)
        self.between.break_requested.connect(self._day_break)
        self.between.stop_requested.connect(self._day_stop)
        self.between.tutorial_requested.connect(self._day_tutorial)
        self.break_screen.end_requested.connect(self._day_end_break)
        self.tutorial.end_requested.connect(self._day_end_tutorial)
        self.day_summary.review_requested.connect(self.show_review)
        self.day_summary.home_requested.connect(self.show_home)

    # -- screens --------------------------------------------------------------------------
    def refresh_home(self) -> None:
        """Reload packs, blocks and days into the home screen."""
        self._shown_packs = self.services.store.packs_signature()
        self.home.set_packs(self.services.store.packs())
        sessions = [info for info in reversed(self.services.store.sessions()) if info.parent_id is None]
        day_scores = self.services.days.scores([info.id for info in sessions if info.kind == "day"])
        block_scores = self.services.blocks.scores(
            [info for info in sessions if info.kind == "block" and info.status == "finished"]
        )
        rows = []
        for info in sessions:
            started = info.created_at[:16].replace("T", " ")
            status = "Finished" if info.status == "finished" else "Unfinished"
            if info.kind == "day":
                day = day_scores[info.id]
                score_text = f"{day.correct}/{day.total}" if day.total else "—"
                preset = DayPreset.model_validate(info.settings["preset"])
                rows.append(
                    SessionRowView(info.id, "day", started, preset.name, preset.total_items, status, score_text)
                )
                continue
            score_text = "—"
            if info.id in block_scores:
                score = block_scores[info.id]
                score_text = f"{score.correct}/{score.total} ({score.percent:.0f}%)"
            rows.append(
                SessionRowView(info.id, "block", started, info.mode.title(), info.item_count, status, score_text)
            )
        self.home.set_sessions(rows)

    def show_home(self) -> None:
        """Back to the home screen (an open block or day stays saved and resumable)."""
        if self.leave_session():
            self.refresh_home()
            self.stack.setCurrentWidget(self.home)

    def leave_session(self) -> bool:
        """Put aside a running block or day before another screen shows. False if the user stays.

        An exam day asks first and then stands still until resumed; a standalone block is paused
        (a pause event is stored). Nothing keeps ticking behind another screen.
        """
        day = self.day_controller
        if day is not None and day.runner.day.phase is not Phase.DONE and not LeaveDayDialog.confirm(self):
            return False
        self._put_aside()
        return True

    def _put_aside(self) -> None:
        day = self.day_controller
        controller = self.block_screen.controller
        if controller is not None and not controller.runner.block.ended:
            controller.stop()
            runner = controller.runner
            if day is None and not runner.end_if_expired() and not runner.block.paused:
                self._attempt("Cannot pause the block", runner.pause)
        if day is not None:
            day.stop()
            self.day_controller = None
            self.idle_overlay.hide()

    def _sit(self, runner: BlockRunner) -> None:
        self.block_screen.attach(BlockController(runner))
        self.stack.setCurrentWidget(self.block_screen)
        self.block_screen.setFocus()

    def _attempt(self, title: str, action: Callable[[], T]) -> T | None:
        """Run one use case; a rule or store error becomes a dialog titled ``title``."""
        try:
            return action()
        except BlocksimError as exc:
            show_error(self, title, str(exc))
            return None

    def start_block(self, request: BlockRequest) -> None:
        """Start a new block from the builder's request."""
        runner = self._attempt("Cannot start the block", partial(self.services.blocks.start, request))
        if runner is not None:
            self._sit(runner)

    def resume_block(self, session_id: int) -> None:
        """Resume an unfinished block where it was."""
        runner = self._attempt("Cannot resume the block", partial(self.services.blocks.resume, session_id))
        if runner is None:
            return
        if runner.block.ended:
            self.show_review(session_id)
            return
        self._sit(runner)

    def offer_resume(self) -> bool:
        """At start-up: offer the most recent unfinished day or block. True if resumed."""
        days = self.services.days.unfinished()
        if days:
            runner = self.services.days.open(days[-1].id)
            day = runner.day
            description = (
                f"{day.preset.name}: {day.blocks_done} of {day.preset.blocks} blocks done, "
                f"{format_clock(day.remaining())} of the day left."
            )
            if ResumeDialog.ask(self, description, what="exam day"):
                self.resume_day(days[-1].id)
                return True
            return False
        unfinished = self.services.blocks.unfinished()
        if not unfinished:
            return False
        latest = unfinished[-1]
        block = self.services.blocks.open(latest.id).block
        remaining = block.remaining()
        answered = sum(item.answered for item in block.items())
        left = "untimed" if remaining is None else f"{int(remaining // 60)} min {int(remaining % 60)} s left"
        description = f"{latest.mode.title()} block of {latest.item_count} items: {answered} answered, {left}."
        if ResumeDialog.ask(self, description):
            self.resume_block(latest.id)
            return True
        return False

    def _block_finished(self, session_id: int) -> None:
        if self.day_controller is not None and self.day_controller.runner.block is not None:
            self.day_controller.block_finished()
        elif self.day_controller is None:
            self.show_review(session_id)

    # -- exam days ------------------------------------------------------------------------
    def show_day_setup(self) -> None:
        """The exam day setup screen."""
        if not self.leave_session():
            return
        self.day_setup.set_packs(self.services.store.packs())
        self.stack.setCurrentWidget(self.day_setup)

    def _day_presets(self) -> list[DayPreset]:
        saved = load_user_presets(self.services.data_dir).presets
        return [*official_presets().presets, *saved]

    def save_day_preset(self, preset: DayPreset) -> None:
        """Remember a custom day for next time."""
        save_user_preset(self.services.data_dir, preset)
        self.day_setup.set_presets(self._day_presets(), select=preset.id)

    def start_day(self, request: DayRequest) -> None:
        """Plan and start an exam day."""
        runner = self._attempt("Cannot start the exam day", partial(self.services.days.start, request))
        if runner is not None:
            self._run_day(runner)

    def resume_day(self, day_id: int) -> None:
        """Continue an unfinished day where it was."""
        runner = self._attempt("Cannot resume the exam day", partial(self.services.days.resume, day_id))
        if runner is not None:
            self._run_day(runner)

    def _run_day(self, runner: DayRunner) -> None:
        if self.day_controller is not None:
            self.day_controller.stop()
            self.day_controller.deleteLater()
        controller = DayController(runner, self.services.clock, self)
        self.day_controller = controller
        controller.phase_changed.connect(self._show_day_phase)
        controller.ticked.connect(self._day_ticked)
        controller.block_started.connect(self._day_block_started)
        controller.idle_warning.connect(self.idle_overlay.show_warning)
        controller.idle_changed.connect(self.idle_overlay.show_idle)
        controller.refused.connect(self._day_refused)
        controller.day_warning.connect(self._day_warning)
        controller.start()
        self._show_day_phase(controller.phase.value)

    def _show_day_phase(self, phase: str) -> None:
        controller = self.day_controller
        if controller is None:
            return
        day = controller.runner.day
        current = Phase(phase)
        if current is Phase.DONE:
            controller.stop()
            self.day_summary.show_summary(controller.runner.summary())
            self.stack.setCurrentWidget(self.day_summary)
            self.idle_overlay.hide()
            self.day_controller = None
            return
        if current is Phase.BLOCK:
            self.stack.setCurrentWidget(self.block_screen)
            self.block_screen.setFocus()
            return
        screens: dict[Phase, BetweenBlocksScreen | BreakScreen | TutorialScreen] = {
            Phase.TUTORIAL: self.tutorial,
            Phase.BREAK: self.break_screen,
        }
        screen = screens.get(current, self.between)
        screen.show_day(day)
        self.stack.setCurrentWidget(screen)
        if screen is self.between:
            self.between.continue_button.setFocus()

    def show_day_summary(self, day_id: int) -> None:
        """A finished day's summary."""
        self.day_summary.show_summary(self.services.days.open(day_id).summary())
        self.stack.setCurrentWidget(self.day_summary)

    def _day_block_started(self, controller: BlockController) -> None:
        self.block_screen.attach(controller)

    def _day_ticked(self) -> None:
        controller = self.day_controller
        if controller is None:
            return
        current = self.stack.currentWidget()
        for screen in (self.between, self.break_screen, self.tutorial):
            if screen is current:
                screen.show_day(controller.runner.day)
        self.block_screen.show_day_time(controller.runner.day.remaining())

    def _day_continue(self) -> None:
        if self.day_controller is not None:
            self.day_controller.continue_to_block()

    def _day_break(self) -> None:
        if self.day_controller is not None:
            self.day_controller.take_break()

    def _day_end_break(self) -> None:
        if self.day_controller is not None:
            self.day_controller.end_break()

    def _day_tutorial(self) -> None:
        if self.day_controller is not None:
            self.day_controller.take_tutorial()

    def _day_end_tutorial(self) -> None:
        if self.day_controller is not None:
            self.day_controller.end_tutorial()

    def _day_stop(self) -> None:
        if self.day_controller is not None and StopDayDialog.confirm(self):
            self.day_controller.stop_day()

    def _day_refused(self, reason: str) -> None:
        show_error(self, "Not allowed", reason)

    def _day_warning(self) -> None:
        message = "Two minutes remain in the exam day."
        self.statusBar().showMessage(message, 10_000)
        self.block_screen.status_label.setText(message)

    def show_review(self, session_id: int) -> None:
        """Show a block's results and review."""
        self.results.show_review(self.services.blocks.review(session_id))
        self.stack.setCurrentWidget(self.results)

    # -- menu actions -------------------------------------------------------------------
    def import_pack(self) -> None:
        """Choose a pack (.zip or pack.json) and import it, all or nothing."""
        path, _ = QFileDialog.getOpenFileName(self, "Import question pack", "", "Question packs (*.zip pack.json)")
        if not path:
            return
        try:
            outcome = self.services.packs.import_path(Path(path))
        except BlocksimError as exc:
            show_error(self, "Pack not imported", f"Nothing was imported.\n\n{exc}")
            return
        QMessageBox.information(
            self,
            "Pack imported",
            f"{outcome.pack_id} {outcome.version}: {outcome.added} added, {outcome.updated} updated.",
        )
        self.refresh_home()

    def export_history(self) -> None:
        """Write every session as JSON or CSV."""
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export history", "blocksim-history.json", "JSON (*.json);;CSV (*.csv)"
        )
        if not path:
            return
        data = history(self.services.store, self.services.clock)
        text = to_csv(data) if path.endswith(".csv") or "CSV" in chosen else to_json(data)
        self._attempt("Cannot export the history", partial(write_text_atomic, Path(path), text))

    def toggle_dark(self) -> None:
        """Switch the theme and remember it."""
        self.preferences.dark = not self.preferences.dark
        self.dark_action.setChecked(self.preferences.dark)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, dark=self.preferences.dark)
        save_preferences(self.services.data_dir, self.preferences)

    def zoom(self, step: int) -> None:
        """Larger (+1), smaller (-1) or normal (0) question text."""
        zoom = 0 if step == 0 else max(MIN_ZOOM, min(MAX_ZOOM, self.preferences.zoom + step))
        if zoom != self.preferences.zoom:
            self.preferences.zoom = zoom
            save_preferences(self.services.data_dir, self.preferences)
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        size = BASE_POINT_SIZE + ZOOM_STEP * self.preferences.zoom
        self.block_screen.set_point_size(size)
        self.results.set_point_size(size)

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
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isActiveWindow()
            and self.stack.currentWidget() is self.home
            and self.services.store.packs_signature() != self._shown_packs
        ):
            self.refresh_home()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Stop the clocks (a standalone block is paused); everything else is already stored."""
        self._put_aside()
        event.accept()

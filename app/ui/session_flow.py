"""Sitting blocks and exam days: which screen each step of a session shows, and putting a session aside.

The flow owns the running :class:`DayController` (a block's controller belongs to the block screen)
and talks to the services; screens reach it only through the signals MainWindow wires.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar, QWidget

from app.bootstrap import Services
from app.core.block import Mode
from app.core.errors import BlocksimError
from app.core.exam_day import Phase
from app.services.blocks import BlockRequest, BlockRunner, RedoRequest
from app.services.days import DayRequest, DayRunner
from app.ui.controllers.block_controller import BlockController
from app.ui.controllers.day_controller import DayController
from app.ui.navigator import Navigator
from app.ui.prompts import LeaveBlockDialog, LeaveChoice, LeaveDayDialog, ResumeDialog, StopDayDialog
from app.ui.screens.block_screen import format_clock
from app.ui.widgets.day_notices import DayWarningNotice
from app.ui.widgets.dialogs import IdleOverlay, show_error

if TYPE_CHECKING:
    from app.ui.screens.analytics_screen import PracticeRequest
    from app.ui.screens.day_screens import BetweenBlocksScreen, BreakScreen, TutorialScreen

T = TypeVar("T")


class SessionFlow(QObject):
    """Starts, resumes and puts aside blocks and days, and follows a day from phase to phase.

    Signals:
        files_allowed(bool): whether importing and exporting may run now: not while a timed block or an
            exam day is in progress (a file dialog would sit over a running clock, and an import would
            change the packs under the block). Emitted whenever another screen shows.
    """

    files_allowed = Signal(bool)

    def __init__(
        self, services: Services, navigator: Navigator, idle_overlay: IdleOverlay, status_bar: QStatusBar
    ) -> None:
        super().__init__(navigator)
        self.services = services
        self.nav = navigator
        self.screens = navigator.screens
        self.idle_overlay = idle_overlay
        self.status_bar = status_bar
        self.day_controller: DayController | None = None
        self.day_notice: DayWarningNotice | None = None
        """The day's two-minute warning on show, if any."""
        navigator.guard = self.leave
        navigator.stack.currentChanged.connect(self._check_files_allowed)

    def timed_session_running(self) -> bool:
        """An exam day in progress, or a timed block running on show."""
        if self.day_controller is not None:
            return True
        controller = self._block_controller()
        return (
            controller is not None
            and self.nav.current() is self.screens.block
            and not controller.runner.block.ended
            and controller.runner.block.spec.time_limit is not None
        )

    def _check_files_allowed(self) -> None:
        self.files_allowed.emit(not self.timed_session_running())

    def _block_controller(self) -> BlockController | None:
        """The block screen's controller; None before that screen is first built (no block was opened)."""
        return self.screens.block.controller if self.screens.built("block") is not None else None

    def _running_standalone_timed_block(self) -> BlockController | None:
        controller = self._block_controller()
        if self.day_controller is not None or controller is None or self.nav.current() is not self.screens.block:
            return None
        block = controller.runner.block
        if block.ended or block.paused or block.spec.time_limit is None:
            return None
        return controller

    @property
    def _dialog_parent(self) -> QWidget:
        return self.nav.stack.window()

    def _attempt(self, title: str, action: Callable[[], T]) -> T | None:
        """Run one use case; a rule or store error becomes a dialog titled ``title``."""
        try:
            return action()
        except BlocksimError as exc:
            show_error(self._dialog_parent, title, str(exc))
            return None

    # -- leaving ---------------------------------------------------------------------------
    def leave(self) -> bool:
        """Put aside a running block or day before another screen shows. False if the user stays.

        An exam day asks first and then stands still until resumed. A standalone timed block asks
        too: pause it (a pause event is stored), end and score it, or stay. An untimed block is paused
        without asking. Nothing keeps ticking behind another screen.
        """
        day = self.day_controller
        if (
            day is not None
            and day.runner.day.phase is not Phase.DONE
            and not LeaveDayDialog.confirm(self._dialog_parent)
        ):
            return False
        block = self._running_standalone_timed_block()
        if block is not None:
            choice = LeaveBlockDialog.choose(self._dialog_parent)
            if choice is LeaveChoice.CANCEL:
                return False
            if choice is LeaveChoice.END:
                block.stop()
                self._attempt("Cannot end the block", block.runner.end)
        self.put_aside()
        return True

    def put_aside(self) -> None:
        """Stop every clock without asking (the window is closing, or the candidate chose to leave)."""
        day = self.day_controller
        controller = self._block_controller()
        if controller is not None and not controller.runner.block.ended:
            controller.stop()
            runner = controller.runner
            if day is None and not runner.end_if_expired() and not runner.block.paused:
                self._attempt("Cannot pause the block", runner.pause)
        if day is not None:
            day.stop()
            self.day_controller = None
            self.idle_overlay.hide()

    # -- blocks ----------------------------------------------------------------------------
    def _sit(self, runner: BlockRunner) -> None:
        self.screens.block.attach(BlockController(runner))
        self.nav.show(self.screens.block)
        self.screens.block.setFocus()

    def start_block(self, request: BlockRequest) -> None:
        """Start a new block from the builder's request."""
        runner = self._attempt("Cannot start the block", partial(self.services.blocks.start, request))
        if runner is not None:
            self._sit(runner)

    def redo(self, keys: Sequence[int], mode: Mode = Mode.TIMED, timed: bool = True) -> None:
        """Start a block of exactly these questions ("Re-do these as a block")."""
        runner = self._attempt(
            "Cannot re-do these questions", partial(self.services.blocks.redo, list(keys), mode=mode, timed=timed)
        )
        if runner is not None:
            self._sit(runner)

    def practice(self, request: PracticeRequest) -> None:
        """A block on one weak category (a triage row of the dashboard)."""
        runner = self._attempt(
            "Cannot start the block", partial(self.services.blocks.practice, request.kind, request.name)
        )
        if runner is not None:
            self._sit(runner)

    def redo_request(self, request: RedoRequest) -> None:
        """A screen's ``redo_requested``: re-do its questions."""
        if self.leave():
            self.redo(request.keys, request.mode, request.timed)

    def resume_block(self, session_id: int) -> None:
        """Resume an unfinished block where it was (a closed one opens its review)."""
        runner = self._attempt("Cannot resume the block", partial(self.services.blocks.resume, session_id))
        if runner is None:
            return
        if runner.block.ended:
            self.nav.review(session_id)
            return
        self._sit(runner)

    def block_finished(self, session_id: int) -> None:
        """The block screen's block ended: the day moves on, a standalone block shows its results."""
        if self.day_controller is None:
            self.nav.review(session_id)
        elif self.day_controller.runner.block is not None:
            self.day_controller.block_finished()

    def offer_resume(self) -> bool:
        """At start-up: offer the most recent unfinished day or block. True if resumed."""
        days = self.services.days.unfinished()
        if days:
            day = self.services.days.open(days[-1].id).day
            description = (
                f"{day.preset.name}: {day.blocks_done} of {day.preset.blocks} blocks done, "
                f"{format_clock(day.remaining())} of the day left."
            )
            if ResumeDialog.ask(self._dialog_parent, description, what="exam day"):
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
        if ResumeDialog.ask(self._dialog_parent, description):
            self.resume_block(latest.id)
            return True
        return False

    # -- exam days -------------------------------------------------------------------------
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

    def day_step(self, step: Callable[[DayController], None]) -> None:
        """Forward a day screen's request (continue, break, tutorial...) to the running day."""
        if self.day_controller is not None:
            step(self.day_controller)

    def stop_day(self) -> None:
        """End the day between blocks, once the candidate confirms."""
        if self.day_controller is not None and StopDayDialog.confirm(self._dialog_parent):
            self.day_controller.stop_day()

    def _run_day(self, runner: DayRunner) -> None:
        if self.day_controller is not None:
            self.day_controller.stop()
            self.day_controller.deleteLater()
        controller = DayController(runner, self.services.clock, self)
        self.day_controller = controller
        controller.phase_changed.connect(self._show_phase)
        controller.ticked.connect(self._ticked)
        controller.block_started.connect(self.screens.block.attach)
        controller.idle_warning.connect(self.idle_overlay.show_warning)
        controller.idle_changed.connect(self.idle_overlay.show_idle)
        controller.refused.connect(partial(show_error, self._dialog_parent, "Not allowed"))
        controller.save_failed.connect(self._save_failed)
        controller.day_warning.connect(self._day_warning)
        controller.start()
        self._show_phase(controller.phase.value)

    def _show_phase(self, phase: str) -> None:
        controller = self.day_controller
        if controller is None:
            return
        current = Phase(phase)
        if current is Phase.DONE:
            controller.stop()
            self.screens.day_summary.show_summary(controller.runner.summary())
            self.nav.show(self.screens.day_summary)
            self.idle_overlay.hide()
            self.day_controller = None
            self._check_files_allowed()
            return
        if current is Phase.BLOCK:
            self.nav.show(self.screens.block)
            self.screens.block.setFocus()
            return
        self.idle_overlay.hide()
        screens: dict[Phase, BetweenBlocksScreen | BreakScreen | TutorialScreen] = {
            Phase.TUTORIAL: self.screens.tutorial,
            Phase.BREAK: self.screens.break_,
        }
        screen = screens.get(current, self.screens.between)
        screen.show_day(controller.runner.day)
        self.nav.show(screen)
        # The screen itself takes the focus, never its Continue button: the Enter that ended a break
        # or a block must not start the next block (see BetweenBlocksScreen).
        if screen is self.screens.break_:
            self.screens.break_.end_button.setFocus()
        else:
            screen.setFocus()

    def _ticked(self) -> None:
        controller = self.day_controller
        if controller is None:
            return
        current = self.nav.current()
        for screen in (self.screens.between, self.screens.break_, self.screens.tutorial):
            if screen is current:
                screen.show_day(controller.runner.day)
        self.screens.block.show_day_time(controller.runner.day.remaining())
        if self.idle_overlay.isVisible():
            day = controller.runner.day
            block = controller.runner.block
            block_left = block.block.remaining() if block is not None else None
            self.idle_overlay.show_times(
                until_break=format_clock(controller.until_idle()),
                idle_for=format_clock(day.idle_current()),
                block_left=format_clock(block_left) if block_left is not None else "",
                day_left=format_clock(day.remaining()),
            )

    def _save_failed(self, message: str) -> None:
        """A write of the day failed: say so where the candidate looks (the block screen, the status bar)."""
        self.status_bar.showMessage(message, 10_000)
        self.screens.block.show_save_failure(message)

    def _day_warning(self) -> None:
        message = "Two minutes remain in the exam day."
        self.status_bar.showMessage(message, 10_000)
        self.screens.block.status_label.setText(message)
        self.day_notice = DayWarningNotice.show_notice(self._dialog_parent, message)

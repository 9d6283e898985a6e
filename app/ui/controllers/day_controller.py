"""Runs an exam day for the screens: one parented timer (every ``TICK_SECONDS``) ticks the day and its current block."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app.core.clock import TICK_SECONDS, Clock
from app.core.errors import ExamRuleError, StoreWriteError
from app.core.exam_day import Phase
from app.services.days import DayRunner
from app.ui.controllers.block_controller import BlockController

IDLE_WARNING_SECONDS = 30.0
# ShortcutOverride too: a key bound to an action (A-J, arrows...) never arrives as a KeyPress.
_ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
    }
)


class DayController(QObject):
    """Owns the day's timer, the current block's controller and idle detection.

    Signals:
        phase_changed(str): the day moved to another phase (a :class:`Phase` value).
        ticked(): the clocks moved; screens re-read times from ``runner.day``.
        block_started(object): a :class:`BlockController` for the block that just started.
        day_warning(): once per day (stored, so also across a kill and resume), when two minutes remain.
        idle_warning(bool): an unauthorised break is 30 s away (True) or the warning is withdrawn (False).
        idle_changed(bool): an unauthorised break began (True) or ended (False).
        refused(str): an action the rules refused.
        save_failed(str): a write failed (disk full, read-only): what was not saved and why. Nothing unsaved
            is applied; the next tick tries again.
    """

    phase_changed = Signal(str)
    ticked = Signal()
    block_started = Signal(object)
    day_warning = Signal()
    idle_warning = Signal(bool)
    idle_changed = Signal(bool)
    refused = Signal(str)
    save_failed = Signal(str)

    def __init__(self, runner: DayRunner, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.clock = clock
        self.block_controller: BlockController | None = None
        self._last_activity = clock.now()
        self._idle_warned = False
        self._idle = False
        self._timer = QTimer(self)
        self._timer.setInterval(round(TICK_SECONDS * 1000))
        self._timer.timeout.connect(self.tick)

    @property
    def phase(self) -> Phase:
        """The day's phase."""
        return self.runner.day.phase

    def start(self) -> None:
        """Start ticking and watching for user activity."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if self.runner.block is not None:
            self._attach_block()
        self._timer.start()
        self.tick()

    def stop(self) -> None:
        """Stop ticking (the day stays as stored and can be resumed)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.block_controller is not None:
            self.block_controller.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Any key, click or mouse movement is activity (it never consumes the event)."""
        if event.type() in _ACTIVITY_EVENTS:
            self.note_activity()
        return False

    def note_activity(self) -> None:
        """The user did something: end an unauthorised break or withdraw its warning."""
        self._last_activity = self.clock.now()
        if self._idle and self.phase is Phase.BLOCK:
            self._do(lambda: self.runner.idle(False))
            self._idle = False
            self.idle_changed.emit(False)
        if self._idle_warned:
            self._idle_warned = False
            self.idle_warning.emit(False)

    # -- time -----------------------------------------------------------------------------
    def tick(self) -> None:
        """Tick the day (and its block), check idle time, and report phase changes."""
        before = self.phase
        try:
            changed = self.runner.tick()
        except StoreWriteError as exc:  # the day and its block stay as stored; the next tick tries again
            self.save_failed.emit(str(exc))
            changed = False
        if self.block_controller is not None:
            self.block_controller.show_time()
        self._check_idle()
        if self.runner.day.warning_due() and self._do(self.runner.warn):
            self.day_warning.emit()
        self.ticked.emit()
        if changed or self.phase is not before:
            self._phase_changed()

    def _check_idle(self) -> None:
        if self.phase is not Phase.BLOCK or self._idle:
            return
        idle_limit = 60 * self.runner.day.preset.idle_minutes
        quiet = self.clock.now() - self._last_activity
        if quiet >= idle_limit:
            if self._do(lambda: self.runner.idle(True)):
                self._idle = True
                self.idle_changed.emit(True)
        elif quiet >= idle_limit - IDLE_WARNING_SECONDS and not self._idle_warned:
            self._idle_warned = True
            self.idle_warning.emit(True)

    def until_idle(self) -> float:
        """Seconds until an unauthorised break begins, if the candidate stays still."""
        idle_limit = 60 * self.runner.day.preset.idle_minutes
        return max(0.0, idle_limit - (self.clock.now() - self._last_activity))

    # -- the day's steps -----------------------------------------------------------------
    def take_tutorial(self) -> None:
        """Start the optional tutorial."""
        if self._do(self.runner.start_tutorial):
            self._phase_changed()

    def end_tutorial(self) -> None:
        """End the tutorial early (the rest joins the break pool)."""
        if self._do(self.runner.end_tutorial):
            self._phase_changed()

    def continue_to_block(self) -> None:
        """Start the next block."""
        if self._do(self.runner.start_next_block):
            self._last_activity = self.clock.now()
            self._attach_block()
            self._phase_changed()

    def take_break(self) -> None:
        """Start a break."""
        if self._do(self.runner.start_break):
            self._phase_changed()

    def end_break(self) -> None:
        """Back to the between-block prompt."""
        if self._do(self.runner.end_break):
            self._phase_changed()

    def stop_day(self) -> None:
        """End the day between blocks."""
        if self._do(self.runner.stop_day):
            self._phase_changed()

    def block_finished(self) -> None:
        """The block screen says its block ended (by the user or at 0:00)."""
        if self.runner.block is not None:
            self._do(self.runner.end_block)
        self.block_controller = None
        self._phase_changed()

    def _clear_idle(self) -> None:
        """Outside a block there is no unauthorised break (the day log closes one with its block)."""
        if self._idle:
            self._idle = False
            self.idle_changed.emit(False)
        if self._idle_warned:
            self._idle_warned = False
            self.idle_warning.emit(False)

    def _attach_block(self) -> None:
        assert self.runner.block is not None
        self.block_controller = BlockController(self.runner.block, external_clock=True)
        self.block_started.emit(self.block_controller)

    def _phase_changed(self) -> None:
        if self.phase is not Phase.BLOCK:
            self.block_controller = None
            self._clear_idle()
        if self.phase is Phase.DONE:
            self._timer.stop()
        self.phase_changed.emit(self.phase.value)

    def _do(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except StoreWriteError as exc:
            self.save_failed.emit(str(exc))
            return False
        except ExamRuleError as exc:
            self.refused.emit(str(exc))
            return False
        return True

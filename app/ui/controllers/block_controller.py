"""Runs one block for the screen: a parented timer (every ``TICK_SECONDS``) that only calls ``tick()``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.clock import TICK_SECONDS
from app.core.errors import ExamRuleError, StoreWriteError
from app.core.events import EndReason, EventKind
from app.core.scoring import STEM, Highlight
from app.services.blocks import BlockRunner


class BlockController(QObject):
    """Owns the block's timer and turns the screen's requests into service calls.

    Signals:
        remaining_changed(float): seconds left (or -1 for an untimed block), after every tick.
        warning(): once per block (stored as ``warning_shown``), when two minutes or less are left:
            at that moment, at the start of a block shorter than two minutes, or at a resume in the
            last two minutes when the warning had not been shown before.
        item_changed(int): the item shown changed (0-based position).
        item_updated(int): the user's work on an item changed (answer, mark, strike, ...).
        ended(str): the block closed; the argument is the reason (user, expired).
        refused(str): an action the rules refused, with the reason.
        save_failed(str): a write failed (disk full, read-only): what was not saved and why. The action
            is not shown as done; the clock and the rules go on from what is stored.
        saved(): writes succeed again after a ``save_failed``.
    """

    remaining_changed = Signal(float)
    warning = Signal()
    item_changed = Signal(int)
    item_updated = Signal(int)
    ended = Signal(str)
    refused = Signal(str)
    save_failed = Signal(str)
    saved = Signal()

    def __init__(self, runner: BlockRunner, parent: QObject | None = None, *, external_clock: bool = False) -> None:
        super().__init__(parent)
        self.runner = runner
        # Inside an exam day the day's controller ticks the block; this controller then only reports.
        self.external_clock = external_clock
        self._timer = QTimer(self)
        self._timer.setInterval(round(TICK_SECONDS * 1000))
        self._timer.timeout.connect(self.tick)
        self._problem: str | None = None

    # -- time ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start ticking (call once the screen shows the block)."""
        if self.external_clock:
            self.show_time()
            return
        if not self.runner.block.ended:
            self._timer.start()
        self.tick()

    def stop(self) -> None:
        """Stop ticking (the block stays as stored)."""
        self._timer.stop()

    def tick(self) -> None:
        """Read the clock, checkpoint, warn, and end the block at 0:00."""
        if self.runner.tick():
            self._timer.stop()
            self._report_saving()
            self.remaining_changed.emit(0.0)
            self.ended.emit(EndReason.EXPIRED.value)
            return
        self._report_saving()
        self.show_time()

    def _report_saving(self) -> None:
        """Say once that writes fail (and why), and once that they work again."""
        problem = self.runner.save_problem
        if problem == self._problem:
            return
        self._problem = problem
        if problem is None:
            self.saved.emit()
        else:
            self.save_failed.emit(problem)

    def show_time(self) -> None:
        """Report the time left (and the two-minute warning, once) without ticking the block."""
        self._report_saving()
        block = self.runner.block
        remaining = block.remaining()
        self.remaining_changed.emit(-1.0 if remaining is None else remaining)
        if remaining is not None and block.warning_due():
            try:
                shown = self.runner.warn_if_due()
            except ExamRuleError:  # the day ended the block meanwhile: nothing to warn about
                shown = False
            except StoreWriteError:  # not stored, so not shown: the next tick tries again
                self._report_saving()
                shown = False
            if shown:
                self.warning.emit()

    # -- actions --------------------------------------------------------------------------
    @property
    def position(self) -> int:
        """The item shown."""
        return self.runner.block.current_position

    def go_to(self, position: int) -> None:
        """Show an item."""
        if 0 <= position < self.runner.block.spec.item_count and self._do(lambda: self.runner.show(position)):
            self.item_changed.emit(position)

    def step(self, delta: int) -> None:
        """Show the previous (-1) or next (+1) item."""
        self.go_to(self.position + delta)

    def select(self, label: str) -> None:
        """Select an option of the current item."""
        position = self.position
        if self._do(lambda: self.runner.select(position, label)):
            self.item_updated.emit(position)

    def toggle_strike(self, label: str) -> None:
        """Strike out or restore an option of the current item."""
        position = self.position
        if self._do(lambda: self.runner.toggle_strike(position, label)):
            self.item_updated.emit(position)

    def toggle_mark(self) -> None:
        """Mark or unmark the current item."""
        position = self.position
        if self._do(lambda: self.runner.toggle_mark(position)):
            self.item_updated.emit(position)

    def highlight(self, start: int, end: int, part: str = STEM) -> None:
        """Highlight a character range of one part (stem, lead-in, an option) of the current item."""
        position = self.position
        if end > start and self._do(
            lambda: self.runner.record(EventKind.HIGHLIGHT_ADDED, position, start=start, end=end, part=part)
        ):
            self.item_updated.emit(position)

    def remove_highlight(self, part: str, start: int, end: int) -> None:
        """Remove one highlight of the current item (the others stay)."""
        position = self.position
        if Highlight(start, end, part) in self.runner.block.item(position).highlights and self._do(
            lambda: self.runner.record(EventKind.HIGHLIGHT_REMOVED, position, start=start, end=end, part=part)
        ):
            self.item_updated.emit(position)

    def toggle_highlight(self, part: str, start: int, end: int) -> None:
        """The Highlight tool: a selection inside a highlight removes that one; any other is highlighted."""
        for mark in reversed(self.runner.block.item(self.position).highlights):
            if mark.part == part and mark.start <= start and end <= mark.end:
                self.remove_highlight(mark.part, mark.start, mark.end)
                return
        self.highlight(start, end, part)

    def clear_highlights(self) -> None:
        """Remove the current item's highlights."""
        position = self.position
        if self._do(lambda: self.runner.record(EventKind.HIGHLIGHTS_CLEARED, position)):
            self.item_updated.emit(position)

    def write_note(self, text: str) -> None:
        """Store the note of the current item."""
        position = self.position
        if text != self.runner.block.item(position).note and self._do(
            lambda: self.runner.record(EventKind.NOTE_WRITTEN, position, text=text)
        ):
            self.item_updated.emit(position)

    def submit(self) -> None:
        """Submit the current item (tutor mode): its answer and explanations are shown."""
        position = self.position
        if self._do(lambda: self.runner.record(EventKind.ITEM_SUBMITTED, position)):
            self.item_updated.emit(position)

    def end_block(self) -> None:
        """End the block at the user's request."""
        if self.runner.block.ended:
            return
        expired = self.runner.block.is_expired()
        self._do(self.runner.end)
        if not self.runner.block.ended:  # the end was not saved: the block goes on, as stored
            return
        self._timer.stop()
        self.ended.emit(EndReason.EXPIRED.value if expired else EndReason.USER.value)

    def _do(self, action: Callable[[], object]) -> bool:
        """Run one service call; a refusal is reported, and an expiry it revealed ends the block."""
        try:
            action()
        except StoreWriteError:
            self._report_saving()
            return False
        except ExamRuleError as exc:
            self.refused.emit(str(exc))
            if self.runner.block.ended:
                self._timer.stop()
                self.ended.emit(EndReason.EXPIRED.value)
            return False
        self._report_saving()
        return True

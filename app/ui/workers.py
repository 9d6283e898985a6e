"""Slow reads off the GUI thread, modelled on Anki's ``QueryOp``.

A :class:`QueryOp` runs one function on the window's background worker (:func:`serial_pool`: one thread, so
operations are serialised like Anki's task manager and never race on the store) and hands its result or its error back
to the GUI thread through a queued signal. The function receives a :class:`Progress` it may report
to and must poll: :meth:`QueryOp.cancel` makes its next ``Progress.step`` raise :class:`Cancelled`.
Workers never touch widgets; each store call opens its own database session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

T = TypeVar("T")


class Cancelled(Exception):  # noqa: N818 (not an error: the user asked to stop)
    """Raised inside the work function when the operation was cancelled."""


class Progress:
    """What the work function sees: report progress, and learn that the user cancelled."""

    def __init__(self, report: Callable[[int, int], None]) -> None:
        self._report = report
        self._cancelled = threading.Event()

    def step(self, done: int, total: int) -> None:
        """Report ``done`` of ``total``; raises :class:`Cancelled` once the user has cancelled."""
        if self._cancelled.is_set():
            raise Cancelled
        self._report(done, total)

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`QueryOp.cancel` was called."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Ask the work function to stop at its next step."""
        self._cancelled.set()


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, the GUI thread receives (queued)."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], object], progress: Progress, relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._progress = progress
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as exc:  # handed to the GUI thread, never swallowed
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


def serial_pool(parent: QObject) -> QThreadPool:
    """The background worker of a window: one thread, so operations never race on the store."""
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    return pool


class QueryOp(QObject, Generic[T]):
    """One background read with ``success`` / ``failure`` callbacks run on the GUI thread.

    Signals:
        progressed(int, int): done and total, as the work function reports them.
        done(): the operation is over (succeeded, failed or cancelled).
    """

    progressed = Signal(int, int)
    done = Signal()

    def __init__(
        self,
        work: Callable[[Progress], T],
        success: Callable[[T], None],
        failure: Callable[[BaseException], None],
        pool: QThreadPool,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = pool
        self._work = work
        self._success = success
        self._failure = failure
        self._relay = _Relay(self)
        self._relay.succeeded.connect(self._on_success)
        self._relay.failed.connect(self._on_failure)
        self._relay.progressed.connect(self.progressed)
        self.progress = Progress(self._relay.progressed.emit)
        self.running = False

    def run_in_background(self) -> QueryOp[T]:
        """Queue the work on the background worker; returns self."""
        self.running = True
        self._pool.start(_Job(self._work, self.progress, self._relay))
        return self

    def cancel(self) -> None:
        """Stop at the work function's next progress step; neither callback runs."""
        self.progress.cancel()

    def _on_success(self, result: object) -> None:
        self.running = False
        if not self.progress.cancelled:
            self._success(result)  # type: ignore[arg-type]
        self.done.emit()

    def _on_failure(self, error: object) -> None:
        self.running = False
        if not isinstance(error, Cancelled):
            assert isinstance(error, BaseException)
            self._failure(error)
        self.done.emit()

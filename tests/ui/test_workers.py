"""QueryOp: work off the GUI thread, results and errors back on it, cancellation."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.workers import Progress, QueryOp, serial_pool


def test_success_runs_on_the_gui_thread_with_the_result(qtbot: QtBot) -> None:
    owner = QObject()
    threads: list[QThread] = []
    results: list[int] = []

    def work(progress: Progress) -> int:
        threads.append(QThread.currentThread())
        progress.step(1, 1)
        return 42

    def success(value: int) -> None:
        threads.append(QThread.currentThread())
        results.append(value)

    op = QueryOp(work, success, lambda exc: None, serial_pool(owner), owner)
    with qtbot.waitSignal(op.done, timeout=5000):
        op.run_in_background()
    assert results == [42]
    gui = QApplication.instance().thread()  # type: ignore[union-attr]
    assert threads[0] is not gui and threads[1] is gui
    assert not op.running


def test_an_error_reaches_the_failure_callback(qtbot: QtBot) -> None:
    owner = QObject()
    errors: list[BaseException] = []

    def work(progress: Progress) -> int:
        raise ValueError("broken history")

    op = QueryOp(work, lambda value: None, errors.append, serial_pool(owner), owner)
    with qtbot.waitSignal(op.done, timeout=5000):
        op.run_in_background()
    assert [str(e) for e in errors] == ["broken history"]


def test_cancel_stops_at_the_next_step_and_runs_no_callback(qtbot: QtBot) -> None:
    owner = QObject()
    started, release = threading.Event(), threading.Event()
    called: list[object] = []
    steps: list[int] = []

    def work(progress: Progress) -> int:
        progress.step(0, 2)
        started.set()
        release.wait(5)
        progress.step(1, 2)  # raises Cancelled
        steps.append(1)
        return 1

    op = QueryOp(work, called.append, called.append, serial_pool(owner), owner)
    op.progressed.connect(lambda done, total: steps.append(-1))
    op.run_in_background()
    assert started.wait(5)
    op.cancel()
    with qtbot.waitSignal(op.done, timeout=5000):
        release.set()
    assert called == [] and 1 not in steps

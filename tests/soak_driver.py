"""Drive the real window through thousands of actions in a separate process (``python -m tests.soak_driver``).

A binding that leaks a reference to ``None`` per call (PySide6 6.12.0 on CPython 3.11) aborts the
interpreter after a few thousand calls with ``Fatal Python error: none_dealloc``. This driver runs
the screens the way a candidate does, by keyboard, with a fake clock, and watches
``sys.getrefcount(None)``: it stops with exit code 3 as soon as the count has fallen by more than
``LEAK_LIMIT`` (long before the abort), so the test that runs it fails with a clear message instead
of taking the test process down. It prints one JSON line with its figures and exits 0 when sound.

    python -m tests.soak_driver block [ACTIONS]   # one 40-item block, keyboard actions and ticks
    python -m tests.soak_driver day               # a 16-block day through every day screen
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.bootstrap import Services, build
from app.core.clock import TICK_SECONDS, FakeClock
from app.core.exam_day import DayPreset, Phase
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.services.days import DayRequest
from app.ui.main_window import MainWindow
from app.ui.widgets.dialogs import EndBlockDialog
from tests.factories import pack_dict, write_pack

LEAK_LIMIT = 500
"""How far the reference count of None may fall before the binding is called unsound."""

CHECK_EVERY = 25
"""Actions between two readings of the reference count."""

LETTERS = [Qt.Key.Key_A, Qt.Key.Key_B, Qt.Key.Key_C, Qt.Key.Key_D, Qt.Key.Key_E]


class NoneLeakError(Exception):
    """The reference count of None fell: the binding is unsound."""


class Soak:
    """Counts actions and reads the reference count of None every few of them."""

    def __init__(self) -> None:
        self.actions = 0
        self.baseline = sys.getrefcount(None)
        self.lowest = self.baseline

    def did(self, count: int = 1) -> None:
        self.actions += count
        if self.actions % CHECK_EVERY < count:
            self.check()

    def check(self) -> None:
        now = sys.getrefcount(None)
        self.lowest = min(self.lowest, now)
        if self.baseline - now > LEAK_LIMIT:
            raise NoneLeakError(
                f"sys.getrefcount(None) fell from {self.baseline} to {now} after {self.actions} actions"
            )

    def figures(self, scenario: str, **extra: object) -> dict[str, object]:
        self.check()
        return {
            "scenario": scenario,
            "actions": self.actions,
            "none_before": self.baseline,
            "none_after": sys.getrefcount(None),
            "none_lowest": self.lowest,
            **extra,
        }


def _window(folder: Path, items: int) -> tuple[QApplication, MainWindow, Services, FakeClock]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    clock = FakeClock()
    services = build(folder / "data", clock=clock, import_bundled=False, sleep_threshold=float("inf"))
    services.packs.import_path(write_pack(folder / "pack", pack_dict(items)))
    window = MainWindow(services, Preferences())
    window.show()
    app.processEvents()
    return app, window, services, clock


def _focus(app: QApplication, window: MainWindow) -> None:
    window.activateWindow()
    window.screens.block.setFocus()
    for _ in range(50):
        focused = QApplication.focusWidget()
        if focused is window.screens.block or window.screens.block.isAncestorOf(focused):
            return
        app.processEvents()
    raise RuntimeError("the block screen never took the keyboard focus")


def _key_actions(window: MainWindow, tick: Callable[[], None]) -> list[Callable[[], None]]:
    """One candidate's repertoire: answer, change, strike, mark, navigate, let time pass."""
    screen = window.screens.block

    def key(code: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> Callable[[], None]:
        return lambda: QTest.keyClick(screen, code, modifier)

    return [
        key(LETTERS[0]),
        key(LETTERS[3]),
        tick,
        key(LETTERS[2], Qt.KeyboardModifier.ShiftModifier),
        key(Qt.Key.Key_M),
        key(Qt.Key.Key_Right),
        tick,
        key(LETTERS[1]),
        key(LETTERS[4], Qt.KeyboardModifier.ShiftModifier),
        key(Qt.Key.Key_Left),
        key(Qt.Key.Key_Right),
        key(Qt.Key.Key_N),
        tick,
    ]


def soak_block(actions: int) -> dict[str, object]:
    """One 40-item, 60-minute block sat by keyboard for ``actions`` actions, then ended."""
    with tempfile.TemporaryDirectory() as tmp:
        app, window, services, clock = _window(Path(tmp), 40)
        EndBlockDialog.confirm = classmethod(lambda cls, parent, unanswered, marked: True)  # type: ignore[method-assign, assignment]
        window.flow.start_block(BlockRequest(BlockFilter(), size=40, minutes=60, seed=3))
        controller = window.screens.block.controller
        assert controller is not None
        _focus(app, window)
        soak = Soak()

        def tick() -> None:
            clock.advance(TICK_SECONDS / 2)
            controller.tick()
            app.processEvents()

        repertoire = _key_actions(window, tick)
        for index in range(actions):
            if window.screens.block.controller is not None and controller.position == 39:
                QTest.keyClick(window.screens.block, Qt.Key.Key_Home)  # not bound: a plain key press
                controller.go_to(0)
            repertoire[index % len(repertoire)]()
            soak.did()
        events = len(services.store.events(controller.runner.session_id))
        window.screens.block.request_end()
        app.processEvents()
        assert controller.runner.block.ended, "the block did not end"
        assert window.stack.currentWidget() is window.screens.results, "the results screen did not follow the block"
        figures = soak.figures("block", events=events)
        window.close()
        services.close()
        return figures


def soak_day() -> dict[str, object]:
    """A 16-block day (3 items, 1 minute each) through the between-block, break and block screens."""
    preset = DayPreset(
        id="soak",
        name="Soak day",
        blocks=16,
        block_minutes=1,
        items_per_block=3,
        tutorial_minutes=1,
        break_minutes=20,
    )
    with tempfile.TemporaryDirectory() as tmp:
        app, window, services, clock = _window(Path(tmp), 60)
        EndBlockDialog.confirm = classmethod(lambda cls, parent, unanswered, marked: True)  # type: ignore[method-assign, assignment]
        soak = Soak()
        window.flow.start_day(DayRequest(preset=preset, block_filter=BlockFilter(), seed=2))
        day = window.flow.day_controller
        assert day is not None

        def tick(seconds: float = TICK_SECONDS) -> None:
            clock.advance(seconds)
            day.tick()
            app.processEvents()
            soak.did()

        QTest.mouseClick(window.screens.between.tutorial_button, Qt.MouseButton.LeftButton)
        for _ in range(10):
            tick()
        QTest.mouseClick(window.screens.tutorial.end_button, Qt.MouseButton.LeftButton)
        for block in range(preset.blocks):
            assert window.stack.currentWidget() is window.screens.between, (
                f"no between-block screen before block {block + 1}"
            )
            if block % 4 == 3:  # a short break now and then
                QTest.mouseClick(window.screens.between.break_button, Qt.MouseButton.LeftButton)
                for _ in range(6):
                    tick()
                QTest.mouseClick(window.screens.break_.end_button, Qt.MouseButton.LeftButton)
            QTest.mouseClick(window.screens.between.continue_button, Qt.MouseButton.LeftButton)
            assert window.stack.currentWidget() is window.screens.block, f"block {block + 1} did not start"
            _focus(app, window)
            repertoire = _key_actions(window, tick)
            for index in range(60):
                repertoire[index % len(repertoire)]()
                soak.did()
            if block % 2:
                QTest.mouseClick(window.screens.block.end_button, Qt.MouseButton.LeftButton)
            else:
                while window.stack.currentWidget() is window.screens.block:  # let it run out at 0:00
                    tick(2.0)
        assert window.stack.currentWidget() is window.screens.day_summary, (
            "the day summary did not follow the last block"
        )
        [stored] = services.store.sessions(kind="day")
        figures = soak.figures(
            "day", blocks=len(services.store.children(stored.id)), finished=stored.status == "finished"
        )
        assert day.runner.day.phase is Phase.DONE
        window.close()
        services.close()
        return figures


def main(argv: list[str]) -> int:
    scenario = argv[0] if argv else "block"
    try:
        figures = soak_day() if scenario == "day" else soak_block(int(argv[1]) if len(argv) > 1 else 3000)
    except NoneLeakError as exc:
        print(json.dumps({"scenario": scenario, "leak": str(exc)}), flush=True)
        return 3
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""A scripted user of the real app for the kill -9 trial (tests/test_kill_trial.py).

Run: ``python -m tests.kill_trial_driver SCENARIO DATA_DIR SEED [LEAVE_BREAK]``

The GUI scenarios build the real main window (offscreen Qt) on the real services and clock, resume
what the store holds (the resume prompt is answered "Resume") and then act like a user at a user's
pace through the screens' widgets, while the app's own timers tick at the app's own rate:

* ``block``: answer, navigate, mark and strike in a standalone block until killed;
* ``dialog``: act a little, press End Block, and leave the confirmation dialog open until killed;
* ``results``: act a little, end the block through the dialog, then browse the results until killed;
* ``break``: sit a short custom exam day (3 blocks x 2 items x 1 min, break pool 2 min) up to a
  break and stay in it until killed; with LEAVE_BREAK=1 a break it resumes in is ended first and the
  day goes on to the next break (a new day when this one is over).

``import DATA_DIR PACK`` runs the real ``blocksim import`` command (``app.cli.main``).

Every line is flushed at once, so the test sees everything printed before the kill:

* ``ACK <session> <seq> <kind> <position|-> <elapsed> <payload json>``: an event of a block's log that the store
  holds (printed after the call that stored it returned);
* ``DACK <day> <seq> <kind> <elapsed> <payload json>``: the same for a day's own log;
* ``NOW <session> <elapsed> <monotonic>``: after each tick of a standalone block (its checkpoint is
  stored by then): the block's time and ``time.monotonic()``, read together (the monotonic clock is
  shared by all processes, so the test knows the block's true time at the moment it kills);
* ``DAYNOW <day> <elapsed> <break remaining> <monotonic>``: the same for a day, after each day tick;
* ``RESUMED <block|day> <id> <elapsed> <monotonic> <before> <after>``: what was resumed at start-up and
  its time, and ``time.monotonic()`` before and after the resume (time outside that window must not be
  charged); ``STARTED block <id> <elapsed> <monotonic>`` for a new block;
* ``PHASE dialog <monotonic>``: the end-block dialog is open; ``PHASE results <monotonic> <elapsed>``: the
  results are shown (with the block's final time); ``PHASE break <monotonic> <day> <elapsed> <break
  remaining>``: a break began (or was resumed); ``READY``/``DONE <monotonic>`` around the import command.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import sys
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

USER_PACE = (0.04, 0.3)
"""Seconds between a user's actions (a quick one: several a second)."""
READING = (0.5, 2.0)
"""Seconds a user sometimes spends reading, without acting (only the app's ticks store the time then)."""
READING_CHANCE = 0.2
DAY_PRESET = {
    "id": "kill-trial",
    "name": "Kill trial day",
    "blocks": 3,
    "block_minutes": 1,
    "items_per_block": 2,
    "tutorial_minutes": 0,
    "break_minutes": 2,
}
BLOCK_SIZE = 6
BLOCK_MINUTES = 30


def say(line: str) -> None:
    """Print one line at once (a kill must not leave it in a buffer)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _payload(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def run_import(data_dir: str, pack: str) -> int:
    """The real ``blocksim import`` command, with a stamp before and after.

    The modules the command loads are imported before the first stamp, so the test's kill moments
    fall on the command's work (opening the store, reading the pack, the transaction), not on Python
    loading SQLAlchemy.
    """
    for module in ("app.bootstrap", "app.services.packs"):
        importlib.import_module(module)
    from app.cli import main

    say(f"READY {time.monotonic():.6f}")
    code = main(["--data-dir", data_dir, "import", pack])
    say(f"DONE {time.monotonic():.6f} {code}")
    return code


def run_gui(scenario: str, data_dir: str, seed: int, leave_break: bool) -> int:
    """Build the real window and act as the scenario says until killed."""
    from PySide6.QtCore import QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.bootstrap import build
    from app.core.exam_day import DayPreset, Phase
    from app.core.preferences import Preferences
    from app.core.selection import BlockFilter
    from app.services.blocks import BlockRequest, BlockRunner
    from app.services.days import DayRequest, DayRunner
    from app.ui.main_window import MainWindow
    from app.ui.prompts import ResumeDialog
    from app.ui.widgets.dialogs import EndBlockDialog

    app = QApplication(sys.argv[:1])
    services = build(data_dir, import_bundled=False)
    window = MainWindow(services, Preferences())
    window.show()
    rng = random.Random(seed)

    # The user answers the start-up prompt with "Resume" (the prompt is the test seam for this).
    ResumeDialog.ask = classmethod(lambda cls, parent, description, what="block": True)  # type: ignore[method-assign]

    runners: dict[int, BlockRunner] = {}
    days: dict[int, DayRunner] = {}
    printed: dict[int, int] = {}
    hooked: set[int] = set()
    state: dict[str, Any] = {}

    def flush() -> None:
        """Print every stored event not printed yet (blocks seen so far and the running day)."""
        controller = window.screens.block.controller
        if controller is not None:
            runners.setdefault(controller.runner.session_id, controller.runner)
            if id(controller) not in hooked and window.flow.day_controller is None:
                hooked.add(id(controller))
                controller.remaining_changed.connect(lambda _remaining: tick_seen())
        for session_id, runner in runners.items():
            events = runner.block.events
            for event in events[printed.get(session_id, 0) :]:
                position = "-" if event.position is None else str(event.position)
                kind = event.kind.value
                say(f"ACK {session_id} {event.seq} {kind} {position} {event.elapsed!r} {_payload(event.payload)}")
            printed[session_id] = len(events)
        day = window.flow.day_controller
        if day is not None:
            days.setdefault(day.runner.session.id, day.runner)
            if id(day) not in hooked:
                hooked.add(id(day))
                day.ticked.connect(day_tick_seen)
        for day_id, day_runner in days.items():
            events_day = day_runner.day.events
            for event in events_day[printed.get(-day_id, 0) :]:
                say(f"DACK {day_id} {event.seq} {event.kind.value} {event.elapsed!r} {_payload(event.payload)}")
            printed[-day_id] = len(events_day)

    def tick_seen() -> None:
        controller = window.screens.block.controller
        if controller is None:
            return
        now = time.monotonic()
        say(f"NOW {controller.runner.session_id} {controller.runner.block.elapsed():.6f} {now:.6f}")
        flush()

    def day_tick_seen() -> None:
        controller = window.flow.day_controller
        if controller is None:
            return
        now = time.monotonic()
        day = controller.runner.day
        say(f"DAYNOW {controller.runner.session.id} {day.elapsed():.6f} {day.break_remaining():.6f} {now:.6f}")
        flush()

    def later(action: Any, pace: tuple[float, float] | None = None) -> None:
        if pace is None:
            pace = READING if rng.random() < READING_CHANCE else USER_PACE
        QTimer.singleShot(round(1000 * rng.uniform(*pace)), window, action)

    def act_in_block() -> None:
        """One user action on the block screen, through its widgets."""
        screen = window.screens.block
        rows = screen.question_view.option_rows
        choice = rng.random()
        if choice < 0.4 and rows:
            QTest.mouseClick(rng.choice(rows), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
        elif choice < 0.55 and rows:
            QTest.mouseClick(rng.choice(rows), Qt.MouseButton.RightButton, pos=QPoint(5, 5))
        elif choice < 0.75:
            screen.next_button.click()
        elif choice < 0.85:
            screen.prev_button.click()
        else:
            screen.mark_box.click()
        flush()

    def when_dialog_open(action: Any) -> None:
        """Run ``action(dialog)`` once the end-block dialog is open (inside its own event loop)."""

        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, EndBlockDialog) and dialog.isVisible():
                action(dialog)
            else:
                QTimer.singleShot(5, window, poll)

        QTimer.singleShot(0, window, poll)

    def dialog_opened(_dialog: EndBlockDialog) -> None:
        flush()
        say(f"PHASE dialog {time.monotonic():.6f}")

    def accept_dialog(dialog: EndBlockDialog) -> None:
        dialog.end_button.click()

    def browse_results() -> None:
        table = window.screens.results.table
        rows = window.screens.results.model.rowCount()
        if rows:
            table.selectRow(rng.randrange(rows))
        later(browse_results, (0.05, 0.3))

    # -- standalone blocks --------------------------------------------------------------
    actions_left = rng.randrange(0, 8)

    def block_step() -> None:
        nonlocal actions_left
        if scenario == "block" or actions_left > 0:
            actions_left -= 1
            act_in_block()
            later(block_step)
            return
        if scenario == "dialog":
            when_dialog_open(dialog_opened)
            window.screens.block.end_button.click()  # the dialog stays open: the kill comes first
            return
        when_dialog_open(accept_dialog)
        window.screens.block.end_button.click()
        flush()
        controller = window.screens.block.controller
        assert controller is not None and controller.runner.block.ended
        assert window.stack.currentWidget() is window.screens.results
        say(f"PHASE results {time.monotonic():.6f} {controller.runner.block.elapsed():.6f}")
        later(browse_results)

    # -- the exam day ---------------------------------------------------------------------
    preset = DayPreset.model_validate(DAY_PRESET)

    def day_step() -> None:
        controller = window.flow.day_controller
        if controller is None:  # the day is over: a new one
            window.flow.start_day(DayRequest(preset, BlockFilter(), seed=rng.randrange(2**31)))
            flush()
            later(day_step, USER_PACE)
            return
        phase = controller.phase
        if phase is Phase.BLOCK:
            runner = controller.runner.block
            assert runner is not None
            if all(item.answered for item in runner.block.items()) and rng.random() < 0.5:
                when_dialog_open(accept_dialog)
                window.screens.block.end_button.click()
            else:
                act_in_block()
        elif phase in (Phase.NOT_STARTED, Phase.BETWEEN):
            came_back = state.pop("left_break", False)
            if phase is Phase.BETWEEN and not came_back and controller.runner.day.next_block < preset.blocks:
                window.screens.between.break_button.click()
                flush()
                say_break()
                return  # stay in the break until killed
            window.screens.between.continue_button.click()
        elif phase is Phase.BREAK:
            window.screens.break_.end_button.click()
            state["left_break"] = True
        flush()
        later(day_step, USER_PACE)

    def say_break() -> None:
        controller = window.flow.day_controller
        assert controller is not None
        day = controller.runner.day
        now = time.monotonic()
        say(f"PHASE break {now:.6f} {controller.runner.session.id} {day.elapsed():.6f} {day.break_remaining():.6f}")

    def begin() -> None:
        before = time.monotonic()
        resumed = window.flow.offer_resume()
        after = time.monotonic()
        flush()
        if resumed and window.flow.day_controller is not None:
            day = window.flow.day_controller.runner
            now = time.monotonic()
            say(f"RESUMED day {day.session.id} {day.day.elapsed():.6f} {now:.6f} {before:.6f} {after:.6f}")
        elif resumed and window.screens.block.controller is not None:
            runner = window.screens.block.controller.runner
            now = time.monotonic()
            say(f"RESUMED block {runner.session_id} {runner.block.elapsed():.6f} {now:.6f} {before:.6f} {after:.6f}")
        if scenario == "break":
            controller = window.flow.day_controller
            if controller is not None and controller.phase is Phase.BREAK and not leave_break:
                say_break()
                return
            later(day_step, USER_PACE)
            return
        if not resumed:
            window.flow.start_block(BlockRequest(BlockFilter(), size=BLOCK_SIZE, minutes=BLOCK_MINUTES, seed=seed))
            flush()
            controller = window.screens.block.controller
            assert controller is not None
            now = time.monotonic()
            say(f"STARTED block {controller.runner.session_id} {controller.runner.block.elapsed():.6f} {now:.6f}")
        later(block_step)

    QTimer.singleShot(0, window, begin)
    return app.exec()


def main(argv: list[str]) -> int:
    """Entry point: ``SCENARIO DATA_DIR SEED [LEAVE_BREAK]`` or ``import DATA_DIR PACK``."""
    scenario = argv[0]
    if scenario == "import":
        return run_import(argv[1], argv[2])
    return run_gui(scenario, argv[1], int(argv[2]), len(argv) > 3 and argv[3] == "1")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Sit a whole short custom exam day through every screen, with a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from app.bootstrap import Services, build
from app.core.clock import FakeClock
from app.core.exam_day import DayPreset, Phase
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.days import DayRequest
from app.ui.main_window import MainWindow
from app.ui.prompts import LeaveDayDialog
from app.ui.widgets.dialogs import EndBlockDialog
from tests.factories import pack_dict, write_pack


@pytest.fixture
def day_window(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> Iterator[tuple[MainWindow, Services]]:
    services = build(tmp_path / "data", clock=clock, import_bundled=False, sleep_threshold=float("inf"))
    services.packs.import_path(write_pack(tmp_path / "p", pack_dict(12)))
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window, services
    if window.flow.day_controller is not None:
        window.flow.day_controller.stop()
    services.close()


def tick(window: MainWindow, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    assert window.flow.day_controller is not None
    window.flow.day_controller.tick()


def focus_block(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    window.screens.block.setFocus()
    qtbot.waitUntil(
        lambda: (
            window.screens.block.isAncestorOf(QApplication.focusWidget())
            or QApplication.focusWidget() is window.screens.block
        )
    )


def test_sit_a_custom_day_through_every_screen(
    day_window: tuple[MainWindow, Services], qtbot: QtBot, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, services = day_window
    monkeypatch.setattr(EndBlockDialog, "confirm", classmethod(lambda cls, parent, u, m: True))
    qtbot.mouseClick(window.screens.home.day_button, Qt.MouseButton.LeftButton)
    setup = window.screens.day_setup
    assert window.stack.currentWidget() is setup
    setup.preset_box.setCurrentIndex(setup.preset_box.findData("custom"))
    setup.blocks_spin.setValue(3)
    setup.items_spin.setValue(2)
    setup.minutes_spin.setValue(1)
    setup.break_spin.setValue(2)
    setup.tutorial_spin.setValue(1)
    assert setup.start_button.isEnabled()
    qtbot.mouseClick(setup.start_button, Qt.MouseButton.LeftButton)

    # Start of the day: tutorial offered.
    assert window.stack.currentWidget() is window.screens.between
    assert window.screens.between.tutorial_button.isVisible()
    qtbot.mouseClick(window.screens.between.tutorial_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screens.tutorial
    tick(window, clock, 20)
    assert "0:00:40" in window.screens.tutorial.clock.text()
    qtbot.mouseClick(window.screens.tutorial.end_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screens.between
    # 40 s of unused tutorial time joined the 2-minute pool.
    assert window.screens.between.clocks.break_label.text() == "0:02:40"

    # Block 1: answer by keyboard, end it early.
    qtbot.mouseClick(window.screens.between.continue_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screens.block
    focus_block(window, qtbot)
    qtbot.keyClick(window.screens.block, Qt.Key.Key_A)
    qtbot.keyClick(window.screens.block, Qt.Key.Key_Right)
    qtbot.keyClick(window.screens.block, Qt.Key.Key_C)
    tick(window, clock, 25)
    assert window.screens.block.mode_label.text().startswith("Day ")
    qtbot.mouseClick(window.screens.block.end_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screens.between
    assert window.screens.between.title.text() == "Block 1 of 3 is complete."
    assert window.screens.between.clocks.break_label.text() == "0:03:15"  # + 35 s left in block 1

    # A break, then block 2 runs out by itself.
    qtbot.mouseClick(window.screens.between.break_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screens.break_
    tick(window, clock, 45)
    assert window.screens.break_.clocks.break_label.text() == "0:02:30"
    qtbot.mouseClick(window.screens.break_.end_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screens.between
    qtbot.mouseClick(window.screens.between.continue_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screens.block
    tick(window, clock, 60)
    assert window.stack.currentWidget() is window.screens.between
    assert window.screens.between.title.text() == "Block 2 of 3 is complete."

    # Block 3, ended early; the day summary follows.
    qtbot.mouseClick(window.screens.between.continue_button, Qt.MouseButton.LeftButton)
    focus_block(window, qtbot)
    qtbot.keyClick(window.screens.block, Qt.Key.Key_B)
    tick(window, clock, 10)
    qtbot.mouseClick(window.screens.block.end_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screens.day_summary
    summary = window.screens.day_summary
    assert summary.model.rowCount() == 3
    assert summary.model.item(1, 5).text() == "2"  # block 2: both items unanswered
    times = summary.time_rows()
    assert times["Breaks you took (1 break)"] == "0:00:45"
    assert times["Overrun (break time beyond the allowance)"] == "none"
    [day] = services.store.sessions(kind="day")
    assert day.status == "finished"
    assert [s.parent_index for s in services.store.children(day.id)] == [0, 1, 2]

    # Reviewing a block from the summary opens the results screen.
    summary.table.selectRow(0)
    qtbot.mouseClick(summary.review_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.screens.results
    assert window.screens.results.model.rowCount() == 2


def test_unauthorised_break_when_idle(day_window: tuple[MainWindow, Services], qtbot: QtBot, clock: FakeClock) -> None:
    window, _ = day_window
    preset = DayPreset(
        id="idle",
        name="Idle test",
        blocks=1,
        block_minutes=5,
        items_per_block=2,
        tutorial_minutes=0,
        break_minutes=1,
        idle_minutes=1,
    )
    window.flow.start_day(DayRequest(preset=preset, block_filter=BlockFilter(), seed=1))
    window.flow.day_controller.continue_to_block()  # type: ignore[union-attr]
    tick(window, clock, 31)
    assert window.flow.idle_overlay.isVisible() and "starts in 0:00:29" in window.flow.idle_overlay.message.text()
    tick(window, clock, 30)
    assert window.flow.idle_overlay.title.text() == "Unauthorised break"
    block_left = window.flow.day_controller.runner.block.block.remaining()  # type: ignore[union-attr]
    tick(window, clock, 40)
    # The clocks kept running during the unauthorised break.
    assert window.flow.day_controller.runner.block.block.remaining() == pytest.approx(block_left - 40)  # type: ignore[union-attr]
    focus_block(window, qtbot)
    qtbot.keyClick(window.screens.block, Qt.Key.Key_A)
    assert not window.flow.idle_overlay.isVisible()
    assert window.flow.day_controller.runner.day.idle_seconds == pytest.approx(40)  # type: ignore[union-attr]
    assert window.flow.day_controller.runner.day.phase is Phase.BLOCK  # type: ignore[union-attr]
    # Idle until the block ends by itself: the overlay goes with the block.
    tick(window, clock, 61)
    assert window.flow.idle_overlay.isVisible()
    tick(window, clock, 200)
    assert window.stack.currentWidget() is window.screens.day_summary
    assert not window.flow.idle_overlay.isVisible()


def test_custom_day_can_be_saved_as_a_preset(
    day_window: tuple[MainWindow, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    window, services = day_window
    window.nav.day_setup()
    setup = window.screens.day_setup
    setup.preset_box.setCurrentIndex(setup.preset_box.findData("custom"))
    setup.blocks_spin.setValue(7)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Seven-block day", True)))
    setup.save_button.click()
    assert setup.preset_box.currentText() == "Seven-block day"
    assert setup.preset().blocks == 7
    assert (services.data_dir / "day_presets.json").is_file()
    fresh = MainWindow(services, Preferences())
    assert fresh.screens.day_setup.preset_box.findText("Seven-block day") >= 0
    fresh.deleteLater()


def test_idle_limit_is_set_on_the_setup_screen_for_any_format(
    day_window: tuple[MainWindow, Services], qtbot: QtBot
) -> None:
    window, _ = day_window
    window.nav.day_setup()
    setup = window.screens.day_setup
    setup.preset_box.setCurrentIndex(setup.preset_box.findData("step2ck-2026"))
    assert setup.idle_spin.isEnabled() and setup.idle_spin.value() == setup.preset().idle_minutes
    setup.idle_spin.setValue(4)
    assert "unauthorised break after 4 idle min" in setup.summary_label.text()
    chosen = setup.preset()
    assert chosen.id == "step2ck-2026" and chosen.idle_minutes == 4 and chosen.blocks == 16
    setup.preset_box.setCurrentIndex(setup.preset_box.findData("custom"))
    setup.idle_spin.setValue(7)
    assert setup.preset().idle_minutes == 7
    with qtbot.waitSignal(setup.start_requested) as started:
        setup.preset_box.setCurrentIndex(setup.preset_box.findData("custom"))
        setup.blocks_spin.setValue(1)
        setup.items_spin.setValue(2)
        setup.start_button.click()
    assert started.args[0].preset.idle_minutes == 7


def test_leaving_a_day_asks_and_the_day_stands_still_until_resumed(
    day_window: tuple[MainWindow, Services], qtbot: QtBot, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, services = day_window
    preset = DayPreset(
        id="two", name="Two", blocks=2, block_minutes=5, items_per_block=2, tutorial_minutes=0, break_minutes=5
    )
    window.flow.start_day(DayRequest(preset=preset, block_filter=BlockFilter()))
    qtbot.mouseClick(window.screens.between.continue_button, Qt.MouseButton.LeftButton)
    tick(window, clock, 40)
    assert window.stack.currentWidget() is window.screens.block
    answers = iter([False, True])
    monkeypatch.setattr(LeaveDayDialog, "confirm", classmethod(lambda cls, parent: next(answers)))
    window.menu_actions["home"].trigger()  # "Stay": nothing changes
    assert window.stack.currentWidget() is window.screens.block and window.flow.day_controller is not None
    day_used = window.flow.day_controller.runner.day.elapsed()
    window.menu_actions["home"].trigger()  # "Leave"
    assert window.stack.currentWidget() is window.screens.home and window.flow.day_controller is None
    clock.advance(15 * 60)  # away for a quarter of an hour: not charged
    [unfinished] = services.days.unfinished()
    window.flow.resume_day(unfinished.id)
    assert window.stack.currentWidget() is window.screens.block
    assert window.flow.day_controller is not None
    assert window.flow.day_controller.runner.day.elapsed() == pytest.approx(day_used, abs=1.0)
    block = window.screens.block.controller
    assert block is not None and block.runner.block.remaining() == pytest.approx(5 * 60 - 40, abs=1.0)


def _writes_refused(services: Services, refused: bool) -> None:
    """Make SQLite itself refuse every write (``PRAGMA query_only``) on every connection from now on, or stop."""
    engine = services.store.engine

    def query_only(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only=ON")

    if refused:
        event.listen(engine, "connect", query_only)
        services._query_only = query_only  # type: ignore[attr-defined]
    else:
        event.remove(engine, "connect", services._query_only)  # type: ignore[attr-defined]
    engine.dispose()


def test_a_day_whose_writes_fail_says_so_and_goes_on(
    day_window: tuple[MainWindow, Services], qtbot: QtBot, clock: FakeClock
) -> None:
    window, services = day_window
    preset = DayPreset.model_validate(
        {"id": "c", "name": "C", "blocks": 2, "block_minutes": 1, "items_per_block": 2, "break_minutes": 2, "tutorial_minutes": 0}
    )
    window.flow.start_day(DayRequest(preset, BlockFilter(), seed=1))
    window.screens.between.continue_button.click()
    day = window.flow.day_controller
    assert day is not None and day.phase is Phase.BLOCK
    block = window.screens.block.controller
    assert block is not None
    failures: list[str] = []
    day.save_failed.connect(failures.append)
    _writes_refused(services, True)
    tick(window, clock, 0.2)  # the day's checkpoint cannot be stored: said, not raised
    block.select("B")
    assert not window.screens.block.save_banner.isHidden()
    assert window.screens.block.save_banner.text().startswith("Your answer B to item 1 was not saved")
    assert block.runner.block.item(0).answer is None
    for _ in range(320):  # 0:00 of the block passes while nothing can be stored
        tick(window, clock, 0.2)
    assert failures and all("was not saved" in text for text in failures)
    assert day.phase is Phase.BLOCK and not block.runner.block.ended
    _writes_refused(services, False)
    tick(window, clock, 0.2)  # the block's end is stored now, and the day moves on
    assert block.runner.block.ended and day.phase is not Phase.BLOCK

"""Issue 11, part B: the exam day as a candidate sees it. One test per defect, each through the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services, build
from app.core.clock import FakeClock
from app.core.exam_day import DayPreset, Phase
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.days import DayRequest
from app.ui.main_window import MainWindow
from app.ui.prompts import LeaveDayDialog
from app.ui.screens.home_rows import home_rows
from app.ui.widgets.day_notices import DayWarningNotice
from app.ui.widgets.dialogs import IDLE_BACKGROUND, EndBlockDialog
from app.ui.widgets.percent_bar import BAR_COLOUR, PERCENT_ROLE, PercentBarDelegate
from tests.factories import pack_dict, write_pack


def preset(**changes: object) -> DayPreset:
    base: dict[str, object] = {
        "id": "view",
        "name": "View test",
        "blocks": 2,
        "block_minutes": 5,
        "items_per_block": 2,
        "tutorial_minutes": 2,
        "break_minutes": 3,
    }
    base.update(changes)
    return DayPreset.model_validate(base)


@pytest.fixture
def day_window(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[MainWindow, Services]]:
    services = build(tmp_path / "data", clock=clock, import_bundled=False, sleep_threshold=float("inf"))
    services.packs.import_path(write_pack(tmp_path / "p", pack_dict(12)))
    monkeypatch.setattr(EndBlockDialog, "confirm", classmethod(lambda cls, parent, u, m: True))
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    window.resize(1024, 700)
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


def start(window: MainWindow, day: DayPreset) -> None:
    window.flow.start_day(DayRequest(preset=day, block_filter=BlockFilter(), seed=1))


def activate(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_the_day_warning_is_a_notice_shown_once_even_after_a_resume_in_the_last_two_minutes(
    day_window: tuple[MainWindow, Services], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, services = day_window
    shown: list[str] = []
    original = DayWarningNotice.show_notice.__func__  # type: ignore[attr-defined]

    def counting(cls: type[DayWarningNotice], parent: object, message: str) -> DayWarningNotice:
        shown.append(message)
        notice: DayWarningNotice = original(cls, parent, message)
        return notice

    monkeypatch.setattr(DayWarningNotice, "show_notice", classmethod(counting))
    start(window, preset(blocks=1, tutorial_minutes=0, break_minutes=0))
    window.screens.between.continue_button.click()
    tick(window, clock, 3 * 60 + 10)
    assert shown == ["Two minutes remain in the exam day."]
    assert window.flow.day_notice is not None and window.flow.day_notice.isVisible()
    assert window.flow.day_notice.text() == "Two minutes remain in the exam day."
    window.flow.day_notice.accept()
    tick(window, clock, 5)
    assert len(shown) == 1
    # Put aside in the last two minutes (as a kill would leave it), then resumed: no second warning.
    monkeypatch.setattr(LeaveDayDialog, "confirm", classmethod(lambda cls, parent: True))
    window.menu_actions["home"].trigger()
    [day] = services.days.unfinished()
    window.flow.resume_day(day.id)
    tick(window, clock, 5)
    tick(window, clock, 5)
    assert len(shown) == 1


def test_the_ready_screen_does_not_drain_break_time(day_window: tuple[MainWindow, Services], clock: FakeClock) -> None:
    window, _ = day_window
    day = preset()
    start(window, day)
    between = window.screens.between
    assert between.title.text() == "Your exam day is ready."
    tick(window, clock, 90)
    assert between.clocks.break_label.text() == "0:03:00"
    assert between.clocks.day_label.text() == "0:15:00"  # 2 + 2 × 5 + 3 minutes, untouched
    between.tutorial_button.click()
    tick(window, clock, 30)
    assert window.screens.tutorial.clock.text() == "Tutorial time remaining: 0:01:30"


def test_after_the_tutorial_the_screen_says_so(day_window: tuple[MainWindow, Services], clock: FakeClock) -> None:
    window, _ = day_window
    start(window, preset())
    window.screens.between.tutorial_button.click()
    tick(window, clock, 20)
    window.screens.tutorial.end_button.click()
    between = window.screens.between
    assert window.stack.currentWidget() is between
    assert between.title.text() == "The tutorial is complete."
    assert between.continue_button.text() == "Continue to Block 1"


def test_each_block_shows_its_item_count_when_it_starts(
    day_window: tuple[MainWindow, Services], clock: FakeClock
) -> None:
    window, _ = day_window
    start(window, preset(items_per_block=3, block_items=(3, 2)))
    between = window.screens.between
    assert "Block 1 of 2 has 3 items and 0:05:00." in between.note.text()
    between.continue_button.click()
    block = window.screens.block.controller
    assert block is not None and len(block.runner.questions) == 3
    window.screens.block.end_button.click()
    assert "Block 2 of 2 has 2 items" in between.note.text()
    between.continue_button.click()
    block = window.screens.block.controller
    assert block is not None and len(block.runner.questions) == 2


def test_the_enter_that_ends_a_break_does_not_start_the_next_block(
    day_window: tuple[MainWindow, Services], qtbot: QtBot, clock: FakeClock
) -> None:
    window, _ = day_window
    start(window, preset(tutorial_minutes=0))
    activate(window, qtbot)
    between = window.screens.between
    # Neither the opening screen nor a between-block screen hands Enter to Continue.
    assert not between.continue_button.isDefault() and not between.continue_button.hasFocus()
    qtbot.keyClick(QApplication.focusWidget() or between, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is between
    between.continue_button.click()
    window.screens.block.end_button.click()
    assert window.stack.currentWidget() is between
    between.break_button.click()
    end_break = window.screens.break_.end_button
    qtbot.waitUntil(end_break.hasFocus)
    tick(window, clock, 20)
    qtbot.keyClick(end_break, Qt.Key.Key_Return)  # one Enter ends the break ...
    assert window.stack.currentWidget() is between
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Return):  # ... and more at once do nothing
        qtbot.keyClick(QApplication.focusWidget() or between, key)
    assert window.stack.currentWidget() is between
    assert window.flow.day_controller is not None and window.flow.day_controller.phase is Phase.BETWEEN
    # A deliberate action on the screen itself starts the block: Tab to Continue, then Enter.
    for _ in range(6):
        if QApplication.focusWidget() is between.continue_button:
            break
        qtbot.keyClick(QApplication.focusWidget() or between, Qt.Key.Key_Tab)
    qtbot.keyClick(between.continue_button, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.screens.block


def test_the_idle_screens_are_opaque_and_count_down_live(
    day_window: tuple[MainWindow, Services], qtbot: QtBot, clock: FakeClock
) -> None:
    window, _ = day_window
    start(window, preset(idle_minutes=1, tutorial_minutes=0))
    window.screens.between.continue_button.click()
    overlay = window.flow.idle_overlay
    tick(window, clock, 31)
    assert overlay.isVisible() and overlay.title.text() == "Are you still there?"
    assert overlay.countdown.text() == "0:00:29"
    tick(window, clock, 10)
    assert overlay.countdown.text() == "0:00:19"
    assert "starts in 0:00:19" in overlay.message.text()
    # Opaque: the corner of the covered window is exactly the overlay's colour, nothing blends through.
    image = window.grab().toImage()
    corner = overlay.mapTo(window, QPoint(4, overlay.height() // 2))
    assert image.pixelColor(corner.x(), corner.y()) == QColor(IDLE_BACKGROUND)
    tick(window, clock, 20)
    assert overlay.title.text() == "Unauthorised break"
    tick(window, clock, 15)
    assert overlay.countdown.text() == "0:00:15"
    assert "Block time remaining 0:03:44" in overlay.message.text()
    tick(window, clock, 10)
    assert overlay.countdown.text() == "0:00:25"
    image = window.grab().toImage()
    assert image.pixelColor(corner.x(), corner.y()) == QColor(IDLE_BACKGROUND)


def test_the_tutorial_has_a_practice_item_that_is_never_scored_or_stored(
    day_window: tuple[MainWindow, Services], qtbot: QtBot, clock: FakeClock
) -> None:
    window, services = day_window
    start(window, preset())
    window.screens.between.tutorial_button.click()
    tutorial = window.screens.tutorial
    practice = tutorial.practice
    assert window.stack.currentWidget() is tutorial and practice.isVisible()
    assert len(practice.view.option_rows) == 5
    # Margins and layout: the content keeps off the window's edges and everything fits at 1024 × 700.
    body = tutorial.body_scroll.widget()  # the content, in a scroll area for large zooms
    margins = body.layout().contentsMargins()
    assert min(margins.left(), margins.right(), margins.top()) >= 20
    assert tutorial.rect().contains(tutorial.end_button.geometry())
    assert tutorial.rect().contains(practice.geometry())
    # The tools work on it: strike, select (which restores a struck option), highlight, check.
    rows = practice.view.option_rows
    qtbot.mouseClick(rows[1], Qt.MouseButton.RightButton)
    assert practice.state.struck == {"B"} and rows[1].struck
    qtbot.mouseClick(rows[1], Qt.MouseButton.LeftButton)
    assert practice.state.answer == "B" and practice.state.struck == set()
    activate(window, qtbot)
    tutorial.setFocus()
    qtbot.keyClick(tutorial, Qt.Key.Key_A)
    assert practice.state.answer == "A"
    qtbot.keyClick(tutorial, Qt.Key.Key_D, Qt.KeyboardModifier.ShiftModifier)
    assert practice.state.struck == {"D"} and practice.state.answer == "A"
    practice.view.select_range(2, 14)
    practice.highlight_button.click()
    assert [(h.start, h.end) for h in practice.state.highlights] == [(2, 14)]
    practice.check_button.click()
    assert practice.view.explanation.isVisible()
    # Not stored: the day has no block and no other session exists.
    tick(window, clock, 10)
    tutorial.end_button.click()
    assert [s.kind for s in services.store.sessions()] == ["day"]
    assert window.flow.day_controller is not None
    assert window.flow.day_controller.runner.day.blocks == []


def _sit_a_day(window: MainWindow, clock: FakeClock) -> None:
    """Two blocks: block 1 has one correct answer of two, block 2 none; a 20 s break between."""
    start(window, preset(tutorial_minutes=0))
    window.screens.between.continue_button.click()
    controller = window.screens.block.controller
    assert controller is not None
    runner = controller.runner
    runner.show(0)
    runner.select(0, runner.questions[0].question.answer)
    tick(window, clock, 30)
    window.screens.block.end_button.click()
    window.screens.between.break_button.click()
    tick(window, clock, 20)
    window.screens.break_.end_button.click()
    tick(window, clock, 5)
    window.screens.between.continue_button.click()
    tick(window, clock, 10)
    window.screens.block.end_button.click()
    assert window.stack.currentWidget() is window.screens.day_summary


def test_day_summary_accuracy_is_a_real_bar_readable_on_the_selected_row(
    day_window: tuple[MainWindow, Services], clock: FakeClock
) -> None:
    window, _ = day_window
    _sit_a_day(window, clock)
    summary = window.screens.day_summary
    column = summary.HEADERS.index("Accuracy")
    assert isinstance(summary.table.itemDelegateForColumn(column), PercentBarDelegate)
    cell = summary.model.item(0, column)
    assert cell.data(PERCENT_ROLE) == pytest.approx(50.0)
    assert "█" not in cell.text() and "░" not in cell.text()
    summary.table.selectRow(0)
    rect = summary.table.visualRect(summary.model.index(0, column))
    image = summary.table.viewport().grab().toImage()
    colours = {
        image.pixelColor(x, rect.center().y()).name() for x in range(rect.left(), rect.right()) if x < image.width()
    }
    assert BAR_COLOUR.name() in colours  # the filled half keeps its colour on the selected row


def test_day_summary_says_what_each_time_is_and_adds_up(
    day_window: tuple[MainWindow, Services], clock: FakeClock
) -> None:
    window, services = day_window
    _sit_a_day(window, clock)
    summary = window.screens.day_summary
    assert summary.title.text().endswith("1 / 4 correct (25%)")
    times = summary.time_rows()
    assert times["Tutorial"] == "skipped"
    assert times["Blocks (2 sat)"] == "0:00:40"
    assert times["Breaks you took (1 break)"] == "0:00:20"
    assert times["Between blocks (on the between-block screens)"] == "0:00:05"
    assert times["Day time used"] == "0:01:05"
    assert times["Break time used (breaks + between blocks)"].startswith("0:00:25 of ")
    assert "breaks taken" not in summary.details.text()
    # The home list shows the day's percentage like a block's.
    [row] = [r for r in home_rows(services) if r.kind == "day"]
    assert row.score == "1/4 (25%)"


def test_the_time_lines_add_up_to_the_second_after_rounding() -> None:
    from app.ui.screens.day_screens import whole_seconds

    parts = [29.4, 64.4, 2.4, 48.4]  # each rounds down, the total (144.6) rounds up
    rounded = whole_seconds(parts)
    assert sum(rounded) == round(sum(parts)) == 145
    assert all(abs(r - p) < 1 for r, p in zip(rounded, parts, strict=True))


def test_reviewing_a_days_block_returns_to_the_day_summary(
    day_window: tuple[MainWindow, Services], qtbot: QtBot, clock: FakeClock
) -> None:
    window, _ = day_window
    _sit_a_day(window, clock)
    summary = window.screens.day_summary
    day_id = summary.day_id
    summary.table.selectRow(1)
    summary.review_button.click()
    results = window.screens.results
    assert window.stack.currentWidget() is results
    assert results.home_button.text() == "Back to Day Summary"
    qtbot.mouseClick(results.home_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is summary and summary.day_id == day_id
    assert summary.model.rowCount() == 2
    # A standalone review still leads home.
    assert results.review is not None
    window.nav.review(results.review.session.id)
    assert results.home_button.text() == "Back to Home"
    results.home_button.click()
    assert window.stack.currentWidget() is window.screens.home

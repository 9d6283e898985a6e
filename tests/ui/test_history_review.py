"""Review across history: filters, sorting by time, the reason picker (stored, survives a restart), re-do."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services, build
from app.core.block import Mode
from app.core.clock import FakeClock
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest, RedoRequest
from app.services.dashboard import DashboardQuery
from app.services.item_review import ItemReviewService, ReviewItems
from app.services.review_index import COLUMNS
from app.ui.main_window import MainWindow
from app.ui.prompts import LeaveBlockDialog, LeaveChoice
from app.ui.screens.history_review_screen import HistoryReviewScreen
from app.ui.theme import load_theme, stylesheet
from app.ui.workers import serial_pool


def other(label: str) -> str:
    return "ABCDE"[("ABCDE".index(label) + 1) % 5]


def sit(services: Services, clock: FakeClock, plan: str, seconds: list[float] | None = None, seed: int = 3) -> int:
    """A block of ``len(plan)`` items: per item "r" right, "w" wrong, "u" unanswered, "m" right and marked."""
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=len(plan), minutes=len(plan) * 1.5, seed=seed))
    times = seconds or [60.0] * len(plan)
    for position, (what, spent) in enumerate(zip(plan, times, strict=True)):
        runner.show(position)
        clock.advance(spent)
        key = runner.questions[position].question.answer
        if what in "rm":
            runner.select(position, key)
        elif what == "w":
            runner.select(position, other(key))
        if what == "m":
            runner.toggle_mark(position)
    runner.end()
    return runner.session_id


def items(services: Services, query: DashboardQuery | None = None) -> ReviewItems:
    return ItemReviewService(services.store, services.analysis).load(query or DashboardQuery())


@pytest.fixture
def screen(qtbot: QtBot, services: Services) -> HistoryReviewScreen:
    widget = HistoryReviewScreen(
        lambda query, progress: ItemReviewService(services.store, services.analysis).load(query, progress.step),
        services.blocks.review,
        services.analysis.set_reason,
        services.store.media,
        serial_pool(QApplication.instance()),  # type: ignore[arg-type]
    )
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def choose(box: object, value: str) -> None:
    index = box.findData(value)  # type: ignore[attr-defined]
    assert index >= 0, value
    box.setCurrentIndex(index)  # type: ignore[attr-defined]


def test_the_worker_loads_every_item_of_the_history(
    qtbot: QtBot, screen: HistoryReviewScreen, services: Services, clock: FakeClock
) -> None:
    sit(services, clock, "rwu")
    sit(services, clock, "wmr", seed=9)
    screen.load(DashboardQuery())
    assert screen.op is not None
    with qtbot.waitSignal(screen.op.done, timeout=10_000):
        pass
    assert screen.model.rowCount() == 6
    assert screen.count_label.text() == "6 of 6 items shown"
    assert screen.title_label.text() == "Review: history"


def test_filters_narrow_the_list(
    qtbot: QtBot, screen: HistoryReviewScreen, services: Services, clock: FakeClock
) -> None:
    first = sit(services, clock, "rwum")
    sit(services, clock, "wwrr", seed=9)
    screen.show_items(items(services))
    assert screen.model.rowCount() == 8

    choose(screen.result_box, "incorrect")
    assert [i.result for i in screen.shown_items()] == ["incorrect"] * 3
    choose(screen.result_box, "unanswered")
    assert [(i.session_id, i.position) for i in screen.shown_items()] == [(first, 2)]
    choose(screen.result_box, "marked")
    assert [(i.session_id, i.position) for i in screen.shown_items()] == [(first, 3)]
    choose(screen.result_box, "correct")
    assert len(screen.shown_items()) == 4
    choose(screen.result_box, "any")

    choose(screen.pattern_box, "unanswered")
    assert [(i.session_id, i.position) for i in screen.shown_items()] == [(first, 2)]
    choose(screen.pattern_box, "any")

    choose(screen.reason_box, "ran-out-of-time")  # the suggestion for an unanswered item
    assert [(i.session_id, i.position) for i in screen.shown_items()] == [(first, 2)]
    choose(screen.reason_box, "not-given")
    assert len(screen.shown_items()) == 4  # every miss, none confirmed yet
    choose(screen.reason_box, "any")

    everything = screen.shown_items()
    system = everything[0].system
    assert system is not None
    choose(screen.system_box, system)
    assert screen.shown_items() and all(i.system == system for i in screen.shown_items())
    assert len(screen.shown_items()) < len(everything)
    choose(screen.system_box, "any")
    discipline = everything[0].discipline
    assert discipline is not None
    choose(screen.discipline_box, discipline)
    assert screen.shown_items() and all(i.discipline == discipline for i in screen.shown_items())
    assert len(screen.shown_items()) < len(everything)
    choose(screen.discipline_box, "any")

    assert screen.redo_bar.buttons["shown"].isEnabled()
    choose(screen.pack_box, "test-pack")
    assert len(screen.shown_items()) == 8
    tomorrow = date.today() + timedelta(days=1)
    screen.since_edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    assert screen.shown_items() == []
    assert "No item matches" in screen.empty_label.text()
    assert not screen.redo_bar.buttons["shown"].isEnabled()
    screen.since_edit.setDate(screen.since_edit.minimumDate())
    today = date.today()
    screen.until_edit.setDate(QDate(today.year, today.month, today.day))
    assert len(screen.shown_items()) == 8


def test_a_block_query_shows_only_its_items(screen: HistoryReviewScreen, services: Services, clock: FakeClock) -> None:
    sit(services, clock, "rw")
    second = sit(services, clock, "rrw", seed=9)
    screen.show_items(items(services, DashboardQuery(scope="session", target=second)))
    assert {i.session_id for i in screen.shown_items()} == {second} and screen.model.rowCount() == 3
    assert screen.title_label.text() == f"Review: block {second}"


def test_sorting_by_time_on_item(screen: HistoryReviewScreen, services: Services, clock: FakeClock) -> None:
    sit(services, clock, "rwrw", seconds=[30, 120, 5, 70])
    screen.show_items(items(services))
    column = screen.model.HEADERS.index("Time")
    screen.table.selectRow(2)
    opened = screen.current_item()
    screen.table.horizontalHeader().setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    assert screen.current_item() == opened  # the open item stays open, on its new row
    times = [i.analysis.facts.time_on_item_s for i in screen.shown_items()]
    assert times == sorted(times, reverse=True) and times[0] == pytest.approx(120)
    screen.table.horizontalHeader().setSortIndicator(column, Qt.SortOrder.AscendingOrder)
    assert [i.analysis.facts.time_on_item_s for i in screen.shown_items()] == sorted(times)
    assert screen.model.index(0, column).data() == "5 s"


@pytest.mark.qt_log_ignore("does not support grabbing the keyboard")  # the offscreen plugin, for the open list
def test_a_chosen_reason_is_stored_at_once_and_survives_a_restart(
    qtbot: QtBot, screen: HistoryReviewScreen, services: Services, clock: FakeClock, data_tmpdir: Path
) -> None:
    session = sit(services, clock, "rw")
    screen.show_items(items(services))
    choose(screen.result_box, "incorrect")
    [missed] = screen.shown_items()
    assert screen.current_item() == missed
    assert "Suggested reason:" in screen.picker.patterns_label.text()
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    qtbot.keyClick(screen, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # the F1-listed shortcut
    assert screen.picker.combo.view().isVisible()  # the reason list is open
    suggested = missed.analysis.suggested_reason
    assert screen.picker.combo.view().currentIndex().data(Qt.ItemDataRole.UserRole) == suggested  # Enter takes it
    screen.picker.combo.hidePopup()
    with qtbot.waitSignal(screen.picker.reason_chosen):
        screen.picker.choose("misread-stem")
    assert services.store.item_reasons([session]) == {(session, 1): "misread-stem"}  # stored at once
    assert screen.model.index(0, screen.model.HEADERS.index("Reason")).data() == "Misread the stem"

    services.close()
    again = build(data_tmpdir, clock=clock, import_bundled=False)
    try:
        [item] = [i for i in items(again).items if i.missed]
        assert item.analysis.reason == "misread-stem"
        screen.show_items(items(again))
        choose(screen.result_box, "incorrect")
        assert screen.picker.combo.currentData() == "misread-stem"
    finally:
        again.close()


def test_redo_builds_a_block_of_exactly_the_selected_questions(
    qtbot: QtBot, screen: HistoryReviewScreen, services: Services, clock: FakeClock
) -> None:
    sit(services, clock, "rwuwr")
    screen.show_items(items(services))
    shown = screen.shown_items()
    selection = screen.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.clearSelection()
    selection.select(screen.model.index(1, 0), flags)
    selection.select(screen.model.index(3, 0), flags)
    wanted = [shown[1].key, shown[3].key]
    choose_mode = screen.redo_bar.mode_box
    choose_mode.setCurrentText("Tutor, untimed")
    with qtbot.waitSignal(screen.redo_requested) as signal:
        screen.redo_bar.buttons["selected"].click()
    request = signal.args[0]
    assert request == RedoRequest(tuple(wanted), Mode.TUTOR, False)  # type: ignore[arg-type]
    runner = services.blocks.redo(request.keys, mode=request.mode, timed=request.timed)
    assert [q.key for q in runner.questions] == wanted
    assert runner.block.spec.time_limit is None

    with qtbot.waitSignal(screen.redo_requested) as signal:
        screen.redo_bar.buttons["shown"].click()
    assert list(signal.args[0].keys) == [i.key for i in shown]


def test_the_window_reviews_history_and_redoes_the_shown_rows_as_a_block(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    sit(services, clock, "rwwr")
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    window.show()
    window.menu_actions["history_review"].trigger()
    screen = window.screens.history_review
    assert window.nav.current() is screen
    assert screen.op is not None
    with qtbot.waitSignal(screen.op.done, timeout=10_000):
        pass
    choose(screen.result_box, "incorrect")
    keys = screen.shown_keys()
    assert len(keys) == 2
    screen.redo_bar.buttons["shown"].click()
    assert window.nav.current() is window.screens.block
    controller = window.screens.block.controller
    assert controller is not None
    assert [q.key for q in controller.runner.questions] == keys
    assert controller.runner.session.mode == "timed"
    controller.stop()


def test_back_returns_to_the_screen_it_was_opened_from(qtbot: QtBot, services: Services, clock: FakeClock) -> None:
    session = sit(services, clock, "rw")
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    window.nav.review(session)
    window.nav.history_review(DashboardQuery(scope="session", target=session))
    window.screens.history_review.back_button.click()
    assert window.nav.current() is window.screens.results


def test_the_results_screen_redoes_missed_or_marked_and_takes_a_reason(
    qtbot: QtBot, services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []
    monkeypatch.setattr(
        LeaveBlockDialog, "choose", classmethod(lambda cls, parent: asked.append(parent) or LeaveChoice.PAUSE)
    )
    session = sit(services, clock, "rwum")
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    window.nav.review(session)
    results = window.screens.results
    keys = [q.key for q in results.review.questions]  # type: ignore[union-attr]
    assert results.missed_keys() == [keys[1], keys[2]]
    assert results.marked_keys() == [keys[3]]
    results.table.selectRow(1)
    assert "Suggested reason:" in results.picker.patterns_label.text() and results.picker.combo.isEnabled()
    results.picker.choose("reasoning-error")
    assert services.store.item_reasons([session]) == {(session, 1): "reasoning-error"}
    results.table.selectRow(0)
    assert not results.picker.combo.isEnabled()  # a right answer takes no reason
    window.nav.review(session)  # opened again: the reason is shown as given
    results.table.selectRow(1)
    assert results.picker.combo.currentData() == "reasoning-error"

    with qtbot.waitSignal(results.redo_requested) as signal:
        results.redo_bar.buttons["marked"].click()
    assert signal.args[0] == RedoRequest((keys[3],), Mode.TIMED, True)
    results.redo_bar.buttons["missed"].click()  # the marked re-do is running: leaving it asks first
    assert len(asked) == 1
    controller = window.screens.block.controller
    assert window.nav.current() is window.screens.block and controller is not None
    assert [q.key for q in controller.runner.questions] == [keys[1], keys[2]]
    controller.stop()


def test_the_dashboards_review_these_items_opens_the_review_on_its_query(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    session = sit(services, clock, "rwu")
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    window.nav.analytics("session", session)
    window.screens.analytics.review_button.click()
    screen = window.screens.history_review
    assert window.nav.current() is screen and screen.query is not None
    assert (screen.query.scope, screen.query.target) == ("session", session)
    assert screen.op is not None
    with qtbot.waitSignal(screen.op.done, timeout=10_000):
        pass
    assert screen.model.rowCount() == 3
    screen.back_button.click()
    assert window.nav.current() is window.screens.analytics


@pytest.mark.parametrize("name", ["light", "dark", "high_contrast"])
def test_the_result_column_takes_the_themes_colours(
    qtbot: QtBot, services: Services, clock: FakeClock, name: str
) -> None:
    colours = load_theme(name).colours
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(stylesheet(load_theme(name), text_points=10, question_points=12, scale=1))  # put back after
    widget = HistoryReviewScreen(
        lambda query, progress: ItemReviewService(services.store, services.analysis).load(query, progress.step),
        services.blocks.review,
        services.analysis.set_reason,
        services.store.media,
        serial_pool(app),
    )
    qtbot.addWidget(widget)
    widget.show()
    sit(services, clock, "rw")
    widget.load(DashboardQuery())
    assert widget.op is not None
    with qtbot.waitSignal(widget.op.done, timeout=10_000):
        pass
    result = COLUMNS.index("Result")
    cells = [widget.model.index(row, result) for row in range(widget.model.rowCount())]
    assert {cell.data(): cell.data(Qt.ItemDataRole.ForegroundRole).name() for cell in cells} == {
        "Correct": colours["correctText"],
        "Incorrect": colours["incorrectText"],
    }

"""Drive the block screen by keyboard and mouse and check what was stored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.block import Mode
from app.core.clock import FakeClock
from app.core.events import EventKind
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from app.ui.prompts import LeaveBlockDialog, LeaveChoice, ResumeDialog
from app.ui.screens.block_screen import format_clock
from app.ui.widgets.dialogs import EndBlockDialog, NotesDialog


def start(window: MainWindow, qtbot: QtBot, size: int = 4, mode: Mode = Mode.TIMED, minutes: float = 10) -> None:
    window.flow.start_block(BlockRequest(BlockFilter(), size=size, minutes=minutes, mode=mode, seed=5))
    screen = window.screens.block
    window.activateWindow()
    screen.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen or screen.isAncestorOf(QApplication.focusWidget()))


def kinds(services: Services, window: MainWindow) -> list[EventKind]:
    assert window.screens.block.controller is not None
    return [e.kind for e in services.store.events(window.screens.block.controller.runner.session_id)]


def test_keyboard_select_change_mark_navigate(window: MainWindow, qtbot: QtBot, services: Services) -> None:
    start(window, qtbot)
    screen = window.screens.block
    qtbot.keyClick(screen, Qt.Key.Key_B)
    qtbot.keyClick(screen, Qt.Key.Key_D)
    qtbot.keyClick(screen, Qt.Key.Key_M)
    assert screen.mark_box.isChecked()
    qtbot.keyClick(screen, Qt.Key.Key_Right)
    assert screen.item_label.text() == "Item 2 of 4"
    qtbot.keyClick(screen, Qt.Key.Key_N)
    assert screen.item_label.text() == "Item 3 of 4"
    qtbot.keyClick(screen, Qt.Key.Key_P)
    qtbot.keyClick(screen, Qt.Key.Key_Left)
    assert screen.item_label.text() == "Item 1 of 4"
    assert [r.label for r in screen.question_view.option_rows if r._radio.isChecked()] == ["D"]
    stored = kinds(services, window)
    assert stored.count(EventKind.ANSWER_SELECTED) == 2
    assert EventKind.MARKED in stored
    assert stored.count(EventKind.ITEM_SHOWN) == 5
    item = screen.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert item.answer_changes == ["B", "D"] and item.marked


def test_letter_beyond_options_is_ignored(window: MainWindow, qtbot: QtBot, services: Services) -> None:
    start(window, qtbot)
    qtbot.keyClick(window.screens.block, Qt.Key.Key_J)
    assert EventKind.ANSWER_SELECTED not in kinds(services, window)


def test_mouse_select_and_strike(window: MainWindow, qtbot: QtBot, services: Services) -> None:
    start(window, qtbot)
    rows = window.screens.block.question_view.option_rows
    qtbot.mouseClick(rows[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(rows[0], Qt.MouseButton.RightButton)
    assert rows[0].struck
    qtbot.mouseClick(rows[0], Qt.MouseButton.RightButton)
    assert not rows[0].struck
    qtbot.mouseClick(rows[4], Qt.MouseButton.RightButton)
    qtbot.keyClick(window.screens.block, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    state = window.screens.block.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.answer == "C" and state.struck == {"E", "A"}
    assert kinds(services, window).count(EventKind.OPTION_STRUCK) == 3
    assert kinds(services, window).count(EventKind.OPTION_RESTORED) == 1


def test_navigator_click_and_states(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot)
    screen = window.screens.block
    qtbot.keyClick(screen, Qt.Key.Key_A)
    index = screen.navigator_model.index(3)
    rect = screen.navigator.visualRect(index)
    qtbot.mouseClick(screen.navigator.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert screen.item_label.text() == "Item 4 of 4"
    assert screen.navigator_model.data(screen.navigator_model.index(0), screen.navigator_model.AnsweredRole)
    assert not screen.navigator_model.data(index, screen.navigator_model.AnsweredRole)
    assert not screen.next_button.isEnabled()


def test_highlight_and_notes(window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    start(window, qtbot)
    screen = window.screens.block
    screen.question_view.select_range(2, 10)
    qtbot.keyClick(screen, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    monkeypatch.setattr(NotesDialog, "edit", classmethod(lambda cls, parent, n, text: "recheck potassium"))
    qtbot.keyClick(screen, Qt.Key.Key_O)
    state = screen.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert [(h.start, h.end) for h in state.highlights] == [(2, 10)]
    assert state.note == "recheck potassium"
    assert screen.notes_button.text() == "Notes •"


def test_reopened_note_types_after_the_old_text(qtbot: QtBot) -> None:
    dialog = NotesDialog(3, "recheck potassium")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.editor, " and ECG")
    assert dialog.editor.toPlainText() == "recheck potassium and ECG"


def test_lab_values_search(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot)
    screen = window.screens.block
    qtbot.keyClick(screen, Qt.Key.Key_L)
    dialog = screen._lab_dialog
    assert dialog is not None and dialog.isVisible()
    total = dialog.proxy.rowCount()
    dialog.search.setText("sodium")
    assert 0 < dialog.proxy.rowCount() < total
    dialog.close()


def test_end_block_lists_items_and_stores_end(
    window: MainWindow, qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    start(window, qtbot)
    screen = window.screens.block
    qtbot.keyClick(screen, Qt.Key.Key_A)
    qtbot.keyClick(screen, Qt.Key.Key_M)
    seen: dict[str, list[int]] = {}

    def decline(cls: type, parent: object, unanswered: list[int], marked: list[int]) -> bool:
        seen.update(unanswered=unanswered, marked=marked)
        return False

    monkeypatch.setattr(EndBlockDialog, "confirm", classmethod(decline))
    qtbot.keyClick(screen, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen == {"unanswered": [1, 2, 3], "marked": [0]}
    assert EventKind.BLOCK_ENDED not in kinds(services, window)
    monkeypatch.setattr(EndBlockDialog, "confirm", classmethod(lambda cls, parent, u, m: True))
    session_id = screen.controller.runner.session_id  # type: ignore[union-attr]
    with qtbot.waitSignal(screen.finished, timeout=1000):
        screen.end_button.click()
    assert services.store.session(session_id).status == "finished"
    assert window.stack.currentWidget() is window.screens.results
    assert (
        window.screens.results.score_label.text().endswith("correct (0%)")
        or "/ 4 correct" in window.screens.results.score_label.text()
    )
    assert window.screens.results.model.rowCount() == 4


def test_end_dialog_defaults_to_return(qtbot: QtBot) -> None:
    dialog = EndBlockDialog([1, 2], [0])
    qtbot.addWidget(dialog)
    assert dialog.cancel_button.isDefault()
    assert "Unanswered items (2): 2, 3" in dialog.summary.text()


def test_timer_expires_block_by_itself(window: MainWindow, qtbot: QtBot, clock: FakeClock, services: Services) -> None:
    start(window, qtbot, minutes=3)
    screen = window.screens.block
    controller = screen.controller
    assert controller is not None
    with qtbot.waitSignal(controller.warning, timeout=0):
        for _ in range(61):
            clock.advance(1)
            controller.tick()
    assert "0:01:59" in screen.timer_label.text()
    assert screen.status_label.text() == "Two minutes remain in this block."
    with qtbot.waitSignal(screen.finished, timeout=0):
        for _ in range(119):
            clock.advance(1)
            controller.tick()
    assert services.store.session(controller.runner.session_id).status == "finished"
    assert controller.runner.block.end_reason is not None and controller.runner.block.end_reason.value == "expired"


def test_tutor_mode_reveals_after_submit(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot, mode=Mode.TUTOR)
    screen = window.screens.block
    assert screen.submit_button.isVisible() and not screen.submit_button.isEnabled()
    qtbot.keyClick(screen, Qt.Key.Key_C)
    assert screen.submit_button.isEnabled()
    assert not screen.question_view.explanation.isVisible()
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.question_view.explanation.isVisible()
    assert "Correct answer:" in screen.question_view.explanation.text()
    qtbot.keyClick(screen, Qt.Key.Key_A)
    assert screen.controller.runner.block.item(0).answer == "C"  # type: ignore[union-attr]
    assert "final" in screen.status_label.text()


def test_resume_offer_restores_state(qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, minutes=5, seed=1))
    runner.select(0, "E")
    runner.toggle_mark(0)
    runner.show(2)
    asked: list[str] = []
    monkeypatch.setattr(
        ResumeDialog, "ask", classmethod(lambda cls, parent, text, what="block": asked.append(text) or True)
    )
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    assert win.flow.offer_resume()
    assert "1 answered" in asked[0]
    screen = win.screens.block
    assert screen.item_label.text() == "Item 3 of 3"
    assert screen.navigator_model.data(screen.navigator_model.index(0), screen.navigator_model.MarkedRole)
    screen.controller.stop()  # type: ignore[union-attr]


def test_leaving_a_block_pauses_it_and_nothing_ticks_behind(
    window: MainWindow, qtbot: QtBot, services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LeaveBlockDialog, "choose", classmethod(lambda cls, parent: LeaveChoice.PAUSE))
    start(window, qtbot)
    controller = window.screens.block.controller
    assert controller is not None
    for _ in range(30):  # the timer ticks; half a minute passes
        clock.advance(1)
        controller.tick()
    window.menu_actions["day"].trigger()  # Block > New Exam Day... in the middle of the block
    assert window.stack.currentWidget() is window.screens.day_setup
    assert kinds(services, window)[-1] is EventKind.PAUSED
    clock.advance(600)  # the user looks at the day setup for ten minutes
    resumed = services.blocks.resume(controller.runner.session_id)
    assert resumed.block.remaining() == pytest.approx(570)
    assert resumed.block.events[-1].kind is EventKind.RESUMED


def test_zoom_changes_question_font(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot)
    before = window.screens.block.question_view.stem.font().pointSizeF()
    qtbot.keyClick(window.screens.block, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    after = window.screens.block.question_view.stem.font().pointSizeF()
    assert after > before
    assert window.preferences.zoom == 1


def test_format_clock() -> None:
    assert format_clock(3600) == "1:00:00"
    assert format_clock(59.2) == "0:01:00"
    assert format_clock(0) == "0:00:00"


def test_review_underlines_decisive_words(window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    start(window, qtbot)
    monkeypatch.setattr(EndBlockDialog, "confirm", classmethod(lambda cls, parent, u, m: True))
    window.screens.block.end_button.click()
    stem = window.screens.results.question_view.stem
    keyword = "fever and cough"
    position = stem.toPlainText().find(keyword)
    document = stem.rendered_document()
    cursor = QTextCursor(document)
    cursor.setPosition(position + 2)
    assert cursor.charFormat().fontUnderline()
    cursor.setPosition(1)
    assert not cursor.charFormat().fontUnderline()


def test_resume_prompt_accepts_with_enter(qtbot: QtBot) -> None:
    box, resume = ResumeDialog.make_box(None, "Timed block of 40 items: 12 answered, 31 min left.")
    qtbot.addWidget(box)
    assert box.defaultButton() is resume
    box.open()
    qtbot.waitExposed(box)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.clickedButton() is resume

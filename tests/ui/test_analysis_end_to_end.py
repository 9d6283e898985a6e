"""End to end: sit a block through the real BlockScreen by keyboard, then `blocksim analyze` reports its patterns."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.cli import main
from app.core.clock import FakeClock
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from app.ui.widgets.dialogs import EndBlockDialog

KEYS = {label: getattr(Qt.Key, f"Key_{label}") for label in "ABCDE"}


def other_than(label: str) -> str:
    return "ABCDE"[("ABCDE".index(label) + 1) % 5]


def test_keyboard_sitting_then_analyze_reports_its_patterns(
    window: MainWindow,
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    window.flow.start_block(BlockRequest(BlockFilter(), size=4, minutes=10, seed=5))  # P = 150 s
    screen = window.screens.block
    window.activateWindow()
    screen.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen or screen.isAncestorOf(QApplication.focusWidget()))
    controller = screen.controller
    assert controller is not None
    keys = [q.question.answer for q in controller.runner.questions]

    def wait(seconds: int) -> None:
        for _ in range(seconds):  # the app's timer ticks; a fake second passes each time
            clock.advance(1)
            controller.tick()

    wait(10)
    qtbot.keyClick(screen, KEYS[other_than(keys[0])])  # item 1: wrong after 10 s (< 0.33 P): rushed
    qtbot.keyClick(screen, Qt.Key.Key_Right)
    wait(60)
    qtbot.keyClick(screen, KEYS[keys[1]])  # item 2: right, then changed to wrong
    wait(30)
    qtbot.keyClick(screen, KEYS[other_than(keys[1])])
    qtbot.keyClick(screen, Qt.Key.Key_N)
    wait(70)
    qtbot.keyClick(screen, KEYS[keys[2]])  # item 3: right
    qtbot.keyClick(screen, Qt.Key.Key_N)
    wait(5)  # item 4: left unanswered
    monkeypatch.setattr(EndBlockDialog, "confirm", classmethod(lambda cls, parent, u, m: True))
    with qtbot.waitSignal(screen.finished, timeout=1000):
        qtbot.keyClick(screen, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)

    capsys.readouterr()
    assert main(["--data-dir", str(services.data_dir), "analyze", "--session", "latest", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    items = data["items"]
    assert [i["correct"] for i in items] == [False, False, True, None]
    assert "rushed" in items[0]["patterns"] and items[0]["time_on_item_s"] == pytest.approx(10, abs=0.01)
    assert items[0]["suggested_reason"] == "rushed"
    assert items[1]["changes"] == [[keys[1], other_than(keys[1])]]
    assert "changed-right-to-wrong" in items[1]["patterns"] and items[1]["suggested_reason"] == "changed-right-answer"
    assert items[2]["patterns"] == [] and items[3]["patterns"] == ["unanswered"]
    assert data["pace_s"] == 150.0 and data["patterns_summary"]["changed-right-to-wrong"] == 1
    assert data["answer_changes"]["changes"] == {
        "total": 1,
        "wrong_to_right": 0,
        "right_to_wrong": 1,
        "wrong_to_wrong": 0,
    }

"""The home screen: history rows, and packs another process imports while the window is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services, build
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from tests.factories import pack_dict, write_pack


def test_history_rows_show_scores(qtbot: QtBot, services: Services) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=4))
    runner.select(0, runner.questions[0].question.answer)
    runner.end()
    services.blocks.start(BlockRequest(BlockFilter(), size=2, seed=5))  # left unfinished
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    model = window.screens.home.session_model
    assert model.rowCount() == 2
    assert [model.item(0, 3).text(), model.item(0, 4).text()] == ["Unfinished", "—"]
    assert [model.item(1, 3).text(), model.item(1, 4).text()] == ["Finished", "1/3 (33%)"]


def test_packs_imported_by_another_process_appear_when_the_window_is_activated(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.screens.home.pack_model.rowCount() == 1
    assert services.blocks.count_matching(BlockFilter()) == 12
    other = build(services.data_dir, import_bundled=False)  # e.g. `blocksim import` in a terminal
    try:
        other.packs.import_path(write_pack(tmp_path / "second", pack_dict(5, pack_id="second-pack")))
    finally:
        other.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    assert window.screens.home.pack_model.rowCount() == 2
    assert "Only 17 question(s) match" in window.screens.home.match_label.text()

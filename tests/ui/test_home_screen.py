"""The home screen: history rows, and packs another process imports while the window is open."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale, QModelIndex
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services, build
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from app.ui.screens.session_table import (
    FETCH_BATCH,
    SCORE_COLUMN,
    SessionRowView,
    SessionTableModel,
    local_time_text,
)
from app.ui.widgets.percent_bar import PERCENT_ROLE, PercentBarDelegate
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
    cell = lambda row, column: model.data(model.index(row, column))  # noqa: E731
    assert [cell(0, 3), cell(0, 4)] == ["Unfinished", "—"]
    assert [cell(1, 3), cell(1, 4)] == ["Finished", "1/3 (33%)"]
    # The score is drawn as a bar of its percentage; an unfinished block has none.
    assert model.data(model.index(1, SCORE_COLUMN), PERCENT_ROLE) == pytest.approx(100 / 3)
    assert model.data(model.index(0, SCORE_COLUMN), PERCENT_ROLE) is None
    assert isinstance(window.screens.home.session_table.itemDelegateForColumn(SCORE_COLUMN), PercentBarDelegate)


def test_start_times_are_shown_in_local_time_in_the_locale_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")  # UTC-5 in December
    time.tzset()
    try:
        shown = local_time_text(
            "2026-12-01T18:40:00.000+00:00", QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
        )
    finally:
        monkeypatch.undo()
        time.tzset()
    assert shown == "01/12/2026 13:40"


def test_a_long_history_is_handed_to_the_view_a_batch_at_a_time(qtbot: QtBot) -> None:
    model = SessionTableModel()
    rows = [
        SessionRowView(n, "block", "2026-12-01T10:00:00+00:00", "Timed", 40, "Finished", "20/40 (50%)", 50.0)
        for n in range(FETCH_BATCH * 2 + 5)
    ]
    model.set_rows(rows)
    assert (model.rowCount(), model.total_rows()) == (FETCH_BATCH, len(rows))
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == len(rows)
    assert not model.canFetchMore(QModelIndex())
    assert model.row_view(len(rows) - 1).session_id == len(rows) - 1


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
    assert "Only 17 questions match" in window.screens.home.match_label.text()


def test_remembered_rows_follow_blocks_that_close_and_start(services: Services) -> None:
    from app.ui.screens.home_rows import HomeRows, home_rows

    remembered = HomeRows(services)
    assert remembered.rows() == home_rows(services) == []
    first = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=1))
    assert remembered.rows() == home_rows(services)
    first.select(0, first.questions[0].question.answer)
    first.end()
    second = services.blocks.start(BlockRequest(BlockFilter(), size=2, seed=2))
    rows = remembered.rows()
    assert rows == home_rows(services)
    assert [(r.session_id, r.status, r.score) for r in rows] == [
        (second.session_id, "Unfinished", "—"),
        (first.session_id, "Finished", "1/3 (33%)"),
    ]
    second.end()
    assert remembered.rows() == home_rows(services)

"""File → Backups…: the list with local times and sizes, "Back up now", "Open folder"."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.preferences import Preferences
from app.services.backups import BackupService
from app.storage import backup
from app.storage.backup import BackupKind
from app.storage.db import DB_FILE
from app.ui.main_window import MainWindow
from app.ui.widgets.backups_dialog import BackupsDialog, format_size


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's clock is five hours behind UTC in December."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("new_york")
def test_lists_backups_newest_first_in_local_time(qtbot: QtBot, services: Services) -> None:
    live = services.data_dir / DB_FILE
    first = backup.create_backup(live, BackupKind.DAILY, now=lambda: datetime(2026, 12, 1, 9, 30, 5, tzinfo=UTC))
    backup.create_backup(
        live, BackupKind.PRE_MIGRATION, revision="0002", now=lambda: datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    )
    dialog = BackupsDialog(BackupService(services.data_dir))
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == 2
    assert [model.item(0, c).text() for c in range(2)] == ["2026-12-01 20:00:00", "Before an update"]
    assert [model.item(1, c).text() for c in range(2)] == ["2026-12-01 04:30:05", "Daily"]
    assert model.item(1, 2).text() == format_size(first.size) and first.size > 1000
    assert model.item(1, 3).text() == first.path.name
    assert model.item(1, 3).toolTip() == str(first.path)
    assert str(services.data_dir / "backups") in dialog.folder_note.text()
    assert dialog.empty_note.isHidden()
    assert "blocksim restore FILE" in dialog.restore_note.text()


def test_back_up_now_and_open_folder(qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    wall = [datetime(2026, 12, 1, 9, 30, tzinfo=UTC)]
    dialog = BackupsDialog(BackupService(services.data_dir, now=lambda: wall[0]))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0 and not dialog.empty_note.isHidden()
    dialog.back_up_button.click()
    wall[0] += timedelta(minutes=1)
    dialog.back_up_button.click()
    names = [dialog.model.item(r, 3).text() for r in range(dialog.model.rowCount())]
    assert names == [
        "blocksim-2026-12-01T093100Z-manual.sqlite3",
        "blocksim-2026-12-01T093000Z-manual.sqlite3",
    ]
    assert dialog.empty_note.isHidden()
    opened: list[QUrl] = []
    monkeypatch.setattr(BackupsDialog, "open_url", staticmethod(opened.append))
    dialog.open_folder_button.click()
    assert [u.toLocalFile() for u in opened] == [str(services.data_dir / "backups")]


def test_file_menu_opens_the_dialog(qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[Path] = []
    monkeypatch.setattr(
        BackupsDialog, "show_for", classmethod(lambda cls, parent, backups: shown.append(backups.folder))
    )
    window = MainWindow(services, Preferences())
    qtbot.addWidget(window)
    assert window.menu_actions["backups"].text() == "&Backups…"
    window.menu_actions["backups"].trigger()
    assert shown == [services.data_dir / "backups"]


def test_sizes() -> None:
    assert [format_size(n) for n in (512, 4096, 2_838_528)] == ["512 B", "4 kB", "2.8 MB"]

"""File → Import… with a file of another format, and the review screen's "Export misses to Anki…"."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.block import Mode
from app.core.preferences import Preferences
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from app.ui.widgets import anki_export_dialog, import_flow

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> MainWindow:
    win = MainWindow(services, Preferences())
    qtbot.addWidget(win)
    return win


def test_gui_import_shows_the_summary(
    window: MainWindow, services: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("app.ui.widgets.import_flow.ask_import_path", lambda parent: DATA / "gift" / "questions.gift.txt")
    monkeypatch.setattr(import_flow, "show_summary", lambda parent, title, text: shown.append(text))
    window.menu_actions["import"].trigger()
    qtbot.waitUntil(lambda: bool(shown))
    [text] = shown
    assert text.startswith("Imported questions.gift ")
    assert "skipped 1 essay question(s)" in text and "skipped 1 partial-credit question(s)" in text
    assert "questions.gift" in {p.id for p in services.store.packs()}


def test_gui_import_error_changes_nothing(
    window: MainWindow, services: Services, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "cut.xml"
    bad.write_text("<quiz><question", encoding="utf-8")
    errors: list[str] = []
    before = services.store.table_counts()
    monkeypatch.setattr("app.ui.widgets.import_flow.ask_import_path", lambda parent: bad)
    monkeypatch.setattr(import_flow, "show_error", lambda parent, title, text: errors.append(text))
    window.menu_actions["import"].trigger()
    qtbot.waitUntil(lambda: bool(errors))
    assert len(errors) == 1 and f"{bad}: not well-formed XML" in errors[0]
    assert services.store.table_counts() == before


def test_gui_import_runs_off_the_gui_thread_while_a_block_ticks(
    window: MainWindow, services: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long import inside a block: the window is never frozen by it (File → Import is shut during a timed
    block, so the block here is an untimed tutor block, the one kind that allows it)."""
    window.flow.start_block(BlockRequest(BlockFilter(), size=3, mode=Mode.TUTOR, timed=False, seed=1))
    shown: list[str] = []
    threads: list[int] = []
    load = services.packs.load

    def load_and_note(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return load(*args, **kwargs)

    monkeypatch.setattr(services.packs, "load", load_and_note)
    monkeypatch.setattr("app.ui.widgets.import_flow.ask_import_path", lambda parent: DATA / "gift" / "questions.gift.txt")
    monkeypatch.setattr(import_flow, "show_summary", lambda parent, title, text: shown.append(text))
    window.menu_actions["import"].trigger()
    assert shown == []  # the menu action returned at once: the import goes on in the background
    qtbot.waitUntil(lambda: bool(shown))
    assert threads and threads[0] != threading.get_ident()
    assert "questions.gift" in {p.id for p in services.store.packs()}
    assert window.screens.block.controller is not None and not window.screens.block.controller.runner.block.ended


def test_export_misses_button(
    window: MainWindow, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=1))
    key = runner.questions[0].question.answer
    runner.select(0, key)  # right; the other two are left unanswered: misses
    runner.end()
    window.nav.review(runner.session_id)
    target = tmp_path / "misses.apkg"
    done: list[str] = []
    monkeypatch.setattr(anki_export_dialog, "ask_save_path", lambda parent, suggested: target)
    monkeypatch.setattr(anki_export_dialog, "show_done", lambda parent, text: done.append(text))
    window.screens.results.anki_button.click()
    assert len(done) == 1 and done[0].startswith("Wrote 2 note(s)")
    with zipfile.ZipFile(target) as archive:
        assert "collection.anki2" in archive.namelist()

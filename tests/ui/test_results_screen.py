"""The item review shows what was sat, and a notice when a newer pack version corrected it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.screens.results_screen import ResultsScreen, ReviewModel
from app.ui.theme import load_theme, stylesheet
from tests.factories import pack_dict, write_pack

NEW_STEM = "A rewritten stem of version 1.1.0: fever and cough."


def test_a_corrected_item_shows_the_new_key_beside_what_was_sat(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=8))
    for position, stored in enumerate(runner.questions):
        runner.show(position)
        runner.select(position, stored.question.answer)
    runner.end()
    sat = runner.questions[0].question
    new_key = "B" if sat.answer != "B" else "C"
    data = pack_dict(12, version="1.1.0")
    [item] = [q for q in data["questions"] if q["id"] == sat.id]
    item.update(answer=new_key, stem=NEW_STEM, explanation="The 1.1.0 explanation.")
    services.packs.import_path(write_pack(tmp_path / "v2", data))

    screen = ResultsScreen(services.store.media)
    qtbot.addWidget(screen)
    screen.show()
    screen.show_review(services.blocks.review(runner.session_id))
    assert screen.score_label.text().startswith("3 / 3 correct")
    assert screen.table.currentIndex().row() == 0
    notice = screen.correction_notice
    assert not notice.isHidden()
    text = notice.label.text()
    assert "Corrected in version 1.1.0" in text
    assert f"Correct answer now: {new_key}." in text and "The 1.1.0 explanation." in text
    assert sat.stem in screen.question_view.stem.toPlainText()
    assert NEW_STEM not in screen.question_view.stem.toPlainText()
    assert screen.model.index(0, 3).data() == f"{sat.answer} (now {new_key})"

    screen.table.selectRow(1)
    assert notice.isHidden()
    assert screen.model.index(1, 3).data() == runner.questions[1].question.answer


def _reviewed(qtbot: QtBot, services: Services) -> tuple[ResultsScreen, int]:
    """A 3-item block: item 1 right, item 2 wrong with one change, item 3 unanswered."""
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=8))
    first, second = runner.questions[0].question, runner.questions[1].question
    runner.show(0)
    runner.select(0, first.answer)
    runner.show(1)
    wrong = "B" if second.answer != "B" else "C"
    runner.select(1, second.answer)
    runner.select(1, wrong)
    runner.end()
    screen = ResultsScreen(services.store.media)
    qtbot.addWidget(screen)
    screen.resize(1280, 700)
    screen.show()
    screen.show_review(services.blocks.review(runner.session_id))
    return screen, runner.session_id


def test_changes_read_zero_and_an_unanswered_item_says_so_once(qtbot: QtBot, services: Services) -> None:
    screen, _ = _reviewed(qtbot, services)
    changes = ReviewModel.HEADERS.index("Changes")
    assert [screen.model.index(row, changes).data() for row in range(3)] == [0, 1, 0]
    screen.table.selectRow(2)
    text = _plain(screen.question_view.explanation.text())
    assert "Your answer: Unanswered" in text and text.count("nanswered") == 1
    assert "incorrect" not in text and "none" not in text
    screen.table.selectRow(1)
    assert "(incorrect)" in _plain(screen.question_view.explanation.text())


def _plain(rich: str) -> str:
    """The text of rich text, tags removed (a theme may colour words with spans)."""
    return re.sub(r"<[^>]+>", "", rich)


@pytest.mark.parametrize("name", ["light", "dark", "high_contrast"])
def test_ticks_and_crosses_take_the_themes_colours(qtbot: QtBot, services: Services, name: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = load_theme(name)
    colours = theme.colours
    app.setStyleSheet(stylesheet(theme, text_points=10, question_points=12, scale=1))  # the fixture puts it back
    screen, _ = _reviewed(qtbot, services)
    screen.table.selectRow(2)
    text = screen.question_view.explanation.text()
    assert f'<span style="color:{colours["correctText"]}">✓</span>' in text
    assert f'<span style="color:{colours["incorrectText"]}">✗</span>' in text
    assert f'<span style="color:{colours["incorrectText"]}">Unanswered</span>' in text
    result = ReviewModel.HEADERS.index("Result")
    foreground = Qt.ItemDataRole.ForegroundRole
    assert screen.model.index(0, result).data(foreground).name() == colours["correctText"]
    assert screen.model.index(2, result).data(foreground).name() == colours["incorrectText"]
    # Their contrast is checked with every other declared pair (tests/test_theme_contrast.py).
    declared = {(pair.fg, pair.bg) for pair in theme.pairs}
    assert {("correctText", "panel"), ("incorrectText", "panel")} <= declared


def test_the_system_column_is_whole_on_a_wide_window_and_has_a_tooltip(qtbot: QtBot, services: Services) -> None:
    screen, _ = _reviewed(qtbot, services)
    screen.resize(1920, 1000)
    system = ReviewModel.HEADERS.index("System")
    table = screen.table
    needed = max(table.sizeHintForColumn(system), table.horizontalHeader().sectionSizeHint(system))
    assert table.columnWidth(system) >= needed
    assert table.horizontalHeader().sectionViewportPosition(system) + needed <= table.viewport().width()
    index = screen.model.index(0, system)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()

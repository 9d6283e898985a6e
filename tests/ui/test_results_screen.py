"""The item review shows what was sat, and a notice when a newer pack version corrected it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.screens.results_screen import ResultsScreen
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

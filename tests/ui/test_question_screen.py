"""The question screen's defects of issue 11: strike and select, text always visible, highlights."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QPoint, QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QScrollArea, QTextBrowser, QWidget
from pytestqt.qtbot import QtBot

from app.bootstrap import Services, build
from app.core.clock import FakeClock
from app.core.events import EventKind
from app.core.preferences import Preferences
from app.core.scoring import LEAD_IN, STEM, Highlight, option_part
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from app.ui.widgets.dialogs import ImageViewer
from app.ui.widgets.navigator import NavEntry
from app.ui.widgets.review_list import ReviewListDialog
from tests.factories import pack_dict, write_pack


def start(window: MainWindow, qtbot: QtBot, size: int = 4) -> None:
    window.flow.start_block(BlockRequest(BlockFilter(), size=size, minutes=10, seed=5))
    screen = window.screens.block
    window.activateWindow()
    screen.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen or screen.isAncestorOf(QApplication.focusWidget()))


def stored_kinds(services: Services, window: MainWindow) -> list[EventKind]:
    assert window.screens.block.controller is not None
    return [e.kind for e in services.store.events(window.screens.block.controller.runner.session_id)]


def test_selecting_a_struck_option_restores_it(window: MainWindow, qtbot: QtBot, services: Services) -> None:
    start(window, qtbot)
    screen = window.screens.block
    qtbot.keyClick(screen, Qt.Key.Key_B, Qt.KeyboardModifier.ShiftModifier)
    assert screen.question_view.option_rows[1].struck
    qtbot.keyClick(screen, Qt.Key.Key_B)
    state = screen.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.answer == "B" and state.struck == set()
    assert not screen.question_view.option_rows[1].struck
    assert stored_kinds(services, window)[-2:] == [EventKind.OPTION_RESTORED, EventKind.ANSWER_SELECTED]


def test_striking_the_selected_answer_clears_it(window: MainWindow, qtbot: QtBot, services: Services) -> None:
    start(window, qtbot)
    screen = window.screens.block
    qtbot.keyClick(screen, Qt.Key.Key_C)
    qtbot.keyClick(screen, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    state = screen.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.answer is None and state.struck == {"C"}
    assert stored_kinds(services, window)[-2:] == [EventKind.ANSWER_CLEARED, EventKind.OPTION_STRUCK]


LONG_STEM = " ".join(
    f"Sentence {n}: a 54-year-old man has had chest pain on exertion for three months, relieved by rest."
    for n in range(18)
)


@pytest.fixture
def long_services(data_tmpdir: Path, clock: FakeClock, tmp_path: Path) -> Iterator[Services]:
    """Services with a pack of long stems (and a wide exhibit on the first question)."""
    data = pack_dict(6, pack_id="long-pack")
    for entry in data["questions"]:
        entry["stem"] = LONG_STEM + " Now fever and cough."
    data["questions"][0]["media"] = [{"file": "media/ecg.png", "caption": "12-lead ECG"}]
    folder = write_pack(tmp_path / "packs" / "long-pack", data, media={"media/ecg.png": wide_png(1400, 500)})
    built = build(data_tmpdir, clock=clock, import_bundled=False)
    built.packs.import_path(folder)
    yield built
    built.close()


def wide_png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor("#808080"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def text_fits(widget: QWidget) -> bool:
    """The whole text is inside the widget, and the widget is not much taller than its text."""
    if isinstance(widget, QTextBrowser):
        document = widget.document().clone()
        document.setTextWidth(widget.viewport().width())
        need, have = int(document.size().height()), widget.viewport().height()
    else:
        need, have = widget.heightForWidth(widget.width()), widget.height()
    return need <= have + 1 and have <= need + 24


def everything_reachable(view: QWidget) -> bool:
    """The last option's bottom can be scrolled into view."""
    assert isinstance(view, QScrollArea)
    body = view.widget()
    last = [w for w in body.findChildren(QWidget, "optionRow") if w.isVisibleTo(body)][-1]
    bottom = last.mapTo(body, last.rect().bottomLeft()).y()
    return bottom <= body.height() and body.height() <= view.viewport().height() + view.verticalScrollBar().maximum()


@pytest.mark.parametrize(("before", "after"), [((1920, 1080), (1024, 700)), ((1024, 700), (1920, 1080))])
def test_stem_is_whole_after_resizing_on_another_screen(
    qtbot: QtBot, long_services: Services, before: tuple[int, int], after: tuple[int, int]
) -> None:
    win = MainWindow(long_services, Preferences())
    qtbot.addWidget(win)
    win.resize(*before)
    win.show()
    qtbot.waitExposed(win)
    win.flow.start_block(BlockRequest(BlockFilter(), size=3, minutes=10, seed=5))
    screen = win.screens.block
    QApplication.processEvents()  # the block screen is laid out at the first size
    assert screen.controller is not None
    screen.controller.end_block()  # results show; the window is resized there
    win.resize(*after)
    QApplication.processEvents()
    win.flow.start_block(BlockRequest(BlockFilter(), size=3, minutes=10, seed=6))
    QApplication.processEvents()
    view = screen.question_view
    assert text_fits(view.stem)
    assert everything_reachable(view)
    win.resize(*before)  # and back again, on the question screen itself
    QApplication.processEvents()
    assert text_fits(view.stem)
    assert everything_reachable(view)
    screen.controller.stop()


@pytest.mark.parametrize("zoom", [-3, 4, 8])
def test_stem_is_whole_at_every_zoom(qtbot: QtBot, long_services: Services, zoom: int) -> None:
    win = MainWindow(long_services, Preferences())
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    qtbot.waitExposed(win)
    win.flow.start_block(BlockRequest(BlockFilter(), size=3, minutes=10, seed=5))
    screen = win.screens.block
    for _ in range(abs(zoom)):
        win.appearance.zoom(1 if zoom > 0 else -1)
    QApplication.processEvents()
    assert text_fits(screen.question_view.stem)
    assert everything_reachable(screen.question_view)
    assert screen.controller is not None
    screen.controller.stop()


def test_highlight_lead_in_and_option_then_remove_one(window: MainWindow, qtbot: QtBot, services: Services) -> None:
    start(window, qtbot)
    screen = window.screens.block
    view = screen.question_view
    view.select_range(0, 5, part=STEM)
    qtbot.keyClick(screen, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    view.select_range(10, 20, part=LEAD_IN)
    qtbot.keyClick(screen, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    view.select_range(0, 6, part=option_part("C"))
    screen.highlight_button.click()
    state = screen.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.highlights == [Highlight(0, 5), Highlight(10, 20, LEAD_IN), Highlight(0, 6, "option:C")]
    # Painted where they are: the lead-in and option C show a highlight, option B none.
    assert "background-color" in view.lead_in.text()
    assert "background-color" in view.option_rows[2].passage.text()
    assert "background-color" not in view.option_rows[1].passage.text()
    # A selection inside the lead-in's highlight removes that one highlight, and only it.
    view.select_range(12, 14, part=LEAD_IN)
    qtbot.keyClick(screen, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    state = screen.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.highlights == [Highlight(0, 5), Highlight(0, 6, "option:C")]
    assert "background-color" not in view.lead_in.text()
    assert stored_kinds(services, window)[-1] is EventKind.HIGHLIGHT_REMOVED


def test_context_menu_removes_one_stem_highlight(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot)
    screen = window.screens.block
    view = screen.question_view
    for start_at, end_at in ((0, 4), (10, 16)):
        view.select_range(start_at, end_at)
        screen.highlight_button.click()
    view.stem.clear_selection()
    document = view.stem.rendered_document()
    document.setTextWidth(view.stem.contentsRect().width())
    # The point of character 12, inside the second highlight.
    cursor_rect = document.documentLayout().blockBoundingRect(document.firstBlock())
    layout = document.firstBlock().layout()
    line = layout.lineForTextPosition(12)
    point = QPoint(round(line.cursorToX(12)[0] + 2), round(cursor_rect.top() + line.y() + line.height() / 2))
    actions = dict(view.context_actions(view.stem, point))
    assert "Remove this highlight" in actions
    actions["Remove this highlight"]()
    state = screen.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.highlights == [Highlight(0, 4)]


def test_selecting_by_dragging_over_option_text_does_not_select_the_option(window: MainWindow, qtbot: QtBot) -> None:
    start(window, qtbot)
    passage = window.screens.block.question_view.option_rows[1].passage
    qtbot.mouseClick(passage, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    state = window.screens.block.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.answer == "B"
    qtbot.mouseClick(passage, Qt.MouseButton.RightButton, pos=QPoint(4, 4))
    state = window.screens.block.controller.runner.block.item(0)  # type: ignore[union-attr]
    assert state.struck == {"B"} and state.answer is None


def test_review_list_by_key_filters_and_jumps(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    start(window, qtbot, size=4)
    screen = window.screens.block
    qtbot.keyClick(screen, Qt.Key.Key_A)  # item 1 answered
    qtbot.keyClick(screen, Qt.Key.Key_N)
    qtbot.keyClick(screen, Qt.Key.Key_M)  # item 2 marked, unanswered
    seen: dict[str, list[int]] = {}

    def choose(cls: type, parent: object, entries: list[NavEntry], current: int) -> int | None:
        dialog = ReviewListDialog(entries, current)
        for name in ("All", "Marked", "Incomplete"):
            dialog.show_only(name)
            seen[name] = dialog.visible_positions()
        dialog.show_only("Incomplete")
        dialog.table.selectRow(2)  # items 2, 3, 4 are incomplete: the third is item 4
        return dialog.chosen_position()

    monkeypatch.setattr(ReviewListDialog, "choose", classmethod(choose))
    qtbot.keyClick(screen, Qt.Key.Key_R)
    assert seen == {"All": [0, 1, 2, 3], "Marked": [1], "Incomplete": [1, 2, 3]}
    assert screen.item_label.text() == "Item 4 of 4"


def test_review_button_opens_the_list(window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    start(window, qtbot, size=3)
    calls: list[int] = []
    monkeypatch.setattr(
        ReviewListDialog, "choose", classmethod(lambda cls, parent, entries, current: calls.append(current) or 1)
    )
    window.screens.block.review_button.click()
    assert calls == [0] and window.screens.block.item_label.text() == "Item 2 of 3"


@pytest.mark.parametrize(("window_size", "natural"), [((1024, 700), False), ((1920, 1080), True)])
def test_inline_exhibit_fits_the_pane_up_to_its_natural_size(
    qtbot: QtBot, long_services: Services, window_size: tuple[int, int], natural: bool
) -> None:
    win = MainWindow(long_services, Preferences())
    qtbot.addWidget(win)
    win.resize(*window_size)
    win.show()
    qtbot.waitExposed(win)
    win.flow.start_block(BlockRequest(BlockFilter(), size=6, minutes=10, seed=5))
    screen = win.screens.block
    assert screen.controller is not None
    with_media = next(i for i, q in enumerate(screen.controller.runner.questions) if q.question.media)
    screen.controller.go_to(with_media)
    exhibit = screen.question_view.exhibits[0]
    for _ in range(3):  # the layout settles over a few passes of the event loop
        QApplication.processEvents()
    pane = screen.question_view.viewport().width() - 48  # the body's side margins
    if natural:
        assert exhibit.shown_size(exhibit.width()) == QSize(1400, 500)
    else:
        shown = exhibit.shown_size(exhibit.width())
        assert pane - 2 <= shown.width() <= pane and shown.height() == round(500 * shown.width() / 1400)
        assert exhibit.height() >= shown.height()
    assert everything_reachable(screen.question_view)
    screen.controller.stop()


def test_exhibit_opens_the_viewer_and_the_block_end_closes_it(qtbot: QtBot, long_services: Services) -> None:
    win = MainWindow(long_services, Preferences())
    qtbot.addWidget(win)
    win.show()
    win.flow.start_block(BlockRequest(BlockFilter(), size=6, minutes=10, seed=5))
    screen = win.screens.block
    assert screen.controller is not None
    with_media = next(i for i, q in enumerate(screen.controller.runner.questions) if q.question.media)
    screen.controller.go_to(with_media)
    qtbot.mouseClick(screen.question_view.exhibits[0], Qt.MouseButton.LeftButton)
    viewers = screen.findChildren(ImageViewer)
    assert len(viewers) == 1 and viewers[0].isVisible()
    screen.controller.end_block()
    assert not viewers[0].isVisible()

"""The block builder on the home screen: category counts, the item count, exam pace, remembered settings."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from app.bootstrap import Services
from app.core.block import Mode
from app.core.preferences import Preferences, load_preferences
from app.core.selection import BlockFilter, Pool, category_counts
from app.services.blocks import BlockRequest
from app.ui.main_window import MainWindow
from app.ui.screens.home_screen import HomeScreen, pace_text
from app.ui.window_memory import WindowMemory


def _row(home: HomeScreen, list_name: str, key: str) -> int:
    model = home.discipline_model if list_name == "disciplines" else home.system_model
    return next(r for r in range(model.rowCount()) if model.item(r).data(Qt.ItemDataRole.UserRole) == key)


def _text(home: HomeScreen, list_name: str, key: str) -> str:
    model = home.discipline_model if list_name == "disciplines" else home.system_model
    return model.item(_row(home, list_name, key)).text()


def _window(qtbot: QtBot, services: Services, preferences: Preferences | None = None) -> MainWindow:
    window = MainWindow(services, preferences or Preferences())
    qtbot.addWidget(window)
    return window


def test_category_counts_ignore_their_own_ticks_and_respect_the_rest(services: Services) -> None:
    candidates = services.blocks.candidates()
    counts = category_counts(candidates, BlockFilter(disciplines=frozenset({"medicine"})))
    assert counts.total == 3
    assert counts.disciplines == {"medicine": 3, "surgery": 3, "pediatrics": 3, "psychiatry": 3}
    assert counts.systems == {"cardiovascular": 3}
    assert category_counts(candidates, BlockFilter(pool=Pool.MARKED)).total == 0


def test_disciplines_and_systems_show_their_counts_and_follow_the_ticks(qtbot: QtBot, services: Services) -> None:
    home = _window(qtbot, services).screens.home
    assert _text(home, "disciplines", "medicine") == "Medicine (3)"
    assert _text(home, "systems", "cardiovascular") == "Cardiovascular System (3)"
    assert _text(home, "systems", "endocrine") == "Endocrine System (0)"
    home.discipline_model.item(_row(home, "disciplines", "medicine")).setCheckState(Qt.CheckState.Checked)
    assert _text(home, "systems", "respiratory") == "Respiratory System (0)"
    assert _text(home, "disciplines", "surgery") == "Surgery (3)"  # what ticking it would add
    assert home.discipline_list.textElideMode() == Qt.TextElideMode.ElideNone and home.system_list.wordWrap()


def test_an_item_count_out_of_range_says_so_and_blocks_start(qtbot: QtBot, services: Services) -> None:
    home = _window(qtbot, services).screens.home
    for text in ("0", "41", ""):
        home.size_edit.setText(text)
        assert not home.size_message.isHidden(), text
        assert home.size_message.text() == "Enter a number of items from 1 to 40."
        assert not home.start_button.isEnabled()
        assert home.block_size() is None
    home.size_edit.setText("3")
    assert home.size_message.isHidden() and home.start_button.isEnabled()
    assert home.block_request().size == 3


def test_exam_pace_is_shown_to_the_second(qtbot: QtBot, services: Services) -> None:
    home = _window(qtbot, services).screens.home
    home.size_edit.setText("3")
    assert home.pace_label.text() == "4:30" and home.minutes_spin.isHidden()
    home.size_edit.setText("40")
    assert home.pace_label.text() == "1:00:00"
    home.auto_minutes.setChecked(False)
    assert home.pace_label.isHidden() and not home.minutes_spin.isHidden()
    assert pace_text(7 * 90) == "10:30"


def test_review_or_resume_waits_for_a_selected_row(qtbot: QtBot, services: Services) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=2, seed=3))
    runner.end()
    window = _window(qtbot, services)
    home = window.screens.home
    assert home.session_model.rowCount() == 1
    assert not home.open_session_button.isEnabled()
    home.session_table.selectRow(0)
    assert home.open_session_button.isEnabled()
    window.nav.refresh_home()  # the list is filled afresh: nothing is selected
    assert not home.open_session_button.isEnabled()


def test_the_last_settings_come_back_at_the_next_start(qtbot: QtBot, services: Services) -> None:
    preferences = Preferences()
    window = _window(qtbot, services, preferences)
    home = window.screens.home
    home.pack_model.item(0).setCheckState(Qt.CheckState.Checked)
    home.system_model.item(_row(home, "systems", "renal-urinary")).setCheckState(Qt.CheckState.Checked)
    home.pool_box.setCurrentIndex(home.pool_box.findData(Pool.UNUSED.value))
    home.size_edit.setText("2")
    home.auto_minutes.setChecked(False)
    home.minutes_spin.setValue(7)
    home.mode_box.setCurrentIndex(home.mode_box.findData(Mode.TUTOR.value))
    home.tutor_timed.setChecked(False)
    home.start_button.click()
    assert window.nav.current() is window.screens.block
    window.flow.put_aside()

    saved = load_preferences(services.data_dir)
    assert saved.block_setup is not None and saved.block_setup.size == 2
    again = _window(qtbot, services, saved).screens.home
    request = again.block_request()
    assert request.block_filter == BlockFilter(
        packs=frozenset({"test-pack"}), systems=frozenset({"renal-urinary"}), pool=Pool.UNUSED
    )
    assert (request.size, request.minutes, request.mode, request.timed) == (2, 7.0, Mode.TUTOR, False)
    assert again.pack_model.item(0).checkState() == Qt.CheckState.Checked


def test_the_window_keeps_its_size_and_place(qtbot: QtBot, services: Services) -> None:
    window = _window(qtbot, services)
    window.show()
    qtbot.waitExposed(window)
    expected = bytes(window.saveGeometry().toBase64().data()).decode("ascii")
    window.close()  # closing saves it, without asking anything
    assert load_preferences(services.data_dir).window_geometry == expected

    # Restored at the next start (a plain window: the offscreen screen is smaller than Blocksim's minimum).
    preferences = Preferences()
    first = QMainWindow()
    qtbot.addWidget(first)
    first.setGeometry(QRect(50, 60, 500, 400))
    first.show()
    qtbot.waitExposed(first)
    WindowMemory(first, window.screens.home, services.data_dir, preferences).remember_geometry()
    second = QMainWindow()
    qtbot.addWidget(second)
    memory = WindowMemory(second, window.screens.home, services.data_dir, load_preferences(services.data_dir))
    assert memory.restore_geometry()
    assert second.geometry() == first.geometry()


def test_space_ticks_a_discipline_from_the_keyboard(qtbot: QtBot, services: Services) -> None:
    window = _window(qtbot, services)
    window.show()
    qtbot.waitExposed(window)
    home = window.screens.home
    view = home.discipline_list
    view.setFocus()
    view.setCurrentIndex(home.discipline_model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert home.discipline_model.item(0).checkState() == Qt.CheckState.Checked
    assert home.block_filter().disciplines == {home.discipline_model.item(0).data(Qt.ItemDataRole.UserRole)}

"""The question screen of a block, in the real exam's layout."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.block import Mode
from app.core.pack_format import LABELS
from app.core.reference_data import LabValues, Shortcuts
from app.ui.controllers.block_controller import BlockController
from app.ui.widgets.dialogs import EndBlockDialog, ImageViewer, LabValuesDialog, NotesDialog
from app.ui.widgets.flow_row import FlowRow, LineLabel
from app.ui.widgets.naming import named
from app.ui.widgets.navigator import NavEntry, NavigatorModel, NavigatorView
from app.ui.widgets.question_view import MediaLoader, QuestionView
from app.ui.widgets.review_list import ReviewListDialog

# Decode the next item's exhibits shortly after this one is painted, never before.
PREFETCH_DELAY_MS = 30
WARNING_TEXT = "Two minutes remain in this block."


def format_clock(seconds: float) -> str:
    """``H:MM:SS``, rounding a fraction of a second up so 0:00:00 means time is up."""
    whole = int(-(-max(0.0, seconds) // 1))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


SAVE_FAILURE_TEXT = (
    "Everything the screen shows as done is saved, and the clock keeps running. Free some space (or make "
    "the data folder writable), then do it again."
)


class BlockScreen(QWidget):
    """Shows the current item of a :class:`BlockController` and sends the user's actions to it.

    Signals:
        finished(int): the block ended; the argument is the session id.
    """

    finished = Signal(int)

    def __init__(
        self, shortcuts: Shortcuts, lab_values: LabValues, media_loader: MediaLoader, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("blockScreen")
        self._shortcuts = shortcuts
        self._lab_values = lab_values
        self._media_loader = media_loader
        self.controller: BlockController | None = None
        self._lab_dialog: LabValuesDialog | None = None
        self._shown_position = -1

        # Top bar: item counter, mark, tools, clock.
        self.item_label = named(QLabel(), "itemLabel")
        self.mark_box = named(QCheckBox("Mark"), "markBox")
        self.mark_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lab_button = named(QPushButton("Lab Values"), "toolButton")
        self.notes_button = named(QPushButton("Notes"), "toolButton")
        self.highlight_button = named(QPushButton("Highlight"), "toolButton")
        self.review_button = named(QPushButton("Review"), "toolButton")
        self.review_button.setToolTip("List all, marked or incomplete items and go to one (R)")
        # One line; "Block Time Remaining:" above the time only when even the line is too narrow for it.
        self.timer_label = named(LineLabel(), "timerLabel")
        self.mode_label = named(QLabel(), "modeLabel")
        # Two wrapping rows (item and mark on the left; tools and clock on the right): at a large zoom on a
        # small screen the tools move onto a second line rather than widen the window past the screen.
        top = named(QFrame(), "topBar")
        item_row = FlowRow(top, spacing=16)
        item_row.add(self.item_label)
        item_row.add(self.mark_box)
        # The item and mark keep their line while they can; the tools wrap first, each line to the right.
        keep = item_row.sizePolicy()
        keep.setHorizontalPolicy(QSizePolicy.Policy.Minimum)
        item_row.setSizePolicy(keep)
        tools_row = FlowRow(top, align_right=True)
        for button in (self.review_button, self.highlight_button, self.lab_button, self.notes_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tools_row.add(button)
        tools_row.add(self.mode_label)
        tools_row.add(self.timer_label)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(12, 6, 12, 6)
        top_layout.addWidget(item_row, 0, Qt.AlignmentFlag.AlignVCenter)
        top_layout.addStretch(1)
        top_layout.addWidget(tools_row, 0, Qt.AlignmentFlag.AlignVCenter)

        # The two-minute warning, as the exam shows it: a message the candidate must dismiss.
        self.warning_banner = named(QFrame(), "warningBanner")
        self.warning_banner.setAccessibleName("Two-minute warning")
        self.warning_text = named(QLabel(WARNING_TEXT), "warningText")
        self.warning_ok = named(QPushButton("OK"), "warningOk")
        self.warning_ok.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.warning_ok.setToolTip("Dismiss the message (Esc); the timer stays yellow")
        banner_layout = QHBoxLayout(self.warning_banner)
        banner_layout.setContentsMargins(16, 8, 16, 8)
        banner_layout.addWidget(self.warning_text, 1)
        banner_layout.addWidget(self.warning_ok)
        self.warning_banner.hide()

        # A failed write (disk full, read-only): what was not saved and why, until writes work again.
        self.save_banner = named(QLabel(), "saveBanner")
        self.save_banner.setAccessibleName("Not saved")
        self.save_banner.setWordWrap(True)
        self.save_banner.hide()

        self.navigator_model = NavigatorModel(self)
        self.navigator = NavigatorView(self)
        self.navigator.setModel(self.navigator_model)
        self.question_view = QuestionView(media_loader, self, editable=True)

        # Bottom bar: previous, next, submit (tutor), end block.
        self.prev_button = named(QPushButton("◀ Previous"), "navButton")
        self.next_button = named(QPushButton("Next ▶"), "navButton")
        self.submit_button = named(QPushButton("Submit"), "submitButton")
        self.end_button = named(QPushButton("End Block"), "endButton")
        self.status_label = named(QLabel(), "statusLabel")
        bottom = named(QFrame(), "bottomBar")
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(12, 6, 12, 6)
        for button in (self.prev_button, self.next_button, self.submit_button, self.end_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bottom_layout.addWidget(self.prev_button)
        bottom_layout.addWidget(self.next_button)
        bottom_layout.addSpacing(12)
        bottom_layout.addWidget(self.submit_button)
        bottom_layout.addSpacing(12)
        bottom_layout.addWidget(self.status_label, 1)
        bottom_layout.addWidget(self.end_button)

        middle = QHBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        middle.setSpacing(0)
        middle.addWidget(self.navigator)
        middle.addWidget(self.question_view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(top)
        layout.addWidget(self.warning_banner)
        layout.addWidget(self.save_banner)
        layout.addLayout(middle, 1)
        layout.addWidget(bottom)

        self.actions_by_id: dict[str, list[QAction]] = {}
        self._make_actions()
        self._connect_widgets()

    # -- wiring ------------------------------------------------------------------------
    def _action(self, action_id: str, key: str, slot: object) -> QAction:
        action = QAction(self._shortcuts.get(action_id).text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        self.actions_by_id.setdefault(action_id, []).append(action)
        return action

    def _make_actions(self) -> None:
        for label in LABELS:
            self._action("select_option", label, partial(self._select, label))
            self._action("strike_option", f"Shift+{label}", partial(self._strike, label))
        simple = {
            "previous": partial(self._step, -1),
            "next": partial(self._step, 1),
            "mark": self._toggle_mark,
            "highlight": self._highlight,
            "clear_highlights": self._clear_highlights,
            "lab_values": self.open_lab_values,
            "notes": self.open_notes,
            "review_list": self.open_review_list,
            "submit": self._submit,
            "end_block": self.request_end,
            "dismiss_message": self.dismiss_warning,
        }
        for action_id, slot in simple.items():
            for key in self._shortcuts.get(action_id).keys:
                self._action(action_id, key, slot)

    def _connect_widgets(self) -> None:
        self.prev_button.clicked.connect(partial(self._step, -1))
        self.next_button.clicked.connect(partial(self._step, 1))
        self.submit_button.clicked.connect(self._submit)
        self.end_button.clicked.connect(self.request_end)
        self.mark_box.clicked.connect(self._toggle_mark)
        self.lab_button.clicked.connect(self.open_lab_values)
        self.notes_button.clicked.connect(self.open_notes)
        self.review_button.clicked.connect(self.open_review_list)
        self.highlight_button.clicked.connect(self._highlight)
        self.warning_ok.clicked.connect(self.dismiss_warning)
        self.navigator.clicked.connect(self._navigate_to_index)
        self.question_view.option_chosen.connect(self._select)
        self.question_view.option_strike_toggled.connect(self._strike)
        self.question_view.exhibit_opened.connect(self._open_exhibit)
        self.question_view.highlight_requested.connect(self._highlight_range)
        self.question_view.highlight_removal_requested.connect(self._remove_highlight)
        self.question_view.highlights_clear_requested.connect(self._clear_highlights)

    def attach(self, controller: BlockController) -> None:
        """Show a block; the screen follows the controller's signals from now on."""
        if self.controller is not None:
            self.controller.stop()
            self.controller.deleteLater()
        self.controller = controller
        controller.setParent(self)
        controller.remaining_changed.connect(self._show_time)
        controller.warning.connect(self._show_warning)
        controller.item_changed.connect(self._show_item)
        controller.item_updated.connect(self._refresh_item)
        controller.ended.connect(self._on_ended)
        controller.refused.connect(self._show_refusal)
        controller.save_failed.connect(self.show_save_failure)
        controller.saved.connect(self._show_saved)
        runner = controller.runner
        tutor = runner.block.spec.mode is Mode.TUTOR
        self.submit_button.setVisible(tutor)
        self.mode_label.setText("Tutor mode" if tutor else "")
        self._set_timer_warning(False)
        self.warning_banner.hide()
        self.save_banner.hide()
        self.status_label.clear()
        self.navigator_model.set_entries([self._entry(i) for i in range(runner.block.spec.item_count)])
        self._shown_position = -1
        self._show_item(controller.position)
        controller.start()
        self.setFocus()

    # -- rendering -----------------------------------------------------------------------
    def _entry(self, position: int) -> NavEntry:
        assert self.controller is not None
        state = self.controller.runner.block.item(position)
        correct = None
        if state.submitted:
            correct = state.answer == self.controller.runner.questions[position].question.answer
        return NavEntry(answered=state.answered, marked=state.marked, correct=correct)

    def _show_item(self, position: int) -> None:
        assert self.controller is not None
        runner = self.controller.runner
        stored = runner.questions[position]
        total = runner.block.spec.item_count
        self.item_label.setText(f"Item {position + 1} of {total}")
        if position != self._shown_position:
            self.question_view.show_question(stored.question, stored.pack_id)
            self._shown_position = position
        self.navigator.setCurrentIndex(self.navigator_model.index(position))
        self.prev_button.setEnabled(position > 0)
        self.next_button.setEnabled(position < total - 1)
        self._refresh_item(position)
        if position + 1 < total:
            coming = runner.questions[position + 1]
            QTimer.singleShot(
                PREFETCH_DELAY_MS, self, partial(self.question_view.prefetch, coming.question, coming.pack_id)
            )

    def _refresh_item(self, position: int) -> None:
        assert self.controller is not None
        runner = self.controller.runner
        state = runner.block.item(position)
        self.navigator_model.update_entry(position, self._entry(position))
        if position != self.controller.position:
            return
        reveal = runner.block.spec.mode is Mode.TUTOR and state.submitted
        self.question_view.show_state(state, reveal=reveal, show_keywords=reveal)
        self.mark_box.setChecked(state.marked)
        self.submit_button.setEnabled(state.answered and not state.submitted)
        self.notes_button.setText("Notes •" if state.note else "Notes")

    def _show_time(self, remaining: float) -> None:
        if remaining < 0:
            self.timer_label.setText("Untimed")
            return
        self.timer_label.setText(f"Block Time Remaining: {format_clock(remaining)}")

    def show_day_time(self, seconds: float) -> None:
        """Inside an exam day: the day clock beside the block clock."""
        self.mode_label.setText(f"Day {format_clock(seconds)}")

    def _set_timer_warning(self, on: bool) -> None:
        self.timer_label.setProperty("warning", on)
        self.timer_label.style().unpolish(self.timer_label)
        self.timer_label.style().polish(self.timer_label)

    def _show_warning(self) -> None:
        self._set_timer_warning(True)
        self.status_label.setText(WARNING_TEXT)
        self.warning_banner.show()

    def dismiss_warning(self) -> None:
        """Hide the two-minute message (the timer stays yellow)."""
        self.warning_banner.hide()

    def _show_refusal(self, reason: str) -> None:
        self.status_label.setText(reason)

    def show_save_failure(self, message: str) -> None:
        """Say what was not saved and why, until writes work again."""
        self.save_banner.setText(f"{message} {SAVE_FAILURE_TEXT}")
        self.save_banner.show()

    def _show_saved(self) -> None:
        self.save_banner.hide()
        self.status_label.setText("Saving works again.")

    def _on_ended(self, reason: str) -> None:
        assert self.controller is not None
        self.close_tools()
        self.finished.emit(self.controller.runner.session_id)

    def close_tools(self) -> None:
        """Close the exhibit viewers and the lab values: they belong to the block that ended."""
        for viewer in self.findChildren(ImageViewer):
            viewer.close()
            viewer.deleteLater()
        if self._lab_dialog is not None:
            self._lab_dialog.hide()

    # -- slots: one controller call each ------------------------------------------------
    def _select(self, label: str) -> None:
        if self.controller is not None and label in {r.label for r in self.question_view.option_rows}:
            self.controller.select(label)

    def _strike(self, label: str) -> None:
        if self.controller is not None and label in {r.label for r in self.question_view.option_rows}:
            self.controller.toggle_strike(label)

    def _step(self, delta: int) -> None:
        if self.controller is not None:
            self.controller.step(delta)

    def _navigate_to_index(self, index: object) -> None:
        if self.controller is not None:
            self.controller.go_to(index.row())  # type: ignore[attr-defined]

    def _toggle_mark(self) -> None:
        if self.controller is not None:
            self.controller.toggle_mark()

    def _highlight(self) -> None:
        selected = self.question_view.selected_range()
        if self.controller is not None and selected is not None:
            self.controller.toggle_highlight(*selected)

    def _highlight_range(self, part: str, start: int, end: int) -> None:
        if self.controller is not None:
            self.controller.highlight(start, end, part)

    def _remove_highlight(self, part: str, start: int, end: int) -> None:
        if self.controller is not None:
            self.controller.remove_highlight(part, start, end)

    def _clear_highlights(self) -> None:
        if self.controller is not None:
            self.controller.clear_highlights()

    def _submit(self) -> None:
        if self.controller is not None and self.controller.runner.block.spec.mode is Mode.TUTOR:
            self.controller.submit()

    def request_end(self) -> None:
        """Ask for confirmation (listing unanswered and marked items), then end the block."""
        if self.controller is None or self.controller.runner.block.ended:
            return
        items = self.controller.runner.block.items()
        unanswered = [i.position for i in items if not i.answered]
        marked = [i.position for i in items if i.marked]
        if EndBlockDialog.confirm(self, unanswered, marked):
            self.controller.end_block()

    def open_lab_values(self) -> None:
        """Show the non-modal lab values panel."""
        if self._lab_dialog is None:
            self._lab_dialog = LabValuesDialog(self._lab_values, self)
        self._lab_dialog.show()
        self._lab_dialog.raise_()
        self._lab_dialog.search.setFocus()

    def open_review_list(self) -> None:
        """The exam's review list: all, marked or incomplete items; the chosen one is shown."""
        if self.controller is None or self.controller.runner.block.ended:
            return
        entries = [self._entry(i) for i in range(self.controller.runner.block.spec.item_count)]
        position = ReviewListDialog.choose(self, entries, self.controller.position)
        if position is not None and self.controller is not None:
            self.controller.go_to(position)

    def open_notes(self) -> None:
        """Edit the current item's note."""
        if self.controller is None:
            return
        position = self.controller.position
        text = NotesDialog.edit(self, position + 1, self.controller.runner.block.item(position).note)
        if text is not None:
            self.controller.write_note(text)

    def _open_exhibit(self, index: int) -> None:
        if self.controller is None:
            return
        stored = self.controller.runner.questions[self.controller.position]
        media = stored.question.media[index]
        data = self._media_loader(stored.pack_id, media.file)
        if data:
            viewer = ImageViewer(data, media.caption, self)
            viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            viewer.show()

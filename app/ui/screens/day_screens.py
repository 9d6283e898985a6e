"""Screens of an exam day: setup, tutorial, between blocks, break, and the day summary."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.exam_day import MAX_DAY_BLOCKS, DayPreset, ExamDay, Phase
from app.core.pack_format import Question
from app.core.records import PackInfo
from app.core.reference_data import Shortcuts
from app.core.scoring import Highlight, ItemState
from app.core.selection import BlockFilter
from app.core.wording import count_of, questions_match
from app.services.days import DayRequest, DaySummary
from app.ui.screens.block_screen import format_clock
from app.ui.widgets.fit_scroll import FitScroll
from app.ui.widgets.naming import named
from app.ui.widgets.percent_bar import PERCENT_ROLE, PercentBarDelegate
from app.ui.widgets.question_view import QuestionView

CUSTOM = "custom"


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"user-{slug or 'day'}"


def _big(text: str, name: str) -> QLabel:
    label = named(QLabel(text), name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class DaySetupScreen(QWidget):
    """Choose a day format, packs and the tutorial.

    Signals:
        start_requested(object): a :class:`DayRequest`.
        cancelled(): back to home.
    """

    start_requested = Signal(object)
    cancelled = Signal()
    save_requested = Signal(object)

    def __init__(
        self, presets: list[DayPreset], available: Callable[[BlockFilter], int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("daySetupScreen")
        self._presets: dict[str, DayPreset] = {}
        self._available = available
        self.preset_box = QComboBox()
        self.preset_box.setAccessibleName("Day format")
        self.save_button = QPushButton("Save as Preset…")
        self.set_presets(presets)
        self.blocks_spin = QSpinBox()
        self.blocks_spin.setRange(1, MAX_DAY_BLOCKS)
        self.minutes_spin = QDoubleSpinBox()
        self.minutes_spin.setRange(1, 120)
        self.minutes_spin.setDecimals(0)
        self.items_spin = QSpinBox()
        self.items_spin.setRange(1, 40)
        self.break_spin = QDoubleSpinBox()
        self.break_spin.setRange(0, 240)
        self.break_spin.setDecimals(0)
        self.tutorial_spin = QDoubleSpinBox()
        self.tutorial_spin.setRange(0, 60)
        self.tutorial_spin.setDecimals(0)
        self.idle_spin = QDoubleSpinBox()
        self.idle_spin.setRange(1, 120)
        self.idle_spin.setDecimals(0)
        self.idle_spin.setToolTip(
            "Minutes without a key press or click inside a block before an unauthorised break begins "
            "(a warning comes 30 s before). The clocks keep running, as on the real day."
        )
        self.pack_model = QStandardItemModel(self)
        self.pack_view = QTableView()
        self.pack_view.setModel(self.pack_model)
        self.pack_view.horizontalHeader().hide()
        self.pack_view.verticalHeader().hide()
        self.pack_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.pack_view.setAccessibleName("Packs for the day")
        self.repeats_box = QCheckBox("Allow questions to repeat across blocks when the packs hold too few")
        self.summary_label = named(QLabel(), "matchLabel")
        self.summary_label.setWordWrap(True)
        self.start_button = named(QPushButton("Start Exam Day"), "primaryButton")
        self.cancel_button = QPushButton("Back")

        form = QFormLayout()
        form.addRow("Format", self.preset_box)
        form.addRow("Blocks", self.blocks_spin)
        form.addRow("Minutes per block", self.minutes_spin)
        form.addRow("Items per block", self.items_spin)
        form.addRow("Break time (min)", self.break_spin)
        form.addRow("Optional tutorial (min)", self.tutorial_spin)
        form.addRow("Idle limit in a block (min)", self.idle_spin)
        box = QGroupBox("Exam day")
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(form)
        box_layout.addWidget(QLabel("Packs (none ticked means all):"))
        box_layout.addWidget(self.pack_view, 1)
        box_layout.addWidget(self.repeats_box)
        box_layout.addWidget(self.summary_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.start_button)
        box_layout.addLayout(buttons)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.addStretch(1)
        layout.addWidget(box, 3)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(FitScroll(body, parent=self))  # scrolls rather than widen the window at a large zoom
        self.preset_box.currentIndexChanged.connect(self._preset_chosen)
        for spin in (
            self.blocks_spin,
            self.minutes_spin,
            self.items_spin,
            self.break_spin,
            self.tutorial_spin,
            self.idle_spin,
        ):
            spin.valueChanged.connect(self.refresh)
        self.pack_model.itemChanged.connect(self.refresh)
        self.repeats_box.toggled.connect(self.refresh)
        self.start_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(self.cancelled)
        self.save_button.clicked.connect(self._save)
        self._preset_chosen()

    def set_presets(self, presets: list[DayPreset], select: str | None = None) -> None:
        """The official formats and the user's saved days, then "Custom day"."""
        self._presets = {p.id: p for p in presets}
        self.preset_box.blockSignals(True)
        self.preset_box.clear()
        for preset in presets:
            self.preset_box.addItem(preset.name, preset.id)
        self.preset_box.addItem("Custom day", CUSTOM)
        self.preset_box.blockSignals(False)
        if select is not None:
            self.preset_box.setCurrentIndex(max(0, self.preset_box.findData(select)))

    def _save(self) -> None:
        name, ok = QInputDialog.getText(self, "Save exam day", "Name of this day:", text=self.preset().name)
        if ok and name.strip():
            self.save_requested.emit(self.preset().model_copy(update={"name": name.strip(), "id": _slug(name)}))

    def set_packs(self, packs: list[PackInfo]) -> None:
        """The installed packs to choose from."""
        self.pack_model.clear()
        for pack in packs:
            item = QStandardItem(f"{pack.title} ({pack.question_count})")
            item.setData(pack.id, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            self.pack_model.appendRow(item)
        self.refresh()

    def _preset_chosen(self) -> None:
        preset_id = self.preset_box.currentData()
        if preset_id is None:
            return
        custom = preset_id == CUSTOM
        self.save_button.setVisible(custom)
        for spin in (self.blocks_spin, self.minutes_spin, self.items_spin, self.break_spin, self.tutorial_spin):
            spin.setEnabled(custom)
        if not custom:
            preset = self._presets[preset_id]
            self.blocks_spin.setValue(preset.blocks)
            self.minutes_spin.setValue(preset.block_minutes)
            self.items_spin.setValue(preset.items_per_block)
            self.break_spin.setValue(preset.break_minutes)
            self.tutorial_spin.setValue(preset.tutorial_minutes)
            self.idle_spin.setValue(preset.idle_minutes)
        self.refresh()

    def preset(self) -> DayPreset:
        """The day the form describes."""
        preset_id = self.preset_box.currentData()
        idle = self.idle_spin.value()
        if preset_id != CUSTOM:
            # The idle limit is the user's own setting, even for an official format.
            return self._presets[preset_id].model_copy(update={"idle_minutes": idle})
        return DayPreset(
            id="custom",
            name=f"Custom day ({self.blocks_spin.value()} × {self.minutes_spin.value():.0f} min)",
            blocks=self.blocks_spin.value(),
            block_minutes=self.minutes_spin.value(),
            items_per_block=self.items_spin.value(),
            tutorial_minutes=self.tutorial_spin.value(),
            break_minutes=self.break_spin.value(),
            idle_minutes=idle,
        )

    def block_filter(self) -> BlockFilter:
        """The packs chosen."""
        ticked = set()
        for row in range(self.pack_model.rowCount()):
            item = self.pack_model.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ticked.add(str(item.data(Qt.ItemDataRole.UserRole)))
        return BlockFilter(packs=frozenset(ticked))

    def refresh(self) -> None:
        """Say how long the day is and whether the packs hold enough questions."""
        preset = self.preset()
        available = self._available(self.block_filter())
        needed = preset.total_items
        text = (
            f"{preset.blocks} blocks × {preset.block_minutes:.0f} min, {preset.describe_items()}; "
            f"{preset.break_minutes:.0f} min of break time; day length {format_clock(preset.day_seconds)}; "
            f"an unauthorised break after {preset.idle_minutes:.0f} idle min in a block."
        )
        enough = available >= needed or (self.repeats_box.isChecked() and available >= preset.items_per_block)
        if available < needed:
            text += (
                f" {questions_match(available, only=True)}: that is enough for "
                f"{count_of(available // preset.items_per_block, 'block')}. "
                "Choose fewer blocks, more packs, or allow repeats."
            )
        self.summary_label.setText(text)
        self.summary_label.setProperty("problem", not enough)
        self.summary_label.style().unpolish(self.summary_label)
        self.summary_label.style().polish(self.summary_label)
        self.start_button.setEnabled(enough)

    def _start(self) -> None:
        self.start_requested.emit(
            DayRequest(
                preset=self.preset(), block_filter=self.block_filter(), allow_repeats=self.repeats_box.isChecked()
            )
        )


class _DayClocks(QFrame):
    """Day time left and break time left, large."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayClocks")
        self.day_label = _big("", "dayClock")
        self.break_label = _big("", "breakClock")
        layout = QHBoxLayout(self)
        for caption, label in (("Day time remaining", self.day_label), ("Break time remaining", self.break_label)):
            column = QVBoxLayout()
            column.addWidget(_big(caption, "clockCaption"))
            column.addWidget(label)
            layout.addLayout(column)

    def show_day(self, day: ExamDay) -> None:
        self.day_label.setText(format_clock(day.remaining()))
        pool = day.break_remaining()
        self.break_label.setText(format_clock(pool) if pool > 0 else "0:00:00")
        self.break_label.setProperty("warning", pool <= 0)
        self.break_label.style().unpolish(self.break_label)
        self.break_label.style().polish(self.break_label)


class BetweenBlocksScreen(QWidget):
    """After the tutorial or a block: Take a Break, or Continue.

    A block starts only from a deliberate action on this screen: Continue is never the default button
    and never has the focus when the screen appears (the screen itself has it), so the Enter that ended
    a break or a block cannot start the next block. Tab to Continue, then Enter or Space; or click it.

    Signals:
        break_requested(), continue_requested(), stop_requested()
    """

    break_requested = Signal()
    continue_requested = Signal()
    stop_requested = Signal()
    tutorial_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("betweenScreen")
        self.title = _big("", "dayTitle")
        self.clocks = _DayClocks(self)
        self.note = _big("", "dayNote")
        self.tutorial_button = QPushButton("Take the Tutorial")
        self.break_button = QPushButton("Take a Break")
        self.continue_button = named(QPushButton("Continue"), "primaryButton")
        self.stop_button = QPushButton("End the Day")
        for button in (self.tutorial_button, self.break_button, self.continue_button, self.stop_button):
            # Enter presses a button only once Tab has put the focus on it (autoDefault, never default).
            button.setAutoDefault(True)
            button.setDefault(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Between blocks")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.tutorial_button, self.break_button, self.continue_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.clocks)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addStretch(1)
        layout.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignRight)
        self.break_button.clicked.connect(self.break_requested)
        self.continue_button.clicked.connect(self.continue_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        self.tutorial_button.clicked.connect(self.tutorial_requested)

    def show_day(self, day: ExamDay) -> None:
        """Re-read the day's state."""
        preset = day.preset
        done = day.blocks_done
        starting = day.phase is Phase.NOT_STARTED
        if starting:
            title = "Your exam day is ready."
        elif done == 0:
            title = "The tutorial is complete." if day.tutorial_taken else "Your exam day is ready."
        else:
            title = f"Block {done} of {preset.blocks} is complete."
        self.title.setText(title)
        next_number = day.next_block + 1
        limit = day.block_time_limit()
        self.continue_button.setText(f"Continue to Block {next_number}")
        shortened = limit < preset.block_seconds
        items = preset.items_in_block(min(day.next_block, preset.blocks - 1))
        note = f"Block {next_number} of {preset.blocks} has {items} items and {format_clock(limit)}."
        if shortened:
            note += " It is shortened because break time was overrun."
        pool = day.break_remaining()
        if pool <= 0 and not starting:
            note += " Your break time is used up: any more time here comes off your last block."
        if starting and preset.tutorial_minutes > 0:
            note += (
                f" The optional {preset.tutorial_minutes:.0f}-minute tutorial's unused time is added to your breaks."
                " The day clock starts when you start the tutorial or Block 1."
            )
        self.note.setText(note)
        self.tutorial_button.setVisible(starting and preset.tutorial_minutes > 0)
        self.break_button.setVisible(not starting)
        self.clocks.show_day(day)


class BreakScreen(QWidget):
    """A break between blocks: the pool counts down.

    Signals:
        end_requested()
    """

    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("breakScreen")
        self.title = _big("Break", "dayTitle")
        self.clocks = _DayClocks(self)
        self.note = _big("The clocks keep running. End the break to return to your exam.", "dayNote")
        self.end_button = named(QPushButton("End Break"), "primaryButton")
        self.end_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.clocks)
        layout.addWidget(self.note)
        layout.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self.end_button.clicked.connect(self.end_requested)

    def show_day(self, day: ExamDay) -> None:
        """Re-read the day's state."""
        self.clocks.show_day(day)
        pool = day.break_remaining()
        if pool <= 0:
            self.note.setText(
                f"Your break time is used up ({format_clock(-pool)} over). "
                "This time comes off your last block: end the break now."
            )
        else:
            self.note.setText("The clocks keep running. End the break to return to your exam.")


class PracticeItem(QWidget):
    """The tutorial's practice item: select, strike out, highlight, check; never scored or stored.

    Signals:
        changed(): the candidate did something to the item.
    """

    changed = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practiceItem")
        self.question = question
        self.state = ItemState(position=0)
        self.revealed = False
        self.view = QuestionView(lambda _pack, _file: None, self)
        self.view.setAccessibleName("Practice item")
        self.highlight_button = QPushButton("Highlight")
        self.highlight_button.setToolTip("Select words of the stem first")
        self.clear_button = QPushButton("Clear Highlights")
        self.check_button = QPushButton("Check Answer")
        self.reset_button = QPushButton("Start Again")
        for button in (self.highlight_button, self.clear_button, self.check_button, self.reset_button):
            button.setAutoDefault(True)  # Enter presses the button Tab focused
        caption = named(QLabel("Practice item: not scored and not kept in your history"), "muted")
        caption.setWordWrap(True)
        tools = QHBoxLayout()
        for button in (self.highlight_button, self.clear_button, self.check_button, self.reset_button):
            tools.addWidget(button)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        self.view.option_chosen.connect(self.choose)
        self.view.option_strike_toggled.connect(self.strike)
        self.highlight_button.clicked.connect(self.highlight)
        self.clear_button.clicked.connect(self.clear_highlights)
        self.check_button.clicked.connect(self.check)
        self.reset_button.clicked.connect(self.reset)
        self.view.show_question(question, "")
        self._render()

    def choose(self, label: str) -> None:
        """Select an answer (a struck option that is selected is no longer struck)."""
        self.state.answer = label
        self.state.struck.discard(label)
        self._render()

    def strike(self, label: str) -> None:
        """Strike an option out, or restore it (striking the selected answer unselects it)."""
        if label in self.state.struck:
            self.state.struck.discard(label)
        else:
            self.state.struck.add(label)
            if self.state.answer == label:
                self.state.answer = None
        self._render()

    def highlight(self) -> None:
        """Highlight the selected words (of the stem, the lead-in or an option)."""
        chosen = self.view.selected_range()
        if chosen is not None:
            part, start, end = chosen
            self.state.highlights.append(Highlight(start, end, part))
            self._render()

    def clear_highlights(self) -> None:
        """Remove every highlight."""
        self.state.highlights.clear()
        self._render()

    def check(self) -> None:
        """Show whether the answer is right, and the explanation."""
        self.revealed = True
        self._render()

    def reset(self) -> None:
        """Try the item again from the start."""
        self.state = ItemState(position=0)
        self.revealed = False
        self._render()

    def _render(self) -> None:
        self.view.show_state(self.state, reveal=self.revealed)
        self.changed.emit()


class TutorialScreen(QWidget):
    """The optional tutorial: how the exam screens work, and one practice item to try the tools on."""

    end_requested = Signal()

    def __init__(self, shortcuts: Shortcuts, practice: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tutorialScreen")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = named(QLabel("Tutorial"), "dayTitle")
        self.clock = named(QLabel(""), "tutorialClock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        keys = "".join(
            f"<tr><td style='padding-right:16px'><code>{' or '.join(s.keys)}</code></td><td>{s.text}</td></tr>"
            for s in shortcuts.shortcuts
            if s.group == "Block"
        )
        self.body = QLabel(
            "<h3>How a block works</h3>"
            "<p>Each block shows one item at a time. The bar at the top gives the item number, a <b>Mark</b> box "
            "to flag the item for review, the <b>Lab Values</b>, your <b>Notes</b> and the block's time left. The "
            "list on the left jumps to any item: a dot means unanswered, a flag means marked.</p>"
            "<p>Select an answer by clicking it or pressing its letter. Right-click an option to strike it out. "
            "Select words of the stem and press <b>Highlight</b>. <b>End Block</b> lists unanswered and marked items "
            "before it closes the block; a closed block cannot be reopened. At 0:00 the block ends by itself.</p>"
            "<h3>Breaks</h3>"
            "<p>Between blocks you choose to take a break or continue. Break time is one pool for the day; unused "
            "tutorial time and time left in blocks you finish early are added to it. Going over it shortens your "
            "last block.</p>"
            "<h3>Try it</h3><p>The practice item on the right works like a real one: select, strike out (right-click) "
            "and highlight, then <b>Check Answer</b>. It is not scored.</p>"
            f"<h3>Keys in a block</h3><table>{keys}</table>"
        )
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setContentsMargins(0, 0, 12, 0)
        guide = QScrollArea()
        guide.setObjectName("tutorialGuide")
        guide.setWidget(self.body)
        guide.setWidgetResizable(True)
        guide.setFrameShape(QFrame.Shape.NoFrame)
        guide.setMinimumWidth(240)
        self.practice = PracticeItem(practice)
        self.end_button = named(QPushButton("End Tutorial"), "primaryButton")
        self.end_button.setAutoDefault(True)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.clock)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addWidget(guide, 2)
        columns.addWidget(self.practice, 3)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.end_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(14)
        layout.addLayout(header)
        layout.addLayout(columns, 1)
        layout.addLayout(footer)
        # Guide and practice item one above the other when they do not fit side by side (a large zoom).
        self.body_scroll = FitScroll(body, columns, self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.body_scroll)
        self.end_button.clicked.connect(self.end_requested)

    def show_day(self, day: ExamDay) -> None:
        """Tutorial time left."""
        self.clock.setText(f"Tutorial time remaining: {format_clock(day.tutorial_remaining())}")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """A letter selects that option of the practice item, Shift+letter strikes it, as in a block."""
        text = event.text().upper()
        labels = [option.label for option in self.practice.question.options]
        if len(text) == 1 and text in labels:
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.practice.strike(text)
            else:
                self.practice.choose(text)
            return
        super().keyPressEvent(event)


def whole_seconds(parts: list[float]) -> list[int]:
    """Round each part to whole seconds so that the rounded parts add up to the rounded total."""
    rounded: list[int] = []
    running = 0.0
    for part in parts:
        before = round(running)
        running += part
        rounded.append(round(running) - before)
    return rounded


def account_rows(summary: DaySummary) -> list[tuple[str, str]]:
    """Where the day's time went, one line each; the lines above the total add up to it, to the second."""
    account = summary.account
    tutorial, blocks, breaks, between = whole_seconds(
        [account.tutorial, account.blocks, account.breaks, account.between]
    )
    count = len(summary.breaks)
    rows = [
        ("Tutorial", "skipped" if summary.tutorial_used is None else format_clock(tutorial)),
        (f"Blocks ({len(summary.blocks)} sat)", format_clock(blocks)),
        (f"Breaks you took ({count_of(count, 'break')})", format_clock(breaks)),
        ("Between blocks (on the between-block screens)", format_clock(between)),
        ("Day time used", format_clock(tutorial + blocks + breaks + between)),
    ]
    pool = f"{format_clock(summary.break_used)} of {format_clock(summary.allowance)} allowed"
    rows.append(("Break time used (breaks + between blocks)", pool))
    overrun = f"{format_clock(summary.overrun)}, taken from the last block" if summary.overrun > 0 else "none"
    rows.append(("Overrun (break time beyond the allowance)", overrun))
    if summary.idle_seconds:
        rows.append(("Unauthorised breaks (inside blocks)", format_clock(summary.idle_seconds)))
    return rows


class DaySummaryScreen(QWidget):
    """Per-block scores and times, where the day's time went, and accuracy block by block.

    Signals:
        review_requested(int): a block's session id.
        analysis_requested(int): open the analytics dashboard on this day (its id).
        home_requested()
    """

    review_requested = Signal(int)
    home_requested = Signal()
    analysis_requested = Signal(int)

    HEADERS = ("Block", "Score", "Correct", "Time used", "Time allowed", "Unanswered", "Mean time / item", "Accuracy")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("daySummaryScreen")
        self.day_id: int | None = None
        """The day on show (reviewing one of its blocks comes back here)."""
        self.title = named(QLabel(), "scoreLabel")
        self.details = named(QLabel(), "muted")
        self.details.setWordWrap(True)
        self.time_box = named(QGroupBox("Where the day's time went"), "dayTimeBox")
        self.time_grid = QGridLayout(self.time_box)
        self.time_grid.setHorizontalSpacing(24)
        self.time_grid.setVerticalSpacing(4)
        self.time_grid.setColumnStretch(2, 1)
        self._time_rows: dict[str, str] = {}
        self.model = QStandardItemModel(0, len(self.HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table = named(QTableView(), "daySummaryTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Blocks of the day")
        self.bar_delegate = PercentBarDelegate(self.table)
        self.table.setItemDelegateForColumn(self.HEADERS.index("Accuracy"), self.bar_delegate)
        self.review_button = QPushButton("Review Selected Block")
        self.home_button = QPushButton("Back to Home")
        self.analysis_button = named(QPushButton("&Analyze This Day"), "analysisButton")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.analysis_button)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.home_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.time_box)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._session_ids: list[int] = []
        self.review_button.clicked.connect(self._review)
        self.table.doubleClicked.connect(self._review)
        self.home_button.clicked.connect(self.home_requested)
        self.analysis_button.clicked.connect(self._request_analysis)

    def show_summary(self, summary: DaySummary) -> None:
        """Fill the screen."""
        self.day_id = summary.day_id
        self.title.setText(
            f"{summary.preset.name}: {summary.correct} / {summary.total} correct ({summary.percent:.0f}%)"
        )
        reason = {"completed": "All blocks sat.", "expired": "The day's time ran out.", "stopped": "Day ended early."}
        self.details.setText(reason.get(summary.end_reason or "", "Day in progress."))
        self._fill_times(account_rows(summary))
        self.model.removeRows(0, self.model.rowCount())
        self._session_ids = []
        for block in summary.blocks:
            score = block.review.score
            texts = [
                str(block.index + 1),
                f"{score.percent:.0f}%",
                f"{score.correct} / {score.total}",
                format_clock(block.review.time_used),
                format_clock(block.time_limit),
                str(score.unanswered),
                f"{block.mean_seconds:.0f} s",
                f"{score.percent:.0f}%",
            ]
            items = [QStandardItem(c) for c in texts]
            items[-1].setData(score.percent, PERCENT_ROLE)
            items[-1].setData(f"Accuracy {score.percent:.0f}%", Qt.ItemDataRole.AccessibleTextRole)
            for item in items:
                item.setEditable(False)
            self.model.appendRow(items)
            self._session_ids.append(block.review.session.id)
        if self._session_ids:
            self.table.selectRow(0)

    def time_rows(self) -> dict[str, str]:
        """The lines of "where the day's time went", as shown."""
        return dict(self._time_rows)

    def _fill_times(self, rows: list[tuple[str, str]]) -> None:
        while self.time_grid.count():
            item = self.time_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._time_rows = dict(rows)
        for row, (caption, value) in enumerate(rows):
            left, right = QLabel(caption), QLabel(value)
            right.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            right.setAccessibleName(caption)
            if caption == "Day time used":  # the total of the lines above it
                left.setText(f"<b>{caption}</b> (the lines above add up to it)")
                right.setText(f"<b>{value}</b>")
            self.time_grid.addWidget(left, row, 0)
            self.time_grid.addWidget(right, row, 1)

    def _request_analysis(self) -> None:
        if self.day_id is not None:
            self.analysis_requested.emit(self.day_id)

    def _review(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.review_requested.emit(self._session_ids[index.row()])

"""Screens of an exam day: setup, tutorial, between blocks, break, and the day summary."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.exam_day import MAX_DAY_BLOCKS, DayPreset, ExamDay, Phase
from app.core.records import PackInfo
from app.core.reference_data import Shortcuts
from app.core.selection import BlockFilter
from app.services.days import DayRequest, DaySummary
from app.ui.screens.block_screen import format_clock
from app.ui.widgets.naming import named

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
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 3)
        layout.addStretch(1)
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
            f"{preset.blocks} blocks × {preset.block_minutes:.0f} min, {needed} items; "
            f"{preset.break_minutes:.0f} min of break time; day length {format_clock(preset.day_seconds)}; "
            f"an unauthorised break after {preset.idle_minutes:.0f} idle min in a block."
        )
        enough = available >= needed or (self.repeats_box.isChecked() and available >= preset.items_per_block)
        if available < needed:
            text += (
                f" Only {available} questions match: that is enough for {available // preset.items_per_block} "
                "block(s). Choose fewer blocks, more packs, or allow repeats."
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
    """After the tutorial or a block: Take a Break, or Continue (the default).

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
        self.continue_button.setDefault(True)
        self.stop_button = QPushButton("End the Day")
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
        self.title.setText("Your exam day is ready." if starting else f"Block {done} of {preset.blocks} is complete.")
        next_number = day.next_block + 1
        limit = day.block_time_limit()
        self.continue_button.setText(f"Continue to Block {next_number}" if starting or done else "Continue")
        shortened = limit < preset.block_seconds
        note = f"Block {next_number} has {format_clock(limit)}."
        if shortened:
            note += " It is shortened because break time was overrun."
        pool = day.break_remaining()
        if pool <= 0 and not starting:
            note += " Your break time is used up: any more time here comes off your last block."
        if starting and preset.tutorial_minutes > 0:
            note += (
                f" The optional {preset.tutorial_minutes:.0f}-minute tutorial's unused time is added to your breaks."
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


class TutorialScreen(QWidget):
    """The optional tutorial: Blocksim's own interface, with its time counting down."""

    end_requested = Signal()

    def __init__(self, shortcuts: Shortcuts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tutorialScreen")
        self.title = _big("Tutorial", "dayTitle")
        self.clock = _big("", "dayClock")
        keys = "".join(
            f"<tr><td style='padding-right:16px'><code>{' or '.join(s.keys)}</code></td><td>{s.text}</td></tr>"
            for s in shortcuts.shortcuts
            if s.group == "Block"
        )
        self.body = QLabel(
            "<p>Each block shows one item at a time. The bar at the top gives the item number, a <b>Mark</b> box "
            "to flag the item for review, the <b>Lab Values</b>, your <b>Notes</b> and the block's time left. The "
            "list on the left jumps to any item: a dot means unanswered, a flag means marked.</p>"
            "<p>Select an answer by clicking it or pressing its letter. Right-click an option to strike it out. "
            "Select words of the stem and press <b>Highlight</b>. <b>End Block</b> lists unanswered and marked items "
            "before it closes the block; a closed block cannot be reopened. At 0:00 the block ends by itself.</p>"
            "<p>Between blocks you choose to take a break or continue. Break time is one pool for the day; unused "
            "tutorial time and time left in blocks you finish early are added to it. Going over it shortens your "
            f"last block.</p><table>{keys}</table>"
        )
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.end_button = named(QPushButton("End Tutorial"), "primaryButton")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.clock)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignCenter)
        self.end_button.clicked.connect(self.end_requested)

    def show_day(self, day: ExamDay) -> None:
        """Tutorial time left."""
        self.clock.setText(f"Tutorial time remaining: {format_clock(day.tutorial_remaining())}")


class DaySummaryScreen(QWidget):
    """Per-block scores and times, breaks, overrun, and accuracy and pace block by block.

    Signals:
        review_requested(int): a block's session id.
        home_requested()
    """

    review_requested = Signal(int)
    home_requested = Signal()

    HEADERS = ("Block", "Score", "Correct", "Time used", "Time allowed", "Unanswered", "Mean time / item", "Accuracy")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("daySummaryScreen")
        self.title = named(QLabel(), "scoreLabel")
        self.details = named(QLabel(), "muted")
        self.details.setWordWrap(True)
        self.model = QStandardItemModel(0, len(self.HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table = named(QTableView(), "daySummaryTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.review_button = QPushButton("Review Selected Block")
        self.home_button = QPushButton("Back to Home")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.home_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._session_ids: list[int] = []
        self.review_button.clicked.connect(self._review)
        self.table.doubleClicked.connect(self._review)
        self.home_button.clicked.connect(self.home_requested)

    def show_summary(self, summary: DaySummary) -> None:
        """Fill the screen."""
        percent = 100 * summary.correct / summary.total if summary.total else 0.0
        self.title.setText(f"{summary.preset.name}: {summary.correct} / {summary.total} correct ({percent:.0f}%)")
        breaks = ", ".join(format_clock(b.seconds) for b in summary.breaks) or "none"
        tutorial = "skipped" if not summary.tutorial_used else format_clock(summary.tutorial_used)
        overrun = format_clock(summary.overrun) if summary.overrun > 0 else "none"
        idle = f" · unauthorised breaks {format_clock(summary.idle_seconds)}" if summary.idle_seconds else ""
        reason = {"completed": "All blocks sat.", "expired": "The day's time ran out.", "stopped": "Day ended early."}
        self.details.setText(
            f"{reason.get(summary.end_reason or '', 'Day in progress.')} "
            f"Day time used {format_clock(summary.day_elapsed)}"
            f" · tutorial {tutorial} · breaks taken: {len(summary.breaks)} ({breaks}) · break time used "
            f"{format_clock(summary.break_used)} · overrun {overrun}{idle}"
        )
        self.model.removeRows(0, self.model.rowCount())
        self._session_ids = []
        for block in summary.blocks:
            score = block.review.score
            bar = "█" * round(score.percent / 10) + "░" * (10 - round(score.percent / 10))
            cells = [
                str(block.index + 1),
                f"{score.percent:.0f}%",
                f"{score.correct} / {score.total}",
                format_clock(block.review.time_used),
                format_clock(block.time_limit),
                str(score.unanswered),
                f"{block.mean_seconds:.0f} s",
                bar,
            ]
            items = [QStandardItem(c) for c in cells]
            for item in items:
                item.setEditable(False)
            self.model.appendRow(items)
            self._session_ids.append(block.review.session.id)
        if self._session_ids:
            self.table.selectRow(0)

    def _review(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.review_requested.emit(self._session_ids[index.row()])

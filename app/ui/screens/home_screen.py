"""The home screen: installed packs, the block builder, and past and unfinished blocks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.block import Mode
from app.core.outline import UNCLASSIFIED, default_outline
from app.core.preferences import BlockSetup
from app.core.records import PackInfo
from app.core.selection import (
    DEFAULT_BLOCK_SIZE,
    DEFAULT_RECENT_DAYS,
    MAX_BLOCK_SIZE,
    BlockFilter,
    CategoryCounts,
    Pool,
    default_minutes,
)
from app.core.wording import count_of, questions_match
from app.services.blocks import BlockRequest
from app.ui.screens.session_table import SCORE_COLUMN, SessionRowView, SessionTableModel
from app.ui.widgets.fit_scroll import FitScroll
from app.ui.widgets.flow_row import FlowRow
from app.ui.widgets.naming import named
from app.ui.widgets.percent_bar import PercentBarDelegate

POOL_NAMES = {Pool.ALL: "All questions", Pool.UNUSED: "Unused", Pool.INCORRECT: "Incorrect", Pool.MARKED: "Marked"}
POOL_NAMES |= {Pool.RECENT_INCORRECT: "Incorrect in the last N days", Pool.FLAGGED: "Flagged by a pattern"}
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
"""A category's name without its count."""


def pace_text(seconds: float) -> str:
    """A block's time exactly, as the exam's clock shows it: ``4:30``, ``1:00:00``."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _checkable_model(rows: list[tuple[str, str]], parent: QWidget) -> QStandardItemModel:
    model = QStandardItemModel(parent)
    for key, text in rows:
        item = QStandardItem(text)
        item.setToolTip(text)
        item.setData(key, Qt.ItemDataRole.UserRole)
        item.setData(text, NAME_ROLE)
        item.setCheckable(True)
        item.setEditable(False)
        model.appendRow(item)
    return model


def _tick(model: QStandardItemModel, keys: set[str]) -> None:
    for row in range(model.rowCount()):
        item = model.item(row)
        wanted = str(item.data(Qt.ItemDataRole.UserRole)) in keys
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def _show_counts(model: QStandardItemModel, counts: dict[str, int]) -> None:
    for row in range(model.rowCount()):
        item = model.item(row)
        name = item.data(NAME_ROLE)
        text = f"{name} ({counts.get(str(item.data(Qt.ItemDataRole.UserRole)), 0)})"
        if item.text() != text:
            item.setText(text)
            item.setToolTip(f"{text}: questions that match with the other choices as they are")


def _checked(model: QStandardItemModel) -> frozenset[str]:
    out = set()
    for row in range(model.rowCount()):
        item = model.item(row)
        if item.checkState() == Qt.CheckState.Checked:
            out.add(str(item.data(Qt.ItemDataRole.UserRole)))
    return frozenset(out)


class HomeScreen(QWidget):
    """Lists packs and sessions and builds block requests.

    Signals:
        start_requested(object): a :class:`BlockRequest` to start.
        resume_requested(int): a block's session id to resume.
        review_requested(int): a block's session id to review.
        day_requested(): the user wants to set up an exam day.
        day_resume_requested(int), day_summary_requested(int): a day's session id.
        analytics_requested(): the user wants the analytics dashboard of the whole history.
    """

    start_requested = Signal(object)
    resume_requested = Signal(int)
    review_requested = Signal(int)
    day_requested = Signal()
    day_resume_requested = Signal(int)
    day_summary_requested = Signal(int)
    analytics_requested = Signal()

    def __init__(self, count_matching: Callable[[BlockFilter], CategoryCounts], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeScreen")
        self._count_matching = count_matching
        self._counting = False
        """True while the counts are written into the lists (their item changes are not the user's)."""
        self._wanted_packs: set[str] = set()
        """Packs to tick when they are listed (the remembered setup's)."""
        outline = default_outline()

        title = named(QLabel("Blocksim"), "homeTitle")
        subtitle = named(QLabel("Timed Step 2 CK blocks and exam days, offline."), "muted")
        subtitle.setWordWrap(True)

        self.pack_model = QStandardItemModel(0, 3, self)
        self.pack_model.setHorizontalHeaderLabels(["Pack", "Questions", "Version"])
        self.pack_table = named(QTableView(), "packTable")
        self.pack_table.setModel(self.pack_model)
        self.pack_table.verticalHeader().hide()
        self.pack_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.pack_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.pack_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.pack_table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.pack_table.setAccessibleName("Question packs")
        self.pack_summary = named(QLabel(), "muted")
        packs_box = QGroupBox("Question packs (tick to choose; none ticked means all)")
        packs_layout = QVBoxLayout(packs_box)
        packs_layout.addWidget(self.pack_table)
        packs_layout.addWidget(self.pack_summary)

        self.discipline_model = _checkable_model(
            [(c.slug, c.name) for c in outline.disciplines] + [(UNCLASSIFIED, "Unclassified")], self
        )
        self.system_model = _checkable_model(
            [(c.slug, c.name) for c in outline.systems] + [(UNCLASSIFIED, "Unclassified")], self
        )
        self.discipline_list = named(QListView(), "disciplineList")
        self.discipline_list.setModel(self.discipline_model)
        self.discipline_list.setAccessibleName("Disciplines")
        self.system_list = named(QListView(), "systemList")
        self.system_list.setModel(self.system_model)
        self.system_list.setAccessibleName("Systems")
        for view in (self.discipline_list, self.system_list):
            # Whole names and counts, never elided: a long name wraps onto a second line.
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setTextElideMode(Qt.TextElideMode.ElideNone)
            view.setWordWrap(True)
            view.setResizeMode(QListView.ResizeMode.Adjust)
        self.pool_box = QComboBox()
        self.pool_box.setAccessibleName("Pool")
        for pool, name in POOL_NAMES.items():
            self.pool_box.addItem(name, pool.value)
        self.recent_days_spin = QSpinBox()
        self.recent_days_spin.setRange(1, 365)
        self.recent_days_spin.setValue(DEFAULT_RECENT_DAYS)
        self.recent_days_spin.setPrefix("N = ")
        self.recent_days_spin.setSuffix(" days")
        self.recent_days_spin.setAccessibleName("Days for the recent incorrect pool")
        # A line edit, not a spin box: a spin box silently turns 0 into 1 and 99 into 40.
        self.size_edit = named(QLineEdit(str(DEFAULT_BLOCK_SIZE)), "sizeEdit")
        self.size_edit.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,3}"), self.size_edit))
        self.size_edit.setMaximumWidth(80)
        self.size_edit.setAccessibleName(f"Items in the block, 1 to {MAX_BLOCK_SIZE}")
        self.size_message = named(QLabel(), "matchLabel")  # styled as a problem, like the match line
        self.size_message.setProperty("problem", True)
        self.size_message.setWordWrap(True)
        self.size_message.hide()
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(1, 600)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setAccessibleName("Minutes for the block")
        self.pace_label = named(QLabel(), "paceLabel")
        self.auto_minutes = QCheckBox("Exam pace")  # short: the builder column fits a 1024 px window
        self.auto_minutes.setToolTip("60 minutes for 40 items, else 90 seconds per item")
        self.auto_minutes.setAccessibleDescription(self.auto_minutes.toolTip())
        self.auto_minutes.setChecked(True)
        self.mode_box = QComboBox()
        self.mode_box.setAccessibleName("Mode")
        self.mode_box.addItem("Timed (answers at the end, like the exam)", Mode.TIMED.value)
        self.mode_box.addItem("Tutor (answer and explanations after each item)", Mode.TUTOR.value)
        self.tutor_timed = QCheckBox("Timer in tutor mode")
        self.tutor_timed.setChecked(True)
        self.match_label = named(QLabel(), "matchLabel")
        self.match_label.setWordWrap(True)
        self.start_button = named(QPushButton("Start Block"), "primaryButton")

        for box in (self.pool_box, self.mode_box):  # long choices elide: the window fits 1024 px
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(18)
        form = QFormLayout()
        pool_row = QHBoxLayout()
        pool_row.addWidget(self.pool_box, 1)
        pool_row.addWidget(self.recent_days_spin)
        form.addRow("Pool", pool_row)
        size_row = QHBoxLayout()
        size_row.addWidget(self.size_edit)
        size_row.addWidget(self.size_message, 1)
        form.addRow("Items", size_row)
        minutes_row = QHBoxLayout()
        minutes_row.addWidget(self.minutes_spin)
        minutes_row.addWidget(self.pace_label)
        minutes_row.addWidget(self.auto_minutes, 1)
        form.addRow("Time", minutes_row)
        form.addRow("Mode", self.mode_box)
        form.addRow("", self.tutor_timed)
        filters = QHBoxLayout()
        for caption, view, stretch in (("Disciplines", self.discipline_list, 0), ("Systems", self.system_list, 1)):
            column = QVBoxLayout()
            column.addWidget(QLabel(caption))
            column.addWidget(view)
            filters.addLayout(column, stretch)
        builder_box = QGroupBox("New block")
        builder_layout = QVBoxLayout(builder_box)
        builder_layout.addLayout(form)
        builder_layout.addLayout(filters, 1)
        builder_layout.addWidget(self.match_label)
        builder_layout.addWidget(self.start_button)

        self.session_model = SessionTableModel(self)
        self.session_table = named(QTableView(), "sessionTable")
        self.session_table.setModel(self.session_model)
        self.session_table.setItemDelegateForColumn(SCORE_COLUMN, PercentBarDelegate(self.session_table))
        self.session_table.verticalHeader().hide()
        self.session_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.session_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.session_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.session_table.setAccessibleName("Your blocks and exam days")
        self.open_session_button = QPushButton("Review or Resume")
        self.open_session_button.setEnabled(False)
        self.open_session_button.setToolTip("Select a block or day in the list first")
        sessions_box = QGroupBox("Your blocks and exam days")
        sessions_layout = QVBoxLayout(sessions_box)
        sessions_layout.addWidget(self.session_table)
        sessions_layout.addWidget(self.open_session_button, 0, Qt.AlignmentFlag.AlignRight)

        self.day_button = named(QPushButton("Sit a Full Exam Day…"), "primaryButton")
        self.analytics_button = named(QPushButton("&Analytics"), "analyticsButton")
        heading = QHBoxLayout()
        heading_text = QVBoxLayout()
        heading_text.addWidget(title)
        heading_text.addWidget(subtitle)
        heading.addLayout(heading_text, 1)
        heading_buttons = FlowRow()
        heading_buttons.add(self.analytics_button)
        heading_buttons.add(self.day_button)
        heading.addWidget(heading_buttons, 0, Qt.AlignmentFlag.AlignVCenter)
        left = QVBoxLayout()
        left.addLayout(heading)
        left.addWidget(packs_box, 2)
        left.addWidget(sessions_box, 2)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addLayout(left, 1)
        layout.addWidget(builder_box, 1)
        # The builder goes below the lists when the two do not fit side by side (a large zoom, a small screen).
        self.body_scroll = FitScroll(body, layout, self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.body_scroll)
        self._connect_widgets()
        self._sync_minutes()

    def _connect_widgets(self) -> None:
        for model in (self.pack_model, self.discipline_model, self.system_model):
            model.itemChanged.connect(self._item_changed)
        self.pool_box.currentIndexChanged.connect(self.refresh_match)
        self.recent_days_spin.valueChanged.connect(self.refresh_match)
        self.size_edit.textChanged.connect(self.refresh_match)
        self.size_edit.textChanged.connect(self._sync_minutes)
        self.auto_minutes.toggled.connect(self._sync_minutes)
        self.mode_box.currentIndexChanged.connect(self._sync_minutes)
        self.tutor_timed.toggled.connect(self._sync_minutes)
        self.start_button.clicked.connect(self._request_start)
        self.day_button.clicked.connect(self.day_requested)
        self.analytics_button.clicked.connect(self.analytics_requested)
        self.open_session_button.clicked.connect(self._open_selected_session)
        self.session_table.doubleClicked.connect(self._open_selected_session)
        self.session_table.selectionModel().selectionChanged.connect(self._sync_open_button)

    def _sync_open_button(self) -> None:
        self.open_session_button.setEnabled(self.session_table.selectionModel().hasSelection())

    # -- data in --------------------------------------------------------------------------
    def set_packs(self, packs: list[PackInfo]) -> None:
        """Show the installed packs (keeps ticks of packs still present)."""
        ticked = _checked(self.pack_model)
        self.pack_model.removeRows(0, self.pack_model.rowCount())
        for pack in packs:
            name = QStandardItem(pack.title)
            name.setData(pack.id, Qt.ItemDataRole.UserRole)
            name.setCheckable(True)
            name.setEditable(False)
            name.setToolTip(pack.description or pack.id)
            if pack.id in ticked or pack.id in self._wanted_packs:
                name.setCheckState(Qt.CheckState.Checked)
            count = QStandardItem(str(pack.question_count))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            version = QStandardItem(pack.version)
            for cell in (count, version):
                cell.setEditable(False)
            self.pack_model.appendRow([name, count, version])
        self._wanted_packs = set()
        total = sum(p.question_count for p in packs)
        self.pack_summary.setText(f"{count_of(len(packs), 'pack')}, {count_of(total, 'question')} installed")
        self.refresh_match()

    def set_sessions(self, rows: list[SessionRowView]) -> None:
        """Show past and unfinished blocks and days, newest first."""
        self.session_model.set_rows(list(rows))
        self._sync_open_button()

    # -- the builder --------------------------------------------------------------------
    def block_filter(self) -> BlockFilter:
        """The filter the builder describes."""
        return BlockFilter(
            packs=_checked(self.pack_model),
            disciplines=_checked(self.discipline_model),
            systems=_checked(self.system_model),
            pool=Pool(self.pool_box.currentData()),
            recent_days=self.recent_days_spin.value(),
        )

    def block_size(self) -> int | None:
        """The item count typed, or None when it is not 1 to the maximum."""
        text = self.size_edit.text()
        size = int(text) if text.isdigit() else 0
        return size if 1 <= size <= MAX_BLOCK_SIZE else None

    def block_request(self) -> BlockRequest:
        """The block the builder describes (only while the item count is valid)."""
        mode = Mode(self.mode_box.currentData())
        size = self.block_size()
        if size is None:
            raise ValueError(f"a block holds 1 to {MAX_BLOCK_SIZE} items")
        return BlockRequest(
            block_filter=self.block_filter(),
            size=size,
            minutes=None if self.auto_minutes.isChecked() else float(self.minutes_spin.value()),
            mode=mode,
            timed=mode is Mode.TIMED or self.tutor_timed.isChecked(),
        )

    def setup(self) -> BlockSetup:
        """The builder's settings, to remember."""
        return BlockSetup(
            packs=sorted(_checked(self.pack_model)),
            disciplines=sorted(_checked(self.discipline_model)),
            systems=sorted(_checked(self.system_model)),
            pool=str(self.pool_box.currentData()),
            recent_days=self.recent_days_spin.value(),
            size=self.block_size() or DEFAULT_BLOCK_SIZE,
            minutes=None if self.auto_minutes.isChecked() else float(self.minutes_spin.value()),
            mode=str(self.mode_box.currentData()),
            tutor_timed=self.tutor_timed.isChecked(),
        )

    def apply_setup(self, setup: BlockSetup | None) -> None:
        """Restore remembered settings; choices no longer offered (a removed pack, a renamed pool) are dropped."""
        if setup is None:
            return
        self._counting = True
        try:
            self._wanted_packs = set(setup.packs)
            _tick(self.pack_model, self._wanted_packs)
            _tick(self.discipline_model, set(setup.disciplines))
            _tick(self.system_model, set(setup.systems))
        finally:
            self._counting = False
        self.pool_box.setCurrentIndex(max(0, self.pool_box.findData(setup.pool)))
        self.recent_days_spin.setValue(setup.recent_days)
        self.mode_box.setCurrentIndex(max(0, self.mode_box.findData(setup.mode)))
        self.tutor_timed.setChecked(setup.tutor_timed)
        self.auto_minutes.setChecked(setup.minutes is None)
        if setup.minutes is not None:
            self.minutes_spin.setValue(round(setup.minutes))
        self.size_edit.setText(str(min(setup.size, MAX_BLOCK_SIZE)))
        self._sync_minutes()
        self.refresh_match()

    def _fit_disciplines(self) -> None:
        """The discipline list as wide as its longest line, so only the systems list ever wraps."""
        view = self.discipline_list
        width = view.sizeHintForColumn(0) + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
        view.setFixedWidth(width)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """A new zoom: the discipline list takes its longest line's new width (once its own font has changed)."""
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self, self._fit_disciplines)
        super().changeEvent(event)

    def _item_changed(self) -> None:
        if not self._counting:
            self.refresh_match()

    def refresh_match(self) -> None:
        """Count matching questions (in all and per category) and say whether the block can start."""
        self.recent_days_spin.setEnabled(self.pool_box.currentData() == Pool.RECENT_INCORRECT.value)
        counts = self._count_matching(self.block_filter())
        self._counting = True
        try:
            _show_counts(self.discipline_model, counts.disciplines)
            _show_counts(self.system_model, counts.systems)
        finally:
            self._counting = False
        self._fit_disciplines()
        available = counts.total
        size = self.block_size()
        self.size_message.setVisible(size is None)
        self.size_message.setText(f"Enter a number of items from 1 to {MAX_BLOCK_SIZE}.")
        if size is None:
            self.match_label.setText(f"{questions_match(available)}.")
            self.match_label.setProperty("problem", False)
            self.start_button.setEnabled(False)
            self._repolish(self.match_label)
            return
        wanted = size
        if available >= wanted:
            self.match_label.setText(f"{questions_match(available)}; the block will draw {wanted}.")
            self.match_label.setProperty("problem", False)
        else:
            self.match_label.setText(
                f"{questions_match(available, only=True)}, but the block needs {wanted}. "
                "Tick more packs, disciplines or systems, choose a wider pool, or lower the item count."
            )
            self.match_label.setProperty("problem", True)
        self._repolish(self.match_label)
        self.start_button.setEnabled(available > 0 and available >= wanted)

    @staticmethod
    def _repolish(label: QLabel) -> None:
        label.style().unpolish(label)
        label.style().polish(label)

    def _sync_minutes(self) -> None:
        tutor = Mode(self.mode_box.currentData()) is Mode.TUTOR
        self.tutor_timed.setVisible(tutor)
        timed = not tutor or self.tutor_timed.isChecked()
        self.auto_minutes.setEnabled(timed)
        pace = self.auto_minutes.isChecked()
        self.minutes_spin.setEnabled(timed and not pace)
        self.minutes_spin.setVisible(not pace)
        self.pace_label.setVisible(pace)
        self.pace_label.setEnabled(timed)
        size = self.block_size()
        self.pace_label.setText("—" if size is None else pace_text(default_minutes(size) * 60))
        if pace and size is not None:
            self.minutes_spin.setValue(max(1, round(default_minutes(size))))

    def _request_start(self) -> None:
        if self.block_size() is not None:
            self.start_requested.emit(self.block_request())

    def _open_selected_session(self) -> None:
        index = self.session_table.currentIndex()
        if not index.isValid():
            return
        row = self.session_model.row_view(index.row())
        unfinished = row.status == "Unfinished"
        if row.kind == "day":
            (self.day_resume_requested if unfinished else self.day_summary_requested).emit(row.session_id)
        else:
            (self.resume_requested if unfinished else self.review_requested).emit(row.session_id)

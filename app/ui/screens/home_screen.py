"""The home screen: installed packs, the block builder, and past and unfinished blocks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.block import Mode
from app.core.outline import UNCLASSIFIED, default_outline
from app.core.records import PackInfo
from app.core.selection import (
    DEFAULT_BLOCK_SIZE,
    DEFAULT_RECENT_DAYS,
    MAX_BLOCK_SIZE,
    BlockFilter,
    Pool,
    default_minutes,
)
from app.services.blocks import BlockRequest
from app.ui.screens.session_table import SCORE_COLUMN, SessionRowView, SessionTableModel
from app.ui.widgets.naming import named
from app.ui.widgets.percent_bar import PercentBarDelegate

POOL_NAMES = {Pool.ALL: "All questions", Pool.UNUSED: "Unused", Pool.INCORRECT: "Incorrect", Pool.MARKED: "Marked"}
POOL_NAMES |= {Pool.RECENT_INCORRECT: "Incorrect in the last N days", Pool.FLAGGED: "Flagged by a pattern"}


def _checkable_model(rows: list[tuple[str, str]], parent: QWidget) -> QStandardItemModel:
    model = QStandardItemModel(parent)
    for key, text in rows:
        item = QStandardItem(text)
        item.setToolTip(text)
        item.setData(key, Qt.ItemDataRole.UserRole)
        item.setCheckable(True)
        item.setEditable(False)
        model.appendRow(item)
    return model


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

    def __init__(self, count_matching: Callable[[BlockFilter], int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeScreen")
        self._count_matching = count_matching
        outline = default_outline()

        title = named(QLabel("Blocksim"), "homeTitle")
        subtitle = named(QLabel("Timed Step 2 CK blocks and exam days, offline."), "muted")

        self.pack_model = QStandardItemModel(0, 3, self)
        self.pack_model.setHorizontalHeaderLabels(["Pack", "Questions", "Version"])
        self.pack_table = named(QTableView(), "packTable")
        self.pack_table.setModel(self.pack_model)
        self.pack_table.verticalHeader().hide()
        self.pack_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.pack_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.pack_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.pack_table.setSelectionMode(QTableView.SelectionMode.NoSelection)
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
        self.discipline_list = QListView()
        self.discipline_list.setModel(self.discipline_model)
        self.system_list = QListView()
        self.system_list.setModel(self.system_model)
        for view in (self.discipline_list, self.system_list):
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.pool_box = QComboBox()
        for pool, name in POOL_NAMES.items():
            self.pool_box.addItem(name, pool.value)
        self.recent_days_spin = QSpinBox()
        self.recent_days_spin.setRange(1, 365)
        self.recent_days_spin.setValue(DEFAULT_RECENT_DAYS)
        self.recent_days_spin.setPrefix("N = ")
        self.recent_days_spin.setSuffix(" days")
        self.recent_days_spin.setAccessibleName("Days for the recent incorrect pool")
        self.size_spin = QSpinBox()
        self.size_spin.setRange(1, MAX_BLOCK_SIZE)
        self.size_spin.setValue(DEFAULT_BLOCK_SIZE)
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(1, 600)
        self.minutes_spin.setSuffix(" min")
        self.auto_minutes = QCheckBox("Exam pace (60 min for 40, else 90 s per item)")
        self.auto_minutes.setChecked(True)
        self.mode_box = QComboBox()
        self.mode_box.addItem("Timed (answers at the end, like the exam)", Mode.TIMED.value)
        self.mode_box.addItem("Tutor (answer and explanations after each item)", Mode.TUTOR.value)
        self.tutor_timed = QCheckBox("Timer in tutor mode")
        self.tutor_timed.setChecked(True)
        self.match_label = named(QLabel(), "matchLabel")
        self.match_label.setWordWrap(True)
        self.start_button = named(QPushButton("Start Block"), "primaryButton")

        form = QFormLayout()
        pool_row = QHBoxLayout()
        pool_row.addWidget(self.pool_box, 1)
        pool_row.addWidget(self.recent_days_spin)
        form.addRow("Pool", pool_row)
        form.addRow("Items", self.size_spin)
        minutes_row = QHBoxLayout()
        minutes_row.addWidget(self.minutes_spin)
        minutes_row.addWidget(self.auto_minutes, 1)
        form.addRow("Time", minutes_row)
        form.addRow("Mode", self.mode_box)
        form.addRow("", self.tutor_timed)
        filters = QHBoxLayout()
        for caption, view, stretch in (("Disciplines", self.discipline_list, 2), ("Systems", self.system_list, 5)):
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
        self.open_session_button = QPushButton("Review or Resume")
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
        heading.addWidget(self.analytics_button, 0, Qt.AlignmentFlag.AlignVCenter)
        heading.addWidget(self.day_button, 0, Qt.AlignmentFlag.AlignVCenter)
        left = QVBoxLayout()
        left.addLayout(heading)
        left.addWidget(packs_box, 2)
        left.addWidget(sessions_box, 2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addLayout(left, 1)
        layout.addWidget(builder_box, 1)
        self._connect_widgets()
        self._sync_minutes()

    def _connect_widgets(self) -> None:
        for model in (self.pack_model, self.discipline_model, self.system_model):
            model.itemChanged.connect(self.refresh_match)
        self.pool_box.currentIndexChanged.connect(self.refresh_match)
        self.recent_days_spin.valueChanged.connect(self.refresh_match)
        self.size_spin.valueChanged.connect(self.refresh_match)
        self.size_spin.valueChanged.connect(self._sync_minutes)
        self.auto_minutes.toggled.connect(self._sync_minutes)
        self.mode_box.currentIndexChanged.connect(self._sync_minutes)
        self.tutor_timed.toggled.connect(self._sync_minutes)
        self.start_button.clicked.connect(self._request_start)
        self.day_button.clicked.connect(self.day_requested)
        self.analytics_button.clicked.connect(self.analytics_requested)
        self.open_session_button.clicked.connect(self._open_selected_session)
        self.session_table.doubleClicked.connect(self._open_selected_session)

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
            if pack.id in ticked:
                name.setCheckState(Qt.CheckState.Checked)
            count = QStandardItem(str(pack.question_count))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            version = QStandardItem(pack.version)
            for cell in (count, version):
                cell.setEditable(False)
            self.pack_model.appendRow([name, count, version])
        total = sum(p.question_count for p in packs)
        self.pack_summary.setText(f"{len(packs)} pack(s), {total} questions installed")
        self.refresh_match()

    def set_sessions(self, rows: list[SessionRowView]) -> None:
        """Show past and unfinished blocks and days, newest first."""
        self.session_model.set_rows(list(rows))

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

    def block_request(self) -> BlockRequest:
        """The block the builder describes."""
        mode = Mode(self.mode_box.currentData())
        return BlockRequest(
            block_filter=self.block_filter(),
            size=self.size_spin.value(),
            minutes=None if self.auto_minutes.isChecked() else float(self.minutes_spin.value()),
            mode=mode,
            timed=mode is Mode.TIMED or self.tutor_timed.isChecked(),
        )

    def refresh_match(self) -> None:
        """Count matching questions and say whether the block can start."""
        self.recent_days_spin.setEnabled(self.pool_box.currentData() == Pool.RECENT_INCORRECT.value)
        available = self._count_matching(self.block_filter())
        wanted = self.size_spin.value()
        if available >= wanted:
            self.match_label.setText(f"{available} questions match; the block will draw {wanted}.")
            self.match_label.setProperty("problem", False)
        else:
            self.match_label.setText(
                f"Only {available} question(s) match, but the block needs {wanted}. "
                "Tick more packs, disciplines or systems, choose a wider pool, or lower the item count."
            )
            self.match_label.setProperty("problem", True)
        self.match_label.style().unpolish(self.match_label)
        self.match_label.style().polish(self.match_label)
        self.start_button.setEnabled(available > 0 and available >= wanted)

    def _sync_minutes(self) -> None:
        tutor = Mode(self.mode_box.currentData()) is Mode.TUTOR
        self.tutor_timed.setVisible(tutor)
        timed = not tutor or self.tutor_timed.isChecked()
        self.auto_minutes.setEnabled(timed)
        self.minutes_spin.setEnabled(timed and not self.auto_minutes.isChecked())
        if self.auto_minutes.isChecked():
            self.minutes_spin.setValue(round(default_minutes(self.size_spin.value())))

    def _request_start(self) -> None:
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

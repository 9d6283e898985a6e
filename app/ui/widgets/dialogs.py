"""Dialogs of the block screen: end block, lab values, notes, image viewer, shortcuts help."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.reference_data import LabValues, Shortcuts

IDLE_BACKGROUND = "#0a1428"
"""The idle screens' colour: opaque, so the question never shows through."""


def _item_list(positions: list[int]) -> str:
    return ", ".join(str(p + 1) for p in positions) if positions else "none"


class EndBlockDialog(QDialog):
    """Confirms ending a block and lists unanswered and marked items; Cancel is the default."""

    def __init__(self, unanswered: list[int], marked: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("End Block")
        self.setObjectName("endBlockDialog")
        layout = QVBoxLayout(self)
        title = QLabel("<b>Are you sure you want to end this block?</b>")
        layout.addWidget(title)
        self.summary = QLabel(
            f"Unanswered items ({len(unanswered)}): {_item_list(unanswered)}<br>"
            f"Marked items ({len(marked)}): {_item_list(marked)}<br><br>"
            "Once the block ends you cannot return to it."
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox()
        self.end_button = buttons.addButton("End Block", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("Return to Block", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @classmethod
    def confirm(cls, parent: QWidget | None, unanswered: list[int], marked: list[int]) -> bool:
        """Ask; True to end the block. Tests patch this classmethod."""
        return cls(unanswered, marked, parent).exec() == QDialog.DialogCode.Accepted


class LabValuesDialog(QDialog):
    """A searchable, non-modal table of normal lab values."""

    def __init__(self, values: LabValues, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lab Values")
        self.setObjectName("labValuesDialog")
        self.resize(720, 560)
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(["Panel", "Test", "Reference range", "SI reference range"])
        for value in values.values:
            row = [
                QStandardItem(value.panel),
                QStandardItem(value.test),
                QStandardItem(value.conventional),
                QStandardItem(value.si),
            ]
            for cell in row:
                cell.setEditable(False)
            self.model.appendRow(row)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search lab values (e.g. sodium, TSH, CSF)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        table = QTableView(self)
        table.setModel(self.proxy)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(True)
        self.table = table
        note = QLabel(values.note)
        note.setWordWrap(True)
        note.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(table, 1)
        layout.addWidget(note)


class NotesDialog(QDialog):
    """The note of one item."""

    def __init__(self, item_number: int, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Notes: item {item_number}")
        self.editor = QPlainTextEdit(self)
        self.editor.setPlainText(text)
        self.editor.setPlaceholderText("Your notes on this item (kept with the block, shown in review)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        self.resize(460, 300)

    @classmethod
    def edit(cls, parent: QWidget | None, item_number: int, text: str) -> str | None:
        """The new note, or None when cancelled. Tests patch this classmethod."""
        dialog = cls(item_number, text, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.editor.toPlainText()
        return None


class ImageViewer(QDialog):
    """An exhibit with zoom and contrast controls."""

    def __init__(self, data: bytes, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(caption or "Exhibit")
        self.setObjectName("imageViewer")
        image = QImage.fromData(data)
        self._original = image.convertToFormat(QImage.Format.Format_RGB888)
        self._label = QLabel(self)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea(self)
        scroll.setWidget(self._label)
        scroll.setWidgetResizable(True)
        self.zoom = QSlider(Qt.Orientation.Horizontal, self)
        self.zoom.setRange(25, 400)
        self.zoom.setValue(100)
        self.contrast = QSlider(Qt.Orientation.Horizontal, self)
        self.contrast.setRange(-80, 80)
        self.contrast.setValue(0)
        reset = QPushButton("Reset", self)
        reset.clicked.connect(self._reset)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Zoom"))
        controls.addWidget(self.zoom, 1)
        controls.addWidget(QLabel("Contrast"))
        controls.addWidget(self.contrast, 1)
        controls.addWidget(reset)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        if caption:
            layout.addWidget(QLabel(caption))
        layout.addLayout(controls)
        self.zoom.valueChanged.connect(self._render)
        self.contrast.valueChanged.connect(self._render)
        self.resize(min(1100, max(500, image.width() + 60)), min(800, max(360, image.height() + 140)))
        self._render()

    def _reset(self) -> None:
        self.zoom.setValue(100)
        self.contrast.setValue(0)

    def adjusted_image(self) -> QImage:
        """The image with the chosen contrast (a byte lookup table: fast even for large images)."""
        factor = (100 + self.contrast.value()) / 100
        if factor == 1:
            return self._original
        table = bytes(max(0, min(255, round((v - 128) * factor + 128))) for v in range(256))
        source = self._original
        raw = bytes(source.constBits())
        data = raw.translate(table)
        adjusted = QImage(data, source.width(), source.height(), source.bytesPerLine(), QImage.Format.Format_RGB888)
        return adjusted.copy()

    def _render(self) -> None:
        image = self.adjusted_image()
        scale = self.zoom.value() / 100
        pixmap = QPixmap.fromImage(image).scaled(
            max(1, round(image.width() * scale)),
            max(1, round(image.height() * scale)),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self._label.setPixmap(pixmap)


class HelpDialog(QDialog):
    """The keyboard shortcuts (F1), listed from the same data as the actions."""

    def __init__(self, shortcuts: Shortcuts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        rows = []
        group = None
        for shortcut in shortcuts.shortcuts:
            if shortcut.group != group:
                group = shortcut.group
                rows.append(f"<tr><td colspan=2><br><b>{group}</b></td></tr>")
            keys = " or ".join(f"<code>{k}</code>" for k in shortcut.keys)
            rows.append(f"<tr><td style='padding-right:18px'>{keys}</td><td>{shortcut.text}</td></tr>")
        label = QLabel("<table>" + "".join(rows) + "</table>", self)
        label.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)


class IdleOverlay(QWidget):
    """Covers the window during an unauthorised break (inside an exam day's block); clocks keep running.

    It is opaque (the question never shows through) and counts down live: the session flow calls
    :meth:`show_times` on every tick while it is up.
    """

    WARNING = "warning"
    IDLE = "idle"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idleOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.mode: str | None = None
        self.title = QLabel(self)
        self.title.setObjectName("idleTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = QLabel(self)
        self.countdown.setObjectName("idleCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel(self)
        self.message.setObjectName("idleMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.countdown)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._times = ("0:00:30", "0:00:00", "", "")
        self.hide()

    def show_warning(self, on: bool) -> None:
        """Thirty seconds before an unauthorised break."""
        self._switch(self.WARNING if on else None)

    def show_idle(self, on: bool) -> None:
        """An unauthorised break began (or ended)."""
        self._switch(self.IDLE if on else None)

    def show_times(self, until_break: str, idle_for: str, block_left: str, day_left: str) -> None:
        """The live figures: time to the unauthorised break, its length so far, and the clocks."""
        self._times = (until_break, idle_for, block_left, day_left)
        self._render()

    def _switch(self, mode: str | None) -> None:
        if mode is None:
            self.mode = None
            self.hide()
            return
        self.mode = mode
        self._render()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def _render(self) -> None:
        until_break, idle_for, block_left, day_left = self._times
        clocks = " · ".join(
            part
            for part in (
                f"Block time remaining {block_left}" if block_left else "",
                f"Day time remaining {day_left}" if day_left else "",
            )
            if part
        )
        if self.mode == self.WARNING:
            self.title.setText("Are you still there?")
            self.countdown.setText(until_break)
            self.message.setText(
                f"An unauthorised break starts in {until_break}. Move the mouse or press a key to stay in your "
                f"block.\n{clocks}"
            )
        elif self.mode == self.IDLE:
            self.title.setText("Unauthorised break")
            self.countdown.setText(idle_for)
            self.message.setText(
                "The block and day clocks keep running, as on the real exam day.\n"
                f"{clocks}\nPress any key or move the mouse to return to your block."
            )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Fill with an opaque colour first, whatever the stylesheet says, then draw the styled background."""
        painter = QPainter(self)
        colour = QColor(IDLE_BACKGROUND)
        painter.fillRect(self.rect(), colour)
        painter.end()
        super().paintEvent(event)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A modal error message (tests patch this)."""
    QMessageBox.warning(parent, title, message)

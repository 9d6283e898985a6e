"""Dialogs of the block screen: end block, lab values, notes, image viewer, shortcuts help."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
    QTextCursor,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.reference_data import LabValue, LabValues, Shortcuts

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


class LabTable(QTableView):
    """A lab panel's table whose columns always fit its width: the range columns keep their
    natural width while it fits (the test column takes the rest), and wrap when the window is narrow."""

    def fit_columns(self) -> None:
        """Share the viewport's width between the columns (no horizontal scrolling ever)."""
        model = self.model()
        if model is None or model.columnCount() != 3:
            return
        available = self.viewport().width()
        natural = [max(self.sizeHintForColumn(c), self.horizontalHeader().sectionSizeHint(c)) for c in range(3)]
        if sum(natural) <= available:
            widths = [available - natural[1] - natural[2], natural[1], natural[2]]
        else:  # narrow: the test column gives up room first, then the ranges wrap
            test = min(natural[0], max(100, available // 3))
            rest = max(0, available - test)
            first = natural[1] * rest // max(1, natural[1] + natural[2])
            widths = [test, first, rest - first]
        for column, width in enumerate(widths):
            self.setColumnWidth(column, max(20, width))
        self.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Refit the columns to the new width."""
        super().resizeEvent(event)
        self.fit_columns()


class LabValuesDialog(QDialog):
    """The exam's lab values: one tab per panel, a search across every tab, compact rows.

    The test column takes the room left over (and wraps); the two range columns are always as
    wide as their text, so the SI column never falls off the right edge.
    """

    HEADERS = ("Test", "Reference range", "SI reference range")

    def __init__(self, values: LabValues, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lab Values")
        self.setObjectName("labValuesDialog")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search every panel (e.g. sodium, TSH, CSF)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search lab values")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("labTabs")
        self.panels = list(values.panels)
        self.proxies: list[QSortFilterProxyModel] = []
        self.tables: list[LabTable] = []
        for panel in self.panels:
            table = self._table(values.panel(panel))
            self.tabs.addTab(table, panel)
        self.search.textChanged.connect(self._filter)
        note = QLabel(values.note)
        note.setWordWrap(True)
        note.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        widest = max(self._needed_width(t) for t in self.tables)
        self.resize(max(640, min(1000, widest + 60)), 600)

    def _table(self, rows: list[LabValue]) -> LabTable:
        model = QStandardItemModel(0, len(self.HEADERS), self)
        model.setHorizontalHeaderLabels(list(self.HEADERS))
        for value in rows:
            test = QStandardItem(value.test)
            test.setToolTip(f"{value.section}: {value.test}" if value.section else value.test)
            # The search reads every column and the section (e.g. "lipids", "endocrine").
            words = " ".join((value.section, value.test, value.conventional, value.si))
            test.setData(words, Qt.ItemDataRole.UserRole)
            cells = [test, QStandardItem(value.conventional), QStandardItem(value.si)]
            for cell in cells:
                cell.setEditable(False)
            model.appendRow(cells)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        proxy.setFilterKeyColumn(0)
        proxy.setFilterRole(Qt.ItemDataRole.UserRole)
        table = LabTable(self)
        table.setObjectName("labTable")
        table.setModel(proxy)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().setMinimumSectionSize(self.fontMetrics().height() + 4)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.horizontalHeader().setStretchLastSection(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.setTabKeyNavigation(False)
        self.proxies.append(proxy)
        self.tables.append(table)
        return table

    @staticmethod
    def _needed_width(table: QTableView) -> int:
        return sum(max(table.sizeHintForColumn(c), 40) for c in range(table.model().columnCount()))

    @property
    def proxy(self) -> QSortFilterProxyModel:
        """The filter of the tab shown."""
        return self.proxies[self.tabs.currentIndex()]

    def match_counts(self) -> dict[str, int]:
        """Rows shown per panel."""
        return {panel: proxy.rowCount() for panel, proxy in zip(self.panels, self.proxies, strict=True)}

    def _filter(self, text: str) -> None:
        """Filter every tab; tab titles show their matches; show a tab that has some."""
        for index, (panel, proxy) in enumerate(zip(self.panels, self.proxies, strict=True)):
            proxy.setFilterFixedString(text)
            self.tabs.setTabText(index, f"{panel} ({proxy.rowCount()})" if text else panel)
            self.tables[index].fit_columns()
        if text and self.proxy.rowCount() == 0:
            for index, proxy in enumerate(self.proxies):
                if proxy.rowCount():
                    self.tabs.setCurrentIndex(index)
                    break


class NotesDialog(QDialog):
    """The note of one item."""

    def __init__(self, item_number: int, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Notes: item {item_number}")
        self.editor = QPlainTextEdit(self)
        self.editor.setPlainText(text)
        # A reopened note goes on where it stopped: new typing is added after the old text, not before it.
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
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


class ImageView(QGraphicsView):
    """The picture of the viewer: drag to pan, Ctrl+wheel to zoom (the slider follows).

    Signals:
        wheel_zoom(int): +1 or -1 zoom steps asked for with Ctrl+wheel.
    """

    wheel_zoom = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageView")
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.setScene(QGraphicsScene(self))
        self.item = QGraphicsPixmapItem()
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self.item)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        """Ctrl+wheel zooms; the wheel alone scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.wheel_zoom.emit(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)


class ImageViewer(QDialog):
    """An exhibit: opens fitted to its window; zoom, pan (drag), contrast and brightness."""

    ZOOM_STEP = 25

    def __init__(self, data: bytes, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(caption or "Exhibit")
        self.setObjectName("imageViewer")
        image = QImage.fromData(data)
        self._original = image.convertToFormat(QImage.Format.Format_RGB888)
        self.view = ImageView(self)
        self.view.setAccessibleName(caption or "Exhibit")
        self.zoom = QSlider(Qt.Orientation.Horizontal, self)
        self.zoom.setRange(10, 800)
        self.zoom.setValue(100)
        self.zoom.setAccessibleName("Zoom")
        self.zoom_label = QLabel("100%", self)
        self.zoom_label.setMinimumWidth(44)
        self.contrast = QSlider(Qt.Orientation.Horizontal, self)
        self.contrast.setRange(-80, 80)
        self.contrast.setValue(0)
        self.contrast.setAccessibleName("Contrast")
        self.brightness = QSlider(Qt.Orientation.Horizontal, self)
        self.brightness.setRange(-100, 100)
        self.brightness.setValue(0)
        self.brightness.setAccessibleName("Brightness")
        fit = QPushButton("Fit", self)
        fit.setToolTip("Fit the image to the window")
        fit.clicked.connect(self.fit)
        actual = QPushButton("100%", self)
        actual.setToolTip("Natural size")
        actual.clicked.connect(lambda: self.zoom.setValue(100))
        reset = QPushButton("Reset", self)
        reset.setToolTip("Fit, and normal contrast and brightness")
        reset.clicked.connect(self._reset)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Zoom"))
        controls.addWidget(self.zoom, 2)
        controls.addWidget(self.zoom_label)
        controls.addWidget(fit)
        controls.addWidget(actual)
        controls.addSpacing(12)
        controls.addWidget(QLabel("Contrast"))
        controls.addWidget(self.contrast, 1)
        controls.addWidget(QLabel("Brightness"))
        controls.addWidget(self.brightness, 1)
        controls.addWidget(reset)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        if caption:
            layout.addWidget(QLabel(caption))
        hint = QLabel("Drag to pan · Ctrl+wheel or the slider to zoom", self)
        hint.setObjectName("muted")
        layout.addWidget(hint)
        layout.addLayout(controls)
        self.zoom.valueChanged.connect(self._apply_zoom)
        self.contrast.valueChanged.connect(self._render)
        self.brightness.valueChanged.connect(self._render)
        self.view.wheel_zoom.connect(lambda step: self.zoom.setValue(self.zoom.value() + step * self.ZOOM_STEP))
        self._fitted_once = False
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        max_w, max_h = (screen.width() * 9 // 10, screen.height() * 9 // 10) if screen is not None else (1400, 900)
        self.resize(min(max_w, max(560, image.width() + 60)), min(max_h, max(420, image.height() + 160)))
        self._render()

    def fit_percent(self) -> int:
        """The zoom (percent) at which the whole image fits the view."""
        viewport = self.view.viewport().size()
        if self._original.isNull() or self._original.width() == 0 or self._original.height() == 0:
            return 100
        scale = min(viewport.width() / self._original.width(), viewport.height() / self._original.height())
        return max(self.zoom.minimum(), min(self.zoom.maximum(), int(scale * 100)))

    def fit(self) -> None:
        """Zoom so the whole image fits the window."""
        self.zoom.setValue(self.fit_percent())
        self._apply_zoom(self.zoom.value())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Open fitted to the window."""
        super().showEvent(event)
        if not self._fitted_once:
            self._fitted_once = True
            layout = self.layout()
            if layout is not None:
                layout.activate()
            self.fit()

    def _reset(self) -> None:
        self.contrast.setValue(0)
        self.brightness.setValue(0)
        self.fit()

    def adjusted_image(self) -> QImage:
        """The image with the chosen contrast and brightness (a byte lookup table: fast even for large images)."""
        factor = (100 + self.contrast.value()) / 100
        shift = self.brightness.value() * 255 / 200
        if factor == 1 and shift == 0:
            return self._original
        table = bytes(max(0, min(255, round((v - 128) * factor + 128 + shift))) for v in range(256))
        source = self._original
        raw = bytes(source.constBits())
        data = raw.translate(table)
        adjusted = QImage(data, source.width(), source.height(), source.bytesPerLine(), QImage.Format.Format_RGB888)
        return adjusted.copy()

    def shown_width(self) -> int:
        """The image's width on screen, in pixels, at the current zoom."""
        return round(self._original.width() * self.view.transform().m11())

    def _render(self) -> None:
        pixmap = QPixmap.fromImage(self.adjusted_image())
        self.view.item.setPixmap(pixmap)
        self.view.scene().setSceneRect(QRectF(pixmap.rect()))

    def _apply_zoom(self, value: int) -> None:
        scale = value / 100
        self.view.setTransform(QTransform.fromScale(scale, scale))
        self.zoom_label.setText(f"{value}%")


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

"""File → Save Report…: choose the scope, the paper and the file, then build the report without freezing the window.

The history is read on the window's worker (a :class:`QueryOp`, cancellable); the charts are then rendered
on the GUI thread, as they must be, one per turn of the event loop behind a progress dialog with Cancel;
the file is written on the worker again, atomically. Nothing is written when the user cancels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from app.bootstrap import Services
from app.core.errors import BlocksimError
from app.services.dashboard import DashboardQuery
from app.services.report import ReportData, report_format
from app.ui.navigator import Navigator
from app.ui.printable_report import RenderedFigure, default_page_size, render_figure, report_figures, write_report
from app.ui.report_figures import NAMES, Figure
from app.ui.widgets.dialogs import show_error
from app.ui.widgets.naming import named
from app.ui.workers import Progress, QueryOp


@dataclass(frozen=True)
class ReportScope:
    """One choice of the dialog: what it says and what it loads."""

    label: str
    query: DashboardQuery
    file_stem: str


@dataclass(frozen=True)
class ReportRequest:
    """What the dialog asked for."""

    query: DashboardQuery
    page: str
    path: Path


class SaveReportDialog(QDialog):
    """Scope (this block, this day or all history), paper, format and file."""

    def __init__(self, scopes: list[ReportScope], page: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save Report")
        self.setObjectName("saveReportDialog")
        self.scopes = scopes
        self.folder = folder
        self.scope_box = named(QComboBox(), "reportScope")
        for scope in scopes:
            self.scope_box.addItem(scope.label)
        self.page_box = named(QComboBox(), "reportPaper")
        self.page_box.addItem("A4", "a4")
        self.page_box.addItem("Letter", "letter")
        self.page_box.setCurrentIndex(max(0, self.page_box.findData(page)))
        self.format_box = named(QComboBox(), "reportFormat")
        self.format_box.addItem("PDF (to print)", ".pdf")
        self.format_box.addItem("HTML (one file, charts inside)", ".html")
        self.path_edit = named(QLineEdit(), "reportPath")
        self.path_edit.setMinimumWidth(360)
        browse = QPushButton("&Browse…")
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        file_label = QLabel("F&ile:")
        file_label.setBuddy(self.path_edit)
        note = named(
            QLabel("The analytics dashboard's charts, each above its table, drawn for a black-and-white printer."),
            "muted",
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(note)
        form.addRow("&Scope:", self.scope_box)
        form.addRow("&Paper:", self.page_box)
        form.addRow("&Format:", self.format_box)
        form.addRow(file_label, file_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        form.addRow(self.buttons)
        self.setLayout(form)
        self._suggest()
        self.scope_box.currentIndexChanged.connect(self._suggest)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        browse.clicked.connect(self._browse)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

    def _suggest(self) -> None:
        stem = self.scopes[self.scope_box.currentIndex()].file_stem
        self.path_edit.setText(str(self.folder / f"{stem}{self.format_box.currentData()}"))

    def _format_changed(self) -> None:
        path = Path(self.path_edit.text() or "blocksim-report")
        self.path_edit.setText(str(path.with_suffix(self.format_box.currentData())))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save report", self.path_edit.text(), "PDF (*.pdf);;HTML (*.html *.htm)"
        )
        if chosen:
            self.path_edit.setText(chosen)

    def request(self) -> ReportRequest:
        """What is chosen now; raises BlocksimError for a file name that is neither .html nor .pdf."""
        path = Path(self.path_edit.text()).expanduser()
        report_format(path)
        return ReportRequest(self.scopes[self.scope_box.currentIndex()].query, self.page_box.currentData(), path)

    def _accept(self) -> None:
        try:
            self.request()
        except BlocksimError as exc:
            show_error(self, "Report not saved", str(exc))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, scopes: list[ReportScope], page: str, folder: Path) -> ReportRequest | None:
        """Show the dialog; None when cancelled (tests patch this)."""
        dialog = cls(scopes, page, folder, parent)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None


def report_scopes(nav: Navigator) -> list[ReportScope]:
    """The dialog's choices: the block or day on show (results, day summary or the dashboard's scope) first,
    then all history with the dashboard's date range and pack filter."""
    screens, current = nav.screens, nav.current()
    scopes: list[ReportScope] = []
    if current is screens.built("results") and screens.results.review is not None:
        block = screens.results.review.session.id
        scopes.append(ReportScope(f"This block ({block})", DashboardQuery("session", block), f"blocksim-block-{block}"))
    elif current is screens.built("day_summary") and screens.day_summary.day_id is not None:
        day = screens.day_summary.day_id
        scopes.append(ReportScope(f"This exam day ({day})", DashboardQuery("day", day), f"blocksim-day-{day}"))
    elif current is screens.built("analytics"):
        shown = screens.analytics.query()
        if shown.scope != "all" and shown.target is not None:
            what = "block" if shown.scope == "session" else "exam day"
            stem = f"blocksim-{'block' if shown.scope == 'session' else 'day'}-{shown.target}"
            scopes.append(ReportScope(f"This {what} ({shown.target})", shown, stem))
    history = screens.analytics.history_query()
    label = "All history"
    if history.since is not None and history.until is not None:
        label += f", {history.since} to {history.until}"
    if history.pack is not None:
        label += f", pack {screens.analytics.pack_box.currentText()}"
    scopes.append(ReportScope(label, history, "blocksim-history"))
    return scopes


def report_saver(parent: QWidget, services: Services, nav: Navigator, pool: QThreadPool) -> ReportSaver:
    """The window's report saver: loads through the services, offers the scopes of the screen on show."""
    status = parent.statusBar() if isinstance(parent, QMainWindow) else None
    return ReportSaver(
        lambda query, progress: services.reports.load(query, progress.step),
        partial(report_scopes, nav),
        pool,
        status.showMessage if status is not None else (lambda _text: None),
        parent,
    )


def documents_folder() -> Path:
    """Where a report is suggested: the user's documents folder (or home)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


class ReportSaver(QObject):
    """Runs one report at a time: load on the worker, render on the GUI thread, write on the worker."""

    def __init__(
        self,
        load: Callable[[DashboardQuery, Progress], ReportData],
        scopes: Callable[[], list[ReportScope]],
        pool: QThreadPool,
        notify: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._scopes = scopes
        self._pool = pool
        self._notify = notify
        self._window = parent
        self._op: QueryOp[object] | None = None
        self._request: ReportRequest | None = None
        self._data: ReportData | None = None
        self._figures: Iterator[Figure] | None = None
        self._rendered: list[RenderedFigure] = []
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._render_next)
        self.progress = QProgressDialog("Reading the history…", "Cancel", 0, 0, parent)
        self.progress.setWindowTitle("Saving the report")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self.progress.reset()
        self.saved: Path | None = None
        """The last report written (for the status bar and the tests)."""

    @property
    def busy(self) -> bool:
        """Whether a report is being made."""
        return self._request is not None

    def save(self) -> None:
        """The menu action: ask, then make the report."""
        if self.busy:
            return
        request = SaveReportDialog.ask(self._window, self._scopes(), default_page_size(), documents_folder())
        if request is not None:
            self.start(request)

    def start(self, request: ReportRequest) -> None:
        """Make the report ``request`` asks for."""
        self._request = request
        self.progress.setLabelText("Reading the history…")
        self.progress.setRange(0, 0)
        self.progress.setValue(0)
        self.progress.show()
        query = request.query
        op: QueryOp[object] = QueryOp(
            lambda progress: self._load(query, progress), self._loaded, self._failed, self._pool, self
        )
        op.progressed.connect(self._progressed)
        self._op = op.run_in_background()

    def cancel(self) -> None:
        """Stop wherever it is; no file is written."""
        if self._op is not None and self._op.running:
            self._op.cancel()
        self._finish()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _loaded(self, data: object) -> None:
        assert isinstance(data, ReportData)
        self._data = data
        self._rendered = []
        self._figures = iter(report_figures(data))
        self.progress.setLabelText("Drawing the charts…")
        self.progress.setRange(0, 0 if data.empty else len(NAMES))
        self._timer.start()

    def _render_next(self) -> None:
        # One chart per turn of the event loop: Cancel and the window stay responsive.
        figure = next(self._figures, None) if self._figures is not None else None
        if figure is not None:
            self._rendered.append(render_figure(figure))
            self.progress.setValue(len(self._rendered))
            return
        self._timer.stop()
        self._figures = None
        request, data, rendered = self._request, self._data, self._rendered
        if request is None or data is None:
            return
        self.progress.setLabelText(f"Writing {request.path.name}…")
        self.progress.setRange(0, 0)
        # Laying out and writing the pages takes a while (half a second for a long PDF): on the worker.
        # The charts are PNG bytes by now; a text document and a PDF writer may be used off the GUI thread.
        op: QueryOp[object] = QueryOp(
            lambda _progress: write_report(data, rendered, request.path, request.page),
            self._written,
            self._failed,
            self._pool,
            self,
        )
        self._op = op.run_in_background()

    def _written(self, _result: object) -> None:
        path = self._request.path if self._request is not None else None
        self._finish()
        if path is not None:
            self.saved = path
            self._notify(f"Report saved to {path}")

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if not isinstance(error, BlocksimError):
            raise error
        show_error(self._window, "Report not saved", str(error))

    def _finish(self) -> None:
        self._timer.stop()
        self._figures = None
        self._data = None
        self._rendered = []
        self._request = None
        self.progress.reset()
        self.progress.hide()

"""File → Import…: choose any supported file, read and install it on the window's worker with a progress
dialog, show the summary.

The summary is the CLI's: imported or updated counts, skipped questions per kind, and warnings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.core.errors import BlocksimError
from app.core.importers import ImportResult
from app.core.records import ImportOutcome
from app.services.packs import PackService
from app.ui.widgets.dialogs import show_error
from app.ui.workers import Progress, QueryOp

FILE_FILTER = (
    "Question files (*.zip *.json *.jsonl *.csv *.xml *.txt *.gift *.qti);;"
    "Blocksim packs (*.zip pack.json);;MedQA JSONL (*.jsonl);;CSV (*.csv);;Moodle XML or QTI (*.xml);;"
    "GIFT (*.txt *.gift);;All files (*)"
)
PROGRESS_THRESHOLD = 300  # items; smaller files read faster than a dialog can appear
MAX_WARNINGS_SHOWN = 12


def ask_import_path(parent: QWidget) -> Path | None:
    """The file the user chose to import, or None (tests patch this)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Import questions", "", FILE_FILTER)
    return Path(path) if path else None


def show_summary(parent: QWidget, title: str, text: str) -> None:
    """The import summary (tests patch this)."""
    QMessageBox.information(parent, title, text)


def summary_text(result: ImportResult, outcome: ImportOutcome) -> str:
    """What an import did, in the CLI's words."""
    pack = result.loaded_pack.pack
    if outcome.unchanged:
        head = f"{pack.id} {pack.version} is already installed; nothing changed."
    elif outcome.previous_version:
        head = (
            f"Updated {pack.id} {outcome.previous_version} → {pack.version}: {outcome.added} added, "
            f"{outcome.updated} updated, {outcome.retired} retired."
        )
    else:
        head = f"Imported {pack.id} {pack.version} ({pack.title}): {outcome.added} questions."
    lines = result.summary_lines()
    shown = lines[:MAX_WARNINGS_SHOWN]
    if len(lines) > len(shown):
        shown.append(f"... and {len(lines) - len(shown)} more")
    return "\n\n".join([head, "\n".join(shown)]) if shown else head


def start_import(
    parent: QWidget, packs: PackService, path: Path, pool: QThreadPool, imported: Callable[[], None]
) -> QueryOp[tuple[ImportResult, ImportOutcome]]:
    """Read and install one file on the window's worker, with a progress dialog; then show the summary.

    The GUI thread stays free meanwhile (a block's clock ticks on, so a long import never looks like
    sleep). Any problem shows one dialog and changes nothing; ``imported`` runs after a success.
    """
    dialog = QProgressDialog(f"Reading {path.name}…", "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.reset()  # shown only once a file proves large

    def work(progress: Progress) -> tuple[ImportResult, ImportOutcome]:
        result = packs.load(path, progress=progress.step)
        [outcome] = packs.install_all([(path, result)])
        return result, outcome

    def progressed(done: int, total: int) -> None:
        if total <= PROGRESS_THRESHOLD:
            return
        dialog.setMaximum(total)
        dialog.setValue(done)
        if done >= total:
            dialog.setLabelText(f"Installing {path.name}…")

    def succeeded(done: tuple[ImportResult, ImportOutcome]) -> None:
        dialog.reset()
        result, outcome = done
        show_summary(parent, "Questions imported", summary_text(result, outcome))
        imported()

    def failed(error: BaseException) -> None:
        dialog.reset()
        if not isinstance(error, BlocksimError):
            raise error
        show_error(parent, "Nothing imported", f"Nothing was imported.\n\n{error}")

    op = QueryOp(work, succeeded, failed, pool, parent)
    op.progressed.connect(progressed)
    op.done.connect(dialog.deleteLater)
    op.done.connect(op.deleteLater)
    return op.run_in_background()

"""File → Import…: choose any supported file, read it with a progress dialog, install it, show the summary.

The summary is the CLI's: imported or updated counts, skipped questions per kind, and warnings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.core.errors import BlocksimError
from app.core.importers import ImportResult
from app.core.records import ImportOutcome
from app.services.packs import PackService
from app.ui.widgets.dialogs import show_error

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


def run_import(parent: QWidget, packs: PackService, path: Path) -> ImportOutcome | None:
    """Read, install and summarise one file; any problem shows one dialog and changes nothing."""
    dialog = QProgressDialog(f"Reading {path.name}…", "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.reset()  # shown only once a file proves large

    def progress(done: int, total: int) -> None:
        if total <= PROGRESS_THRESHOLD:
            return
        dialog.setMaximum(total)
        dialog.setValue(done)

    try:
        result = packs.load(path, progress=progress)
        [outcome] = packs.install_all([(path, result)])
    except BlocksimError as exc:
        dialog.reset()
        show_error(parent, "Nothing imported", f"Nothing was imported.\n\n{exc}")
        return None
    dialog.reset()
    show_summary(parent, "Questions imported", summary_text(result, outcome))
    return outcome

""" "Export misses to Anki…" on the review screen: choose where, write the .apkg, say what was written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.core.errors import BlocksimError
from app.services.anki_export import ExportSummary, Selection, export_apkg
from app.storage.repositories import Store
from app.ui.widgets.dialogs import show_error


def ask_save_path(parent: QWidget, suggested: str) -> Path | None:
    """Where to write the package, or None (tests patch this)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export misses to Anki", suggested, "Anki package (*.apkg)")
    if not path:
        return None
    return Path(path if path.endswith(".apkg") else path + ".apkg")


def show_done(parent: QWidget, text: str) -> None:
    """The confirmation (tests patch this)."""
    QMessageBox.information(parent, "Exported to Anki", text)


def export_misses(parent: QWidget, store: Store, session_id: int) -> ExportSummary | None:
    """Export the incorrect and unanswered items of one block as an Anki package."""
    target = ask_save_path(parent, f"blocksim-block-{session_id}-misses.apkg")
    if target is None:
        return None
    try:
        summary = export_apkg(store, Selection("session-missed", session_id), target)
    except BlocksimError as exc:
        show_error(parent, "Nothing exported", str(exc))
        return None
    show_done(
        parent,
        f"Wrote {summary.notes} note(s) and {summary.media} image(s) to {target}.\n\n"
        "Import it in Anki (File → Import); exporting again later updates the same notes.",
    )
    return summary

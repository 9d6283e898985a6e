"""File → Backups…: the copies of the store, with "Back up now" and "Open folder".

Restoring is a command-line step on purpose: the open window holds the data folder's lock, and a
store must not be replaced under a running app.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import BlocksimError
from app.services.backups import BackupService
from app.storage.backup import BackupInfo, BackupKind
from app.ui.widgets.dialogs import show_error

KIND_LABELS = {
    BackupKind.DAILY: "Daily",
    BackupKind.PRE_MIGRATION: "Before an update",
    BackupKind.MANUAL: "Manual",
    BackupKind.BEFORE_RESTORE: "Replaced by a restore",
}
COLUMNS = ["Made", "Kind", "Size", "File"]


def format_size(size: int) -> str:
    """Bytes as the dialog shows them (kB and MB are powers of 1000, as file managers show them)."""
    if size < 1000:
        return f"{size} B"
    if size < 1000**2:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1000**2:.1f} MB"


def local_time(info: BackupInfo) -> str:
    """When a copy was made, on this computer's clock."""
    return info.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class BackupsDialog(QDialog):
    """Lists the backups of one data folder, newest first; makes a manual one on request."""

    def __init__(self, backups: BackupService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backups = backups
        self.setWindowTitle("Backups")
        self.setObjectName("backupsDialog")
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(COLUMNS)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.folder_note = QLabel(f"In {backups.folder}")
        self.folder_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_note = QLabel("No backup yet. One is made on the first start of each day and before every update.")
        self.empty_note.setWordWrap(True)
        self.restore_note = QLabel(
            "To restore a backup, quit Blocksim and run:<br>"
            f"<code>{backups.restore_command('FILE')}</code><br>"
            "The store it replaces is kept as a backup."
        )
        self.restore_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.back_up_button = buttons.addButton("Back up now", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder_button = buttons.addButton("Open folder", QDialogButtonBox.ButtonRole.ActionRole)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.open_folder_button.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.folder_note)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.restore_note)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self.refresh()

    def refresh(self) -> None:
        """Reread the backups folder."""
        self.model.removeRows(0, self.model.rowCount())
        backups = self._backups.list()
        for info in backups:
            cells = [
                QStandardItem(local_time(info)),
                QStandardItem(KIND_LABELS[info.kind]),
                QStandardItem(format_size(info.size)),
                QStandardItem(info.path.name),
            ]
            cells[3].setToolTip(str(info.path))
            cells[2].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for cell in cells:
                cell.setEditable(False)
            self.model.appendRow(cells)
        self.empty_note.setVisible(not backups)

    def back_up_now(self) -> None:
        """Make a manual copy and show it at the top."""
        try:
            self._backups.back_up()
        except BlocksimError as exc:
            show_error(self, "No backup made", str(exc))
        self.refresh()

    def open_folder(self) -> None:
        """Show the backups folder in the file manager."""
        self._backups.folder.mkdir(parents=True, exist_ok=True)
        self.open_url(QUrl.fromLocalFile(str(self._backups.folder)))

    @staticmethod
    def open_url(url: QUrl) -> None:
        """Hand a folder to the desktop (tests patch this)."""
        QDesktopServices.openUrl(url)

    @classmethod
    def show_for(cls, parent: QWidget | None, backups: BackupService) -> None:
        """Open the dialog modally. Tests patch this classmethod."""
        cls(backups, parent).exec()

"""Backups of the store for the CLI and the Backups dialog (the mechanics are in app/storage/backup.py)."""

from __future__ import annotations

from pathlib import Path

from app.storage import backup
from app.storage.backup import BackupInfo, BackupKind, RestoreOutcome, WallClock
from app.storage.db import DB_FILE, known_revisions


class BackupService:
    """Lists, makes and restores the copies of the store in one data folder."""

    def __init__(self, data_dir: Path, now: WallClock = backup.utc_now) -> None:
        self.data_dir = data_dir
        self.db_path = data_dir / DB_FILE
        self._now = now

    @property
    def folder(self) -> Path:
        """Where the copies live."""
        return backup.backups_dir(self.db_path)

    def list(self) -> list[BackupInfo]:
        """Every copy, newest first."""
        return list(reversed(backup.list_backups(self.db_path)))

    def back_up(self, out: Path | None = None) -> BackupInfo:
        """A manual copy, into the backups folder or into ``out``."""
        return backup.create_backup(self.db_path, BackupKind.MANUAL, now=self._now, out=out)

    def restore(self, source: Path) -> RestoreOutcome:
        """Replace the store with ``source`` (the caller holds the data folder's lock)."""
        return backup.restore(source, self.db_path, known_revisions(), now=self._now)

    def restore_command(self, source: Path | str) -> str:
        """The command a user runs to restore ``source`` into this data folder."""
        return backup.restore_command(self.db_path, Path(source))

"""The data folder's instance lock, seen from the command line (the GUI holds it while a window is open)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QLockFile

from app import paths
from app.core.errors import BackupError


@contextmanager
def no_window_open(data_dir: Path) -> Iterator[None]:
    """Hold the data folder's lock for the block, or refuse when a window holds it.

    Holding it (not only testing it) keeps a window from opening the store halfway through. A lock
    left by a killed process is stale and QLockFile takes it over.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / paths.LOCK_FILE))
    if not lock.tryLock(0):
        raise BackupError(f"Blocksim is open on {data_dir}; quit it first, then run the command again")
    try:
        yield
    finally:
        lock.unlock()

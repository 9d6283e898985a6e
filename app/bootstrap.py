"""The composition root: builds the store, clock and services and hands them to whoever asks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.core.block import DEFAULT_SLEEP_THRESHOLD
from app.core.clock import Clock, MonotonicClock
from app.services.analysis import AnalysisService
from app.services.backups import BackupService
from app.services.blocks import BlockService
from app.services.dashboard import DashboardService
from app.services.days import DayService
from app.services.packs import SEEN_FILE, BundledImport, PackService
from app.services.report import ReportService
from app.storage.db import open_store
from app.storage.repositories import Store
from app.storage.store_file import check_writable_folder

_log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything the CLI and the GUI use."""

    data_dir: Path
    store: Store
    clock: Clock
    packs: PackService
    blocks: BlockService
    days: DayService
    analysis: AnalysisService
    bundled: BundledImport | None = None
    notices: tuple[str, ...] = ()
    """What the user must be told about the store at start (e.g. writes lost with a deleted write-ahead log)."""

    @property
    def dashboard(self) -> DashboardService:
        """The analytics dashboard's figures (built on the analysis)."""
        return DashboardService(self.store, self.analysis)

    @property
    def reports(self) -> ReportService:
        """The printable reports' figures and headers."""
        return ReportService(self.store, self.dashboard)

    @property
    def backups(self) -> BackupService:
        """The copies of this data folder's store."""
        return BackupService(self.data_dir)

    def close(self) -> None:
        """Release the database."""
        self.store.engine.dispose()


def check_data_folder(data_dir: str | Path | None = None) -> Path:
    """The chosen data folder, refused (naming it) when it is read-only: before a window locks it or opens anything."""
    folder = paths.data_dir(data_dir)
    if folder.is_dir():
        check_writable_folder(folder)
    return folder


def build(
    data_dir: str | Path | None = None,
    *,
    clock: Clock | None = None,
    import_bundled: bool = True,
    bundled_dir: Path | None = None,
    sleep_threshold: float = DEFAULT_SLEEP_THRESHOLD,
) -> Services:
    """Open the store in the chosen data folder and wire the services."""
    folder = paths.data_dir(data_dir)
    opened = open_store(folder)
    for notice in opened.notices:
        _log.warning("%s", notice)
    store = Store(opened.engine)
    chosen_clock: Clock = clock or MonotonicClock()
    blocks = BlockService(store, chosen_clock, sleep_threshold)
    services = Services(
        data_dir=folder,
        store=store,
        clock=chosen_clock,
        packs=PackService(store),
        blocks=blocks,
        days=DayService(store, chosen_clock, blocks),
        analysis=AnalysisService(store),
        notices=opened.notices,
    )
    if import_bundled:
        services.bundled = services.packs.import_bundled(bundled_dir or paths.bundled_packs_dir(), folder / SEEN_FILE)
    return services

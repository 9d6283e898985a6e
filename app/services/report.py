"""What a printable report holds: the dashboard of its scope and the header that says what it covers.

The figures are the dashboard's (:class:`DashboardService`); this adds only what a reader of a sheet of
paper needs to know and the screen shows around it: the scope, the dates of the first and last
sitting, the packs the items came from and when the report was made (local time). No Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.core.errors import ReportError
from app.services.dashboard import Dashboard, DashboardQuery, DashboardService, Report
from app.storage.repositories import Store

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}
"""A report's format, by the extension of the file it is written to."""
NOTHING_SAT = "Nothing sat in this range yet"


def report_format(path: Path) -> str:
    """ "html" or "pdf" from ``path``'s extension; raises ReportError for any other."""
    chosen = FORMATS.get(Path(path).suffix.lower())
    if chosen is None:
        raise ReportError(f"cannot write a report to {path}: the file name must end in .html or .pdf")
    return chosen


def _local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class ReportHeading:
    """The header of a report: what it covers and when it was made."""

    scope: str
    first: date | None
    last: date | None
    packs: tuple[str, ...]
    generated: datetime
    """Local time, with its UTC offset."""

    @property
    def dates(self) -> str:
        """The sittings' dates, e.g. "2026-11-02 to 2026-11-30" (or "no sitting")."""
        if self.first is None or self.last is None:
            return "no sitting"
        return self.first.isoformat() if self.first == self.last else f"{self.first} to {self.last}"


@dataclass(frozen=True)
class ReportData:
    """Everything a report draws."""

    heading: ReportHeading
    board: Dashboard

    @property
    def empty(self) -> bool:
        """Nothing sat in the scope: the report says so instead of drawing empty axes."""
        return self.board.empty


class ReportService:
    """Loads the figures and the header of a report (on a worker in the app: it replays the history)."""

    def __init__(self, store: Store, dashboard: DashboardService, now: Callable[[], datetime] = _local_now) -> None:
        self.store = store
        self.dashboard = dashboard
        self.now = now

    def load(self, query: DashboardQuery, report: Report | None = None) -> ReportData:
        """The report of ``query``; unknown blocks or days raise AnalysisError (``report`` as for the dashboard)."""
        board = self.dashboard.load(query, report)
        return ReportData(self.heading(board), board)

    def heading(self, board: Dashboard) -> ReportHeading:
        """The scope, dates and packs of ``board``'s sittings."""
        ids = set(board.analysis.session_ids)
        sittings = [s for s in self.store.sessions(status="finished") if s.id in ids]
        days = sorted(datetime.fromisoformat(s.created_at).astimezone().date() for s in sittings)
        titles = {p.id: p.title for p in self.store.packs()}
        used = sorted({pack for packs in self.store.session_packs(ids).values() for pack in packs})
        return ReportHeading(
            scope=self._scope(board.query, titles),
            first=days[0] if days else None,
            last=days[-1] if days else None,
            packs=tuple(titles.get(pack, pack) for pack in used),
            generated=self.now(),
        )

    @staticmethod
    def _scope(query: DashboardQuery, titles: dict[str, str]) -> str:
        if query.scope == "session":
            return f"Block {query.target}"
        if query.scope == "day":
            return f"Exam day {query.target}"
        text = "All history"
        if query.since is not None:
            text += f" from {query.since}"
        if query.until is not None:
            text += f" until {query.until}"
        if query.pack is not None:
            text += f", pack {titles.get(query.pack, query.pack)}"
        return text

"""What the analytics dashboard shows: one analysis for a block, a day or (a slice of) the history.

The figures all come from :mod:`app.core.analysis`; this module only chooses the sittings (scope,
date range, pack), picks the fast path for a long unfiltered history, and adds the time histogram
and the reason counts. No Qt: the screen runs :meth:`DashboardService.load` on its worker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from app.core.analysis.histogram import BIN_SECONDS, TimeHistogram, histogram_from_bins, time_histogram
from app.core.analysis.result import Analysis
from app.core.errors import AnalysisError
from app.core.records import SessionInfo
from app.services.analysis import AnalysisService
from app.storage.repositories import Store

REPLAY_LIMIT = 500
"""Up to this many blocks the whole history is replayed (every item listed); beyond it, derived facts are summed."""

Report = Callable[[int, int], None]


@dataclass(frozen=True)
class DashboardQuery:
    """Which sittings to analyse: ``scope`` is "all", "session" (``target`` a block) or "day" (``target`` a day)."""

    scope: str = "all"
    target: int | None = None
    since: date | None = None
    until: date | None = None
    pack: str | None = None

    @property
    def filtered(self) -> bool:
        """Whether a date range or a pack narrows the history."""
        return self.since is not None or self.until is not None or self.pack is not None


@dataclass(frozen=True)
class ReasonCount:
    """Missed items per reason: suggested by their patterns, and confirmed by the user."""

    reason: str
    name: str
    suggested: int
    confirmed: int


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard draws."""

    query: DashboardQuery
    analysis: Analysis
    histogram: TimeHistogram
    reasons: tuple[ReasonCount, ...]
    itemised: bool
    """Whether every item is listed (False: a long history summed from the derived facts)."""
    pass_line: float
    """The accuracy the pass line is drawn at (``resources/analysis.json``)."""

    @property
    def empty(self) -> bool:
        """Nothing scored: the screen shows what to do instead."""
        return self.analysis.empty


def _local_date(created_at: str) -> date:
    return datetime.fromisoformat(created_at).astimezone().date()


class DashboardService:
    """Loads dashboards from the store."""

    def __init__(self, store: Store, analysis: AnalysisService) -> None:
        self.store = store
        self.analysis = analysis

    def sittings(self, query: DashboardQuery) -> list[SessionInfo]:
        """The finished blocks of the history that match the date range and pack (local dates, inclusive)."""
        blocks = self.store.sessions(status="finished", kind="block")
        if query.since is not None:
            blocks = [b for b in blocks if _local_date(b.created_at) >= query.since]
        if query.until is not None:
            blocks = [b for b in blocks if _local_date(b.created_at) <= query.until]
        if query.pack is not None:
            packs = self.store.session_packs(b.id for b in blocks)
            blocks = [b for b in blocks if query.pack in packs.get(b.id, ())]
        return blocks

    def load(self, query: DashboardQuery, report: Report | None = None) -> Dashboard:
        """The dashboard of ``query`` (``report(done, total)`` is called as it goes; it may raise to cancel)."""
        step = report or (lambda done, total: None)
        step(0, 3)
        itemised = True
        if query.scope == "session":
            if query.target is None:
                raise AnalysisError("choose a block to analyse")
            analysis = self.analysis.session(query.target)
        elif query.scope == "day":
            if query.target is None:
                raise AnalysisError("choose an exam day to analyse")
            analysis = self.analysis.day(query.target)
        elif query.filtered:
            analysis = self.analysis.blocks(self.sittings(query))
        else:
            # Counted, not listed: building thousands of session records on the worker holds the GIL
            # and stalls the window for nothing when the derived facts answer anyway.
            itemised = self.store.count_sessions(status="finished", kind="block") <= REPLAY_LIMIT
            if itemised:
                analysis = self.analysis.blocks(self.store.sessions(status="finished", kind="block"))
            else:
                analysis = self.analysis.history()
        step(2, 3)
        settings = self.analysis.settings
        if itemised:
            histogram = time_histogram(
                (i.facts.time_on_item_s for i in analysis.items if i.facts.scored), analysis.pace_s, settings
            )
        else:
            histogram = histogram_from_bins(self.store.item_fact_time_bins(BIN_SECONDS), analysis.pace_s, settings)
        step(3, 3)
        return Dashboard(query, analysis, histogram, self._reasons(analysis, itemised), itemised, settings.pass_line)

    def _reasons(self, analysis: Analysis, itemised: bool) -> tuple[ReasonCount, ...]:
        taxonomy = self.analysis.taxonomy
        suggested = Counter(i.suggested_reason for i in analysis.items if i.suggested_reason is not None)
        if itemised:
            confirmed = Counter(i.reason for i in analysis.items if i.reason is not None and i.facts.missed)
        else:
            confirmed = Counter(self.store.item_reasons(analysis.session_ids).values())
        return tuple(
            ReasonCount(r.id, r.name, suggested[r.id], confirmed[r.id])
            for r in taxonomy.reasons
            if suggested[r.id] or confirmed[r.id]
        )

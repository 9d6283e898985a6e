"""Use case: the items of a block, a day or (a slice of) the history, for the review screen. No Qt.

Every figure (result, time on item, patterns, suggested and given reason) comes from the analysis of
:mod:`app.core.analysis`; this module adds what the screen filters by (discipline, system, pack, the
date the block was sat) and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from app.core.analysis.result import Analysis, ItemAnalysis
from app.core.errors import AnalysisError
from app.services.analysis import AnalysisService
from app.services.dashboard import DashboardQuery, DashboardService
from app.storage.repositories import Store

Report = Callable[[int, int], None]


@dataclass(frozen=True)
class ReviewItem:
    """One item as sat, with what the review screen filters and sorts by."""

    analysis: ItemAnalysis
    sat_on: date
    """The local date its block was sat."""
    discipline: str | None
    system: str | None

    @property
    def session_id(self) -> int:
        """The block it was sat in."""
        return self.analysis.facts.session_id

    @property
    def position(self) -> int:
        """0-based position in that block."""
        return self.analysis.facts.position

    @property
    def key(self) -> int | None:
        """The question's store key (None when its pack was removed)."""
        return self.analysis.facts.question_key

    @property
    def result(self) -> str:
        """ "correct", "incorrect" or "unanswered" (an unscored item counts as unanswered)."""
        facts = self.analysis.facts
        if facts.correct:
            return "correct"
        return "incorrect" if facts.answered and facts.scored else "unanswered"

    @property
    def missed(self) -> bool:
        """Incorrect or unanswered: the items that take a reason."""
        return self.result != "correct"

    @property
    def reason(self) -> str | None:
        """The user's reason, else the suggested one (None for a correct item)."""
        return self.analysis.reason or self.analysis.suggested_reason

    def with_reason(self, reason: str) -> ReviewItem:
        """The same item once the user gave ``reason``."""
        return replace(self, analysis=replace(self.analysis, reason=reason))


@dataclass(frozen=True)
class ReviewItems:
    """The items of a query, in the order sat."""

    query: DashboardQuery
    items: tuple[ReviewItem, ...]
    messages: tuple[str, ...] = ()


def _local_date(created_at: str) -> date:
    return datetime.fromisoformat(created_at).astimezone().date()


class ItemReviewService:
    """Loads the items of a query with the analysis' patterns and reasons."""

    def __init__(self, store: Store, analysis: AnalysisService) -> None:
        self.store = store
        self.analysis = analysis
        self.dashboard = DashboardService(store, analysis)

    def _analysis(self, query: DashboardQuery) -> Analysis:
        if query.scope == "session":
            if query.target is None:
                raise AnalysisError("choose a block to review")
            return self.analysis.session(query.target)
        if query.scope == "day":
            if query.target is None:
                raise AnalysisError("choose an exam day to review")
            return self.analysis.day(query.target)
        return self.analysis.blocks(self.dashboard.sittings(query))

    def load(self, query: DashboardQuery, report: Report | None = None) -> ReviewItems:
        """The items of ``query`` (``report(done, total)`` is called as it goes; it may raise to cancel)."""
        step = report or (lambda done, total: None)
        step(0, 3)
        analysis = self._analysis(query)
        step(1, 3)
        wanted = set(analysis.session_ids)
        sat = {s.id: _local_date(s.created_at) for s in self.store.sessions(kind="block") if s.id in wanted}
        keys = {i.facts.question_key for i in analysis.items if i.facts.question_key is not None}
        meta = self.store.question_metadata(keys)
        step(2, 3)
        items = []
        for item in analysis.items:
            key = item.facts.question_key
            data = meta[key][1] if key is not None and key in meta else {}
            if query.pack is not None and item.pack_id != query.pack:
                continue
            items.append(ReviewItem(item, sat[item.facts.session_id], data.get("discipline"), data.get("system")))
        step(3, 3)
        return ReviewItems(query, tuple(items), analysis.messages)

"""Choosing the questions of a block: filters, pools and a seeded random order."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from app.core.errors import NotEnoughQuestionsError

MAX_BLOCK_SIZE = 40
DEFAULT_BLOCK_SIZE = 40
DEFAULT_BLOCK_MINUTES = 60
DEFAULT_RECENT_DAYS = 7
SECONDS_PER_ITEM = 90


class Pool(StrEnum):
    """Which of the user's questions a block draws from."""

    ALL = "all"
    UNUSED = "unused"
    INCORRECT = "incorrect"
    MARKED = "marked"
    RECENT_INCORRECT = "recent-incorrect"
    """Answered wrong (or left unanswered) in a finished block of the last ``BlockFilter.recent_days`` days."""
    FLAGGED = "flagged"
    """Its latest finished sitting showed a mistake pattern (docs/analytics.md)."""


@dataclass(frozen=True)
class Candidate:
    """A question that could go into a block, with the user's history of it."""

    key: int
    pack_id: str
    discipline: str | None
    system: str | None
    task: str | None = None
    used: bool = False
    last_incorrect: bool = False
    marked: bool = False
    incorrect_days_ago: int | None = None
    """Days since the latest finished sitting that got it wrong (0: today); None if never wrong."""
    flagged: bool = False
    """Its latest finished sitting showed a mistake pattern (filled in only for the flagged pool)."""


@dataclass(frozen=True)
class BlockFilter:
    """The builder's choices (empty sets mean "any")."""

    packs: frozenset[str] = field(default_factory=frozenset)
    disciplines: frozenset[str] = field(default_factory=frozenset)
    systems: frozenset[str] = field(default_factory=frozenset)
    pool: Pool = Pool.ALL
    recent_days: int = DEFAULT_RECENT_DAYS
    """The N of "incorrect in the last N days"."""

    def accepts(self, candidate: Candidate) -> bool:
        """Whether a candidate passes every filter."""
        if self.packs and candidate.pack_id not in self.packs:
            return False
        if self.disciplines and (candidate.discipline or "unclassified") not in self.disciplines:
            return False
        if self.systems and (candidate.system or "unclassified") not in self.systems:
            return False
        if self.pool is Pool.UNUSED:
            return not candidate.used
        if self.pool is Pool.INCORRECT:
            return candidate.last_incorrect
        if self.pool is Pool.MARKED:
            return candidate.marked
        if self.pool is Pool.RECENT_INCORRECT:
            return candidate.incorrect_days_ago is not None and candidate.incorrect_days_ago < self.recent_days
        if self.pool is Pool.FLAGGED:
            return candidate.flagged
        return True


def matching(candidates: Sequence[Candidate], block_filter: BlockFilter) -> list[Candidate]:
    """The candidates a filter accepts, in a stable order."""
    return sorted((c for c in candidates if block_filter.accepts(c)), key=lambda c: c.key)


@dataclass(frozen=True)
class CategoryCounts:
    """How many questions match a filter, in all and per discipline and system (``unclassified`` included).

    A discipline's count ignores the disciplines ticked (it is what ticking that one would match, with the
    packs, pool and systems as chosen); a system's count likewise ignores the systems ticked.
    """

    total: int
    disciplines: dict[str, int]
    systems: dict[str, int]


def category_counts(candidates: Sequence[Candidate], block_filter: BlockFilter) -> CategoryCounts:
    """Count the candidates a filter accepts, and per category as :class:`CategoryCounts` describes."""
    any_discipline = replace(block_filter, disciplines=frozenset())
    any_system = replace(block_filter, systems=frozenset())
    total = 0
    disciplines: dict[str, int] = {}
    systems: dict[str, int] = {}
    for candidate in candidates:
        total += block_filter.accepts(candidate)
        if any_discipline.accepts(candidate):
            key = candidate.discipline or "unclassified"
            disciplines[key] = disciplines.get(key, 0) + 1
        if any_system.accepts(candidate):
            key = candidate.system or "unclassified"
            systems[key] = systems.get(key, 0) + 1
    return CategoryCounts(total, disciplines, systems)


def default_minutes(size: int) -> float:
    """60 minutes for a full block, otherwise 90 seconds per item."""
    if size >= DEFAULT_BLOCK_SIZE:
        return float(DEFAULT_BLOCK_MINUTES)
    return size * SECONDS_PER_ITEM / 60


def draw(candidates: Sequence[Candidate], block_filter: BlockFilter, size: int, seed: int) -> list[Candidate]:
    """``size`` matching candidates in a random order fixed by ``seed``."""
    if not 1 <= size <= MAX_BLOCK_SIZE:
        raise ValueError(f"a block holds 1 to {MAX_BLOCK_SIZE} items")
    pool = matching(candidates, block_filter)
    if len(pool) < size:
        raise NotEnoughQuestionsError(size, len(pool))
    return random.Random(seed).sample(pool, size)

"""Small value types that cross the storage boundary (never live ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.pack_format import Question


@dataclass(frozen=True)
class PackInfo:
    """An installed pack."""

    id: str
    title: str
    version: str
    question_count: int
    license: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class StoredQuestion:
    """A question with its store key and pack (and, when read from a session, the hash of its snapshot)."""

    key: int
    pack_id: str
    question: Question
    content_hash: str | None = None


@dataclass(frozen=True)
class SessionInfo:
    """A stored session (a block, or a day's block) without its events."""

    id: int
    kind: str
    mode: str
    status: str
    time_limit: float | None
    item_count: int
    seed: int
    created_at: str
    ended_at: str | None
    checkpoint: float
    settings: dict[str, Any] = field(default_factory=dict)
    parent_id: int | None = None
    parent_index: int | None = None


@dataclass(frozen=True)
class ImportOutcome:
    """What an import changed."""

    pack_id: str
    version: str
    previous_version: str | None
    added: int
    updated: int
    retired: int

    @property
    def unchanged(self) -> bool:
        """The same version was already installed."""
        return self.previous_version == self.version

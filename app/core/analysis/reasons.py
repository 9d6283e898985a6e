"""Why an item was missed: the taxonomy in ``resources/error_reasons.json`` and the suggested reason."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from app.core.analysis.thresholds import PATTERNS
from app.paths import resource


class ReasonCategory(BaseModel):
    """Test-taking or learning."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Literal["test-taking", "learning"]
    name: str
    description: str


class Reason(BaseModel):
    """One reason a user can give (or be suggested) for a miss."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    category: Literal["test-taking", "learning"]
    name: str
    description: str


class Suggestion(BaseModel):
    """A pattern and the reason it suggests (``if_right_before``: when the question was once answered right)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str
    reason: str
    if_right_before: str | None = None


class ReasonTaxonomy(BaseModel):
    """The reasons file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    note: str = ""
    source: str
    categories: tuple[ReasonCategory, ...]
    reasons: tuple[Reason, ...]
    suggestions: tuple[Suggestion, ...]
    fallback: str

    @model_validator(mode="after")
    def _references(self) -> ReasonTaxonomy:
        ids = {r.id for r in self.reasons}
        if len(ids) != len(self.reasons):
            raise ValueError("duplicate reason ids")
        for suggestion in self.suggestions:
            if suggestion.pattern not in PATTERNS:
                raise ValueError(f"unknown pattern {suggestion.pattern!r} in suggestions")
            for reason in (suggestion.reason, suggestion.if_right_before):
                if reason is not None and reason not in ids:
                    raise ValueError(f"unknown reason {reason!r} in suggestions")
        if self.fallback not in ids:
            raise ValueError(f"unknown fallback reason {self.fallback!r}")
        return self

    def ids(self) -> tuple[str, ...]:
        """Every reason id."""
        return tuple(r.id for r in self.reasons)

    def get(self, reason_id: str) -> Reason:
        """A reason by id."""
        for reason in self.reasons:
            if reason.id == reason_id:
                return reason
        raise KeyError(reason_id)

    def suggest(self, patterns: tuple[str, ...], right_before: bool = False) -> str:
        """The suggested reason for a miss showing ``patterns``: the first matching suggestion."""
        for suggestion in self.suggestions:
            if suggestion.pattern in patterns:
                if right_before and suggestion.if_right_before is not None:
                    return suggestion.if_right_before
                return suggestion.reason
        return self.fallback


def load_taxonomy(path: Path) -> ReasonTaxonomy:
    """Read and validate a reasons file."""
    return ReasonTaxonomy.model_validate(json.loads(path.read_text(encoding="utf-8")))


@cache
def default_taxonomy() -> ReasonTaxonomy:
    """The taxonomy shipped in ``resources/error_reasons.json`` (read once)."""
    return load_taxonomy(resource("error_reasons.json"))

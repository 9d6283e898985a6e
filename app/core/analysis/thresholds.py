"""The analysis thresholds, as data: ``resources/analysis.json``, validated once when loaded."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from app.paths import resource

PATTERNS: tuple[str, ...] = (
    "rushed",
    "end-of-block-rush",
    "time-sink",
    "changed-right-to-wrong",
    "changed-wrong-to-right",
    "changed-wrong-to-wrong",
    "missed-keyword",
    "knowledge-gap",
    "unanswered",
)
"""The item pattern ids (fixed strings of the public interface), in reporting order."""

FATIGUE = "fatigue"
"""The block/day pattern id."""

DIMENSIONS: tuple[str, ...] = ("discipline", "system", "task", "topic")


def bit(pattern: str) -> int:
    """The flag bit of an item pattern (how the derived facts table stores patterns)."""
    return 1 << PATTERNS.index(pattern)


class Qualifiers(BaseModel):
    """Decisive words of a lead-in, looked for as whole words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_sensitive: tuple[str, ...]
    case_insensitive: tuple[str, ...]


class PublishedChangeRates(BaseModel):
    """What share of answer changes goes each way in the literature."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    wrong_to_right: float = Field(ge=0, le=1)
    right_to_wrong: float = Field(ge=0, le=1)
    wrong_to_wrong: float = Field(ge=0, le=1)
    source: str


class AnalysisSettings(BaseModel):
    """Every threshold of the mistake patterns, the pass line and the user's target."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    note: str = ""
    pass_line: float = Field(gt=0, lt=1)
    target_accuracy: float = Field(gt=0, le=1)
    confidence: float = Field(gt=0.5, lt=1)
    rushed_below_pace_fraction: float = Field(gt=0)
    end_rush_last_fraction_of_limit: float = Field(gt=0, lt=1)
    time_sink_above_pace_multiple: float = Field(gt=0)
    missed_keyword_below_pace_fraction: float = Field(gt=0)
    knowledge_gap_min_pace_fraction: float = Field(ge=0)
    knowledge_gap_dimensions: tuple[str, ...]
    triage_min_items: int = Field(ge=1)
    qualifiers: Qualifiers
    published_change_rates: PublishedChangeRates

    def fingerprint(self) -> str:
        """Changes whenever a threshold does (the derived facts table is rebuilt then)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]


def load_settings(path: Path) -> AnalysisSettings:
    """Read and validate a thresholds file."""
    settings = AnalysisSettings.model_validate(json.loads(path.read_text(encoding="utf-8")))
    unknown = [d for d in settings.knowledge_gap_dimensions if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"{path}: unknown knowledge_gap_dimensions {unknown}; allowed: {', '.join(DIMENSIONS)}")
    return settings


@cache
def default_settings() -> AnalysisSettings:
    """The thresholds shipped in ``resources/analysis.json`` (read once)."""
    return load_settings(resource("analysis.json"))

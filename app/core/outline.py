"""The Step 2 CK content outline: the controlled vocabulary of disciplines, systems and tasks.

Kept as data in ``resources/content_outline.json`` with the published percentage ranges,
which analytics later use to weight weak areas and the day builder to draw in proportion.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.paths import resource

UNCLASSIFIED = "unclassified"


class OutlineCategory(BaseModel):
    """One category of one dimension, with its share of an exam form in percent."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    min: float = Field(ge=0, le=100)
    max: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _range_ordered(self) -> OutlineCategory:
        if self.min > self.max:
            raise ValueError(f"{self.slug}: min {self.min} is above max {self.max}")
        return self

    @property
    def midpoint(self) -> float:
        """The middle of the published range, used as a target weight."""
        return (self.min + self.max) / 2


class ContentOutline(BaseModel):
    """The three dimensions a question is classified on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    source: str
    note: str = ""
    disciplines: tuple[OutlineCategory, ...]
    systems: tuple[OutlineCategory, ...]
    tasks: tuple[OutlineCategory, ...]

    def slugs(self, dimension: str) -> tuple[str, ...]:
        """The allowed values of ``dimension`` ("discipline", "system" or "task")."""
        return tuple(c.slug for c in self.dimension(dimension))

    def dimension(self, dimension: str) -> tuple[OutlineCategory, ...]:
        """The categories of one dimension, by its singular field name."""
        table = {"discipline": self.disciplines, "system": self.systems, "task": self.tasks}
        return table[dimension]

    def name_of(self, dimension: str, slug: str | None) -> str:
        """The display name of a slug; unclassified for ``None``."""
        if slug is None:
            return "Unclassified"
        for category in self.dimension(dimension):
            if category.slug == slug:
                return category.name
        return slug


def load_outline(path: Path) -> ContentOutline:
    """Read and validate an outline file."""
    return ContentOutline.model_validate(json.loads(path.read_text(encoding="utf-8")))


@cache
def default_outline() -> ContentOutline:
    """The outline shipped in ``resources/`` (read once)."""
    return load_outline(resource("content_outline.json"))

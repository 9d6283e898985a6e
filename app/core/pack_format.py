"""Pack format v1: the pydantic models that define a question pack.

A pack is a folder holding ``pack.json`` and an optional ``media/`` folder, or a ``.zip`` of
that folder. ``docs/pack-format.md`` documents the format; ``resources/pack-schema-v1.json``
is generated from these models (``blocksim schema``).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from app.core.outline import default_outline

FORMAT_NAME = "blocksim-pack"
FORMAT_VERSION = 1
LABELS = "ABCDEFGHIJ"
MIN_OPTIONS = 2
MAX_OPTIONS = 10

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class FieldRuleError(ValueError):
    """A cross-field rule broke; ``field`` names the field the message is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Option(_Strict):
    """One answer option."""

    label: Literal["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]
    text: NonEmpty
    explanation: NonEmpty | None = None


class Media(_Strict):
    """An image shown with a question; ``file`` is a relative path under the pack's ``media/``."""

    file: NonEmpty
    caption: str = ""

    @field_validator("file")
    @classmethod
    def _inside_media(cls, value: str) -> str:
        if "\\" in value:
            raise ValueError("use forward slashes in media paths")
        path = PurePosixPath(value)
        if path.is_absolute() or re.match(r"^[A-Za-z]:", value):
            raise ValueError(f"media path {value!r} is absolute; give a path under media/")
        if ".." in path.parts:
            raise ValueError(f"media path {value!r} leaves the pack folder")
        if not path.parts or path.parts[0] != "media" or len(path.parts) < 2:
            raise ValueError(f"media path {value!r} must be under media/")
        return value


def _check_vocabulary(dimension: str, value: str | None) -> str | None:
    if value is None:
        return None
    allowed = default_outline().slugs(dimension)
    if value not in allowed:
        raise ValueError(f"unknown {dimension} {value!r}; allowed: {', '.join(allowed)}")
    return value


class Question(_Strict):
    """One single-best-answer item."""

    id: Identifier
    stem: NonEmpty
    lead_in: NonEmpty | None = None
    options: list[Option] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)
    answer: Literal["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]
    explanation: NonEmpty | None = None
    objective: NonEmpty | None = None
    discipline: str | None = None
    system: str | None = None
    task: str | None = None
    topic: NonEmpty | None = None
    tags: list[Slug] = Field(default_factory=list)
    keywords: list[NonEmpty] = Field(default_factory=list)
    media: list[Media] = Field(default_factory=list)
    difficulty: int | None = Field(default=None, ge=1, le=5)

    @field_validator("discipline")
    @classmethod
    def _discipline(cls, value: str | None) -> str | None:
        return _check_vocabulary("discipline", value)

    @field_validator("system")
    @classmethod
    def _system(cls, value: str | None) -> str | None:
        return _check_vocabulary("system", value)

    @field_validator("task")
    @classmethod
    def _task(cls, value: str | None) -> str | None:
        return _check_vocabulary("task", value)

    @model_validator(mode="after")
    def _cross_field_rules(self) -> Question:
        labels = [option.label for option in self.options]
        expected = list(LABELS[: len(labels)])
        if len(set(labels)) != len(labels):
            duplicates = sorted({label for label in labels if labels.count(label) > 1})
            raise FieldRuleError("options", f"duplicate option label(s) {', '.join(duplicates)}")
        if labels != expected:
            raise FieldRuleError(
                "options", f"option labels must be {', '.join(expected)} in order, got {', '.join(labels)}"
            )
        if self.answer not in labels:
            raise FieldRuleError("answer", f"answer {self.answer!r} is not among the option labels {', '.join(labels)}")
        for keyword in self.keywords:
            if keyword not in self.stem:
                raise FieldRuleError("keywords", f"keyword {keyword!r} does not occur verbatim in the stem")
        return self

    def option(self, label: str) -> Option:
        """The option with ``label``."""
        for candidate in self.options:
            if candidate.label == label:
                return candidate
        raise KeyError(label)


class Pack(_Strict):
    """A versioned set of questions."""

    format: Literal["blocksim-pack"]
    format_version: int
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
    title: NonEmpty
    version: Annotated[str, StringConstraints(pattern=_SEMVER.pattern)]
    license: str | None = None
    authors: list[NonEmpty] = Field(default_factory=list)
    description: str | None = None
    questions: list[Question] = Field(min_length=1)

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value > FORMAT_VERSION:
            raise ValueError(
                f"format_version {value} is newer than this Blocksim understands "
                f"(it reads version {FORMAT_VERSION}); update Blocksim to a release that supports "
                f"pack format {value}"
            )
        if value < 1:
            raise ValueError(f"format_version must be {FORMAT_VERSION}")
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> Pack:
        seen: set[str] = set()
        duplicates: list[str] = []
        for question in self.questions:
            if question.id in seen:
                duplicates.append(question.id)
            seen.add(question.id)
        if duplicates:
            raise FieldRuleError("questions", f"duplicate question id(s): {', '.join(sorted(set(duplicates)))}")
        return self


def version_key(version: str) -> tuple[int, int, int]:
    """A sortable key for a pack's ``MAJOR.MINOR.PATCH`` version."""
    match = _SEMVER.match(version)
    if match is None:
        raise ValueError(f"not a MAJOR.MINOR.PATCH version: {version!r}")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def pack_json_schema() -> dict[str, object]:
    """The JSON Schema of pack format v1, as published in ``resources/``."""
    schema = Pack.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://blocksim.invalid/pack-schema-v1.json"
    schema["title"] = "Blocksim question pack, format v1"
    return schema

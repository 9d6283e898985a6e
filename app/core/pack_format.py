"""Pack format v1: the pydantic models that define a question pack.

A pack is a folder holding ``pack.json`` and an optional ``media/`` folder, or a ``.zip`` of
that folder. ``docs/pack-format.md`` documents the format; ``resources/pack-schema-v1.json``
is generated from these models (``blocksim schema``).
"""

from __future__ import annotations

import re
import reprlib
from collections import Counter
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, field_validator, model_validator

from app.core.outline import ContentOutline, default_outline

FORMAT_NAME = "blocksim-pack"
FORMAT_VERSION = 1
LABELS = "ABCDEFGHIJ"
MIN_OPTIONS = 2
MAX_OPTIONS = 10
MAX_MEDIA_PATH = 255
SHOWN_CHARS = 80  # a value quoted in a message is cut to this many characters
LISTED_IDS = 10  # a message lists at most this many ids

# JSON has one integer type and no booleans among its numbers: "3", 3.0 and true are not integers here.
StrictInt = Annotated[int, Strict()]

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 4, 4, SHOWN_CHARS, SHOWN_CHARS


def quoted(value: object) -> str:
    """``value`` as a message shows it: quoted like ``repr``, cut to about 80 characters with an ellipsis.

    A pack may hold a 10 MB string or a huge list; echoing it whole would bury the message.
    """
    if isinstance(value, str):
        return repr(value) if len(value) <= SHOWN_CHARS else repr(value[:SHOWN_CHARS]) + "…"
    text = _REPR.repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def listed(ids: Iterable[str]) -> str:
    """A few ids for a message: the first ten, each cut, then how many more."""
    items = list(ids)
    shown = ", ".join(item if len(item) <= SHOWN_CHARS else quoted(item) for item in items[:LISTED_IDS])
    return shown if len(items) <= LISTED_IDS else f"{shown} and {len(items) - LISTED_IDS} more"


class FieldRuleError(ValueError):
    """A cross-field rule broke; ``field`` names the field the message is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class _Strict(BaseModel):
    # defer_build: each model's validator is made when first used (a pack read), not at every start-up.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True)


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
        if not value.isprintable():
            raise ValueError(f"media path {quoted(value)} holds a control or unencodable character")
        if len(value) > MAX_MEDIA_PATH:
            raise ValueError(f"media path {quoted(value)} is longer than {MAX_MEDIA_PATH} characters")
        if "\\" in value:
            raise ValueError("use forward slashes in media paths")
        path = PurePosixPath(value)
        if path.is_absolute() or re.match(r"^[A-Za-z]:", value):
            raise ValueError(f"media path {quoted(value)} is absolute; give a path under media/")
        if ".." in path.parts:
            raise ValueError(f"media path {quoted(value)} leaves the pack folder")
        if not path.parts or path.parts[0] != "media" or len(path.parts) < 2:
            raise ValueError(f"media path {quoted(value)} must be under media/")
        return value


# (outline, its slugs) per (id of the outline, dimension): a pack of 10 k questions checks 30 k values, and
# rebuilding the slug tuple for each was a sixth of validating it. The outline is kept beside its slugs
# so an id is never reused by another outline while it is remembered.
_SLUGS: dict[tuple[int, str], tuple[ContentOutline, frozenset[str]]] = {}


def _allowed(dimension: str) -> frozenset[str]:
    outline = default_outline()
    known = _SLUGS.get((id(outline), dimension))
    if known is None or known[0] is not outline:
        known = _SLUGS[(id(outline), dimension)] = (outline, frozenset(outline.slugs(dimension)))
    return known[1]


def _check_vocabulary(dimension: str, value: str | None) -> str | None:
    if value is None:
        return None
    if value not in _allowed(dimension):
        allowed = default_outline().slugs(dimension)
        raise ValueError(f"unknown {dimension} {quoted(value)}; allowed: {', '.join(allowed)}")
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
    difficulty: StrictInt | None = Field(default=None, ge=1, le=5)

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
            duplicates = sorted(label for label, count in Counter(labels).items() if count > 1)
            raise FieldRuleError("options", f"duplicate option label(s) {', '.join(duplicates)}")
        if labels != expected:
            raise FieldRuleError(
                "options", f"option labels must be {', '.join(expected)} in order, got {', '.join(labels)}"
            )
        if self.answer not in labels:
            raise FieldRuleError("answer", f"answer {self.answer!r} is not among the option labels {', '.join(labels)}")
        for keyword in self.keywords:
            if keyword not in self.stem:
                raise FieldRuleError("keywords", f"keyword {quoted(keyword)} does not occur verbatim in the stem")
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
    format_version: StrictInt
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
            raise FieldRuleError("questions", f"duplicate question id(s): {listed(sorted(set(duplicates)))}")
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

"""Data files of ``resources/`` other than the outline: lab values, keyboard shortcuts, the practice item."""

from __future__ import annotations

import json
from functools import cache

from pydantic import BaseModel, ConfigDict

from app.core.pack_format import Question
from app.paths import resource


class LabValue(BaseModel):
    """One reference range."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    panel: str
    test: str
    conventional: str
    si: str

    def matches(self, text: str) -> bool:
        """Whether a search string occurs in any column (case-insensitive)."""
        needle = text.strip().lower()
        return not needle or any(needle in part.lower() for part in (self.panel, self.test, self.conventional, self.si))


class LabValues(BaseModel):
    """The lab values panel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    note: str
    values: tuple[LabValue, ...]


class Shortcut(BaseModel):
    """One keyboard shortcut: an action id, its keys and what it does."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    keys: tuple[str, ...]
    text: str
    group: str


class Shortcuts(BaseModel):
    """Every shortcut, in display order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    note: str
    shortcuts: tuple[Shortcut, ...]

    def get(self, action_id: str) -> Shortcut:
        """The shortcut of an action."""
        for shortcut in self.shortcuts:
            if shortcut.id == action_id:
                return shortcut
        raise KeyError(action_id)


@cache
def lab_values() -> LabValues:
    """The bundled lab values (read once)."""
    return LabValues.model_validate(json.loads(resource("lab_values.json").read_text(encoding="utf-8")))


@cache
def shortcuts() -> Shortcuts:
    """The bundled shortcuts (read once)."""
    return Shortcuts.model_validate(json.loads(resource("shortcuts.json").read_text(encoding="utf-8")))


class PracticeItem(BaseModel):
    """The tutorial's practice item: tried with the block tools, never scored or stored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    note: str = ""
    question: Question


@cache
def practice_question() -> Question:
    """The bundled practice item of the tutorial (read once)."""
    path = resource("tutorial_question.json")
    return PracticeItem.model_validate(json.loads(path.read_text(encoding="utf-8"))).question

"""Data files of ``resources/`` other than the outline: lab values, keyboard shortcuts, the practice item."""

from __future__ import annotations

import json
from functools import cache

from pydantic import BaseModel, ConfigDict, model_validator

from app.core.pack_format import Question
from app.paths import resource


class LabValue(BaseModel):
    """One reference range."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    panel: str
    test: str
    conventional: str
    si: str
    section: str = ""

    def matches(self, text: str) -> bool:
        """Whether a search string occurs in any column (case-insensitive)."""
        needle = text.strip().lower()
        parts = (self.panel, self.section, self.test, self.conventional, self.si)
        return not needle or any(needle in part.lower() for part in parts)


class LabValues(BaseModel):
    """The lab values panel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    note: str
    panels: tuple[str, ...]
    values: tuple[LabValue, ...]

    @model_validator(mode="after")
    def _every_value_in_a_panel(self) -> LabValues:
        unknown = sorted({v.panel for v in self.values} - set(self.panels))
        if unknown:
            raise ValueError(f"lab values in panels that are not listed: {', '.join(unknown)}")
        return self

    def panel(self, name: str) -> list[LabValue]:
        """The values of one panel (one tab of the exam's lab values), in order."""
        return [v for v in self.values if v.panel == name]


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

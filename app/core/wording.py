"""Counts in sentences: "1 question", "2 questions", "No questions match", "Only 1 question matches"."""

from __future__ import annotations


def count_of(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one: ``count_of(1, "block") == "1 block"``."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def questions_match(count: int, *, only: bool = False) -> str:
    """How many questions match, as a sentence start: "No questions match", "Only 1 question matches"."""
    if count == 0:
        return "No questions match"
    verb = "matches" if count == 1 else "match"
    return f"{'Only ' if only else ''}{count_of(count, 'question')} {verb}"

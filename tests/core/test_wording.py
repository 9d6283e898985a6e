"""Counts read as sentences: no "(s)", a singular for one, "No questions" for none."""

from __future__ import annotations

import pytest

from app.core.errors import NotEnoughQuestionsError
from app.core.wording import count_of, questions_match


@pytest.mark.parametrize(("count", "expected"), [(0, "0 blocks"), (1, "1 block"), (2, "2 blocks"), (16, "16 blocks")])
def test_count_of_is_singular_for_exactly_one(count: int, expected: str) -> None:
    assert count_of(count, "block") == expected


def test_count_of_takes_an_irregular_plural() -> None:
    assert count_of(1, "analysis", "analyses") == "1 analysis"
    assert count_of(3, "analysis", "analyses") == "3 analyses"


@pytest.mark.parametrize(
    ("count", "only", "expected"),
    [
        (0, True, "No questions match"),
        (0, False, "No questions match"),
        (1, True, "Only 1 question matches"),
        (1, False, "1 question matches"),
        (17, True, "Only 17 questions match"),
        (712, False, "712 questions match"),
    ],
)
def test_questions_match_reads_as_a_sentence(count: int, only: bool, expected: str) -> None:
    assert questions_match(count, only=only) == expected


def test_the_not_enough_error_says_none_match_rather_than_only_zero() -> None:
    message = str(NotEnoughQuestionsError(wanted=40, available=0))
    assert message.startswith("No questions match, but the block needs 40.")
    assert "(s)" not in message and "Only 0" not in message

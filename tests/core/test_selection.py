"""The block builder's filters, pools and seeded order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import NotEnoughQuestionsError
from app.core.selection import BlockFilter, Candidate, Pool, default_minutes, draw, matching

CANDIDATES = [
    Candidate(1, "a", "medicine", "cardiovascular", used=True, last_incorrect=True),
    Candidate(2, "a", "surgery", "musculoskeletal", used=True, marked=True),
    Candidate(3, "b", "medicine", "respiratory"),
    Candidate(4, "b", None, None),
    Candidate(5, "b", "pediatrics", "cardiovascular", used=True),
]


@pytest.mark.parametrize(
    ("block_filter", "expected"),
    [
        (BlockFilter(), [1, 2, 3, 4, 5]),
        (BlockFilter(pool=Pool.UNUSED), [3, 4]),
        (BlockFilter(pool=Pool.INCORRECT), [1]),
        (BlockFilter(pool=Pool.MARKED), [2]),
        (BlockFilter(packs=frozenset({"b"})), [3, 4, 5]),
        (BlockFilter(disciplines=frozenset({"medicine"})), [1, 3]),
        (BlockFilter(systems=frozenset({"cardiovascular"})), [1, 5]),
        (BlockFilter(systems=frozenset({"unclassified"})), [4]),
        (BlockFilter(packs=frozenset({"b"}), pool=Pool.UNUSED, disciplines=frozenset({"medicine"})), [3]),
    ],
)
def test_filters_and_pools(block_filter: BlockFilter, expected: list[int]) -> None:
    assert [c.key for c in matching(CANDIDATES, block_filter)] == expected


def test_too_few_says_how_many(clock: object) -> None:
    with pytest.raises(NotEnoughQuestionsError) as caught:
        draw(CANDIDATES, BlockFilter(pool=Pool.UNUSED), 3, seed=1)
    assert caught.value.available == 2 and caught.value.wanted == 3
    assert "Only 2 questions match" in str(caught.value)


def test_size_limits() -> None:
    with pytest.raises(ValueError, match="1 to 40"):
        draw(CANDIDATES, BlockFilter(), 41, seed=1)


def test_default_minutes() -> None:
    assert default_minutes(40) == 60
    assert default_minutes(20) == 30
    assert default_minutes(1) == 1.5


@given(seed=st.integers(0, 2**31 - 1), size=st.integers(1, 5))
def test_draw_is_reproducible_and_distinct(seed: int, size: int) -> None:
    first = draw(CANDIDATES, BlockFilter(), size, seed)
    assert first == draw(CANDIDATES, BlockFilter(), size, seed)
    assert len({c.key for c in first}) == size

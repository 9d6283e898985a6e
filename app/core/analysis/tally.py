"""Tallies: the sums every summary is computed from.

Both paths produce them: the pure path from replayed facts (:func:`tally_blocks`), the fast path
from the derived facts table with SQL ``SUM``s of the same columns. Summaries never look at single
items, so the two paths agree by construction (and a test checks it on random histories). They are
named tuples: the fast path makes tens of thousands of them straight from SQL rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from app.core.analysis.changes import change_counts
from app.core.analysis.facts import BlockFacts


class ItemTally(NamedTuple):
    """Scored items that share a question, a flag set and a block half (0: first, 1: second)."""

    question_key: int | None
    flags: int
    half: int
    n: int
    correct: int
    answered: int
    seconds: float
    seconds_sq: float
    wrong_to_right: int
    right_to_wrong: int
    wrong_to_wrong: int


class BlockTally(NamedTuple):
    """One block's scored items summed."""

    session_id: int
    created_at: str
    time_limit_s: float | None
    item_count: int
    day_id: int | None
    day_index: int | None
    n: int
    correct: int
    answered: int
    seconds: float


def half_of(position: int, item_count: int) -> int:
    """0 for the first half of a block, 1 for the second (the middle item of an odd block is in the second)."""
    return 1 if 2 * position >= item_count else 0


def tally_blocks(
    blocks: Sequence[BlockFacts], flags: Sequence[Sequence[int]]
) -> tuple[list[ItemTally], list[BlockTally]]:
    """Tallies of the scored items of ``blocks`` (``flags``: per block, per position)."""
    groups: dict[tuple[int | None, int, int], list[float]] = {}
    block_tallies = []
    for block, block_flags in zip(blocks, flags, strict=True):
        n = correct = answered = 0
        seconds = 0.0
        for item, item_flags in zip(block.items, block_flags, strict=True):
            if not item.scored:
                continue
            right = int(item.correct is True)
            changes = change_counts(item)
            key = (item.question_key, item_flags, half_of(item.position, block.item_count))
            sums = groups.setdefault(key, [0, 0, 0, 0.0, 0.0, 0, 0, 0])
            sums[0] += 1
            sums[1] += right
            sums[2] += int(item.answered)
            sums[3] += item.time_on_item_s
            sums[4] += item.time_on_item_s * item.time_on_item_s
            sums[5] += changes.wrong_to_right
            sums[6] += changes.right_to_wrong
            sums[7] += changes.wrong_to_wrong
            n += 1
            correct += right
            answered += int(item.answered)
            seconds += item.time_on_item_s
        block_tallies.append(
            BlockTally(
                session_id=block.session_id,
                created_at=block.created_at,
                time_limit_s=block.time_limit_s,
                item_count=block.item_count,
                day_id=block.day.day_id if block.day else None,
                day_index=block.day.index if block.day else None,
                n=n,
                correct=correct,
                answered=answered,
                seconds=seconds,
            )
        )
    item_tallies = [
        ItemTally(
            question_key=key[0],
            flags=key[1],
            half=key[2],
            n=int(s[0]),
            correct=int(s[1]),
            answered=int(s[2]),
            seconds=s[3],
            seconds_sq=s[4],
            wrong_to_right=int(s[5]),
            right_to_wrong=int(s[6]),
            wrong_to_wrong=int(s[7]),
        )
        for key, s in groups.items()
    ]
    return item_tallies, block_tallies

"""Choosing a day's questions: distinct across the day, drawn in proportion to the content outline."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from app.core.errors import NotEnoughQuestionsError
from app.core.outline import UNCLASSIFIED, ContentOutline
from app.core.selection import Candidate
from app.core.wording import count_of


class NotEnoughForDayError(NotEnoughQuestionsError):
    """The chosen packs hold too few questions for the day; says what would fit."""

    def __init__(self, wanted: int, available: int, per_block: int) -> None:
        self.max_blocks = available // per_block
        advice = f"Sit {count_of(self.max_blocks, 'block')} instead, choose more packs, or allow repeats across blocks."
        super().__init__(wanted, available, what="day", advice=advice)


def allocate(total: int, weights: dict[str, float], capacity: dict[str, int]) -> dict[str, int]:
    """Split ``total`` over groups by weight (largest remainder), never above a group's capacity."""
    counts = dict.fromkeys(weights, 0)
    remaining = total
    open_groups = {g for g in weights if capacity.get(g, 0) > 0}
    while remaining > 0 and open_groups:
        weight_sum = sum(weights[g] for g in open_groups) or float(len(open_groups))
        shares = {g: remaining * (weights[g] or 1.0) / weight_sum for g in open_groups}
        granted = 0
        by_remainder = sorted(shares, key=lambda g: (-(shares[g] - int(shares[g])), g))
        for group in by_remainder:
            share = shares[group]
            room = capacity[group] - counts[group]
            take = min(room, int(share))
            counts[group] += take
            granted += take
        leftovers = remaining - granted
        for group in by_remainder:
            if leftovers <= 0:
                break
            if counts[group] < capacity[group]:
                counts[group] += 1
                leftovers -= 1
        remaining = total - sum(counts.values())
        open_groups = {g for g in open_groups if counts[g] < capacity[g]}
    return counts


def plan_day(
    candidates: Sequence[Candidate],
    outline: ContentOutline,
    blocks: int,
    per_block: int,
    seed: int,
    allow_repeats: bool = False,
    sizes: Sequence[int] | None = None,
) -> list[list[int]]:
    """Question keys for each block of the day: ``blocks`` × ``per_block``, or ``sizes[i]`` in block i.

    ``per_block`` is the largest block (no block may repeat a question inside itself).
    """
    block_sizes = list(sizes) if sizes is not None else [per_block] * blocks
    per_block = max(block_sizes)
    total = sum(block_sizes)
    rng = random.Random(seed)
    if len(candidates) < per_block:
        raise NotEnoughForDayError(total, len(candidates), per_block)
    if len(candidates) < total:
        if not allow_repeats:
            raise NotEnoughForDayError(total, len(candidates), per_block)
        return _with_repeats([c.key for c in candidates], block_sizes, rng)
    by_system: dict[str, list[int]] = defaultdict(list)
    for candidate in sorted(candidates, key=lambda c: c.key):
        by_system[candidate.system or UNCLASSIFIED].append(candidate.key)
    for keys in by_system.values():
        rng.shuffle(keys)
    weights = {c.slug: c.midpoint for c in outline.systems}
    weights.setdefault(UNCLASSIFIED, 0.0)
    for system in by_system:
        weights.setdefault(system, 0.0)
    counts = allocate(total, weights, {s: len(k) for s, k in by_system.items()})
    chosen = [key for system, count in counts.items() for key in by_system.get(system, [])[:count]]
    rng.shuffle(chosen)
    starts = [sum(block_sizes[:i]) for i in range(len(block_sizes))]
    return [chosen[start : start + size] for start, size in zip(starts, block_sizes, strict=True)]


def _with_repeats(keys: list[int], counts: list[int], rng: random.Random) -> list[list[int]]:
    plan: list[list[int]] = []
    order: list[int] = []
    for count in counts:
        block: list[int] = []
        while len(block) < count:
            if not order:
                order = list(keys)
                rng.shuffle(order)
            key = order.pop()
            if key in block:
                order.insert(0, key)
                continue
            block.append(key)
        plan.append(block)
    return plan

"""Time per item as a histogram: fixed-width bins, the pace line and the rushed / time-sink zones.

One definition for both paths: a list of seconds (a block, a day) and bin counts the store has
already grouped (a long history) end in :func:`histogram_from_bins`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.analysis.thresholds import AnalysisSettings

BIN_SECONDS = 15.0
"""Width of one bin: a sixth of exam pace, fine enough to see the 30-second rushed edge."""

SPAN_PACE_MULTIPLE = 3.0
"""Bins reach three times the pace (270 s at exam pace); longer items are counted in the last bin."""

DEFAULT_PACE_S = 90.0
"""Exam pace, for untimed histories."""


@dataclass(frozen=True)
class TimeHistogram:
    """Items per time bin; ``counts[i]`` covers ``edges[i]`` to ``edges[i + 1]`` (the last bin is open-ended)."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]
    pace_s: float
    rushed_below_s: float
    time_sink_above_s: float

    @property
    def total(self) -> int:
        """Items counted."""
        return sum(self.counts)


def bin_index(seconds: float) -> int:
    """The bin a time falls in (before the last bin's cap)."""
    return max(0, int(seconds // BIN_SECONDS))


def histogram_from_bins(bins: Mapping[int, int], pace_s: float | None, settings: AnalysisSettings) -> TimeHistogram:
    """The histogram of items already counted per :func:`bin_index`."""
    pace = pace_s or DEFAULT_PACE_S
    last = max(1, math.ceil(SPAN_PACE_MULTIPLE * pace / BIN_SECONDS)) - 1
    counts = [0] * (last + 1)
    for index, count in bins.items():
        counts[min(max(index, 0), last)] += count
    edges = tuple(BIN_SECONDS * i for i in range(last + 2))
    return TimeHistogram(
        edges=edges,
        counts=tuple(counts),
        pace_s=pace,
        rushed_below_s=settings.rushed_below_pace_fraction * pace,
        time_sink_above_s=settings.time_sink_above_pace_multiple * pace,
    )


def time_histogram(seconds: Iterable[float], pace_s: float | None, settings: AnalysisSettings) -> TimeHistogram:
    """The histogram of these times on item."""
    return histogram_from_bins(Counter(bin_index(s) for s in seconds), pace_s, settings)

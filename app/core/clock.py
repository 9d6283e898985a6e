"""Injectable time: a monotonic clock in the app, a fake one in tests.

Durations are always differences of ``Clock.now()`` readings; the wall clock is used only to
timestamp records.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

TICK_SECONDS = 0.2
"""How often the UI reads the clocks of a running block or day (and stores the time)."""

CHECKPOINT_SECONDS = 0.15
"""Active time since the last checkpoint after which a tick stores one: every tick does, so a kill loses
at most one tick. An action stored in between does not stand in for the next checkpoint: it would leave
almost two ticks unstored."""

UNRECORDED_ESTIMATE = TICK_SECONDS / 2
"""Seconds charged when a block killed while running is resumed: a kill falls anywhere in the tick after
the last checkpoint, so this is the time it most likely ran unrecorded (never more than it has left).
Each kill then errs by at most half a tick either way, with no bias, instead of always handing back up to
a whole tick: over many kills in one block the errors cancel instead of adding up."""


class Clock(Protocol):
    """A source of monotonic seconds."""

    def now(self) -> float:
        """Seconds on a monotonic scale with an arbitrary origin."""
        ...


class MonotonicClock:
    """The real clock: ``time.monotonic``."""

    def now(self) -> float:
        """Seconds since an arbitrary point; never goes backwards."""
        return time.monotonic()


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def now(self) -> float:
        """The time the test has set."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move forward by ``seconds`` (never backwards)."""
        if seconds < 0:
            raise ValueError("a monotonic clock never goes backwards")
        self._now += seconds


def utc_now_iso() -> str:
    """Wall-clock UTC time for record timestamps (never for durations)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class ActiveClock:
    """Active time of a block or a day: what was recorded before plus the current running segment.

    Time while the clock is stopped, while the app was not running, or while the computer slept
    (a silence between ticks longer than ``sleep_threshold``) is not counted. It starts stopped, at
    ``elapsed_before`` (what the log recorded), and runs from :meth:`start`.
    """

    def __init__(self, clock: Clock, elapsed_before: float, sleep_threshold: float) -> None:
        self._clock = clock
        self._base = elapsed_before
        self._running = False
        self._segment_start = clock.now()
        self._last_tick = self._segment_start
        self._sleep_threshold = sleep_threshold

    def elapsed(self) -> float:
        """Active seconds so far."""
        if not self._running:
            return self._base
        return self._base + (self._clock.now() - self._segment_start)

    def tick(self) -> float:
        """Record that the app is alive; a gap longer than the threshold is not charged.

        Returns the seconds discounted (0 when the tick came on time).
        """
        now = self._clock.now()
        gap = now - self._last_tick
        self._last_tick = now
        if self._running and gap > self._sleep_threshold:
            self._segment_start += gap
            return gap
        return 0.0

    def alive(self) -> None:
        """The app just did something (a stored action): it was not asleep until now."""
        self._last_tick = self._clock.now()

    def stop(self, at: float | None = None) -> float:
        """Freeze the clock (pause or end) and return the elapsed time.

        ``at`` is the time stamped on the stored event that stops it: the write took a moment, and
        the clock must stand where the log says (so the screen and a restart agree), not where it got to.
        """
        self._base = self.elapsed() if at is None else min(self.elapsed(), at)
        self._running = False
        return self._base

    def start(self) -> None:
        """Run again from now."""
        if not self._running:
            self._segment_start = self._clock.now()
            self._last_tick = self._segment_start
            self._running = True

    def settle(self, elapsed: float) -> None:
        """Stand at ``elapsed`` now (running on from it if running): another clock's exact record wins."""
        self._base = elapsed
        self._segment_start = self._clock.now()

    def add(self, seconds: float) -> None:
        """Charge ``seconds`` more (an estimate of time the log could not hold), running or not."""
        self._base += seconds

    def cap(self, limit: float) -> None:
        """Never report more than ``limit`` (the block's end)."""
        if self.elapsed() > limit:
            self._base = limit
            self._running = False

    @property
    def running(self) -> bool:
        """Whether time is being charged."""
        return self._running

"""A scripted user for the kill-and-resume test: sits (or resumes) a block through the real services.

It ticks at the app's own cadence (``TICK_SECONDS``), as the UI timer does, with user actions in
between. It prints one line per durable fact and flushes it, so the test knows what was acknowledged:
``ACK <seq> <kind>`` after an event is stored, ``NOW <elapsed> <monotonic>`` after each tick (the
block's elapsed time and ``time.monotonic()``, read together; the monotonic clock is shared by all
processes, so the test can tell the block's time at the moment it kills this process).
Run: python -m tests.kill_driver DATA_DIR SEED
"""

from __future__ import annotations

import random
import sys
import threading
import time

from app.bootstrap import build
from app.core.clock import TICK_SECONDS
from app.core.errors import ExamRuleError
from app.core.events import Event, EventKind
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest, BlockRunner


def _act(runner: BlockRunner, rng: random.Random) -> Event:
    position = rng.randrange(8)
    current = runner.block.current_position
    choice = rng.random()
    if choice < 0.3:
        return runner.record(EventKind.ITEM_SHOWN, position)
    if choice < 0.6:
        return runner.record(EventKind.ANSWER_SELECTED, current, label=rng.choice("ABCDE"))
    if choice < 0.7:
        return runner.toggle_mark(current)
    if choice < 0.85:
        return runner.toggle_strike(current, rng.choice("ABCDE"))
    start = rng.randrange(20)
    return runner.record(EventKind.HIGHLIGHT_ADDED, current, start=start, end=start + 5)


def main(data_dir: str, seed: int) -> None:
    services = build(data_dir, import_bundled=False)
    unfinished = services.blocks.unfinished()
    if unfinished:
        runner = services.blocks.resume(unfinished[-1].id)
    else:
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=8, minutes=30, seed=seed))
    # The time on the block's log as it went on: the resumed event's stamp (the start for a new block).
    print(f"SESSION {runner.session_id} {runner.block.events[-1].elapsed:.6f}", flush=True)
    rng = random.Random(seed)
    pause = threading.Event()
    last_tick = time.monotonic()
    while True:
        try:
            event = _act(runner, rng)
        except ExamRuleError:
            continue
        print(f"ACK {event.seq} {event.kind.value}", flush=True)
        pause.wait(rng.uniform(0.01, 0.12))  # a user's pace between actions
        if time.monotonic() - last_tick >= TICK_SECONDS:
            runner.tick()
            last_tick = time.monotonic()
            print(f"NOW {runner.block.elapsed():.6f} {time.monotonic():.6f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

"""A scripted user for the kill-and-resume test: sits (or resumes) a block through the real services.

Prints one line per durable fact and flushes it, so the test knows what was acknowledged:
``ACK <seq> <kind>`` after an event is stored, ``NOW <elapsed>`` after each tick.
Run: python -m tests.kill_driver DATA_DIR SEED
"""

from __future__ import annotations

import random
import sys
import threading

from app.bootstrap import build
from app.core.errors import ExamRuleError
from app.core.events import EventKind
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest


def main(data_dir: str, seed: int) -> None:
    services = build(data_dir, import_bundled=False)
    unfinished = services.blocks.unfinished()
    if unfinished:
        runner = services.blocks.resume(unfinished[-1].id)
    else:
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=8, minutes=30, seed=seed))
    print(f"SESSION {runner.session_id} {runner.block.elapsed():.6f}", flush=True)
    rng = random.Random(seed)
    pause = threading.Event()
    while True:
        position = rng.randrange(8)
        choice = rng.random()
        try:
            if choice < 0.3:
                event = runner.record(EventKind.ITEM_SHOWN, position)
            elif choice < 0.6:
                event = runner.record(
                    EventKind.ANSWER_SELECTED, runner.block.current_position, label=rng.choice("ABCDE")
                )
            elif choice < 0.7:
                event = runner.toggle_mark(runner.block.current_position)
            elif choice < 0.85:
                event = runner.toggle_strike(runner.block.current_position, rng.choice("ABCDE"))
            else:
                start = rng.randrange(20)
                event = runner.record(
                    EventKind.HIGHLIGHT_ADDED, runner.block.current_position, start=start, end=start + 5
                )
        except ExamRuleError:
            continue
        print(f"ACK {event.seq} {event.kind.value}", flush=True)
        for _ in range(rng.randrange(1, 4)):
            pause.wait(rng.uniform(0.01, 0.12))  # a user's pace between actions
            runner.tick()
            print(f"NOW {runner.block.elapsed():.6f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

"""Kill -9 a real process at random moments of a block, many times: nothing acknowledged is lost,
and the time left after resuming is within one second of what it was at the kill (the driver ticks
at the app's own cadence, so the checkpoint interval is part of what is tested)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.bootstrap import build
from app.core.clock import FakeClock
from tests.factories import pack_dict, write_pack

ROOT = Path(__file__).resolve().parent.parent
KILLS = 12


def _run_until_killed(data_dir: Path, seed: int, lines_before_kill: int) -> tuple[list[str], float]:
    """Run the driver, read some lines, kill it; return the lines and ``time.monotonic()`` at the kill."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.kill_driver", str(data_dir), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        while len(lines) < lines_before_kill:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
    finally:
        killed_at = time.monotonic()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.stderr is not None
        errors = process.stderr.read()
        process.stdout.close()
        process.stderr.close()
    assert lines and lines[0].startswith("SESSION"), errors
    return lines, killed_at


@pytest.mark.slow
def test_kill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    services = build(data_dir, import_bundled=False)
    services.packs.import_path(write_pack(tmp_path / "pack", pack_dict(8)))
    services.close()
    rng = random.Random(20261123)
    acked_total = 0
    previous_elapsed = 0.0
    for round_number in range(KILLS):
        lines, killed_at = _run_until_killed(data_dir, seed=round_number, lines_before_kill=rng.randrange(6, 45))
        session_id = int(lines[0].split()[1])
        resumed_at = float(lines[0].split()[2])
        # Resuming charges nothing for the time the process was dead, nor for its start-up.
        assert round_number == 0 or resumed_at == pytest.approx(previous_elapsed, abs=1e-5)
        acked = [line.split() for line in lines if line.startswith("ACK")]
        ticks = [(float(line.split()[1]), float(line.split()[2])) for line in lines if line.startswith("NOW")]
        services = build(data_dir, import_bundled=False, clock=FakeClock())
        try:
            stored = {event.seq: event for event in services.store.events(session_id)}
            for _, seq, kind in acked:
                assert int(seq) in stored, f"acknowledged event {seq} ({kind}) was lost"
                assert stored[int(seq)].kind.value == kind
            runner = services.blocks.open(session_id)
            elapsed = runner.block.elapsed()
            state = [(i.answer, i.marked, sorted(i.struck), len(i.highlights)) for i in runner.block.items()]
            replay = services.blocks.open(session_id)
            assert state == [(i.answer, i.marked, sorted(i.struck), len(i.highlights)) for i in replay.block.items()]
        finally:
            services.close()
        if ticks:
            # The block's time at the kill: its last reported time plus the wall time since then.
            block_elapsed, seen_at = ticks[-1]
            at_kill = block_elapsed + (killed_at - seen_at)
            assert at_kill - 1.0 <= elapsed <= at_kill + 0.01, (at_kill, elapsed)
        previous_elapsed = elapsed
        acked_total += len(acked)
    assert acked_total > KILLS

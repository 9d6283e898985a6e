"""Kill -9 a real process at random moments of a block, many times: nothing acknowledged is lost,
and the time left after resuming is within one second of what it was at the kill."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import build
from app.core.clock import FakeClock
from tests.factories import pack_dict, write_pack

ROOT = Path(__file__).resolve().parent.parent
KILLS = 12


def _run_until_killed(data_dir: Path, seed: int, lines_before_kill: int) -> list[str]:
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
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.stderr is not None
        errors = process.stderr.read()
        process.stdout.close()
        process.stderr.close()
    assert lines and lines[0].startswith("SESSION"), errors
    return lines


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
        lines = _run_until_killed(data_dir, seed=round_number, lines_before_kill=rng.randrange(3, 40))
        session_id = int(lines[0].split()[1])
        resumed_at = float(lines[0].split()[2])
        # Resuming charges nothing for the time the process was dead.
        assert round_number == 0 or resumed_at == pytest.approx(previous_elapsed, abs=0.05)
        acked = [line.split() for line in lines if line.startswith("ACK")]
        nows = [float(line.split()[1]) for line in lines if line.startswith("NOW")]
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
        at_kill = max([resumed_at, *nows])
        # The kill came right after the last line was read: the stored time is within 1 s of it.
        assert at_kill - 1.0 - 0.05 <= elapsed <= at_kill + 0.25, (at_kill, elapsed)
        previous_elapsed = elapsed
        acked_total += len(acked)
    assert acked_total > KILLS

"""The pack fuzzer (tests/pack_fuzzer.py): seeded hostile mutations of the bundled packs, each validated
and imported in a subprocess with a per-case watchdog. No case may raise anything but a BlocksimError,
print a problem that is not one printable line, hang past 20 s, or change the store when its import fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_fuzzer(work: Path, seed: int, cases: int) -> dict[str, object]:
    command = [sys.executable, "-m", "tests.pack_fuzzer", "--work", str(work), "--seed", str(seed)]
    result = subprocess.run(
        [*command, "--cases", str(cases), "--hang-seconds", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=900,  # a backstop only: each case has its own 20 s watchdog
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    assert lines and lines[-1].startswith("{"), (
        f"the fuzzer died (exit {result.returncode}; a hang shows 'Timeout'):\n{result.stderr[-4000:]}"
    )
    report: dict[str, object] = json.loads(lines[-1])
    failures = report["failures"]
    assert isinstance(failures, list)
    assert not failures, (
        f"{len(failures)} failing case(s); rerun one with "
        f"python -m tests.pack_fuzzer --work DIR --seed {seed} --only N --keep\n" + "\n\n".join(failures[:5])
    )
    assert result.returncode == 0 and report["cases"] == cases
    return report


def test_fuzz_fifty_cases(tmp_path: Path) -> None:
    report = run_fuzzer(tmp_path, seed=7, cases=50)
    assert report["invalid"] and report["valid"], "the mix has both verdicts"


@pytest.mark.slow
def test_fuzz_a_thousand_cases(tmp_path: Path) -> None:
    report = run_fuzzer(tmp_path, seed=20261201, cases=1_000)
    kinds = report["kinds"]
    assert isinstance(kinds, dict) and set(kinds) == {"bytes", "json", "zip", "media", "file", "valid"}
    assert report["imported"] and report["refused"]

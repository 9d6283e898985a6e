"""Long sessions: thousands of real actions must neither crash the process nor leak references to None."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.ui import binding_check
from tests.soak_driver import LEAK_LIMIT

ROOT = Path(__file__).resolve().parents[2]


def run_driver(*args: str) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.soak_driver", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0, f"soak driver exited {done.returncode}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    figures: dict[str, object] = json.loads(lines[-1])
    return figures


def assert_no_leak(figures: dict[str, object]) -> None:
    before, lowest = int(str(figures["none_before"])), int(str(figures["none_lowest"]))
    assert before - lowest <= LEAK_LIMIT, figures


@pytest.mark.slow
def test_a_block_survives_thousands_of_keyboard_actions() -> None:
    figures = run_driver("block", "3000")
    assert figures["actions"] == 3000
    assert int(str(figures["events"])) > 1500  # the actions really reached the store
    assert_no_leak(figures)


@pytest.mark.slow
def test_a_sixteen_block_day_survives_every_screen() -> None:
    figures = run_driver("day")
    assert figures["blocks"] == 16 and figures["finished"] is True
    assert int(str(figures["actions"])) > 1000
    assert_no_leak(figures)


def test_the_installed_binding_keeps_none_alive() -> None:
    assert binding_check.none_references_lost() < binding_check.PROBE_CALLS // 2
    assert binding_check.unsound_binding_message() is None


def test_an_unsound_binding_is_refused_with_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.ui import application, desktop

    monkeypatch.setattr(binding_check, "none_references_lost", lambda calls=256: calls)
    monkeypatch.setattr(desktop, "unsound_binding_message", binding_check.unsound_binding_message)
    assert application.run_gui(None) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "below 6.12" in err[0] and "crash during a long session" in err[0]

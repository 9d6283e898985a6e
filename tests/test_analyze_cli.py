"""`blocksim analyze`, `reason` and `rebuild`: JSON and text, and bad input as one clear line, never a traceback."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import Services
from app.cli import main
from app.core.clock import FakeClock
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.storage.db import DB_FILE


def sit(services: Services, clock: FakeClock, answers: bool = True) -> int:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, seed=3))
    for position in range(4):
        runner.show(position)
        clock.advance(10)
        if answers:
            key = runner.questions[position].question.answer
            runner.select(position, key if position % 2 else "ABCDE"[("ABCDE".index(key) + 1) % 5])
    runner.end()
    return runner.session_id


def analyze(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), "analyze", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_and_text_of_the_latest_block(
    services: Services, clock: FakeClock, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = sit(services, clock)
    code, out, _ = analyze(data_tmpdir, capsys, "--session", "latest", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "blocksim-analysis" and data["session_ids"] == [sid]
    assert [i["correct"] for i in data["items"]] == [False, True, False, True]
    assert data["patterns_summary"]["rushed"] == 2 and data["pace_s"] == 90.0
    code, text, _ = analyze(data_tmpdir, capsys, "--session", str(sid))
    assert code == 0 and "Score: 2/4" in text and "rushed" in text
    code, out, _ = analyze(data_tmpdir, capsys, "--all", "--format", "json")
    assert code == 0 and json.loads(out)["n"] == 4 and json.loads(out)["items"] == []
    code, out, _ = analyze(data_tmpdir, capsys, "--all", "--items", "--format", "json")
    assert len(json.loads(out)["items"]) == 4


def test_reason_command_and_rebuild(
    services: Services, clock: FakeClock, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = sit(services, clock)
    base = ["--data-dir", str(data_tmpdir)]
    assert main([*base, "reason", "--session", str(sid), "--position", "1", "misread-stem"]) == 0
    assert "reason misread-stem" in capsys.readouterr().out
    _, out, _ = analyze(data_tmpdir, capsys, "--format", "json")
    assert json.loads(out)["items"][0]["reason"] == "misread-stem"
    assert main([*base, "reason", "--session", str(sid), "--position", "1", "nonsense"]) == 1
    assert "unknown reason 'nonsense'" in capsys.readouterr().err
    assert main([*base, "reason", "--session", "999", "--position", "1", "misread-stem"]) == 1
    assert "no session 999" in capsys.readouterr().err
    assert main([*base, "rebuild"]) == 0
    out = capsys.readouterr().out
    assert "rebuilt the item facts of 1 finished block(s)" in out
    assert "rebuilt the scores and question states of 1 closed block(s)" in out


def test_unknown_session_id(data_tmpdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = analyze(data_tmpdir, capsys, "--session", "42")
    assert code == 1 and err.strip() == "blocksim: no session 42"
    code, _, err = analyze(data_tmpdir, capsys, "--session", "yesterday")
    assert code == 1 and "'latest'" in err
    code, _, err = analyze(data_tmpdir, capsys, "--day", "42")
    assert code == 1 and err.strip() == "blocksim: no session 42"


def test_empty_history(data_tmpdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = analyze(data_tmpdir, capsys)
    assert code == 1 and err.strip() == "blocksim: no block has been sat yet: nothing to analyse"
    code, out, _ = analyze(data_tmpdir, capsys, "--all", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["n"] == 0 and data["messages"] == ["no finished blocks yet: nothing to analyse"]
    code, out, _ = analyze(data_tmpdir, capsys, "--all")
    assert code == 0 and "Nothing to analyse" in out


def test_a_block_with_no_answers(
    services: Services, clock: FakeClock, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sit(services, clock, answers=False)
    code, out, _ = analyze(data_tmpdir, capsys, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["correct"] == 0 and data["patterns_summary"]["unanswered"] == 4
    assert any("no answers were given" in m for m in data["messages"])
    assert all(i["suggested_reason"] == "ran-out-of-time" for i in data["items"])


def test_a_pack_removed_after_the_block_was_sat(
    services: Services, clock: FakeClock, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sit(services, clock)
    services.close()
    with sqlite3.connect(data_tmpdir / DB_FILE) as connection:
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute("DELETE FROM questions")
        connection.execute("DELETE FROM packs")
    code, out, _ = analyze(data_tmpdir, capsys, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["n"] == 0
    assert any("the pack was removed" in m for m in data["messages"])
    assert [i["question_id"] for i in data["items"]] == [None] * 4 and all(i["correct"] is None for i in data["items"])
    for args in (["--format", "text"], ["--all"], ["--all", "--items"]):
        code, out, _ = analyze(data_tmpdir, capsys, *args)
        assert code == 0 and "Traceback" not in out


def test_analyze_never_tracebacks_in_a_subprocess(data_tmpdir: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    for args in (["analyze", "--session", "7"], ["analyze", "--day", "x"], ["analyze"]):
        result = subprocess.run(
            [sys.executable, "-m", "app", "--data-dir", str(data_tmpdir), *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=root,
        )
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines()[-1].startswith(("blocksim: ", "blocksim analyze: error: "))

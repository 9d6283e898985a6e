"""The log file, its level, and the trace a native abort leaves behind."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from app import logs
from app.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_log_folder_defaults_to_the_platform_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(logs.LOG_DIR_ENV)
    assert logs.log_dir() == Path(platformdirs.user_log_dir("Blocksim", appauthor=False)).resolve()
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "env"))
    assert logs.log_dir() == tmp_path / "env"
    assert logs.log_dir(tmp_path / "given") == tmp_path / "given"


def test_commands_log_to_the_file_at_the_chosen_level(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log_file = tmp_path / "logs" / logs.LOG_FILE
    handlers_before = list(logging.getLogger().handlers)
    assert main(["packs"]) == 0
    text = log_file.read_text(encoding="utf-8")
    assert "Blocksim" in text and "native crash traces go to" in text
    assert " DEBUG " not in text
    assert logging.getLogger().handlers == handlers_before  # main() leaves the logging as it found it
    assert main(["--log-level", "debug", "packs"]) == 0
    assert " DEBUG " in log_file.read_text(encoding="utf-8")
    assert "DEBUG" in capsys.readouterr().err  # an explicit level also shows on the terminal
    size = log_file.stat().st_size
    assert main(["packs", "--log-level", "error"]) == 0
    assert log_file.stat().st_size == size


def test_a_log_folder_that_cannot_be_made_is_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(blocker / "logs"))
    assert main(["packs"]) == 0
    assert "cannot write logs in" in capsys.readouterr().err


def test_a_native_abort_leaves_a_trace_in_the_log_folder(tmp_path: Path) -> None:
    folder = tmp_path / "abort-logs"
    code = (
        "from app.logs import setup_logging\n"
        f"setup_logging('info', {str(folder)!r})\n"
        "def deep_in_blocksim():\n"
        "    import os; os.abort()\n"
        "deep_in_blocksim()\n"
    )
    env = {**os.environ, "PYTHONFAULTHANDLER": ""}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=False)
    assert result.returncode != 0
    trace = (folder / logs.FAULTS_FILE).read_text(encoding="utf-8")
    assert "Fatal Python error: Aborted" in trace
    assert "deep_in_blocksim" in trace


def test_no_standard_error_still_logs_to_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "stderr", None)  # a windowed bundle started from a desktop
    setup = logs.setup_logging(None, tmp_path / "windowed")
    try:
        logging.getLogger("app.test").warning("still recorded")
    finally:
        setup.close()
    assert "still recorded" in (tmp_path / "windowed" / logs.LOG_FILE).read_text(encoding="utf-8")

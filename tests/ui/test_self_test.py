"""``blocksim --self-test`` reports one line per check and fails when the installation is broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app import paths
from app.cli import main
from app.ui import self_test


def test_every_check_passes_on_a_sound_installation(qapp: QApplication) -> None:
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 0
    assert lines[-1] == "self-test passed"
    checks = lines[1:-1]
    assert all(line.startswith("ok   ") for line in checks), checks
    names = [line.split(":")[0][5:] for line in checks]
    assert names[:5] == ["resources", "store", "bundled packs", "font", "main window"]
    assert names[-1] == "two-item block"
    assert "screen 0 HomeScreen" in names and "screen 1 BlockScreen" in names
    assert len([n for n in names if n.startswith("screen ")]) >= 8
    assert "1/2 correct" in checks[-1]


def test_missing_packs_fail_the_self_test(qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(paths, "bundled_packs_dir", lambda: tmp_path)
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 1
    assert any(line.startswith("FAIL bundled packs: AssertionError: no bundled packs") for line in lines)
    assert lines[-1] == "self-test FAILED: 1 check(s)"


def test_a_modal_dialog_fails_the_self_test_instead_of_hanging(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.session_flow import SessionFlow

    def start_block_that_refuses(flow: SessionFlow, request: object) -> None:
        from app.ui.widgets.dialogs import show_error

        show_error(None, "Cannot start the block", "refused for the test")

    monkeypatch.setattr(SessionFlow, "start_block", start_block_that_refuses)
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 1
    assert "FAIL two-item block: AssertionError: the block did not start" in lines
    assert "FAIL dialogs: unexpected Cannot start the block" in lines


def test_the_cli_flag_runs_it(qapp: QApplication, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok   qt libraries")
    assert out.rstrip().endswith("self-test passed")

"""Fixtures of the window tests: no question box may open unanswered (a modal would hang the test)."""

from __future__ import annotations

import pytest

from app.ui.prompts import LeaveBlockDialog, LeaveChoice


def _unexpected_leave_question(cls: type[LeaveBlockDialog], _parent: object) -> LeaveChoice:
    raise AssertionError("the leave-block question opened; patch LeaveBlockDialog.choose in this test")


@pytest.fixture(autouse=True)
def no_unpatched_leave_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail, rather than hang, when a test leaves a timed block without answering the question."""
    monkeypatch.setattr(LeaveBlockDialog, "choose", classmethod(_unexpected_leave_question))

"""The README keeps its promises: two quick-start commands, and every shortcut listed."""

from __future__ import annotations

import re
from pathlib import Path

from app.core.reference_data import shortcuts

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_has_exactly_two_commands() -> None:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    assert block.group(1).strip().splitlines() == ["python3 scripts/dev.py run", "python3 scripts/dev.py test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "python3 scripts/dev.py test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_lists_every_shortcut() -> None:
    for shortcut in shortcuts().shortcuts:
        keys = ", ".join(shortcut.keys).replace("A-J", "A–J")
        assert f"| {keys} |" in README, shortcut.id

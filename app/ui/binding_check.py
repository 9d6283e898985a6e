"""Refuse a Qt binding that would abort a long session.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every binding call that returns
nothing; before 3.12 ``None`` is not immortal, so after some tens of thousands of calls (a day's
worth of clicks and ticks) the interpreter aborts with ``Fatal Python error: none_dealloc`` and
takes the exam day with it. ``pyproject.toml`` keeps that combination out; this probe catches a
binding installed some other way, at start-up, before the candidate has sat anything.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QObject

PROBE_CALLS = 256


def none_references_lost(calls: int = PROBE_CALLS) -> int:
    """How many references to ``None`` ``calls`` void binding calls lose (0 for a sound binding)."""
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")
    return max(0, before - sys.getrefcount(None))


def unsound_binding_message() -> str | None:
    """A one-line reason to refuse to start, or ``None`` when the binding is sound."""
    lost = none_references_lost()
    if lost < PROBE_CALLS // 2:
        return None
    python = ".".join(str(part) for part in sys.version_info[:3])
    return (
        f"PySide6 {PySide6.__version__} on Python {python} loses a reference to None on every call and would "
        "crash during a long session. Install PySide6 below 6.12 (pip install 'PySide6-Essentials<6.12' "
        "'PySide6-Addons<6.12') or use Python 3.12 or newer."
    )

"""Object names tie widgets to the stylesheet and to tests."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

T = TypeVar("T", bound=QObject)


def named(widget: T, name: str) -> T:
    """Set ``widget``'s object name and return it."""
    widget.setObjectName(name)
    return widget

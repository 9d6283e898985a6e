"""UI fixtures: a window's look (theme, zoom) is the application's, so each test gets the previous one back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def restore_application_look(qapp: QApplication) -> Iterator[None]:
    """Put back the font, palette, style and stylesheet a test's windows applied."""
    font, palette, style, sheet = qapp.font(), qapp.palette(), qapp.style().name(), qapp.styleSheet()
    yield
    # Each call repolishes every widget still alive: only what the test changed is put back.
    if qapp.styleSheet() != sheet:
        qapp.setStyleSheet(sheet)
    if qapp.style().name() != style:
        qapp.setStyle(style)
    if qapp.palette() != palette:
        qapp.setPalette(palette)
    if qapp.font() != font:
        qapp.setFont(font)

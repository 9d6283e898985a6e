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
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)

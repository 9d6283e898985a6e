"""Light and dark themes: colours are data in ``resources/styles``; one stylesheet uses them."""

from __future__ import annotations

import json
import re

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from app.paths import resource


def _colours(dark: bool) -> dict[str, str]:
    name = "dark.json" if dark else "light.json"
    data: dict[str, str] = json.loads(resource(f"styles/{name}").read_text(encoding="utf-8"))
    return data


def stylesheet(dark: bool) -> str:
    """The stylesheet with every ``@name`` replaced by the theme's colour."""
    colours = _colours(dark)
    text = resource("styles/base.qss").read_text(encoding="utf-8")

    def replace(match: re.Match[str]) -> str:
        return colours[match.group(1)]

    return re.sub(r"@([A-Za-z]+)", replace, text)


def apply_theme(app: QApplication, *, dark: bool) -> None:
    """Set the Fusion style, a palette and the stylesheet."""
    colours = _colours(dark)
    app.setStyle("Fusion")
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: colours["window"],
        QPalette.ColorRole.WindowText: colours["text"],
        QPalette.ColorRole.Base: colours["page"],
        QPalette.ColorRole.AlternateBase: colours["panel"],
        QPalette.ColorRole.Text: colours["text"],
        QPalette.ColorRole.Button: colours["panel"],
        QPalette.ColorRole.ButtonText: colours["text"],
        QPalette.ColorRole.Highlight: colours["highlight"],
        QPalette.ColorRole.HighlightedText: colours["highlightText"],
        QPalette.ColorRole.ToolTipBase: colours["panel"],
        QPalette.ColorRole.ToolTipText: colours["text"],
        QPalette.ColorRole.PlaceholderText: colours["muted"],
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(colours["muted"]))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(colours["muted"]))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(dark))

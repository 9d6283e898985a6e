"""The themes: colours, contrast pairs and metrics are data in ``resources/styles``; one stylesheet uses them.

A theme file (``light.json``, ``dark.json``, ``high_contrast.json``) holds its colours, the pairs of them the
stylesheet draws one on the other (each checked for WCAG contrast by ``tests/test_theme_contrast.py``),
the minimum ratios for text and for controls, and a few line widths.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from PySide6.QtGui import QColor, QPalette

from app.paths import resource

THEMES = ("light", "dark", "high_contrast")
"""Every theme, in the order the View menu lists them."""

_TOKEN = re.compile(r"@(pt|px)\(([0-9.]+)\)|@([A-Za-z]+)")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class ColourPair:
    """A foreground colour drawn on a background colour: ``kind`` is text, ui (a control's outline) or disabled."""

    fg: str
    bg: str
    kind: str
    where: str


@dataclass(frozen=True)
class Theme:
    """One theme's table, as read from its file."""

    key: str
    name: str
    dark: bool
    colours: dict[str, str]
    metrics: dict[str, int]
    minimum: dict[str, float]
    pairs: tuple[ColourPair, ...]


@cache
def load_theme(key: str) -> Theme:
    """The theme called ``key`` (one of :data:`THEMES`), read once."""
    data = json.loads(resource(f"styles/{key}.json").read_text(encoding="utf-8"))
    return Theme(
        key=key,
        name=data["name"],
        dark=data["dark"],
        colours=dict(data["colours"]),
        metrics=dict(data["metrics"]),
        minimum={kind: float(value) for kind, value in data["minimum"].items()},
        pairs=tuple(ColourPair(**pair) for pair in data["pairs"]),
    )


def stylesheet_source() -> str:
    """The stylesheet with its comments removed and its tokens still in place."""
    return _COMMENT.sub("", resource("styles/base.qss").read_text(encoding="utf-8"))


def stylesheet(theme: Theme, *, text_points: float, question_points: float, scale: float) -> str:
    """The stylesheet in ``theme``'s colours at one zoom.

    ``@name`` is a colour (or a line width, in pixels) of the theme, ``@pt(f)`` is ``f`` times
    ``text_points``, ``@px(n)`` is ``n`` pixels times ``scale`` and ``@question`` is ``question_points``.
    """

    def replace(match: re.Match[str]) -> str:
        unit, number, name = match.groups()
        if unit == "pt":
            return f"{float(number) * text_points:.1f}pt"
        if unit == "px":
            return f"{max(1, round(float(number) * scale))}px"
        if name == "question":
            return f"{question_points:.1f}pt"
        if name in theme.metrics:
            return f"{max(1, round(theme.metrics[name] * max(1.0, scale)))}px"
        return theme.colours[name]

    return _TOKEN.sub(replace, stylesheet_source())


def palette(theme: Theme) -> QPalette:
    """The Qt palette of ``theme``: what the stylesheet does not draw (menus, views, tooltips) uses it."""
    colours = theme.colours
    result = QPalette()
    roles = {
        QPalette.ColorRole.Window: colours["window"],
        QPalette.ColorRole.WindowText: colours["text"],
        QPalette.ColorRole.Base: colours["page"],
        QPalette.ColorRole.AlternateBase: colours["panel"],
        QPalette.ColorRole.Text: colours["text"],
        QPalette.ColorRole.Button: colours["button"],
        QPalette.ColorRole.ButtonText: colours["text"],
        QPalette.ColorRole.Highlight: colours["highlight"],
        QPalette.ColorRole.HighlightedText: colours["highlightText"],
        QPalette.ColorRole.ToolTipBase: colours["panel"],
        QPalette.ColorRole.ToolTipText: colours["text"],
        QPalette.ColorRole.PlaceholderText: colours["muted"],
        QPalette.ColorRole.Link: colours["link"],
        QPalette.ColorRole.LinkVisited: colours["link"],
        QPalette.ColorRole.BrightText: colours["text"],
    }
    for role, value in roles.items():
        result.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(colours["disabled"]))
    return result


PALETTE_PAIRS = (
    ("text", "window"),
    ("text", "page"),
    ("text", "panel"),
    ("text", "button"),
    ("highlightText", "highlight"),
    ("muted", "page"),
    ("link", "page"),
    ("disabled", "button"),
)
"""The foreground/background pairs :func:`palette` sets up, so the contrast test checks them too."""

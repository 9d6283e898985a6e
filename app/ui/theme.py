"""The themes: colours, contrast pairs and metrics are data in ``resources/styles``; one stylesheet uses them.

A theme file (``light.json``, ``dark.json``, ``high_contrast.json``) holds its colours, the pairs of them the
stylesheet draws one on the other (each checked for WCAG contrast by ``tests/test_theme_contrast.py``),
the minimum ratios for text and for controls, and a few line widths.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtGui import QColor, QPalette

from app.core.atomic_file import write_text_atomic
from app.paths import cache_dir, resource

THEMES = ("light", "dark", "high_contrast")
"""Every theme, in the order the View menu lists them."""

_TOKEN = re.compile(r"@(pt|px)\(([0-9.]+)\)|@arrow\((up|down),([A-Za-z]+)\)|@([A-Za-z]+)")
_ARROWS = {"up": "0,6 5,0 10,6", "down": "0,0 10,0 5,6"}
"""The arrows' triangles in a 10 x 6 box."""
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
    ``text_points``, ``@px(n)`` is ``n`` pixels times ``scale``, ``@question`` is ``question_points`` and
    ``@arrow(up|down,name)`` is an image of that arrow in the colour ``name`` (see :func:`arrow_image`).
    """

    def replace(match: re.Match[str]) -> str:
        unit, number, direction, colour, name = match.groups()
        if direction:
            return f'url("{arrow_image(direction, theme.colours[colour]).as_posix()}")'

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


def arrow_image(direction: str, colour: str) -> Path:
    """An SVG file of a small ``direction`` ("up" or "down") triangle in ``colour`` ("#rrggbb").

    A stylesheet can colour a spin box's arrows only through an image; the file is made once per colour in the
    cache folder (in the temporary folder when the cache cannot be written).
    """
    name = f"arrow-{direction}-{colour.lstrip('#').lower()}.svg"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 6" width="10" height="6">'
        f'<polygon points="{_ARROWS[direction]}" fill="{colour}"/></svg>'
    )
    for folder in (cache_dir() / "arrows", Path(tempfile.gettempdir()) / "blocksim-arrows"):
        path = folder / name
        try:
            if not path.is_file() or path.read_text(encoding="utf-8") != svg:
                folder.mkdir(parents=True, exist_ok=True)
                write_text_atomic(path, svg)  # never half a file: two instances may start at once
            return path
        except OSError:
            continue
    raise OSError(f"no folder to write {name} in")

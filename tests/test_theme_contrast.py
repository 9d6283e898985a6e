"""WCAG contrast of every theme: each colour pair the stylesheet draws is declared in the theme's table and
meets its minimum (text 4.5:1, controls 3:1; high contrast 7:1 and 4.5:1). Disabled text is exempt."""

from __future__ import annotations

import re

import pytest

from app.ui.theme import PALETTE_PAIRS, THEMES, Theme, load_theme, stylesheet_source

# A colour written into the stylesheet instead of taken from a theme: #abc, #aabbcc, rgb(...), or a name.
LITERAL_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|:\s*(white|black|red|yellow|green|blue|gray|grey)\b")
SIZE_TOKENS = {"pt", "px", "question"}


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_tokens(theme: Theme) -> set[str]:
    """Every theme colour the stylesheet names (sizes and line widths left out)."""
    source = stylesheet_source()
    arrows = set(re.findall(r"@arrow\((?:up|down),([A-Za-z]+)\)", source))  # an arrow image in that colour
    names = set(re.findall(r"@([A-Za-z]+)\b(?!\()", source))
    return (names | arrows) - SIZE_TOKENS - set(theme.metrics)


def test_contrast_arithmetic_matches_wcag() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("key", THEMES)
def test_every_declared_pair_meets_its_minimum(key: str) -> None:
    theme = load_theme(key)
    failures = [
        f"{pair.fg} {theme.colours[pair.fg]} on {pair.bg} {theme.colours[pair.bg]} ({pair.where}): "
        f"{contrast(theme.colours[pair.fg], theme.colours[pair.bg]):.2f} < {theme.minimum[pair.kind]}"
        for pair in theme.pairs
        if pair.kind in theme.minimum
        and contrast(theme.colours[pair.fg], theme.colours[pair.bg]) < theme.minimum[pair.kind]
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("key", THEMES)
def test_every_colour_the_stylesheet_uses_is_in_a_declared_pair(key: str) -> None:
    theme = load_theme(key)
    declared = {pair.fg for pair in theme.pairs} | {pair.bg for pair in theme.pairs}
    assert colour_tokens(theme) - declared == set()
    assert colour_tokens(theme) <= set(theme.colours)


@pytest.mark.parametrize("key", THEMES)
def test_the_palette_pairs_are_declared_too(key: str) -> None:
    theme = load_theme(key)
    declared = {(pair.fg, pair.bg) for pair in theme.pairs}
    assert set(PALETTE_PAIRS) <= declared


def test_pairs_use_known_colours_and_kinds_and_themes_name_the_same_colours() -> None:
    names = set(load_theme("light").colours)
    for key in THEMES:
        theme = load_theme(key)
        assert set(theme.colours) == names, key
        for pair in theme.pairs:
            assert {pair.fg, pair.bg} <= names and pair.kind in {"text", "ui", "disabled"}, pair
            assert re.fullmatch(r"#[0-9a-f]{6}", theme.colours[pair.fg]), pair.fg


def test_the_stylesheet_writes_no_colour_of_its_own() -> None:
    assert LITERAL_COLOUR.findall(stylesheet_source()) == []


def test_high_contrast_is_black_white_yellow_at_seven_to_one() -> None:
    theme = load_theme("high_contrast")
    assert theme.minimum["text"] >= 7.0 and theme.minimum["ui"] >= 4.5
    assert theme.colours["page"] == "#000000" and theme.colours["text"] == "#ffffff"
    assert theme.colours["focus"] == "#ffff00"
    assert theme.metrics["focusWidth"] > load_theme("light").metrics["focusWidth"]


def test_text_pairs_cover_the_hard_cases() -> None:
    """Muted and placeholder text, selected rows, links, banners and the timer warning are all checked."""
    for key in THEMES:
        text_pairs = {(pair.fg, pair.bg) for pair in load_theme(key).pairs if pair.kind == "text"}
        for pair in [
            ("muted", "page"),
            ("highlightText", "highlight"),
            ("link", "page"),
            ("warningText", "warning"),
            ("timerWarning", "bar"),
            ("noticeText", "notice"),
        ]:
            assert pair in text_pairs, (key, pair)

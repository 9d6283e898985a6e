"""HTML from other tools turned into the plain text and line breaks a pack holds.

Paragraphs and ``<br>`` become line breaks, list items get a bullet, table rows become lines of
cells joined by `` | `` so a lab table stays readable, and images are collected (not inlined) so
the caller can turn them into media. Scripts, styles and embedded objects are dropped and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "table", "thead", "tbody", "tfoot", "hr", "dl", "dt", "dd", "figure", "figcaption",
        "address", "center",
    }
)  # fmt: skip
_DROPPED = frozenset({"script", "style", "iframe", "object", "embed", "applet", "noscript", "template"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass
class HtmlText:
    """The text of an HTML fragment, the image sources it names and what was dropped."""

    text: str
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt) in document order
    dropped: list[str] = field(default_factory=list)  # e.g. "script", "external link"


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images: list[tuple[str, str]] = []
        self.dropped: list[str] = []
        self._skip_depth = 0
        self._cells: list[str] | None = None  # the cells of the table row being read
        self._cell: list[str] | None = None
        self._list_stack: list[list[int]] = []  # [counter] per <ol>, [-1] per <ul>

    def _out(self, text: str) -> None:
        if self._cell is not None:
            self._cell.append(text)
        else:
            self.parts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            if tag not in ("noscript", "template") and tag not in self.dropped:
                self.dropped.append(tag)
            self._skip_depth += 1
            return
        if self._skip_depth:
            return
        values = {k: v or "" for k, v in attrs}
        if tag == "br":
            self._out("\n")
        elif tag == "img":
            src = values.get("src", "").strip()
            if src:
                self.images.append((src, values.get("alt", "").strip()))
        elif tag == "tr":
            self._cells = []
        elif tag in ("td", "th") and self._cells is not None:
            self._cell = []
        elif tag == "li":
            self._out("\n")
            if self._list_stack and self._list_stack[-1][0] >= 0:
                self._list_stack[-1][0] += 1
                self._out(f"{self._list_stack[-1][0]}. ")
            else:
                self._out("• ")
        elif tag in ("ol", "ul"):
            self._list_stack.append([0 if tag == "ol" else -1])
            self._out("\n")
        elif tag in _BLOCKS:
            self._out("\n\n" if tag == "p" else "\n")
        if any(k.startswith("on") for k in values) and "event handler" not in self.dropped:
            self.dropped.append("event handler")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if self._skip_depth:
            return
        if tag in ("td", "th") and self._cell is not None and self._cells is not None:
            self._cells.append(_SPACES.sub(" ", "".join(self._cell).replace("\n", " ")).strip())
            self._cell = None
        elif tag == "tr" and self._cells is not None:
            self._cell = None
            lead = "" if self.parts and self.parts[-1].endswith("\n") else "\n"
            self.parts.append(lead + " | ".join(self._cells) + "\n")
            self._cells = None
        elif tag in ("ol", "ul"):
            if self._list_stack:
                self._list_stack.pop()
            self._out("\n")
        elif tag in _BLOCKS:
            self._out("\n\n" if tag == "p" else "\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._out(data.replace("\n", " "))


def tidy(text: str) -> str:
    """Collapse runs of spaces, trim each line, and keep at most one blank line in a row."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def html_to_text(html: str) -> HtmlText:
    """Convert an HTML fragment (or plain text, which passes through) to pack text."""
    if "<" not in html and "&" not in html:
        return HtmlText(tidy(html))
    converter = _Converter()
    converter.feed(html)
    converter.close()
    return HtmlText(tidy("".join(converter.parts)), converter.images, converter.dropped)

"""GIFT, Moodle's text format: single-answer multiple choice (``=right ~wrong #feedback``) and true/false.

Questions are separated by blank lines; ``//`` starts a comment line; ``::title::`` names a question
(and is kept as its id); ``$CATEGORY:`` lines name the category (the first is the pack title).
Essay (``{}``), numeric (``{#...}``), matching (``->``), short answer (only ``=`` answers) and
multiple response or partial credit (``~%50%``) are skipped with a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.importers.draft import Collector, DraftOption, DraftQuestion
from app.core.importers.html_text import html_to_text

_ESCAPES = {"\\~": "\ue000", "\\=": "\ue001", "\\#": "\ue002", "\\{": "\ue003", "\\}": "\ue004", "\\:": "\ue005"}
_RESTORE = {v: k[1] for k, v in _ESCAPES.items()}
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE = {"t": True, "true": True, "f": False, "false": False}


def looks_like(text: str) -> bool:
    """Some non-comment line holds an answer block ``{...}`` and no line looks like XML or JSON."""
    body = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("//")]
    if not body or body[0].lstrip().startswith(("<", "[", '{"')):
        return False
    joined = "\n".join(body)
    return "{" in joined and "}" in joined


def _protect(text: str) -> str:
    text = text.replace("\\\\", "\ue006").replace("\\n", "\n")
    for escaped, mark in _ESCAPES.items():
        text = text.replace(escaped, mark)
    return text


def _restore(text: str) -> str:
    for mark, char in _RESTORE.items():
        text = text.replace(mark, char)
    return text.replace("\ue006", "\\")


def _clean(text: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    """Text of a GIFT fragment (``[html]`` converted), with its images and what was dropped."""
    text = _restore(text).strip()
    match = _FORMAT.match(text)
    fmt = match.group(1).lower() if match else "moodle"
    if match:
        text = text[match.end() :].strip()
    if fmt in ("plain", "markdown"):
        return text, [], []
    converted = html_to_text(text)
    return converted.text, converted.images, converted.dropped


@dataclass
class _Block:
    line: int
    text: str


def _blocks(text: str) -> tuple[list[_Block], list[tuple[int, str]]]:
    """Question blocks (separated by blank lines) and the ``$CATEGORY:`` lines with their numbers."""
    blocks: list[_Block] = []
    categories: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            categories.append((number, stripped[len("$CATEGORY:") :].strip()))
            continue
        if not stripped:
            if current:
                blocks.append(_Block(start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(_Block(start, "\n".join(current)))
    return blocks, categories


def read(text: str, collector: Collector) -> str | None:
    """Read every question; returns the first category's last part (the pack title) if any."""
    blocks, categories = _blocks(_protect(text))
    total = len(blocks)
    for done, block in enumerate(blocks, start=1):
        if done % 200 == 0 or done == total:
            collector.tick(done, total)
        _read_block(block, collector)
    if categories:
        return categories[0][1].rstrip("/").split("/")[-1].strip() or None
    return None


def _read_block(block: _Block, collector: Collector) -> None:
    source = block.text.strip()
    title: str | None = None
    if source.startswith("::"):
        end = source.find("::", 2)
        if end < 0:
            collector.problem("the title opened with '::' is never closed", f"line {block.line}", "title")
            return
        title = _restore(source[2:end]).strip() or None
        source = source[end + 2 :]
    where = f"line {block.line} ({title!r})" if title else f"line {block.line}"
    opened = source.find("{")
    closed = source.rfind("}")
    if opened < 0:
        collector.skip("description", where, "text without an answer block, not a question")
        return
    if closed < opened:
        collector.problem("the answer block opened with '{' is never closed", where, "answers")
        return
    before, answers, after = source[:opened], source[opened + 1 : closed], source[closed + 1 :]
    stem_source = before if not after.strip() else f"{before.rstrip()} _____ {after.lstrip()}"
    stem, images, dropped = _clean(stem_source)
    for item in dropped:
        collector.warn(f"{item} in the question text dropped", where)
    body = answers.strip()
    general: str | None = None
    if "####" in body:
        body, general_raw = body.split("####", 1)
        general = _clean(general_raw)[0] or None
        body = body.strip()
    if not body:
        collector.skip("essay", where, "not a single-best-answer question")
        return
    if body.startswith("#"):
        collector.skip("numeric", where, "not a single-best-answer question")
        return
    head = body.split("#", 1)[0].strip().lower()
    if head in _TRUE:
        _true_false(body, _TRUE[head], stem, general, images, title, collector, where)
        return
    items = re.findall(r"([=~])([^=~]*)", body)
    if not items:
        collector.problem("the answer block has no '=' or '~' answers", where, "answers")
        return
    if any("->" in text for _, text in items):
        collector.skip("matching", where, "not a single-best-answer question")
        return
    if all(mark == "=" for mark, _ in items):
        collector.skip("short-answer", where, "not a single-best-answer question")
        return
    options: list[DraftOption] = []
    key: list[int] = []
    partial = False
    for index, (mark, raw) in enumerate(items):
        text, _, feedback = raw.partition("#")
        text = text.strip()
        weight = _WEIGHT.match(text)
        if weight:
            text = text[weight.end() :]
            value = float(weight.group(1))
            if (mark == "~" and value > 0) or (mark == "=" and value < 100):
                partial = True
        if mark == "=":
            key.append(index)
        option_text, option_images, _ = _clean(text)
        if option_images:
            collector.warn(f"image in option {index + 1} dropped (options hold text only)", where)
        options.append(DraftOption(option_text, _clean(feedback)[0] or None))
    if partial:
        collector.skip("partial-credit", where, "answers carry partial credit (%n%); a single best answer is needed")
        return
    if len(key) != 1:
        collector.skip("multiple-response", where, "more than one answer is marked right")
        return
    collector.add(DraftQuestion(where, title, stem, options, key[0], explanation=general, images=images))


def _true_false(
    body: str,
    truth: bool,
    stem: str,
    general: str | None,
    images: list[tuple[str, str]],
    title: str | None,
    collector: Collector,
    where: str,
) -> None:
    # {TRUE#feedback if answered wrongly#feedback if answered rightly}
    parts = body.split("#")
    wrong = _clean(parts[1])[0] if len(parts) > 1 else ""
    right = _clean(parts[2])[0] if len(parts) > 2 else ""
    true_feedback, false_feedback = (right, wrong) if truth else (wrong, right)
    options = [DraftOption("True", true_feedback or None), DraftOption("False", false_feedback or None)]
    collector.add(DraftQuestion(where, title, stem, options, 0 if truth else 1, explanation=general, images=images))

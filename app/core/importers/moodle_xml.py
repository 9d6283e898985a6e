"""Moodle XML (``<quiz>``): single-answer ``multichoice`` and ``truefalse`` questions.

The answer with ``fraction="100"`` is the key and every other answer must score 0 or less; answers
with partial credit, multiple-response questions (``<single>false``) and every other question type
are skipped with a count. Per-answer ``feedback`` becomes that option's explanation,
``generalfeedback`` the question's explanation; images embedded as ``<file>`` and named through
``@@PLUGINFILE@@/`` (or the Moodle 1.9 ``<image_base64>``) become media.
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from urllib.parse import unquote

from app.core.importers.draft import Collector, DraftOption, DraftQuestion
from app.core.importers.html_text import html_to_text
from app.core.importers.xml_safety import child, children

PLUGINFILE = "@@PLUGINFILE@@/"
SKIP_KINDS = {
    "essay": ("essay", "not a single-best-answer question"),
    "matching": ("matching", "not a single-best-answer question"),
    "ddmatch": ("matching", "not a single-best-answer question"),
    "numerical": ("numeric", "not a single-best-answer question"),
    "calculated": ("numeric", "not a single-best-answer question"),
    "calculatedsimple": ("numeric", "not a single-best-answer question"),
    "calculatedmulti": ("numeric", "answers are computed from variables"),
    "shortanswer": ("short-answer", "not a single-best-answer question"),
    "multianswer": ("cloze", "embedded answers are not a single-best-answer question"),
    "cloze": ("cloze", "embedded answers are not a single-best-answer question"),
    "description": ("description", "text only, not a question"),
    "random": ("random", "a placeholder for a random question, not a question"),
    "randomsamatch": ("matching", "not a single-best-answer question"),
}


class _Text:
    """A Moodle text element converted, with the files it embeds."""

    def __init__(self, element: ET.Element | None, collector: Collector, where: str, what: str) -> None:
        self.text = ""
        self.images: list[tuple[str, str]] = []
        self.files: dict[str, bytes] = {}
        if element is None:
            return
        text_element = child(element, "text")
        raw = (text_element.text or "") if text_element is not None else ""
        fmt = element.get("format", "html")
        for file_element in children(element, "file"):
            name = file_element.get("name", "")
            try:
                self.files[name] = base64.b64decode((file_element.text or "").encode("ascii"), validate=False)
            except (binascii.Error, ValueError, UnicodeEncodeError):
                collector.warn(f"embedded file {name!r} in the {what} is not valid base64; dropped", where)
        if fmt in ("plain_text", "markdown"):
            self.text = html_to_text(raw.replace("<", "&lt;")).text if fmt == "plain_text" else raw.strip()
            return
        converted = html_to_text(raw)
        self.text = converted.text
        for item in converted.dropped:
            collector.warn(f"{item} in the {what} dropped", where)
        for src, alt in converted.images:
            name = unquote(src[len(PLUGINFILE) :]).lstrip("/") if src.startswith(PLUGINFILE) else src
            self.images.append((name, alt))


def _fraction(answer: ET.Element) -> float | None:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return None


def read(root: ET.Element, collector: Collector) -> str | None:
    """Read every question; returns the first category's name (the pack title) if the file has one."""
    title: str | None = None
    questions = children(root, "question")
    total = len(questions)
    number = 0
    for done, question in enumerate(questions, start=1):
        if done % 200 == 0 or done == total:
            collector.tick(done, total)
        kind = question.get("type", "")
        if kind == "category":
            path_text = child(question, "category")
            name = child(path_text, "text") if path_text is not None else None
            value = (name.text or "").strip() if name is not None else ""
            if value and title is None:
                title = value.rstrip("/").split("/")[-1].strip() or None
            continue
        number += 1
        name_element = child(question, "name")
        name_text = child(name_element, "text") if name_element is not None else None
        label = (name_text.text or "").strip() if name_text is not None else ""
        where = f"question {number} ({label!r})" if label else f"question {number}"
        if kind in SKIP_KINDS:
            skip_kind, reason = SKIP_KINDS[kind]
            collector.skip(skip_kind, where, reason)
            continue
        if kind not in ("multichoice", "truefalse"):
            collector.skip(kind or "untyped", where, f"question type {kind!r} is not single-best-answer")
            continue
        _read_choice(question, kind, collector, where)
    return title


def _read_choice(question: ET.Element, kind: str, collector: Collector, where: str) -> None:
    single_element = child(question, "single")
    single = (single_element.text or "true").strip().lower() if single_element is not None else "true"
    if kind == "multichoice" and single in ("false", "0"):
        collector.skip("multiple-response", where, "more than one answer can be chosen")
        return
    answers = children(question, "answer")
    fractions = [_fraction(a) for a in answers]
    if any(f is None for f in fractions):
        collector.problem("an answer has a fraction that is not a number", where, "answer.fraction")
        return
    keys = [i for i, f in enumerate(fractions) if f is not None and abs(f - 100) < 1e-6]
    partial = [f for f in fractions if f is not None and 0 < f < 100 - 1e-6]
    if len(keys) != 1 or partial:
        reason = "no answer scores 100%" if not keys else "answers carry partial credit"
        if len(keys) > 1:
            reason = "more than one answer scores 100%"
        collector.skip("partial-credit", where, reason + "; a single best answer is needed")
        return
    stem = _Text(child(question, "questiontext"), collector, where, "question text")
    general = _Text(child(question, "generalfeedback"), collector, where, "general feedback")
    options: list[DraftOption] = []
    for position, answer in enumerate(answers, start=1):
        text = _Text(answer, collector, where, f"answer {position}")
        if kind == "truefalse":
            text.text = {"true": "True", "false": "False"}.get(text.text.strip().lower(), text.text)
        feedback = _Text(child(answer, "feedback"), collector, where, f"feedback of answer {position}")
        if text.images or feedback.images:
            collector.warn(f"image in answer {position} or its feedback dropped (options hold text only)", where)
        options.append(DraftOption(text.text, feedback.text or None))
    images = list(stem.images)
    files = dict(stem.files)
    old_name = child(question, "image")
    old_data = child(question, "image_base64")
    if old_name is not None and (old_name.text or "").strip():
        name = (old_name.text or "").strip()
        images.append((name, ""))
        if old_data is not None and (old_data.text or "").strip():
            try:
                files[name] = base64.b64decode("".join((old_data.text or "").split()))
            except (binascii.Error, ValueError):
                collector.warn(f"image {name!r} is not valid base64; dropped", where)
    for image in general.images:
        collector.warn(f"image {image[0]!r} in the general feedback dropped (explanations hold text only)", where)
    idnumber = child(question, "idnumber")
    tags_element = child(question, "tags")
    tags = [
        (tag_text.text or "").strip()
        for tag in (children(tags_element, "tag") if tags_element is not None else [])
        if (tag_text := child(tag, "text")) is not None
    ]
    collector.add(
        DraftQuestion(
            where=where,
            source_id=((idnumber.text or "").strip() or None) if idnumber is not None else None,
            stem=stem.text,
            options=options,
            answer=keys[0],
            explanation=general.text or None,
            tags=tags,
            images=images,
            files=files,
        )
    )

"""MedQA-style JSONL: one JSON object a line.

``question`` (the stem), ``options`` (an object of label -> text, 4 or 5 of them), ``answer_idx``
(the key's label), optionally ``answer`` (the key's text, checked against the options),
``meta_info`` (``step1``, ``step2&3``: kept as a tag, not a discipline), ``reason`` or
``explanation``, and ``id`` when the file has its own ids.
"""

from __future__ import annotations

import json
from typing import Any

from app.core.importers.draft import Collector, DraftOption, DraftQuestion


def looks_like(text: str) -> bool:
    """The first non-blank line is a JSON object with ``question`` and ``options``."""
    for line in text.splitlines():
        if line.strip():
            try:
                first = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                return False
            return isinstance(first, dict) and "question" in first and "options" in first
    return False


def _text(value: Any, collector: Collector, where: str, fld: str, required: bool = True) -> str | None:
    if value is None:
        if required:
            collector.problem("is required", where, fld)
        return None
    if not isinstance(value, str):
        collector.problem(f"must be text, got {type(value).__name__}", where, fld)
        return None
    if required and not value.strip():
        collector.problem("is empty", where, fld)
        return None
    return value.strip() or None


def read(text: str, collector: Collector) -> None:
    """Read every line; a line that is not a valid question is a problem naming its number and field."""
    lines = text.splitlines()
    total = sum(1 for line in lines if line.strip())
    done = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        done += 1
        if done % 500 == 0 or done == total:
            collector.tick(done, total)
        where = f"line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            collector.problem(f"not valid JSON: {exc.msg} at column {exc.colno}", where)
            continue
        except RecursionError:
            collector.problem("JSON nested too deeply", where)
            continue
        if not isinstance(obj, dict):
            collector.problem(f"expected a JSON object, got {type(obj).__name__}", where)
            continue
        _read_one(obj, collector, where)


def _read_one(obj: dict[str, Any], collector: Collector, where: str) -> None:
    before = len(collector.problems)
    stem = _text(obj.get("question"), collector, where, "question")
    options = obj.get("options")
    labels: list[str] = []
    texts: list[str] = []
    if not isinstance(options, dict):
        if options is None:
            collector.problem("is required", where, "options")
        else:
            collector.problem(f"must be an object of label -> text, got {type(options).__name__}", where, "options")
    else:
        for label, value in options.items():
            option_text = _text(value, collector, where, f"options.{label}")
            if option_text is not None:
                labels.append(str(label))
                texts.append(option_text)
    key = obj.get("answer_idx")
    if key is None:
        collector.problem("is required", where, "answer_idx")
    elif labels and str(key) not in labels:
        collector.problem(f"{key!r} is not among the option labels {', '.join(labels)}", where, "answer_idx")
    answer_text = _text(obj.get("answer"), collector, where, "answer", required=False)
    if answer_text is not None and labels and str(key) in labels:
        expected = texts[labels.index(str(key))]
        if " ".join(answer_text.split()) != " ".join(expected.split()):
            collector.problem(f"{answer_text!r} is not the text of option {key} ({expected!r})", where, "answer")
    explanation = _text(obj.get("explanation", obj.get("reason")), collector, where, "explanation", required=False)
    objective = _text(obj.get("objective"), collector, where, "objective", required=False)
    tags: list[str] = []
    meta = obj.get("meta_info")
    if isinstance(meta, str) and meta.strip():
        tags.append(meta)
    extra_tags = obj.get("tags")
    if isinstance(extra_tags, list):
        tags.extend(str(t) for t in extra_tags)
    raw_id = obj.get("id")
    if len(collector.problems) > before or stem is None:
        return
    collector.add(
        DraftQuestion(
            where=where,
            source_id=str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None,
            stem=stem,
            options=[DraftOption(t) for t in texts],
            answer=labels.index(str(key)),
            explanation=explanation,
            objective=objective,
            tags=tags,
        )
    )

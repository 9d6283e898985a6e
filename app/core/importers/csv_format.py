"""CSV with a documented header: ``id,stem,A,B,...,answer,explanation,discipline,system,tags``.

UTF-8 with or without a BOM, ``,`` or ``;`` as the delimiter (whichever the header uses). Option
columns are single letters A to J; ``answer`` is one of them. Optional columns: ``id`` (kept as the
question id), ``lead_in``, ``explanation``, ``objective``, ``discipline``, ``system`` (outline slugs),
``tags`` (separated by spaces, ``|`` or ``;``), and ``explanation_A`` ... for per-option explanations.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from app.core.importers.draft import Collector, DraftOption, DraftQuestion
from app.core.pack_format import LABELS

REQUIRED = ("stem", "answer")
OPTIONAL = ("id", "lead_in", "explanation", "objective", "discipline", "system", "tags")
TEMPLATE_HEADER = ["id", "stem", "A", "B", "C", "D", "E", "answer", "explanation", "discipline", "system", "tags"]
_TAG_SPLIT = re.compile(r"[\s|;]+")


def template() -> str:
    """A CSV a user can fill in: the header and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(
        [
            "cards-001",
            "A 58-year-old man has crushing chest pain for 30 minutes. ECG shows ST elevation in II, III and aVF. "
            "Which artery is most likely occluded?",
            "Left anterior descending artery",
            "Left circumflex artery",
            "Right coronary artery",
            "Left main coronary artery",
            "Posterior descending artery only",
            "C",
            "Inferior ST elevation points to the right coronary artery in most people (right-dominant circulation).",
            "medicine",
            "cardiovascular",
            "ecg mi",
        ]
    )
    return buffer.getvalue()


def _header_delimiter(first_line: str) -> str | None:
    for delimiter in (",", ";", "\t"):
        names = {name.strip().lower() for name in first_line.split(delimiter)}
        if "stem" in names and "answer" in names:
            return delimiter
    return None


def looks_like(text: str) -> bool:
    """The first line is a header naming at least ``stem`` and ``answer``."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return _header_delimiter(first) is not None


def header_problem(text: str) -> str | None:
    """Why a file that looks like a CSV has no usable header (None when it has one)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    names = [n.strip().lower() for n in re.split(r"[,;\t]", first)]
    if "stem" in names or "answer" in names:
        missing = [c for c in REQUIRED if c not in names]
        return f"the header has no {', '.join(missing)} column (expected {','.join(TEMPLATE_HEADER)})"
    return None


def read(text: str, collector: Collector) -> None:
    """Read every row; a row that is not a valid question is a problem naming its line and column."""
    text = text.lstrip("\ufeff")
    delimiter = _header_delimiter(text.split("\n", 1)[0])
    if delimiter is None:
        raise collector.fail(header_problem(text) or "no header line with stem and answer columns", "line 1")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise collector.fail(f"unreadable header: {exc}", "line 1") from None
    lower = [h.lower() for h in header]
    option_columns = [(i, h.upper()) for i, h in enumerate(header) if len(h) == 1 and h.upper() in LABELS]
    letters = [letter for _, letter in option_columns]
    if letters != list(LABELS[: len(letters)]) or len(letters) < 2:
        raise collector.fail(
            f"option columns must be A, B, ... in order (at least A and B); got {', '.join(letters) or 'none'}",
            "line 1",
        )
    explanation_columns = {h.upper()[-1]: i for i, h in enumerate(header) if re.fullmatch(r"(?i)explanation_[A-J]", h)}
    index = {name: lower.index(name) for name in (*REQUIRED, *OPTIONAL) if name in lower}
    rows = list(_rows(reader, collector))
    total = len(rows)
    for done, (line, row) in enumerate(rows, start=1):
        if done % 500 == 0 or done == total:
            collector.tick(done, total)
        if not any(cell.strip() for cell in row):
            continue
        where = f"line {line}"
        if len(row) > len(header):
            collector.problem(f"has {len(row)} columns but the header has {len(header)}", where)
            continue
        if len(row) < len(header):
            lost = [header[i] for i in range(len(row), len(header))]
            needed = [name for name in lost if name.lower() in REQUIRED or name in letters[:2]]
            if needed:
                collector.problem(
                    f"has {len(row)} columns but the header has {len(header)}; missing {', '.join(lost)}",
                    where,
                    needed[0],
                )
                continue

        def cell(name: str, row: list[str] = row) -> str:
            position = index.get(name)
            return row[position].strip() if position is not None and position < len(row) else ""

        stem = cell("stem")
        if not stem:
            collector.problem("is empty", where, "stem")
        options: list[DraftOption] = []
        for position, letter in option_columns:
            value = row[position].strip() if position < len(row) else ""
            if not value:
                break  # options end at the first empty column: 4-option rows leave E empty
            explanation_at = explanation_columns.get(letter)
            explanation = (
                row[explanation_at].strip() if explanation_at is not None and explanation_at < len(row) else ""
            )
            options.append(DraftOption(value.replace("\\n", "\n"), explanation or None))
        answer = cell("answer").upper()
        used = LABELS[: len(options)]
        if not answer:
            collector.problem("is empty", where, "answer")
        elif answer not in used:
            collector.problem(f"{answer!r} is not among the filled option columns {', '.join(used)}", where, "answer")
        if not stem or answer not in used or not answer:
            continue
        collector.add(
            DraftQuestion(
                where=where,
                source_id=cell("id") or None,
                stem=stem.replace("\\n", "\n"),
                options=options,
                answer=used.index(answer),
                explanation=cell("explanation") or None,
                objective=cell("objective") or None,
                lead_in=cell("lead_in") or None,
                discipline=cell("discipline").lower() or None,
                system=cell("system").lower() or None,
                tags=[t for t in _TAG_SPLIT.split(cell("tags")) if t],
            )
        )


def _rows(reader: Any, collector: Collector) -> list[tuple[int, list[str]]]:
    out: list[tuple[int, list[str]]] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            raise collector.fail(f"unreadable CSV: {exc}", f"line {reader.line_num}") from None
        out.append((reader.line_num, row))

"""Benchmark: validating a pack of many tiny questions with duplicate ids (target: 40,000 questions in
well under 10 s; the old scan counted every id against the whole list, so it took minutes).
Run: python -m benchmarks.duplicate_scan [QUESTIONS]

Two packs of QUESTIONS tiny questions, every tenth id used twice: one where every question is valid
(pydantic's own duplicate check) and one where one question also has a field error (the raw cross-check
that lists duplicates beside field errors). Prints the time ``read_pack`` takes for each and the
number of problem lines.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.core.errors import PackError
from app.core.pack_reader import read_pack


def _pack(count: int, broken: bool) -> dict[str, Any]:
    questions = [
        {
            "id": f"q{index - 1 if index % 10 == 9 else index}",
            "stem": "s",
            "options": [{"label": "A", "text": "a"}, {"label": "B", "text": "b"}],
            "answer": "A",
        }
        for index in range(count)
    ]
    if broken:
        questions[0]["difficulty"] = 9
    return {
        "format": "blocksim-pack",
        "format_version": 1,
        "id": "dup",
        "title": "Dup",
        "version": "1.0.0",
        "questions": questions,
    }


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 40_000
    with tempfile.TemporaryDirectory() as tmp:
        for broken in (False, True):
            folder = Path(tmp) / f"pack-{broken}"
            folder.mkdir()
            (folder / "pack.json").write_text(json.dumps(_pack(count, broken)), encoding="utf-8")
            start = time.perf_counter()
            try:
                read_pack(folder)
                lines: list[str] = []
            except PackError as exc:
                lines = exc.problems
            elapsed = time.perf_counter() - start
            what = "with a field error" if broken else "otherwise valid   "
            print(f"{count} questions, duplicate ids, {what}: {elapsed:6.2f} s, {len(lines)} problem line(s)")
            print(f"    {lines[0][-110:] if lines else '(valid)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

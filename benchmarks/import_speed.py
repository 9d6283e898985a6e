"""Benchmark: import a 10,000-item MedQA-style JSONL (target <= 3 s: read, validate and install), and
the size of the questions table it leaves (filter columns only: the bodies are in question_versions).

Run: python -m benchmarks.import_speed   (uses a temporary store; prints the figures)
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from app.bootstrap import build
from app.core.importers import ImportOverrides, load_any
from app.storage.db import DB_FILE

ITEMS = 10_000
TARGET_SECONDS = 3.0


def write_bank(path: Path, count: int = ITEMS) -> None:
    """A JSONL bank of ``count`` distinct five-option vignettes, MedQA's shape."""
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            stem = (
                f"A {20 + n % 60}-year-old patient (case {n}) has fever, cough and pleuritic chest pain for "
                f"{1 + n % 9} days. Temperature is 38.{n % 10} C, pulse {80 + n % 40}/min. Crackles are heard over "
                "the right lower lobe. Which of the following is the most appropriate next step in management?"
            )
            options = {label: f"Option {label} for case {n}" for label in "ABCDE"}
            line = {"question": stem, "options": options, "answer_idx": "ABCDE"[n % 5], "meta_info": "step2&3"}
            handle.write(json.dumps(line) + "\n")


def table_megabytes(path: Path, *names: str) -> list[float] | None:
    """The pages each table and its indexes take, in MB (None when SQLite lacks the dbstat table)."""
    connection = sqlite3.connect(path)
    try:
        query = (
            "SELECT sum(pgsize) FROM dbstat WHERE name = ? OR name IN "
            "(SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?)"
        )
        return [(connection.execute(query, (name, name)).fetchone()[0] or 0) / 1e6 for name in names]
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        bank = Path(folder) / "bank.jsonl"
        write_bank(bank)
        services = build(Path(folder) / "data", import_bundled=False)
        try:
            start = time.perf_counter()
            result = load_any(bank, ImportOverrides(version="1.0.0"))
            read = time.perf_counter() - start
            [outcome] = services.packs.install_all([(bank, result)])
            total = time.perf_counter() - start
        finally:
            services.close()
        sizes = table_megabytes(Path(folder) / "data" / DB_FILE, "questions", "question_versions")
    print(f"items: {outcome.added}")
    print(f"read and validate: {read:.2f} s")
    print(f"read, validate and install: {total:.2f} s (target <= {TARGET_SECONDS:.0f} s)")
    if sizes is not None:
        print(f"questions table with its indexes: {sizes[0]:.1f} MB; question_versions (the bodies): {sizes[1]:.1f} MB")
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

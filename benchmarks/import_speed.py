"""Benchmark: import a 10,000-item MedQA-style JSONL (target <= 3 s: read, validate and install).

Run: python -m benchmarks.import_speed   (uses a temporary store; prints the figures)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from app.bootstrap import build
from app.core.importers import ImportOverrides, load_any

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
    print(f"items: {outcome.added}")
    print(f"read and validate: {read:.2f} s")
    print(f"read, validate and install: {total:.2f} s (target <= {TARGET_SECONDS:.0f} s)")
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

"""Builders of small valid packs for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SYSTEMS = ["cardiovascular", "respiratory", "renal-urinary", "nervous"]
DISCIPLINES = ["medicine", "surgery", "pediatrics", "psychiatry"]


def question(index: int, **overrides: Any) -> dict[str, Any]:
    """A valid question; ``overrides`` replace fields."""
    data: dict[str, Any] = {
        "id": f"q{index:03d}",
        "stem": f"A {20 + index}-year-old patient has fever and cough for {index + 1} days.",
        "lead_in": "Which of the following is the most likely diagnosis?",
        "options": [
            {"label": label, "text": f"Option {label} of {index}", "explanation": f"Why {label}."} for label in "ABCDE"
        ],
        "answer": "ABCDE"[index % 5],
        "explanation": "Overall explanation.",
        "objective": "Recognise the pattern.",
        "discipline": DISCIPLINES[index % len(DISCIPLINES)],
        "system": SYSTEMS[index % len(SYSTEMS)],
        "task": "diagnosis",
        "keywords": ["fever and cough"],
        "difficulty": 3,
    }
    data.update(overrides)
    return data


def pack_dict(count: int = 10, pack_id: str = "test-pack", version: str = "1.0.0", **overrides: Any) -> dict[str, Any]:
    """A valid pack dictionary."""
    data: dict[str, Any] = {
        "format": "blocksim-pack",
        "format_version": 1,
        "id": pack_id,
        "title": f"Test pack {pack_id}",
        "version": version,
        "license": "CC-BY-4.0",
        "questions": [question(i) for i in range(count)],
    }
    data.update(overrides)
    return data


def write_pack(folder: Path, data: dict[str, Any] | str | bytes, media: dict[str, bytes] | None = None) -> Path:
    """Write a pack folder (``data`` may be raw text/bytes for broken files) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "pack.json"
    if isinstance(data, bytes):
        target.write_bytes(data)
    elif isinstance(data, str):
        target.write_text(data, encoding="utf-8")
    else:
        target.write_text(json.dumps(data), encoding="utf-8")
    for name, blob in (media or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
    return folder


# A 1x1 PNG.
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def tick_through(runner: object, clock: object, seconds: int) -> bool:
    """Advance a fake clock one second at a time, ticking like the app's timer; True if the block ended."""
    ended = False
    for _ in range(seconds):
        clock.advance(1)  # type: ignore[attr-defined]
        ended = runner.tick() or ended  # type: ignore[attr-defined]
    return ended

"""Question snapshots: the identity of a question's content, and what a later pack version corrected.

A session keeps the exact content it was sat with (a content-addressed snapshot), so a newer pack
version never rewrites an old review or re-scores an old block; it is shown beside it as a correction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from app.core.pack_format import Question

# Classification only: a change here re-files a question but does not change what the candidate read
# or how it is scored, so it is not reported as a correction.
_CLASSIFICATION_FIELDS = frozenset({"discipline", "system", "task", "topic", "tags", "difficulty"})


def canonical_json(value: Any) -> str:
    """One text per value: sorted keys, no spaces, ASCII escapes (lone surrogates stay encodable)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def content_hash(pack_id: str, data: dict[str, Any]) -> str:
    """The sha256 (hex) naming one content of a question.

    The pack id is part of the hashed document, so two packs carrying an identical question each keep
    their own snapshot. The 0002 migration holds a frozen copy of this function: change neither alone.
    """
    return canonical_content(pack_id, data)[1]


def canonical_content(pack_id: str, data: dict[str, Any]) -> tuple[str, str]:
    """The canonical JSON of ``data`` and its :func:`content_hash`, serialising the question once.

    The hashed document is ``canonical_json({"pack_id": pack_id, "question": data})`` spelled out: its
    keys sorted ("pack_id" before "question"), so the question's text is the inner part as it is.
    """
    body = canonical_json(data)
    document = f'{{"pack_id":{canonical_json(pack_id)},"question":{body}}}'
    return body, hashlib.sha256(document.encode("ascii")).hexdigest()


def question_data(question: Question) -> dict[str, Any]:
    """The stored (and hashed) form of a question."""
    return question.model_dump(mode="json", exclude_none=True)


@dataclass(frozen=True)
class Correction:
    """A newer content of a question than the one sat: shown beside the review, never re-scored."""

    version: str
    question: Question
    key_changed: bool


def correction(sat: Question, current: Question, version: str) -> Correction | None:
    """What ``current`` (first installed in pack ``version``) corrects in ``sat``, if anything the candidate reads."""

    def read(question: Question) -> dict[str, Any]:
        return {k: v for k, v in question_data(question).items() if k not in _CLASSIFICATION_FIELDS}

    if read(sat) == read(current):
        return None
    return Correction(version=version, question=current, key_changed=sat.answer != current.answer)

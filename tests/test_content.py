"""Content check of the bundled packs, beyond schema validation.

Distribution rules: systems must sit inside the outline's published ranges. Disciplines are compared
after normalising their ranges, because the outline codes an item to several disciplines (its ranges add
up to 115-145%) while a pack item carries one. Physician tasks may stray by at most TASK_TOLERANCE points:
the outline's task categories overlap too (prevention is part of management there), so a single task per
item can only approximate them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest

from app.bootstrap import build
from app.core.clock import FakeClock
from app.core.outline import default_outline
from app.core.pack_format import Pack, Question
from app.core.pack_reader import read_pack
from app.core.selection import BlockFilter, Pool
from app.services.blocks import BlockRequest
from app.services.packs import bundled_pack_paths

ROOT = Path(__file__).resolve().parent.parent
PACKS_DIR = ROOT / "question_packs"
TASK_TOLERANCE = 2.0
NEAR_DUPLICATE_JACCARD = 0.5


@cache
def packs() -> tuple[Pack, ...]:
    return tuple(read_pack(path).pack for path in bundled_pack_paths(PACKS_DIR))


@cache
def questions() -> tuple[Question, ...]:
    return tuple(q for pack in packs() for q in pack.questions)


def test_bundle_holds_a_full_exam_day() -> None:
    assert len(questions()) >= 320
    assert len({(p.id, q.id) for p in packs() for q in p.questions}) == len(questions())


def test_every_pack_is_licensed_and_documented() -> None:
    for path, pack in zip(bundled_pack_paths(PACKS_DIR), packs(), strict=True):
        assert pack.license == "CC-BY-4.0", pack.id
        assert pack.authors, pack.id
        readme = (path / "README.md").read_text(encoding="utf-8")
        assert "review" in readme.lower(), f"{pack.id}: README must say how items were reviewed"


@pytest.mark.parametrize("field", ["explanation", "objective", "lead_in", "discipline", "system", "task", "difficulty"])
def test_every_item_is_complete(field: str) -> None:
    missing = [q.id for q in questions() if getattr(q, field) is None]
    assert missing == []


def test_every_option_is_explained_and_options_are_sound() -> None:
    for q in questions():
        assert 4 <= len(q.options) <= 9, q.id
        assert all(o.explanation for o in q.options), q.id
        texts = [o.text.strip().lower() for o in q.options]
        assert len(set(texts)) == len(texts), f"{q.id}: duplicate option text"
        for text in texts:
            assert not re.search(r"\b(all|none|both) of the above\b|\bboth [a-j] and [a-j]\b", text), q.id


def test_one_answer_per_item_and_letters_are_balanced() -> None:
    letters = Counter(q.answer for q in questions())
    assert all(q.answer in {o.label for o in q.options} for q in questions())
    share = max(letters.values()) / len(questions())
    assert share < 0.3, letters


def test_lead_ins_are_questions_and_keywords_occur() -> None:
    for q in questions():
        assert q.lead_in is not None and q.lead_in.rstrip().endswith("?"), q.id
        assert q.keywords, q.id
        assert all(k in q.stem for k in q.keywords), q.id


def test_management_items_name_a_guideline() -> None:
    sources = re.compile(
        r"USPSTF|ACC|AHA|ACOG|AAP|IDSA|ADA|ACR|GOLD|GINA|KDIGO|ACIP|CDC|ATS|ATLS|AASLD|ACG|APA|ASAM|AAN|ASH|"
        r"guideline|Guideline|consensus|Consensus|criteria|Criteria|recommend|Practice Bulletin|Committee Opinion|"
        r"Society|College|Association|Academy|WHO|NCCN|AUA|AAOS|Joint Commission|AMA|Surviving Sepsis"
    )
    missing = [
        q.id for q in questions() if q.task in {"management", "prevention"} and not sources.search(q.explanation or "")
    ]
    assert missing == []


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(max(0, len(words) - 4))}


def test_no_duplicate_or_near_duplicate_stems() -> None:
    shingled = [(q.id, _shingles(q.stem)) for q in questions()]
    close = []
    for (id_a, a), (id_b, b) in combinations(shingled, 2):
        if a and b and len(a & b) / len(a | b) > NEAR_DUPLICATE_JACCARD:
            close.append((id_a, id_b))
    assert close == []


def _shares(dimension: str) -> dict[str, float]:
    counts = Counter(getattr(q, dimension) for q in questions())
    return {slug: 100 * counts[slug] / len(questions()) for slug in default_outline().slugs(dimension)}


def test_systems_within_outline_ranges() -> None:
    shares = _shares("system")
    outside = {
        c.slug: round(shares[c.slug], 1) for c in default_outline().systems if not c.min <= shares[c.slug] <= c.max
    }
    assert outside == {}


def test_disciplines_within_normalised_ranges() -> None:
    categories = default_outline().disciplines
    total_min = sum(c.min for c in categories)
    total_max = sum(c.max for c in categories)
    shares = _shares("discipline")
    outside = {
        c.slug: round(shares[c.slug], 1)
        for c in categories
        if not 100 * c.min / total_max <= shares[c.slug] <= 100 * c.max / total_min
    }
    assert outside == {}


def test_tasks_near_outline_ranges() -> None:
    shares = _shares("task")
    outside = {
        c.slug: round(shares[c.slug], 1)
        for c in default_outline().tasks
        if not c.min - TASK_TOLERANCE <= shares[c.slug] <= c.max + TASK_TOLERANCE
    }
    assert outside == {}


def test_imaging_choice_and_image_items() -> None:
    assert sum("imaging-choice" in q.tags for q in questions()) >= 60
    with_media = [q for q in questions() if q.media]
    assert len(with_media) >= 12
    assert (ROOT / "scripts" / "generate_pack_media.py").is_file()


@pytest.mark.parametrize(("blocks", "size"), [(8, 40), (16, 20)])
def test_full_day_without_repeats(tmp_path: Path, blocks: int, size: int) -> None:
    services = build(tmp_path / "data", clock=FakeClock(), bundled_dir=PACKS_DIR)
    try:
        assert services.bundled is not None and services.bundled.problems == []
        seen: set[int] = set()
        for index in range(blocks):
            runner = services.blocks.start(BlockRequest(BlockFilter(pool=Pool.UNUSED), size=size, seed=index))
            keys = {q.key for q in runner.questions}
            assert not keys & seen
            seen |= keys
            runner.end()
        assert len(seen) == blocks * size
    finally:
        services.close()

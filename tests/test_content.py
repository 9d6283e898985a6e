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
from dataclasses import dataclass
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


def test_bundle_holds_two_full_exam_days_with_spares() -> None:
    """Issue 15: two full days of either format (316 or up to 318 items each) without a repeat, plus spares."""
    assert len(questions()) >= 700
    assert len({(p.id, q.id) for p in packs() for q in p.questions}) == len(questions())


def test_the_packs_folder_holds_only_packs() -> None:
    """So that `blocksim validate question_packs/*` checks every pack and trips on nothing else."""
    assert sorted(PACKS_DIR.iterdir()) == sorted(bundled_pack_paths(PACKS_DIR))


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


# A named guideline body: an abbreviation, or the name of a society, college, task force or document series.
GUIDELINE_BODY = re.compile(
    r"USPSTF|ACC|AHA|ACOG|AAP|IDSA|ADA|ACR|GOLD|GINA|KDIGO|ACIP|CDC|ATS|ATLS|AASLD|ACG|APA|ASAM|AAN|ASH|AUA|AAOS|"
    r"NCCN|WHO|NIH|NHLBI|EAST|WSES|ASCRS|ASCCP|SMFM|AAD|ACS|ACCP|ASA|ACEP|ISTH|FDA|HIPAA|ATA|AAAAI|ACAAI|VA/DoD|"
    r"EXTRIP|AAO-HNS|CANMAT|AGA|ASGE|ACP|NASPGHAN|EAU|ESC|IMWG|PECARN|EFNS|AAES|[Pp]anel|"
    r"Joint Commission|Surviving Sepsis|Practice Bulletin|Committee Opinion|Task Force|Working Group|Workgroup|"
    r"Society|College|Association|Academy|Institute|Consensus|HerniaSurge|Bright Futures|Red Book|Fleischner"
)
GUIDELINE_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
NO_FORMAL_GUIDELINE = re.compile(
    r"\bno formal (society )?(clinical practice )?guideline|\bno society has issued a formal", re.IGNORECASE
)


def names_a_guideline(explanation: str) -> bool:
    """One sentence names a guideline body and a year (its edition), or the text says no formal guideline exists."""
    if NO_FORMAL_GUIDELINE.search(explanation):
        return True
    sentences = re.split(r"(?<=[.;])\s+(?=[A-Z])", explanation)
    return any(GUIDELINE_BODY.search(s) and GUIDELINE_YEAR.search(s) for s in sentences)


def test_guideline_check_needs_a_body_and_a_year() -> None:
    assert names_a_guideline("The USPSTF (2021) recommends annual low-dose CT.")
    assert not names_a_guideline("The USPSTF recommends annual low-dose CT.")
    assert not names_a_guideline("Guidelines recommend annual screening, as a 2021 trial showed.")
    assert not names_a_guideline("The USPSTF recommends screening. He moved in 2015.")
    assert names_a_guideline("There is no formal society clinical practice guideline for this condition.")


def test_management_items_name_a_guideline() -> None:
    """Every management or prevention explanation cites a named body with the year of the edition it follows."""
    missing = [
        q.id
        for q in questions()
        if q.task in {"management", "prevention"} and not names_a_guideline(q.explanation or "")
    ]
    assert missing == []


NEGATIVE_LEAD_IN = re.compile(r"\b(EXCEPT|NOT|LEAST)\b|\bexcept\b|\bleast likely\b|\bis not\b")
CATCH_ALL = re.compile(r"\b(all|none|both) of the (above|options)\b", re.IGNORECASE)
UNFOCUSED_LEAD_IN = re.compile(r"\b(is|are) (true|false)\b|\bstatements? is\b|\bcompletes? the\b", re.IGNORECASE)


def test_item_writing_rule_patterns() -> None:
    assert NEGATIVE_LEAD_IN.search("Each of the following is a cause EXCEPT which?")
    assert NEGATIVE_LEAD_IN.search("Which of the following is NOT indicated?")
    assert not NEGATIVE_LEAD_IN.search("Which of the following is the most likely diagnosis?")
    assert CATCH_ALL.search("None of the above")
    assert UNFOCUSED_LEAD_IN.search("Which of the following statements is true?")
    assert not UNFOCUSED_LEAD_IN.search(
        "Which of the following is the most appropriate initial statement by the physician?"
    )


def test_no_negative_or_catch_all_items() -> None:
    """NBME item-writing rules: no EXCEPT/NOT/LEAST lead-ins and no "all/none of the above" anywhere in an item."""
    for q in questions():
        assert not NEGATIVE_LEAD_IN.search(q.lead_in or ""), f"{q.id}: negative lead-in {q.lead_in!r}"
        texts = [q.stem, q.lead_in or "", *(o.text for o in q.options)]
        assert not any(CATCH_ALL.search(t) for t in texts), q.id


def test_lead_ins_are_closed_questions() -> None:
    """A closed lead-in asks one focused question, answerable before reading the options, and ends in "?"."""
    for q in questions():
        lead_in = (q.lead_in or "").strip()
        assert lead_in.endswith("?"), q.id
        assert lead_in[:1].isupper(), q.id
        assert not UNFOCUSED_LEAD_IN.search(lead_in), f"{q.id}: open or unfocused lead-in {lead_in!r}"


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(max(0, len(words) - 4))}


# Function words and the boilerplate of every vignette and lead-in, left out of the word overlaps below.
_STOP_WORDS_TEXT = """
a an the of and or to in on at for with without from by is are was were be been has have had he she his her him it its
this that these those as but not no than then there which who whom what when after before since during because over
under into about per very most following next step appropriate likely diagnosis management best
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
NEAR_DUPLICATE_OPENING = 10  # content words
NEAR_DUPLICATE_WORDS = 0.40  # Jaccard of stem + lead-in content words
NEAR_DUPLICATE_POINT = 0.40  # Jaccard of objective + topic content words
NEAR_DUPLICATE_KEY = 0.30  # Jaccard of the keyed options' content words, for items on the same topic


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower()) if len(w) > 2 and w not in STOP_WORDS]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _key_text(q: Question) -> str:
    return next(o.text for o in q.options if o.label == q.answer)


@dataclass(frozen=True)
class _Features:
    """What the near-duplicate check compares, computed once per item."""

    id: str
    shingles: set[tuple[str, ...]]
    opening: list[str]
    words: frozenset[str]
    topic: str
    point: frozenset[str]
    key: frozenset[str]

    @classmethod
    def of(cls, q: Question) -> _Features:
        return cls(
            id=q.id,
            shingles=_shingles(q.stem),
            opening=_content_words(q.stem)[:NEAR_DUPLICATE_OPENING],
            words=frozenset(_content_words(f"{q.stem} {q.lead_in}")),
            topic=(q.topic or "").strip().lower(),
            point=frozenset(_content_words(f"{q.objective} {q.topic}")),
            key=frozenset(_content_words(_key_text(q))),
        )


def _near_duplicate(a: _Features, b: _Features) -> bool:
    if (
        a.shingles
        and b.shingles
        and len(a.shingles & b.shingles) / len(a.shingles | b.shingles) > NEAR_DUPLICATE_JACCARD
    ):
        return True
    same_vignette = a.opening == b.opening or _jaccard(a.words, b.words) >= NEAR_DUPLICATE_WORDS
    same_topic = bool(a.topic) and a.topic == b.topic
    same_point = same_topic or _jaccard(a.point, b.point) >= NEAR_DUPLICATE_POINT
    same_key = same_topic and _jaccard(a.key, b.key) >= NEAR_DUPLICATE_KEY
    return (same_vignette and same_point) or same_key


def near_duplicates(items: tuple[Question, ...]) -> list[tuple[str, str]]:
    """Pairs of items that teach the same point, so that sitting both gives one away or wastes a slot.

    A pair is flagged when
    - its stems share more than half of their 5-word shingles (reused text), or
    - its vignettes are alike (the same first NEAR_DUPLICATE_OPENING content words, or a stem + lead-in word
      overlap of at least NEAR_DUPLICATE_WORDS) and so are its points (the same topic, or an objective + topic
      word overlap of at least NEAR_DUPLICATE_POINT), or
    - both items have the same topic and their keys overlap by at least NEAR_DUPLICATE_KEY (the same answer
      taught again from another vignette).
    Tuned on the bank of 345 items at 2026-12-01: it flags the seven pairs the 2026 review found, plus
    obg-017/sur-025 (one vignette, two steps, so one gave the other's key away), and nothing else.
    """
    features = [_Features.of(q) for q in items]
    return [(a.id, b.id) for a, b in combinations(features, 2) if _near_duplicate(a, b)]


def _item(qid: str, stem: str, topic: str, key: str, objective: str = "Know the rule.") -> Question:
    return Question.model_validate(
        {
            "id": qid,
            "stem": stem,
            "lead_in": "Which of the following is the most appropriate next step in management?",
            "options": [{"label": "A", "text": key}, {"label": "B", "text": "Observation in hospital"}],
            "answer": "A",
            "topic": topic,
            "objective": objective,
        }
    )


def test_near_duplicate_check_finds_the_same_point_taught_twice() -> None:
    disclosure = "Explain the error, apologize, and describe the plan"
    fall = "A {age}-year-old boy is brought to the emergency department after a fall from a {seat} onto a carpet."
    items = (
        _item(
            "a",
            "A 71-year-old woman receives ten times her warfarin dose.",
            "Disclosure of a medical error",
            disclosure,
        ),
        _item(
            "b",
            "A 64-year-old man is burned by a grounding pad in surgery.",
            "Disclosure of a medical error",
            disclosure,
        ),
        _item("c", fall.format(age=4, seat="couch"), "Minor head trauma", "Discharge home"),
        _item("d", fall.format(age=3, seat="sofa"), "PECARN rule", "Discharge", "Apply the minor head trauma rule."),
        _item("e", "A 30-year-old woman has a painless, mobile breast lump.", "Fibroadenoma", "Ultrasonography"),
    )
    assert near_duplicates(items) == [("a", "b"), ("c", "d")]


def test_no_duplicate_or_near_duplicate_stems() -> None:
    assert near_duplicates(questions()) == []


def longest_key_share(q: Question, *, shortest: bool = False) -> float:
    """How much "always pick the longest option" scores on this item: 1 if the key is strictly the longest option,
    1/k if it ties with k - 1 others for the longest, 0 otherwise (with shortest=True, the same for the shortest).

    Length is the number of characters of the option text. Counting a tie as 1/k (a candidate who picks the longest
    option guesses among the tied ones) keeps options of equal length, such as "Sensitivity 70%, specificity 95%",
    from counting as a cue, while a key tied with one other option still counts half.
    """
    lengths = {o.label: len(o.text.strip()) for o in q.options}
    extreme = min(lengths.values()) if shortest else max(lengths.values())
    tied = [label for label, length in lengths.items() if length == extreme]
    return 1 / len(tied) if q.answer in tied else 0.0


LENGTH_CUE_BAND = (15.0, 25.0)  # percent of a pack's items on which "pick the longest" scores (chance: about 20%)
SHORTEST_KEY_MAX = 30.0  # the same for "pick the shortest"


def test_length_cue_share_splits_ties() -> None:
    item = _item("t", "A stem.", "Topic", "Observe at home now")
    assert longest_key_share(item) == 0.0 and longest_key_share(item, shortest=True) == 1.0
    tied = item.model_copy(update={"options": [item.options[0], item.options[1].model_copy(update={"text": "Admit"})]})
    tied = tied.model_copy(update={"options": [*tied.options, tied.options[0].model_copy(update={"label": "C"})]})
    assert longest_key_share(tied) == 0.5


@pytest.mark.parametrize("pack", packs(), ids=lambda pack: pack.id)
def test_option_length_is_not_a_cue(pack: Pack) -> None:
    """In every pack, "pick the longest option" finds the key in 15-25% of items, "pick the shortest" in at most 30%.

    Measured per pack with longest_key_share, because the 2026 review found 47% in two packs and about 0% in another,
    which averaged out over the bank. The cap on the shortest keeps a fix of one cue from creating the reverse cue.
    """
    longest = 100 * sum(longest_key_share(q) for q in pack.questions) / len(pack.questions)
    shortest = 100 * sum(longest_key_share(q, shortest=True) for q in pack.questions) / len(pack.questions)
    assert LENGTH_CUE_BAND[0] <= longest <= LENGTH_CUE_BAND[1], f"{pack.id}: key longest in {longest:.0f}%"
    assert shortest <= SHORTEST_KEY_MAX, f"{pack.id}: key shortest in {shortest:.0f}%"


# The 1.0 packs were written with five options as a rule. Their 1.0 items keep five; the 4-8 spread applies to the
# items each pack gains after its 1.0 release. The table gives the last item id of each pack's 1.0 release.
FIVE_OPTION_ERA = {
    "ck-ethics-safety-biostat": "esb-047",
    "ck-image-cases": "img-016",
    "ck-internal-medicine-1": "im1-048",
    "ck-internal-medicine-2": "im2-050",
    "ck-obstetrics-gynecology": "obg-038",
    "ck-pediatrics": "ped-048",
    "ck-psychiatry-neurology": "psn-049",
    "ck-surgery-emergency": "sur-049",
}
SPREAD_VARIES_FROM = 5  # items; below this, "no count above 80%" would forbid a set of one or two items


def _id_number(qid: str) -> int:
    return int(qid.rsplit("-", 1)[1])


def option_count_problems(name: str, items: tuple[Question, ...]) -> list[str]:
    """Real Step 2 CK items vary: each item has 4-8 options, at least half have 5 or 6, and no count makes up 80%."""
    counts = Counter(len(q.options) for q in items)
    problems = [f"{q.id}: {len(q.options)} options" for q in items if not 4 <= len(q.options) <= 8]
    if (counts[5] + counts[6]) * 2 < len(items):
        problems.append(f"{name}: fewer than half of the items have 5 or 6 options")
    if len(items) >= SPREAD_VARIES_FROM and max(counts.values()) > 0.8 * len(items):
        problems.append(f"{name}: option counts do not vary")
    return problems


def spread_items(pack: Pack) -> tuple[Question, ...]:
    """The items of a pack that must follow the option spread: all of them, or in a five-option-era pack the new ones."""
    last_of_1_0 = FIVE_OPTION_ERA.get(pack.id)
    if last_of_1_0 is None:
        return pack.questions
    return tuple(q for q in pack.questions if _id_number(q.id) > _id_number(last_of_1_0))


def test_option_count_check() -> None:
    five = next(p for p in packs() if all(len(q.options) == 5 for q in p.questions))
    assert option_count_problems(five.id, five.questions) == [f"{five.id}: option counts do not vary"]
    assert spread_items(five.model_copy(update={"id": "ck-new-pack"})) == five.questions
    im2 = next(p for p in packs() if p.id == "ck-internal-medicine-2")
    new = spread_items(im2)
    assert [q.id for q in new] == [f"im2-{n:03d}" for n in range(51, len(im2.questions) + 1)]
    assert option_count_problems("new", five.questions[:SPREAD_VARIES_FROM]) == ["new: option counts do not vary"]
    assert option_count_problems("new", five.questions[: SPREAD_VARIES_FROM - 1]) == []


def test_option_counts_spread_in_new_items() -> None:
    """Packs newer than the 1.0 bank, and the items added to the 1.0 packs since, follow the 4-8 option spread."""
    problems = [
        problem
        for pack in packs()
        if (items := spread_items(pack))
        for problem in option_count_problems(pack.id, items)
    ]
    assert problems == []


def test_new_items_in_a_five_option_era_pack_raise_the_minor_version() -> None:
    """Issue 15: a minor version for new items, a patch for corrections; 1.0.x packs hold only their 1.0 items."""
    grown = [
        pack.id
        for pack in packs()
        if pack.id in FIVE_OPTION_ERA
        and spread_items(pack)
        and tuple(int(part) for part in pack.version.split(".")[:2]) < (1, 1)
    ]
    assert grown == []


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
    assert sum("imaging-choice" in q.tags for q in questions()) >= 120
    with_media = [q for q in questions() if q.media]
    assert len(with_media) >= 40
    assert (ROOT / "scripts" / "generate_pack_media.py").is_file()


@pytest.mark.parametrize(("blocks", "size"), [(16, 40), (32, 20)])  # two legacy days, two current days
def test_two_full_days_without_repeats(tmp_path: Path, blocks: int, size: int) -> None:
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

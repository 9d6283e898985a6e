"""Crafted sittings for the analysis tests: each item visited once, in order, with its answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.analysis.facts import BlockFacts, DaySlot, QuestionMeta, SessionInput, derive_block
from app.core.events import Event, EventKind

STEM = "A 30-year-old man has fever and cough for two days."
KEYWORD = "fever and cough"
KEYWORD_SPAN = (STEM.index(KEYWORD), STEM.index(KEYWORD) + len(KEYWORD))


@dataclass(frozen=True)
class Spec:
    """One item: its key, the time spent on it, the labels selected in order, and whether the keyword was highlighted."""

    key: str = "A"
    time: float = 60.0
    answers: tuple[str, ...] = ("A",)
    highlight: bool = True
    answer_at: float | None = None
    """Seconds into the visit of the first answer (default: half the visit)."""
    topic: str | None = None
    lead_in: str | None = "Which of the following is the most likely diagnosis?"
    keywords: tuple[str, ...] = (KEYWORD,)
    discipline: str = "medicine"
    system: str = "respiratory"


@dataclass
class Built:
    block: BlockFacts
    questions: dict[int, QuestionMeta] = field(default_factory=dict)


def right(**kw: object) -> Spec:
    return Spec(**kw)  # type: ignore[arg-type]


def wrong(**kw: object) -> Spec:
    kw.setdefault("answers", ("B",))
    return Spec(**kw)  # type: ignore[arg-type]


def sitting(
    specs: list[Spec],
    *,
    limit: float | None = None,
    session_id: int = 1,
    key_offset: int = 0,
    created_at: str = "2026-12-01T10:00:00+00:00",
    day: DaySlot | None = None,
) -> Built:
    """Events of a block that visits each item once, in order (``limit`` defaults to 90 s per item)."""
    if limit is None:
        limit = 90.0 * len(specs)
    events = [Event(EventKind.BLOCK_STARTED, 0.0)]
    t = 0.0
    questions = {}
    for position, spec in enumerate(specs):
        key = key_offset + position + 1
        questions[key] = QuestionMeta(
            key=key,
            question_id=f"q{key}",
            pack_id="p",
            stem=STEM,
            lead_in=spec.lead_in,
            keywords=spec.keywords,
            discipline=spec.discipline,
            system=spec.system,
            task="diagnosis",
            topic=spec.topic,
        )
        events.append(Event(EventKind.ITEM_SHOWN, t, position))
        if spec.highlight:
            events.append(
                Event(EventKind.HIGHLIGHT_ADDED, t, position, {"start": KEYWORD_SPAN[0], "end": KEYWORD_SPAN[1]})
            )
        first = spec.answer_at if spec.answer_at is not None else spec.time / 2
        for i, label in enumerate(spec.answers):
            at = t + first + i * (spec.time - first) / (len(spec.answers) + 1)
            events.append(Event(EventKind.ANSWER_SELECTED, at, position, {"label": label}))
        t += spec.time
    events.append(Event(EventKind.BLOCK_ENDED, min(t, limit), payload={"reason": "user"}))
    session = SessionInput(
        session_id=session_id,
        time_limit_s=limit,
        events=tuple(events),
        question_keys=tuple(key_offset + i + 1 for i in range(len(specs))),
        answer_keys=tuple(s.key for s in specs),
        created_at=created_at,
        day=day,
    )
    return Built(derive_block(session), questions)

"""Each mistake pattern on a crafted sitting, just under and just over its threshold, and only that pattern."""

from __future__ import annotations

import pytest

from app.core.analysis.facts import DaySlot
from app.core.analysis.reasons import default_taxonomy
from app.core.analysis.result import Analysis, analyse
from app.core.analysis.thresholds import default_settings
from app.core.outline import default_outline
from tests.core.analysis_builders import Built, Spec, right, sitting, wrong

SETTINGS = default_settings()
P = 90.0  # the builders' default pace


def run(
    *builts: Built, reasons: dict[tuple[int, int], str] | None = None, first_right: dict[int, int] | None = None
) -> Analysis:
    questions = {k: v for b in builts for k, v in b.questions.items()}
    return analyse(
        [b.block for b in builts],
        questions,
        SETTINGS,
        default_taxonomy(),
        default_outline(),
        scope="session",
        reasons=reasons,
        first_right=first_right,
    )


def patterns_of(specs: list[Spec], position: int, **kw: object) -> tuple[str, ...]:
    analysis = run(sitting(specs, **kw))  # type: ignore[arg-type]
    others = [i.patterns for i in analysis.items if i.facts.position != position]
    assert all(p == () for p in others), others
    return analysis.items[position].patterns


def block_with(item: Spec, size: int = 10) -> list[Spec]:
    return [right() for _ in range(size - 1)] + [item]


def test_a_clean_block_shows_no_pattern() -> None:
    analysis = run(sitting([right() for _ in range(10)]))
    assert analysis.pace_s == P
    assert all(i.patterns == () for i in analysis.items)
    assert analysis.total.k == 10 and not analysis.fatigue.flagged
    assert all(count == 0 for _, count in analysis.patterns_summary)


@pytest.mark.parametrize(("time", "expected"), [(0.33 * P - 0.1, ("rushed",)), (0.33 * P + 0.1, ("knowledge-gap",))])
def test_rushed_edge(time: float, expected: tuple[str, ...]) -> None:
    assert patterns_of(block_with(wrong(time=time)), 9) == expected


def test_a_quick_right_answer_is_not_rushed() -> None:
    assert patterns_of(block_with(right(time=5)), 9) == ()


@pytest.mark.parametrize("answers", [("A",), ("B",)])
@pytest.mark.parametrize(("time", "sink"), [(2 * P - 0.1, False), (2 * P + 0.1, True)])
def test_time_sink_edge_right_or_wrong(time: float, sink: bool, answers: tuple[str, ...]) -> None:
    found = patterns_of(block_with(Spec(time=time, answers=answers)), 9)
    if answers == ("A",):
        assert found == (("time-sink",) if sink else ())
    else:  # a wrong answer with adequate time and no other pattern is a knowledge gap
        assert found == (("time-sink",) if sink else ("knowledge-gap",))


def late_block(answer_at_block_time: float, last: Spec) -> list[Spec]:
    # Nine right items of 89 s (801 s), then the last one shown at 801 s.
    offset = answer_at_block_time - 801.0
    return [right(time=89) for _ in range(9)] + [Spec(**{**last.__dict__, "time": 40.0, "answer_at": offset})]


@pytest.mark.parametrize(("at", "expected"), [(809.9, ("knowledge-gap",)), (810.1, ("end-of-block-rush",))])
def test_end_of_block_rush_edge(at: float, expected: tuple[str, ...]) -> None:
    assert patterns_of(late_block(at, wrong()), 9) == expected


def test_end_of_block_rush_needs_lower_accuracy_on_late_items() -> None:
    assert patterns_of(late_block(810.1, right()), 9) == ()


def test_end_of_block_rush_flags_every_late_item() -> None:
    specs = [right(time=80) for _ in range(8)]  # 640 s
    specs.append(right(time=175, answer_at=171))  # shown at 640, answered at 811: late and right
    specs.append(wrong(time=45, answer_at=5))  # shown at 815, answered at 820: late and wrong
    analysis = run(sitting(specs))
    late = {i.facts.position for i in analysis.items if "end-of-block-rush" in i.patterns}
    assert late == {8, 9}  # 1 of 2 right when late, 8 of 8 before
    assert analysis.items[9].patterns == ("end-of-block-rush",)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (("A", "B"), ("changed-right-to-wrong",)),
        (("B", "A"), ("changed-wrong-to-right",)),
        (("B", "C"), ("changed-wrong-to-wrong",)),
        (("B",), ("knowledge-gap",)),
    ],
)
def test_answer_change_kinds(answers: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert patterns_of(block_with(Spec(time=95, answers=answers)), 9) == expected


def test_every_single_change_is_counted_beside_the_published_rates() -> None:
    analysis = run(sitting(block_with(Spec(time=95, answers=("A", "B", "A", "C")))))
    item = analysis.items[9]
    assert [(c.before, c.after) for c in item.facts.changes] == [("A", "B"), ("B", "A"), ("A", "C")]
    assert item.patterns == ("changed-right-to-wrong",)
    changes = analysis.answer_changes
    assert (changes.changes.right_to_wrong, changes.changes.wrong_to_right, changes.changes.wrong_to_wrong) == (2, 1, 0)
    assert changes.items_right_to_wrong == 1 and changes.net_gain == -1
    assert changes.rate(changes.changes.right_to_wrong) == pytest.approx(2 / 3)
    assert changes.published.wrong_to_right == 0.5 and changes.published.right_to_wrong == 0.25
    data = analysis.to_dict()["answer_changes"]
    assert data["rates"]["right_to_wrong"] == pytest.approx(0.6667) and data["published_rates"]["wrong_to_right"] == 0.5


@pytest.mark.parametrize(("time", "expected"), [(P - 0.1, ("missed-keyword",)), (P, ("knowledge-gap",))])
def test_missed_keyword_edge(time: float, expected: tuple[str, ...]) -> None:
    assert patterns_of(block_with(wrong(time=time, highlight=False)), 9) == expected


def test_a_highlighted_keyword_is_not_missed() -> None:
    assert patterns_of(block_with(wrong(time=60, highlight=True)), 9) == ("knowledge-gap",)


@pytest.mark.parametrize(
    ("lead_in", "decisive"),
    [
        ("Which of the following is the most appropriate next step in management?", True),
        ("Each of the following is a cause EXCEPT which?", True),
        ("Which is NOT a feature?", True),
        ("Which is the initial test?", True),
        ("Which of the following is the diagnosis?", False),
        ("Which finding is not expected?", False),  # NOT is a qualifier only in capitals
    ],
)
def test_missed_keyword_lead_in_qualifiers_when_an_item_has_no_keywords(lead_in: str, decisive: bool) -> None:
    found = patterns_of(block_with(wrong(time=60, highlight=False, keywords=(), lead_in=lead_in)), 9)
    assert found == (("missed-keyword",) if decisive else ("knowledge-gap",))


def test_unanswered_is_its_own_pattern_and_scored_wrong() -> None:
    analysis = run(sitting(block_with(Spec(time=95, answers=()))))
    assert analysis.items[9].patterns == ("unanswered",)
    assert analysis.items[9].facts.correct is None and analysis.total.k == 9
    assert analysis.items[9].suggested_reason == "ran-out-of-time"


def topic_block(misses: int) -> list[Spec]:
    # Rushed misses in topic "weak": each has another pattern, so only the category rule can add knowledge-gap.
    return [right(topic="fine") for _ in range(10)] + [wrong(time=10, topic="weak") for _ in range(misses)]


def test_knowledge_gap_category_rule_edge() -> None:
    # 0 of 2 right: Wilson 95 % upper bound 0.66 (not below 60 %); 0 of 3: 0.56 (below).
    two = run(sitting(topic_block(2)))
    assert [i.patterns for i in two.items[10:]] == [("rushed",)] * 2
    three = run(sitting(topic_block(3)))
    assert [i.patterns for i in three.items[10:]] == [("rushed", "knowledge-gap")] * 3
    weak = next(c for c in three.categories if c.kind == "topic" and c.name == "weak")
    assert (
        weak.credibly_low
        and weak.ci_high
        < SETTINGS.pass_line
        < next(c for c in two.categories if c.kind == "topic" and c.name == "weak").ci_high
    )
    assert three.pattern_count("knowledge-gap") == 3 and three.pattern_count("rushed") == 3


def test_suggested_reasons_and_the_users_reason_wins() -> None:
    built = sitting(block_with(Spec(time=95, answers=("A", "B"))))
    suggested = run(built)
    assert suggested.items[9].suggested_reason == "changed-right-answer"
    assert suggested.items[0].suggested_reason is None  # right items get no reason
    mine = run(built, reasons={(1, 9): "misread-stem"})
    assert mine.items[9].reason == "misread-stem" and mine.items[9].suggested_reason == "changed-right-answer"
    gap = sitting(block_with(wrong(time=95)))
    assert run(gap).items[9].suggested_reason == "knowledge-never-learned"
    assert run(gap, first_right={10: 0}).items[9].suggested_reason == "knowledge-forgot"
    assert run(gap, first_right={10: 1}).items[9].suggested_reason == "knowledge-never-learned"  # this block


def day_block(index: int, correct: int, size: int = 10) -> Built:
    # Misses first: within each block accuracy rises, so only the trend across the day can flag fatigue.
    specs = [wrong(time=95) for _ in range(size - correct)] + [right() for _ in range(correct)]
    return sitting(
        specs,
        session_id=index + 1,
        key_offset=100 * index,
        day=DaySlot(day_id=50, index=index, started_at_s=3600.0 * index),
    )


def test_fatigue_across_the_day_flags_only_when_the_interval_excludes_zero() -> None:
    falling = run(*(day_block(i, c) for i, c in enumerate([10, 9, 8, 7])))
    across = falling.fatigue.across_day
    assert across is not None and across.accuracy.estimate == pytest.approx(-0.1)
    assert across.accuracy.high is not None and across.accuracy.high < 0 and falling.fatigue.flagged
    noisy = run(*(day_block(i, c) for i, c in enumerate([10, 6, 9, 5])))
    slope = noisy.fatigue.across_day.accuracy  # type: ignore[union-attr]
    assert slope.estimate is not None and slope.estimate < 0
    assert slope.low is not None and slope.high is not None and slope.low < 0 < slope.high
    assert not noisy.fatigue.flagged
    assert [p.position for p in falling.fatigue.points] == [0, 1, 2, 3]
    assert falling.items[0].facts.day_clock_s == pytest.approx(0.0)
    assert falling.items[15].facts.day_clock_s == pytest.approx(3600.0 + 95.0 + 4 * 60.0)
    assert falling.to_dict()["items"][15]["day_block"] == 2


def test_fatigue_within_a_block_first_half_against_second() -> None:
    tired = run(sitting([right() for _ in range(5)] + [wrong(time=95) for _ in range(5)]))
    within = tired.fatigue.within_block
    assert within is not None and within.accuracy.estimate == pytest.approx(-1.0) and tired.fatigue.flagged
    even = run(sitting([right(), wrong(time=95)] * 5))
    assert even.fatigue.within_block is not None and not even.fatigue.flagged


def test_triage_ranks_weak_categories_by_weight_times_gap() -> None:
    specs = [right(system="respiratory") for _ in range(5)]
    specs += [wrong(time=95, system="cardiovascular") for _ in range(3)] + [
        right(system="cardiovascular") for _ in range(2)
    ]
    specs += [wrong(time=95, system="skin") for _ in range(3)] + [right(system="skin") for _ in range(2)]
    analysis = run(sitting(specs))
    ranked = [(t.kind, t.name) for t in analysis.triage]
    # Medicine (9 of 15 = 60 %) weighs 55 % of a form; both systems are at 40 %: cardiovascular
    # weighs 8 %, skin 5 %; every item is a diagnosis item (that task's weight is the outline's).
    assert ranked[0] == ("discipline", "medicine")
    systems = [name for kind, name in ranked if kind == "system"]
    assert systems == ["cardiovascular", "skin"]
    scores = {(t.kind, t.name): t.score for t in analysis.triage}
    assert scores[("discipline", "medicine")] == pytest.approx(0.55 * (SETTINGS.target_accuracy - 0.6))
    assert scores[("system", "cardiovascular")] == pytest.approx(0.08 * (SETTINGS.target_accuracy - 0.4))
    assert [t.score for t in analysis.triage] == sorted((t.score for t in analysis.triage), reverse=True)
    assert ("system", "respiratory") not in ranked


def test_trend_by_iso_week() -> None:
    a = sitting([right()] * 4, session_id=1, created_at="2026-11-23T09:00:00+00:00")
    b = sitting([wrong(time=95)] * 4, session_id=2, key_offset=10, created_at="2026-12-01T09:00:00+00:00", limit=400)
    trend = run(a, b).trend
    assert [(w.week, w.n, w.accuracy) for w in trend] == [("2026-W48", 4, 1.0), ("2026-W49", 4, 0.0)]
    assert (
        trend[1].mean_time_s == pytest.approx(95)
        and trend[0].pace_s == pytest.approx(90)
        and trend[1].pace_s == pytest.approx(100)
    )


def test_pacing_curve_beside_the_ideal_line() -> None:
    analysis = run(sitting([right(time=60)] * 3))
    curve = analysis.pacing[0]
    assert curve.pace_s == P and curve.ideal == ((0.0, 0), (270.0, 3))
    assert curve.actual == ((0.0, 0), (30.0, 1), (90.0, 2), (150.0, 3))


def test_untimed_block_has_no_timing_patterns() -> None:
    built = sitting([wrong(time=5, highlight=False), right(time=1000)], limit=None)
    untimed = Built(
        block=type(built.block)(**{**built.block.__dict__, "time_limit_s": None}), questions=built.questions
    )
    analysis = run(untimed)
    assert analysis.pace_s is None
    assert analysis.items[0].patterns == ("knowledge-gap",) and analysis.items[1].patterns == ()


def test_json_has_the_documented_fields() -> None:
    data = run(sitting(block_with(Spec(time=95, answers=("A", "B"))))).to_dict()
    for name in ("items", "pace_s", "pacing", "categories", "triage", "patterns_summary", "answer_changes", "fatigue"):
        assert name in data
    item = data["items"][9]
    assert {k: item[k] for k in ("session_id", "position", "question_id", "pack_id", "correct", "answer")} == {
        "session_id": 1,
        "position": 10,
        "question_id": "q10",
        "pack_id": "p",
        "correct": False,
        "answer": "B",
    }
    assert item["changes"] == [["A", "B"]] and item["patterns"] == ["changed-right-to-wrong"]
    assert item["suggested_reason"] == "changed-right-answer" and item["reason"] is None
    assert set(data["categories"][0]) >= {"kind", "name", "n", "correct", "accuracy", "ci_low", "ci_high"}
    assert set(data["fatigue"]) >= {"flagged", "across_day", "within_block"}
    assert data["patterns_summary"]["changed-right-to-wrong"] == 1


def test_fatigue_pools_the_days_blocks_by_position() -> None:
    from app.core.analysis.fatigue import Fatigue, FatiguePoint

    fatigue = Fatigue(
        across_day=None,
        points=(
            FatiguePoint(1, 0, 10, 0.8, 60.0),
            FatiguePoint(1, 1, 10, 0.6, 80.0),
            FatiguePoint(2, 0, 30, 0.4, 100.0),
        ),
        within_block=None,
    )
    first, second = fatigue.by_position()
    assert (first.position, first.n, first.accuracy, first.mean_time_s) == (0, 40, 0.5, 90.0)
    assert (second.position, second.n, second.accuracy) == (1, 10, 0.6)

"""Block use cases: start, resume, expiry through the runner, pools from history, export."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from app.bootstrap import Services
from app.core.block import Mode
from app.core.clock import TICK_SECONDS, UNRECORDED_ESTIMATE, FakeClock
from app.core.errors import ExamRuleError, NotEnoughQuestionsError
from app.core.selection import BlockFilter, Pool
from app.services.blocks import BlockRequest
from app.services.export import history, to_csv, to_json
from tests.factories import pack_dict, tick_through, write_pack


def test_start_stores_session_and_first_item(services: Services) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=5, seed=7))
    assert runner.block.spec.time_limit == 5 * 90
    assert runner.block.current_position == 0
    again = services.blocks.start(BlockRequest(BlockFilter(), size=5, seed=7))
    assert [q.key for q in again.questions] == [q.key for q in runner.questions]


def test_full_block_defaults_to_sixty_minutes(services: Services) -> None:
    request = BlockRequest(BlockFilter(), size=40)
    assert request.time_limit() == 3600
    assert BlockRequest(BlockFilter(), size=3, minutes=10).time_limit() == 600
    assert BlockRequest(BlockFilter(), size=3, mode=Mode.TUTOR, timed=False).time_limit() is None


def test_too_few_questions(services: Services) -> None:
    with pytest.raises(NotEnoughQuestionsError, match="Only 12"):
        services.blocks.start(BlockRequest(BlockFilter(), size=13))


def test_resume_keeps_answers_and_time(services: Services, clock: FakeClock) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, minutes=10, seed=2))
    clock.advance(30)
    runner.select(0, "C")
    runner.toggle_strike(0, "A")
    for _ in range(20):  # the app ticks every second; the checkpoint follows
        clock.advance(1)
        runner.tick()
    assert services.store.session(runner.session_id).checkpoint == pytest.approx(50)
    assert services.blocks.unfinished()[0].id == runner.session_id
    clock.advance(3600)  # the app is closed for an hour: not charged
    resumed = services.blocks.resume(runner.session_id)
    # Killed while running: half a tick is charged for the time after the last checkpoint.
    assert resumed.block.remaining() == pytest.approx(550 - UNRECORDED_ESTIMATE)
    assert resumed.block.item(0).answer == "C" and resumed.block.item(0).struck == {"A"}


def test_a_reopened_block_stands_still_until_resumed(services: Services, clock: FakeClock) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, minutes=10, seed=2))
    clock.advance(42)
    runner.select(0, "B")  # stored at 0:42; then the process is killed
    opened = services.blocks.open(runner.session_id)  # e.g. to describe it in the resume prompt
    clock.advance(90)  # the prompt waits for the user
    assert opened.block.elapsed() == pytest.approx(42)
    resumed = services.blocks.resume(runner.session_id)
    assert resumed.block.events[-1].elapsed == pytest.approx(42 + UNRECORDED_ESTIMATE)
    clock.advance(5)
    assert resumed.block.elapsed() == pytest.approx(47 + UNRECORDED_ESTIMATE)


def test_time_over_many_kills_in_one_block_stays_within_a_second(services: Services, clock: FakeClock) -> None:
    """Each kill falls somewhere in a tick after the last checkpoint; over 60 kills the errors must not add up.

    Handing back the time since the last checkpoint at every kill (as before) loses about half a tick
    per kill: 60 kills of a 0.2 s tick would hand back about 6 s.
    """
    rng = random.Random(16)
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, minutes=60, seed=2))
    truth = 0.0
    for _ in range(60):
        for _ in range(rng.randrange(1, 20)):
            clock.advance(TICK_SECONDS)
            truth += TICK_SECONDS
            runner.tick()
        ran_on = rng.uniform(0.0, TICK_SECONDS)  # killed this long after the last tick
        clock.advance(ran_on)
        truth += ran_on
        clock.advance(30)  # dead, then started again: not charged
        runner = services.blocks.resume(runner.session_id)
        assert abs(runner.block.elapsed() - truth) <= 1.0, (runner.block.elapsed(), truth)
    assert abs(services.blocks.open(runner.session_id).block.elapsed() - truth) <= 1.0


def test_a_block_put_aside_resumes_at_its_stored_time(services: Services, clock: FakeClock) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, minutes=10, seed=2))
    clock.advance(12)
    runner.pause()  # the window closed: the time is stored exactly, nothing to estimate
    clock.advance(600)
    assert services.blocks.resume(runner.session_id).block.elapsed() == pytest.approx(12)


def test_the_estimate_never_charges_more_than_is_left(services: Services, clock: FakeClock) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, minutes=1, seed=2))
    for _ in range(round(60 / TICK_SECONDS) - 1):
        clock.advance(TICK_SECONDS)
        runner.tick()
    clock.advance(TICK_SECONDS - UNRECORDED_ESTIMATE / 2)  # killed right after this tick, 0:00.05 left
    runner.tick()
    resumed = services.blocks.resume(runner.session_id)
    assert resumed.block.ended and resumed.block.elapsed() == 60.0


def test_runner_ends_block_at_zero(services: Services, clock: FakeClock) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=2, minutes=1, seed=2))
    assert not tick_through(runner, clock, 59)
    assert tick_through(runner, clock, 1)
    assert runner.block.ended and runner.block.elapsed() == 60
    with pytest.raises(ExamRuleError):
        runner.select(0, "A")
    assert services.store.session(runner.session_id).status == "finished"
    with pytest.raises(ExamRuleError, match="cannot be reopened"):
        services.blocks.resume(runner.session_id)


def test_expired_while_closed_ends_on_resume(services: Services, clock: FakeClock) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=2, minutes=1, seed=2))
    clock.advance(70)  # no tick: the app hung; the next action discovers expiry
    with pytest.raises(ExamRuleError):
        runner.select(0, "A")
    assert runner.block.ended


def test_pools_follow_history(services: Services) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, seed=11))
    keys = [q.key for q in runner.questions]
    answers = [q.question.answer for q in runner.questions]
    runner.select(0, answers[0])
    wrong = "A" if answers[1] != "A" else "B"
    runner.show(1)
    runner.select(1, wrong)
    runner.toggle_mark(1)
    runner.end()
    assert services.blocks.count_matching(BlockFilter(pool=Pool.UNUSED)) == 9
    incorrect = {c for c in _keys(services, Pool.INCORRECT)}
    assert incorrect == {keys[1], keys[2]}
    assert set(_keys(services, Pool.MARKED)) == {keys[1]}


def _keys(services: Services, pool: Pool) -> list[int]:
    from app.core.selection import matching

    return [c.key for c in matching(services.blocks.candidates(), BlockFilter(pool=pool))]


def test_pause_only_for_standalone_blocks(services: Services, clock: FakeClock) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=2, seed=2))
    clock.advance(5)
    runner.pause()
    clock.advance(100)
    runner.resume()
    assert runner.block.elapsed() == pytest.approx(5)


def test_export_json_and_csv_while_unfinished(services: Services, clock: FakeClock) -> None:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=3, minutes=5, seed=9))
    clock.advance(12)
    runner.select(0, runner.questions[0].question.answer)
    runner.select(0, "E" if runner.questions[0].question.answer != "E" else "D")
    runner.toggle_mark(0)
    clock.advance(8)
    runner.show(1)
    clock.advance(1)
    runner.tick()
    clock.advance(3)
    runner.show(2)
    data = history(services.store, services.clock)
    [session] = data
    assert session["status"] == "active" and session["mode"] == "timed"
    assert session["time_used"] == pytest.approx(24) and session["time_left"] == pytest.approx(276)
    assert [item["seconds"] for item in session["items"]] == pytest.approx([20, 4, 0])
    first = session["items"][0]
    assert first["answer_changes"] == 1 and first["marked"] and not first["correct"]
    assert first["seconds"] == pytest.approx(20) and first["visits"] == 1
    parsed = json.loads(to_json(data))
    assert parsed["sessions"][0]["items"][1]["seconds"] == pytest.approx(4)
    rows = list(csv.DictReader(io.StringIO(to_csv(data))))
    assert len(rows) == 3 and rows[0]["session_id"] == str(runner.session_id)
    assert rows[0]["question_id"] == runner.questions[0].question.id


def test_bulk_scores_match_each_review_and_keep_the_key_sat(services: Services, tmp_path: Path) -> None:
    sat = []
    for seed in range(4):
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=5, seed=seed))
        for position, stored in enumerate(runner.questions[: seed + 1]):
            runner.show(position)
            runner.select(position, stored.question.answer if position % 2 == 0 else "A")
        if seed < 3:
            runner.end()
        sat.append(runner.session_id)
    unfinished = services.store.session(sat[-1])
    infos = [services.store.session(i) for i in sat]
    scores = services.blocks.scores(infos)
    assert scores == {i: services.blocks.review(i).score for i in sat}
    # Version 1.1.0 moves every answer key to "A": every block keeps the key it was sat with, and its
    # review shows the new key beside it.
    data = pack_dict(12, version="1.1.0")
    for item in data["questions"]:
        item["answer"] = "A"
    services.packs.import_path(write_pack(tmp_path / "v2", data))
    rescored = services.blocks.scores(infos)
    assert rescored == {i: services.blocks.review(i).score for i in sat}
    assert rescored == scores
    for session_id in sat:
        review = services.blocks.review(session_id)
        moved = {i for i, stored in enumerate(review.questions) if stored.question.answer != "A"}
        assert moved and set(review.corrections) == moved
        assert all(c.question.answer == "A" and c.version == "1.1.0" for c in review.corrections.values())
    assert unfinished.status == "active"


@pytest.mark.parametrize("share", [0.0, 0.1, 0.22, 0.5, 0.78, 0.9])
def test_every_tick_stores_the_time_even_right_after_an_action(
    services: Services, clock: FakeClock, share: float
) -> None:
    """A kill just before a tick loses at most one tick of time, wherever the last action fell.

    An action just after a tick used to stand in for the next tick's checkpoint: the tick after it
    stored nothing, and a kill before the following tick lost almost two ticks.
    """
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, minutes=10, seed=3))
    for _ in range(4):
        clock.advance(TICK_SECONDS)
        runner.tick()
    offset = share * TICK_SECONDS
    clock.advance(offset)
    runner.select(1, "C")
    clock.advance(TICK_SECONDS - offset)
    runner.tick()
    clock.advance(TICK_SECONDS - 0.001)  # killed just before the next tick
    true_elapsed = runner.block.elapsed()
    stored = services.blocks.open(runner.session_id).block.elapsed()
    assert true_elapsed - TICK_SECONDS <= stored <= true_elapsed

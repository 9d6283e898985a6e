"""The derived history (per-session summaries, per-question states) equals a full replay of the events,
whatever the history, and is rebuilt from the events when deleted or stale."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.bootstrap import Services, build
from app.core.events import EndReason, Event, EventKind
from app.core.scoring import BlockScore, derive_items, score_items
from app.services.history import History
from app.storage import derived
from tests.factories import pack_dict, write_pack

LABELS = "ABCDE"
QUESTIONS = 6

# An item: the answers chosen in turn (None clears) and whether it ends marked.
items = st.lists(
    st.tuples(st.lists(st.sampled_from([*LABELS, None]), max_size=3), st.booleans()), min_size=1, max_size=4
)
blocks = st.lists(
    st.tuples(items, st.sampled_from(["finished", "abandoned", "active"]), st.integers(0, 10**6)),
    min_size=0,
    max_size=7,
)


def _store(folder: Path) -> Services:
    services = build(folder / "data", import_bundled=False)
    services.packs.import_path(write_pack(folder / "pack", pack_dict(QUESTIONS)))
    return services


def _sit(services: Services, history: list[tuple[list[tuple[list[str | None], bool]], str, int]]) -> None:
    """Write the blocks, then close them in an order of their own (a day's orphan closes late)."""
    keys = [row[0] for row in services.store.question_rows()]
    store = services.store
    closing: list[tuple[int, int, str, float]] = []
    for block_items, status, order in history:
        chosen = [keys[(order + n * 5) % len(keys)] for n in range(len(block_items))]  # repeats across blocks
        session = store.create_session(kind="block", mode="timed", time_limit=600.0, question_keys=chosen, seed=order)
        elapsed = 0.0
        store.append_event(session.id, Event(EventKind.BLOCK_STARTED, elapsed))
        for position, (answers, marked) in enumerate(block_items):
            store.append_event(session.id, Event(EventKind.ITEM_SHOWN, elapsed, position))
            for label in answers:
                elapsed += 7.0
                if label is None:
                    store.append_event(session.id, Event(EventKind.ANSWER_CLEARED, elapsed, position))
                else:
                    store.append_event(
                        session.id, Event(EventKind.ANSWER_SELECTED, elapsed, position, {"label": label})
                    )
            if marked:
                store.append_event(session.id, Event(EventKind.MARKED, elapsed, position))
        closing.append((order, session.id, status, elapsed))
    for _, session_id, status, elapsed in sorted(closing):
        if status == "finished":
            store.append_event(session_id, Event(EventKind.BLOCK_ENDED, elapsed, None, {"reason": EndReason.USER}))
        elif status == "abandoned":
            store.set_status(session_id, "abandoned")


def _replayed(services: Services) -> tuple[dict[int, tuple[bool, bool]], dict[int, str], dict[int, BlockScore]]:
    """What the derived tables must say, computed the slow way: every event of every block replayed."""
    sessions = services.store.sessions(kind="block")
    events = services.store.events_by_session(info.id for info in sessions)
    keyed = services.store.session_answer_keys(info.id for info in sessions)
    question_history: dict[int, tuple[bool, bool]] = {}
    last_wrong: dict[int, str] = {}
    scores: dict[int, BlockScore] = {}
    for info in sessions:
        states = derive_items(events[info.id], len(keyed[info.id]))
        scores[info.id] = score_items(states, [answer for _, answer in keyed[info.id]])[1]
        for (key, answer), state in zip(keyed[info.id], states, strict=True):
            question_history[key] = (info.status == "finished" and state.answer != answer, state.marked)
            if info.status == "finished" and state.answer != answer:
                last_wrong[key] = max(last_wrong.get(key, info.created_at), info.created_at)
    return question_history, last_wrong, scores


def _derived(services: Services) -> tuple[dict[int, tuple[bool, bool]], dict[int, str], dict[int, BlockScore]]:
    history = History(services.store)  # a fresh process's view: nothing cached
    sessions = services.store.sessions(kind="block")
    return history.question_history(), history.last_wrong(), history.scores(sessions)


def _count(services: Services, table: str) -> int:
    with services.store.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=blocks)
def test_derived_history_equals_a_full_replay(history: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        services = _store(Path(folder))
        try:
            _sit(services, history)
            # Written as the blocks closed: already complete before anything reads them.
            closed = sum(status != "active" for _, status, _ in history)
            assert _count(services, "session_summaries") == closed
            assert _derived(services) == _replayed(services)
        finally:
            services.close()


def test_deleted_or_stale_derived_tables_are_rebuilt_from_the_events(tmp_path: Path) -> None:
    services = _store(tmp_path)
    try:
        _sit(services, [([(["A"], True), (["B", "C"], False)], "finished", 2), ([([None], False)], "abandoned", 1)])
        _sit(services, [([(["D"], False)], "finished", 3), ([(["E"], True)], "active", 4)])
        expected = _replayed(services)
        assert _derived(services) == expected
        states = _count(services, "question_states")
        assert states > 0
        with services.store.engine.begin() as connection:
            connection.execute(text("DELETE FROM question_states"))
            connection.execute(text("DELETE FROM session_summaries"))
        assert _derived(services) == expected
        assert (_count(services, "question_states"), _count(services, "session_summaries")) == (states, 3)
        with services.store.engine.begin() as connection:  # one summary lost: refilled alone
            connection.execute(text("DELETE FROM session_summaries WHERE session_id = 1"))
        assert _derived(services) == expected
        assert _count(services, "session_summaries") == 3
        with services.store.engine.begin() as connection:  # built by another derivation: all of it again
            connection.execute(text("UPDATE derived_stamps SET version = version + 1"))
            connection.execute(text("UPDATE question_states SET marked = 1 - marked, last_incorrect = 0"))
            connection.execute(text("UPDATE session_summaries SET correct = 99"))
        assert _derived(services) == expected
        with services.store.engine.connect() as connection:
            assert connection.execute(text("SELECT version FROM derived_stamps")).scalar_one() == derived.VERSION
    finally:
        services.close()


def test_a_closed_block_is_summarised_in_the_transaction_that_closes_it(services: Services) -> None:
    keys = [row[0] for row in services.store.question_rows()][:2]
    session = services.store.create_session(kind="block", mode="timed", time_limit=60.0, question_keys=keys, seed=1)
    services.store.append_event(session.id, Event(EventKind.BLOCK_STARTED, 0.0))
    assert _count(services, "session_summaries") == 0
    services.store.append_event(session.id, Event(EventKind.BLOCK_ENDED, 1.0, None, {"reason": EndReason.USER}))
    assert _count(services, "session_summaries") == 1
    assert _count(services, "question_states") == 2


def test_a_new_store_starts_with_complete_derived_tables(services: Services) -> None:
    with services.store.engine.connect() as connection:
        stamp = connection.execute(text("SELECT version, rows FROM derived_stamps")).one()
    assert tuple(stamp) == (derived.VERSION, 0)  # nothing to rebuild at the first read

"""The dashboard's figures: scope, date range, pack, the time histogram and reason counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.bootstrap import Services
from app.core.analysis.histogram import BIN_SECONDS, time_histogram
from app.core.clock import FakeClock
from app.core.errors import AnalysisError
from app.core.selection import BlockFilter
from app.services import dashboard as dashboard_module
from app.services.blocks import BlockRequest
from app.services.dashboard import DashboardQuery
from tests.factories import pack_dict, write_pack


def sit(
    services: Services, clock: FakeClock, answers: list[tuple[str, float]], packs: frozenset[str] = frozenset()
) -> int:
    """A block answered item by item: (label, seconds spent before answering)."""
    runner = services.blocks.start(BlockRequest(BlockFilter(packs=packs), size=len(answers), minutes=10, seed=4))
    for position, (label, seconds) in enumerate(answers):
        runner.show(position)
        clock.advance(seconds)
        runner.select(position, label)
    runner.end()
    return runner.session_id


def test_an_empty_history_is_an_empty_dashboard(services: Services) -> None:
    board = services.dashboard.load(DashboardQuery())
    assert board.empty and board.histogram.total == 0 and board.reasons == ()


def test_a_block_dashboard_counts_every_item_in_the_histogram(services: Services, clock: FakeClock) -> None:
    session = sit(services, clock, [("A", 5), ("B", 100), ("C", 40), ("D", 200)])
    steps: list[tuple[int, int]] = []
    board = services.dashboard.load(DashboardQuery(scope="session", target=session), lambda d, t: steps.append((d, t)))
    assert board.itemised and board.analysis.total.n == 4
    assert board.histogram.total == 4
    assert board.histogram.pace_s == pytest.approx(150)  # 10 minutes for 4 items
    expected = time_histogram([i.facts.time_on_item_s for i in board.analysis.items], 150, services.analysis.settings)
    assert board.histogram == expected
    assert steps[0] == (0, 3) and steps[-1] == (3, 3)
    missed = [i for i in board.analysis.items if i.facts.missed]
    suggested = sum(r.suggested for r in board.reasons)
    assert suggested == len(missed) and all(r.confirmed == 0 for r in board.reasons)


def test_a_confirmed_reason_is_counted(services: Services, clock: FakeClock) -> None:
    session = sit(services, clock, [("E", 5), ("E", 5), ("E", 5)])
    board = services.dashboard.load(DashboardQuery(scope="session", target=session))
    missed = next(i for i in board.analysis.items if i.facts.missed)
    services.analysis.set_reason(session, missed.facts.position + 1, "misread-stem")
    again = services.dashboard.load(DashboardQuery(scope="session", target=session))
    [confirmed] = [r for r in again.reasons if r.confirmed]
    assert confirmed.reason == "misread-stem" and confirmed.confirmed == 1


def test_date_range_and_pack_narrow_the_history(services: Services, clock: FakeClock, tmp_path: object) -> None:
    services.packs.import_path(write_pack(tmp_path / "other", pack_dict(6, pack_id="other-pack")))  # type: ignore[operator]
    first = sit(services, clock, [("A", 10), ("B", 10)], packs=frozenset({"test-pack"}))
    second = sit(services, clock, [("A", 10), ("B", 10), ("C", 10)], packs=frozenset({"other-pack"}))
    everything = services.dashboard.load(DashboardQuery())
    assert set(everything.analysis.session_ids) == {first, second}
    only_other = services.dashboard.load(DashboardQuery(pack="other-pack"))
    assert only_other.analysis.session_ids == (second,) and only_other.analysis.total.n == 3
    today = date.today()
    assert services.dashboard.load(DashboardQuery(since=today, until=today)).analysis.total.n == 5
    assert services.dashboard.load(DashboardQuery(until=today - timedelta(days=1))).empty


def test_a_long_history_is_summed_from_the_derived_facts(
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        sit(services, clock, [("A", 20), ("B", 70)])
    itemised = services.dashboard.load(DashboardQuery())
    monkeypatch.setattr(dashboard_module, "REPLAY_LIMIT", 2)
    summed = services.dashboard.load(DashboardQuery())
    assert itemised.itemised and not summed.itemised
    assert summed.histogram == itemised.histogram  # SQL bins equal the replayed items' bins
    assert summed.analysis.total == itemised.analysis.total
    assert summed.analysis.patterns_summary == itemised.analysis.patterns_summary
    assert BIN_SECONDS == 15.0


def test_a_scope_without_its_target_is_refused(services: Services) -> None:
    with pytest.raises(AnalysisError, match="choose a block"):
        services.dashboard.load(DashboardQuery(scope="session"))


def test_a_long_history_is_counted_not_listed(
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the replay limit no session record is built on the worker (they hold the GIL and stall the window)."""
    for _ in range(3):
        sit(services, clock, [("A", 20), ("B", 70)])
    assert services.store.count_sessions(status="finished", kind="block") == 3
    assert services.store.count_sessions(kind="day") == 0
    monkeypatch.setattr(dashboard_module, "REPLAY_LIMIT", 2)
    services.analysis.refresh_facts()  # the steady state: every finished block's facts derived
    listed: list[object] = []
    sessions = services.store.sessions
    monkeypatch.setattr(services.store, "sessions", lambda **kw: listed.append(kw) or sessions(**kw))
    board = services.dashboard.load(DashboardQuery())
    assert not board.itemised and board.analysis.total.n == 6
    assert listed == []

"""The bulk event read of a long history (plain driver rows, each distinct payload decoded once) gives
exactly what the per-session ORM read gives, every event its own payload; an export leaves the
garbage collector as it found it."""

from __future__ import annotations

import gc

from app.bootstrap import Services
from app.core.clock import FakeClock
from app.core.events import Event, EventKind
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.services.export import history


def _sit(services: Services, clock: FakeClock, seed: int) -> int:
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=6, seed=seed))
    for position in range(6):
        runner.show(position)
        clock.advance(5.0)
        runner.select(position, "A")
        runner.select(position, "B" if position % 2 else "A")
        runner.toggle_strike(position, "C")
    runner.toggle_mark(2)
    runner.pause()
    clock.advance(30.0)
    runner.resume()
    return runner.session_id


def test_bulk_read_equals_the_per_session_read(services: Services, clock: FakeClock) -> None:
    finished = _sit(services, clock, 1)
    services.blocks.resume(finished).end()
    unfinished = _sit(services, clock, 2)
    # A highlight: a payload the bulk read decodes afresh each time (not only flat text values).
    services.store.append_event(
        unfinished, Event(EventKind.HIGHLIGHT_ADDED, 60.0, 0, {"start": 1, "end": 4, "part": "stem"})
    )
    bulk = services.store.events_by_session([finished, unfinished])
    assert bulk == {sid: services.store.events(sid) for sid in (finished, unfinished)}
    payloads = [event.payload for events in bulk.values() for event in events]
    assert len({id(payload) for payload in payloads}) == len(payloads)  # never one dict shared by two events
    labels = [e.payload for e in bulk[finished] if e.kind is EventKind.ANSWER_SELECTED]
    labels[0]["label"] = "E"
    assert all(p["label"] in "AB" for p in labels[1:])


def test_export_restores_the_collector_state(services: Services, clock: FakeClock) -> None:
    _sit(services, clock, 3)
    assert gc.isenabled()
    assert len(history(services.store, clock)) == 1
    assert gc.isenabled()
    gc.disable()
    try:
        history(services.store, clock)
        assert not gc.isenabled()
    finally:
        gc.enable()

"""A long history for the benchmarks: N finished 40-item timed blocks on the bundled packs, fast.

The blocks are written through the store's own API (one ``create_session`` and one bulk
``append_events`` per block), never sat through the UI, and the finished store is cached under
/tmp keyed by a hash of the schema (migrations, tables), the bundled packs and this file, so a second
run copies it in well under a second. Each block: every item shown once for 70 s and answered, a third
of the answers changed once, one item in ten marked (about 92 events a block, as a real sitting).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import tempfile
from pathlib import Path

from app import paths
from app.bootstrap import build
from app.core.block import Block, BlockSpec, Mode
from app.core.clock import FakeClock
from app.core.events import EndReason, Event, EventKind
from app.storage.db import DB_FILE

CACHE = Path(tempfile.gettempdir()) / "blocksim-bench-history"
ITEMS = 40
SECONDS_PER_ITEM = 70.0


def _schema_hash() -> str:
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    sources = sorted((root / "app" / "storage" / "migrations").rglob("*.py"))
    sources += [root / "app" / "storage" / "orm.py", Path(__file__).resolve()]
    for source in sources:
        digest.update(source.read_bytes())
    for pack in sorted(paths.bundled_packs_dir().rglob("*")):
        if pack.is_file():
            digest.update(f"{pack.name}:{pack.stat().st_size}".encode())
    return digest.hexdigest()[:16]


def block_events(rng: random.Random) -> list[Event]:
    """One finished timed block's events, as the block runner would have stored them."""
    clock = FakeClock()
    block = Block(BlockSpec(ITEMS, ITEMS * 90.0, Mode.TIMED), clock)
    events: list[Event] = []

    def keep(event: Event) -> None:
        block.apply(event)
        events.append(event)

    keep(block.start_event())
    for position in range(ITEMS):
        keep(Event(EventKind.ITEM_SHOWN, block.elapsed(), position))
        clock.advance(SECONDS_PER_ITEM / 2)
        keep(Event(EventKind.ANSWER_SELECTED, block.elapsed(), position, {"label": rng.choice("ABCDE")}))
        if rng.random() < 0.3:
            keep(Event(EventKind.ANSWER_SELECTED, block.elapsed(), position, {"label": rng.choice("ABCDE")}))
        if rng.random() < 0.1:
            keep(Event(EventKind.MARKED, block.elapsed(), position))
        clock.advance(SECONDS_PER_ITEM / 2)
    keep(block.end_event(EndReason.USER))
    return events


def _build(data_dir: Path, count: int) -> None:
    services = build(data_dir)
    try:
        keys = [row[0] for row in services.store.question_rows()]
        rng = random.Random(count)
        for seed in range(count):
            chosen = rng.sample(keys, ITEMS)
            session = services.store.create_session(
                kind="block", mode=Mode.TIMED.value, time_limit=ITEMS * 90.0, question_keys=chosen, seed=seed
            )
            services.store.append_events(session.id, block_events(rng))
    finally:
        services.close()


def history_copy(count: int, into: Path) -> Path:
    """A data folder at ``into`` holding ``count`` finished blocks (built once, then copied from the cache)."""
    cached = CACHE / f"{_schema_hash()}-{count}"
    if not (cached / DB_FILE).is_file():
        building = CACHE / f"building-{count}"
        shutil.rmtree(building, ignore_errors=True)
        _build(building, count)
        shutil.rmtree(cached, ignore_errors=True)
        building.rename(cached)
    shutil.copytree(cached, into)
    return into

"""The kill -9 trial: the real app in a subprocess, killed at seeded random moments, many times.

Phases: mid-block (answering, navigating, marking, striking while the app's own timer ticks), with the
end-block dialog open, on the results screen, during ``blocksim import`` of a large pack, and in the
break of a short custom exam day. After every kill the store is opened again here and must hold every
event the driver acknowledged and nothing it did not attempt, and the time of the block or day must be
within one second of its true value at the kill. The truth is measured, not assumed: the driver prints
the block's (or day's) time together with ``time.monotonic()`` after each tick, the monotonic clock is
shared by all processes, and this test reads it right before it sends SIGKILL. A block killed again and
again must also stay within one second of the true time it ran in all its processes added up: the
error of each kill (half a tick either way, see ``UNRECORDED_ESTIMATE``) must not accumulate.

An import killed at any moment must leave the store with the whole pack or none of it and every other
row as it was; the oracle is the same command run to its end on a copy. Half of those kills fall anywhere
in the command, half soon after the store's write-ahead log begins to grow, i.e. inside the write.

Four independent chains (each on its own data folder) run side by side to keep the trial short; the
moments are drawn from one seed, printed at the start and in every failure (set
``BLOCKSIM_KILL_SEED`` to repeat a run's choices). With ``-s`` the trial prints, per chain, the worst
lag of a stored time behind the truth and the longest gap between two ticks of the app's timer.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import selectors
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import Services, build
from app.core.block import Mode
from app.core.clock import UNRECORDED_ESTIMATE, FakeClock
from app.core.exam_day import Phase
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.storage.db import DB_FILE
from tests.factories import pack_dict, question, write_pack
from tests.kill_trial_driver import BLOCK_MINUTES

ROOT = Path(__file__).resolve().parent.parent
SEED_ENV = "BLOCKSIM_KILL_SEED"
KILLS = {"block": 12, "dialog": 8, "results": 6, "break": 8, "import": 16}
TOLERANCE = 1.0
"""The product's promise: time left within one second of what it was at the kill."""
EPSILON = 0.01
"""Float noise: a stored time is never later than the truth."""
START_TIMEOUT = 90.0
"""Seconds a driver may take to reach the phase of its kill (a very loaded machine)."""
BIG_PACK = "big-pack"
BIG_QUESTIONS = 1000
BIG_MEDIA = 20
MEDIA_BYTES = 256 * 1024
IMPORT_NICE = 10


_OPENING = threading.Lock()
"""Alembic's migration context is process-global: the chains open their stores one at a time."""


def open_store(data_dir: Path) -> Services:
    """The services on a store, with a clock that stands still (nothing here runs the clocks)."""
    with _OPENING:
        return build(data_dir, import_bundled=False, clock=FakeClock())


class TrialError(AssertionError):
    """A broken promise, with what is needed to repeat the run."""


@dataclass
class Run:
    """What a killed (or finished) driver printed."""

    lines: list[list[str]]
    killed_at: float | None
    code: int | None
    errors: str

    def of(self, tag: str) -> list[list[str]]:
        """The lines starting with ``tag``, split into fields."""
        return [line for line in self.lines if line[0] == tag]


@dataclass
class Tally:
    """Figures of a chain, printed at the end of the trial."""

    kills: int = 0
    seconds: float = 0.0
    worst_lag: float = 0.0
    """The largest (true time at the kill - stored time), in seconds."""
    worst_gap: float = 0.0
    """The longest silence between two ticks the driver reported (the app's timer, late on a loaded machine)."""
    acked: int = 0
    worst_drift: float = 0.0
    """The largest |stored time - true time| of a block over all its kills so far (block chains)."""
    most_kills: int = 0
    """The most kills one block took."""
    notes: dict[str, int] = field(default_factory=dict)

    def gaps(self, run: Run, tag: str, stamp: int) -> None:
        """Note the longest interval between consecutive ``tag`` lines of one block or day (their stamps)."""
        for key in {line[1] for line in run.of(tag)}:
            stamps = [float(line[stamp]) for line in run.of(tag) if line[1] == key]
            self.worst_gap = max([self.worst_gap, *(b - a for a, b in pairwise(stamps))])

    def note(self, key: str) -> None:
        """Count an outcome."""
        self.notes[key] = self.notes.get(key, 0) + 1


def run_driver(
    args: list[str], kill_moment: Callable[[list[list[str]]], float | None], *, nice: int = 0, poll: float = 0.5
) -> Run:
    """Start ``python -m tests.kill_trial_driver ARGS``; SIGKILL it at the moment ``kill_moment`` picks.

    ``kill_moment`` sees the lines so far and returns a ``time.monotonic()`` deadline once it can.
    A driver that exits by itself first (an import that finished) is returned with its exit code.
    ``nice`` lowers the priority of a driver whose clock is not measured (the import), so it does not
    starve the drivers that are; ``kill_moment`` is also asked every ``poll`` seconds without output.
    """
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.kill_trial_driver", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        )
        if nice:
            os.setpriority(os.PRIO_PROCESS, process.pid, nice)
        assert process.stdout is not None
        lines: list[list[str]] = []
        buffer = b""
        deadline: float | None = None
        started = time.monotonic()
        killed_at: float | None = None
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        fd = process.stdout.fileno()
        try:
            while True:
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    killed_at = time.monotonic()
                    process.send_signal(signal.SIGKILL)
                    break
                if now - started > START_TIMEOUT:
                    process.send_signal(signal.SIGKILL)
                    raise AssertionError(f"driver {args} did not reach its phase in {START_TIMEOUT:.0f} s")
                wait = poll if deadline is None else max(0.0, deadline - now)
                if not selector.select(timeout=wait):
                    if deadline is None:
                        deadline = kill_moment(lines)
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    break  # the driver exited by itself
                buffer += chunk
                *complete, buffer = buffer.split(b"\n")
                lines.extend(line.decode().split(" ") for line in complete if line)
                if deadline is None:
                    deadline = kill_moment(lines)
        finally:
            selector.close()
            code = process.wait(timeout=60)
            rest = process.stdout.read()
            process.stdout.close()
            stderr.seek(0)
            errors = stderr.read().decode(errors="replace")
        # Everything printed before the kill is in the pipe: a line is written before it is acted on.
        lines.extend(line.decode().split(" ") for line in (buffer + rest).split(b"\n") if line)
    return Run(lines=lines, killed_at=killed_at, code=None if killed_at is not None else code, errors=errors)


def after_first(
    tags: set[str], rng: random.Random, low: float, high: float
) -> Callable[[list[list[str]]], float | None]:
    """Kill at a random moment between ``low`` and ``high`` s after the driver stamps the first of ``tags``."""
    delay = rng.uniform(low, high)

    stamp_field = {"STARTED": 4, "RESUMED": 4, "READY": 1, "PHASE": 2}

    def moment(lines: list[list[str]]) -> float | None:
        for line in lines:
            if line[0] in tags or (line[0] == "PHASE" and line[1] in tags):
                return float(line[stamp_field[line[0]]]) + delay
        return None

    return moment


def once_the_log_grows(wal: Path, size_before: int, delay: float) -> Callable[[list[list[str]]], float | None]:
    """Kill ``delay`` s after the store's write-ahead log first grows past ``size_before`` bytes."""

    def moment(_lines: list[list[str]]) -> float | None:
        grown = wal.exists() and wal.stat().st_size > size_before
        return time.monotonic() + delay if grown else None

    return moment


# -- checking the store after a kill ------------------------------------------------------------
Logged = tuple[str, int | None, float, dict[str, Any]]
"""An event as a log holds it: kind, position, time stamp, payload."""


def _event_line(line: list[str]) -> Logged:
    position = None if line[4] == "-" else int(line[4])
    return line[3], position, float(line[5]), json.loads(" ".join(line[6:]))


def _day_event_line(line: list[str]) -> Logged:
    return line[3], None, float(line[4]), json.loads(" ".join(line[5:]))


def check_log(
    name: str,
    stored: dict[int, Logged],
    acked: dict[int, Logged],
    in_flight: int = 1,
) -> None:
    """Every acknowledged event is stored as it was; what else is stored is the call cut by the kill.

    That call stores at most ``in_flight`` events of the log after the last acknowledged one: one for
    a block, two for a day (closing its last block logs the block's end and the day's).
    """
    for seq, event in acked.items():
        assert seq in stored, f"{name}: acknowledged event {seq} {event} was lost"
        assert stored[seq] == event, f"{name}: event {seq} is stored as {stored[seq]}, acknowledged as {event}"
    extra = sorted(set(stored) - set(acked))
    top = max(acked, default=0)
    assert all(seq > top for seq in extra), f"{name}: unacknowledged events stored before acknowledged ones: {extra}"
    assert len(extra) <= in_flight, f"{name}: unacknowledged events stored: {extra}"
    for seq in extra:  # stored for good: later rounds must keep them
        acked[seq] = stored[seq]


def last_time(run: Run, tags: tuple[str, ...], key: str) -> tuple[float, float]:
    """The last (time, monotonic) a driver printed for block or day ``key``."""
    samples: list[tuple[float, float]] = []
    for line in run.lines:
        if line[0] in ("NOW",) and "NOW" in tags and line[1] == key:
            samples.append((float(line[2]), float(line[3])))
        elif line[0] == "DAYNOW" and "DAYNOW" in tags and line[1] == key:
            samples.append((float(line[2]), float(line[4])))
        elif line[0] in ("RESUMED", "STARTED") and line[0] in tags and line[2] == key:
            samples.append((float(line[3]), float(line[4])))
        elif line[0] == "PHASE" and line[1] == "break" and "PHASE" in tags and line[3] == key:
            samples.append((float(line[4]), float(line[2])))
    assert samples, f"no time reported for {key}"
    return max(samples, key=lambda s: s[1])


def within(name: str, stored: float, truth: float, tally: Tally) -> None:
    """The stored time is at most ``TOLERANCE`` behind the truth, and never ahead of it."""
    lag = truth - stored
    tally.worst_lag = max(tally.worst_lag, lag)
    assert -EPSILON <= lag <= TOLERANCE, f"{name}: stored {stored:.3f} s, true {truth:.3f} s at the kill"


# -- the chains ----------------------------------------------------------------------------------
def store_with_pack(folder: Path, count: int = 16, *, bundled: bool = False) -> Path:
    """A data folder holding a small pack (and the bundled packs, as after the app's first start)."""
    data_dir = folder / "data"
    with _OPENING:
        services = build(data_dir, import_bundled=bundled, clock=FakeClock())
    try:
        services.packs.import_path(write_pack(folder / "pack", pack_dict(count)))
    finally:
        services.close()
    return data_dir


def block_chain(folder: Path, rng: random.Random, plan: list[str]) -> Tally:
    """Standalone blocks killed mid-block, in the end-block dialog or on the results screen."""
    data_dir = store_with_pack(folder)
    tally = Tally()
    acked: dict[int, dict[int, Logged]] = {}
    recorded: dict[int, float] = {}
    true_total: dict[int, float] = {}
    kills_of: dict[int, int] = {}
    for round_number, scenario in enumerate(plan):
        tags = {"block": {"RESUMED", "STARTED"}, "dialog": {"dialog"}, "results": {"results"}}[scenario]
        window = {"block": (0.0, 2.0), "dialog": (0.0, 2.0), "results": (0.0, 1.5)}[scenario]
        run = run_driver([scenario, str(data_dir), str(rng.randrange(2**31))], after_first(tags, rng, *window))
        assert run.killed_at is not None, f"round {round_number} ({scenario}): the driver exited\n{run.errors}"
        tally.kills += 1
        tally.gaps(run, "NOW", 3)
        new_events = []
        for line in run.of("ACK"):
            log = acked.setdefault(int(line[1]), {})
            if int(line[2]) not in log:
                new_events.append(_event_line(line))
            log[int(line[2])] = _event_line(line)
        resumed = run.of("RESUMED")
        if resumed:
            # Resuming charges nothing for the time the process was dead, nor for its start-up: the
            # resume is stamped with the time the store held, and the clock runs only from the resume on.
            # The one thing charged is the estimate of the time the killed app ran after its last checkpoint.
            session, elapsed, at, before = int(resumed[0][2]), *map(float, resumed[0][3:6])
            assert session in recorded, f"resumed an unknown block {session}"
            resumed_at = recorded[session] + UNRECORDED_ESTIMATE
            assert new_events[0][0] == "resumed" and new_events[0][2] == pytest.approx(resumed_at, abs=1e-9)
            charged = elapsed - resumed_at
            assert -1e-6 <= charged <= at - before + 1e-3, f"resume charged {charged:.3f} s"
        sessions = {int(line[2]) for line in run.of("STARTED") + run.of("RESUMED")}
        assert len(sessions) == 1, run.lines[:5]
        (session,) = sessions
        services = open_store(data_dir)
        try:
            stored = {e.seq: (e.kind.value, e.position, e.elapsed, e.payload) for e in services.store.events(session)}
            check_log(f"round {round_number} ({scenario}) block {session}", stored, acked[session])
            block = services.blocks.open(session).block
            elapsed = block.elapsed()
            if scenario == "results":
                final = float(run.of("PHASE")[0][3])
                assert block.ended and elapsed == pytest.approx(final, abs=1e-6), (block.ended, elapsed, final)
                assert session not in {s.id for s in services.blocks.unfinished()}
                tally.note("results: block closed as shown")
                truth = final
            else:
                assert not block.ended, f"round {round_number} ({scenario}): the block ended"
                value, stamp = last_time(run, ("NOW", "RESUMED", "STARTED"), str(session))
                truth = value + run.killed_at - stamp
                within(f"round {round_number} ({scenario}) block {session}", elapsed, truth, tally)
                assert elapsed < BLOCK_MINUTES * 60
            # Over every kill of one block: the true time it ran in each process, added up, against its
            # stored time. Handing back the time since the last checkpoint at each kill made this drift.
            started_at = new_events[0][2] if resumed else 0.0
            true_total[session] = true_total.get(session, 0.0) + truth - started_at
            drift = elapsed - true_total[session]
            tally.worst_drift = max(tally.worst_drift, abs(drift))
            assert abs(drift) <= TOLERANCE, (
                f"round {round_number} ({scenario}) block {session}: after {kills_of.get(session, 0) + 1} kills "
                f"stored {elapsed:.3f} s, true total {true_total[session]:.3f} s"
            )
            kills_of[session] = kills_of.get(session, 0) + 1
            tally.most_kills = max(tally.most_kills, kills_of[session])
        finally:
            services.close()
        recorded[session] = elapsed
    tally.acked = sum(len(log) for log in acked.values())
    return tally


def day_chain(folder: Path, rng: random.Random, kills: int) -> Tally:
    """A short custom exam day killed in its breaks (and going on from break to break)."""
    data_dir = store_with_pack(folder)
    tally = Tally()
    acked_blocks: dict[int, dict[int, Logged]] = {}
    acked_days: dict[int, dict[int, Logged]] = {}
    recorded: dict[int, float] = {}
    for round_number in range(kills):
        # Every other round goes on from the break it resumes in to the next one (a new day after the third block).
        leave = "1" if round_number % 2 else "0"
        args = ["break", str(data_dir), str(rng.randrange(2**31)), leave]
        run = run_driver(args, after_first({"break"}, rng, 0.0, 2.5))
        assert run.killed_at is not None, f"day round {round_number}: the driver exited\n{run.errors}"
        tally.kills += 1
        tally.gaps(run, "DAYNOW", 4)
        for line in run.of("ACK"):
            acked_blocks.setdefault(int(line[1]), {})[int(line[2])] = _event_line(line)
        for line in run.of("DACK"):
            acked_days.setdefault(int(line[1]), {})[int(line[2])] = _day_event_line(line)
        for line in run.of("RESUMED"):
            day, elapsed, at, before = int(line[2]), *map(float, line[3:6])
            charged = elapsed - recorded[day]
            assert -1e-6 <= charged <= at - before + 1e-3, f"day resume charged {charged:.3f} s"
        (phase,) = run.of("PHASE")
        day_id = int(phase[3])
        services = open_store(data_dir)
        try:
            for session, log in acked_blocks.items():
                stored = {
                    e.seq: (e.kind.value, e.position, e.elapsed, e.payload) for e in services.store.events(session)
                }
                check_log(f"day round {round_number} block {session}", stored, log)
            for session, log in acked_days.items():
                stored = {e.seq: (e.kind.value, None, e.elapsed, e.payload) for e in services.store.day_events(session)}
                check_log(f"day round {round_number} day {session}", stored, log, in_flight=2)
            day = services.days.open(day_id).day
            assert day.phase is Phase.BREAK, f"day round {round_number}: killed in a break, resumes in {day.phase}"
            elapsed, pool = day.elapsed(), day.break_remaining()
            value, stamp = last_time(run, ("DAYNOW", "PHASE"), str(day_id))
            gone = run.killed_at - stamp
            within(f"day round {round_number} day clock", elapsed, value + gone, tally)
            pools = [(float(x[3]), float(x[4])) for x in run.of("DAYNOW") if x[1] == str(day_id)]
            pools.append((float(phase[5]), float(phase[2])))
            pool_then, pool_stamp = max(pools, key=lambda p: p[1])
            # The pool drains while the break runs: the stored pool may be larger than the truth, never smaller.
            within(f"day round {round_number} break pool", -pool, -(pool_then - (run.killed_at - pool_stamp)), tally)
            tally.note(f"break after block {day.next_block}")
        finally:
            services.close()
        recorded[day_id] = elapsed
    tally.acked = sum(len(log) for log in (*acked_blocks.values(), *acked_days.values()))
    return tally


def big_pack(folder: Path, version: int) -> Path:
    """Version ``version`` of a large pack: it drops its first question, adds one, rewrites every stem."""
    rng = random.Random(version)
    questions = []
    for index in range(version, version + BIG_QUESTIONS):
        item = question(index, stem=f"Version {version}, case {index}: fever and cough for {index % 9 + 1} days.")
        if index % (BIG_QUESTIONS // BIG_MEDIA) == 0:
            item["media"] = [{"file": f"media/image-{index}.png", "caption": f"v{version}"}]
        questions.append(item)
    media = {q["media"][0]["file"]: rng.randbytes(MEDIA_BYTES) for q in questions if "media" in q}
    data = pack_dict(0, pack_id=BIG_PACK, version=f"1.{version}.0", questions=questions)
    return write_pack(folder / f"big-{version}", data, media)


Rows = dict[str, list[dict[str, Any]]]
PACK_TABLES = ("packs", "questions", "media", "question_versions")
"""Tables an import writes, and the column naming the pack in each (a snapshot's pack is its question's)."""
PACK_COLUMN = {"packs": "id", "questions": "pack_id", "media": "pack_id", "question_versions": "pack_id"}
VARYING = {
    "packs": {"source", "imported_at"},
    "questions": {"key"},
    "media": set(),
    "question_versions": {"question_key"},
}
QUERIES = {
    "question_versions": "SELECT v.*, q.pack_id AS pack_id FROM question_versions v JOIN questions q ON q.key = v.question_key"
}
"""Columns two complete imports of the same pack write differently (when, from where, row keys)."""


def _row(row: sqlite3.Row) -> dict[str, Any]:
    """A row as a dict; a blob as its digest (media are large, and equal digests mean equal bytes)."""
    return {k: hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v for k, v in dict(row).items()}


def snapshot(data_dir: Path) -> Rows:
    """Every row of every table (opening the store as the app would: a cut WAL is recovered)."""
    connection = sqlite3.connect(data_dir / DB_FILE)
    connection.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {
            t: sorted((_row(r) for r in connection.execute(QUERIES.get(t, f'SELECT * FROM "{t}"'))), key=repr)
            for t in tables
        }
    finally:
        connection.close()


def pack_rows(tables: Rows, pack_id: str) -> Rows:
    """The big pack's rows, without the columns two complete imports write differently."""
    return {
        t: sorted(
            ({k: v for k, v in r.items() if k not in VARYING[t]} for r in tables[t] if r[PACK_COLUMN[t]] == pack_id),
            key=repr,
        )
        for t in PACK_TABLES
    }


def others(tables: Rows, pack_id: str) -> Rows:
    """Every row that is not the big pack's (sessions, events, other packs, the schema version)."""
    return {t: [r for r in rows if t not in PACK_COLUMN or r[PACK_COLUMN[t]] != pack_id] for t, rows in tables.items()}


def import_chain(folder: Path, rng: random.Random, kills: int) -> Tally:
    """``blocksim import`` of a large pack (a first install, then updates) killed at random moments."""
    # The command installs the bundled packs first when they are missing: here they are in already.
    data_dir = store_with_pack(folder, bundled=True)
    services = open_store(data_dir)
    try:  # some history, which an import must leave alone
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, minutes=5, mode=Mode.TIMED, seed=1))
        runner.select(0, "B")
        runner.end()
    finally:
        services.close()
    # The oracle: the same command run to its end on a copy of the store, one version after another.
    reference_dir = folder / "reference"
    shutil.copytree(data_dir, reference_dir)
    reference: dict[int, Rows] = {}
    durations: list[float] = []

    def whole(version: int) -> Rows:
        """The big pack's rows after complete imports of versions 0..version."""
        while len(reference) <= version:
            done = run_driver(
                ["import", str(reference_dir), str(big_pack(folder, len(reference)))], lambda _: None, nice=IMPORT_NICE
            )
            assert done.code == 0, done.errors
            durations.append(float(done.of("DONE")[0][1]) - float(done.of("READY")[0][1]))
            reference[len(reference)] = pack_rows(snapshot(reference_dir), BIG_PACK)
        return reference[version]

    whole(0)  # also times the command here, so that the kills land across it
    tally = Tally()
    version = 0
    rounds = 0
    while tally.kills < kills:
        rounds += 1
        assert rounds <= 4 * kills, "too many imports finished before their kill"
        duration = statistics.median(durations[-5:])  # the command's pace now (the machine's load varies)
        before = snapshot(data_dir)
        wal = data_dir / f"{DB_FILE}-wal"
        wal_before = wal.stat().st_size if wal.exists() else 0
        if rounds % 2:
            # Every other kill aims at the write: a moment soon after the store's log begins to grow
            # (an import that finishes first is not counted as a kill).
            kill_moment = once_the_log_grows(wal, wal_before, rng.uniform(0.0, 0.05))
        else:
            kill_moment = after_first({"READY"}, rng, 0.0, duration)
        run = run_driver(
            ["import", str(data_dir), str(big_pack(folder, version))], kill_moment, nice=IMPORT_NICE, poll=0.001
        )
        wal_at_kill = wal.stat().st_size if wal.exists() else 0
        after = snapshot(data_dir)
        assert others(after, BIG_PACK) == others(before, BIG_PACK), f"import of 1.{version}.0 changed other rows"
        mine = pack_rows(after, BIG_PACK)
        if mine == pack_rows(before, BIG_PACK):
            assert run.killed_at is not None, f"a finished import of 1.{version}.0 left nothing\n{run.errors}"
            outcome = "nothing (cut inside the transaction)" if wal_at_kill > wal_before else "nothing"
        else:
            assert mine == whole(version), f"import of 1.{version}.0 killed: the store holds part of the pack"
            outcome = "the whole pack"
            version += 1
        if run.killed_at is None:
            durations.append(float(run.of("DONE")[0][1]) - float(run.of("READY")[0][1]))
            tally.note("finished before its kill")
            continue
        tally.kills += 1
        tally.note(outcome)
    return tally


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and selectable pipes are POSIX")
def test_kill_trial(tmp_path: Path) -> None:
    seed = int(os.environ.get(SEED_ENV) or random.SystemRandom().randrange(2**32))
    print(f"kill trial seed {seed} (repeat with {SEED_ENV}={seed})")
    master = random.Random(seed)
    # Two chains of standalone blocks; a results round closes a block the rounds before it worked on.
    half = KILLS["results"] // 2
    mid_block = ["block"] * KILLS["block"] + ["results"] * half
    dialogs = ["dialog"] * KILLS["dialog"] + ["results"] * (KILLS["results"] - half)
    master.shuffle(mid_block)
    master.shuffle(dialogs)
    rngs = [random.Random(master.random()) for _ in range(4)]
    chains: dict[str, Callable[[], Tally]] = {
        "mid-block and results": partial(block_chain, tmp_path / "blocks", rngs[0], mid_block),
        "dialog and results": partial(block_chain, tmp_path / "dialogs", rngs[1], dialogs),
        "day": partial(day_chain, tmp_path / "day", rngs[2], KILLS["break"]),
        "import": partial(import_chain, tmp_path / "import", rngs[3], KILLS["import"]),
    }
    started = time.monotonic()

    def timed(chain: Callable[[], Tally]) -> Tally:
        began = time.monotonic()
        tally = chain()
        tally.seconds = time.monotonic() - began
        return tally

    with ThreadPoolExecutor(max_workers=len(chains)) as pool:
        futures = {name: pool.submit(timed, chain) for name, chain in chains.items()}
        tallies: dict[str, Tally] = {}
        for name, future in futures.items():
            try:
                tallies[name] = future.result()
            except AssertionError as exc:
                raise TrialError(f"kill trial seed {seed}, {name} chain: {exc}") from exc
    for name, tally in tallies.items():
        print(
            f"{name}: {tally.kills} kills in {tally.seconds:.0f} s, worst lag {tally.worst_lag:.3f} s, longest tick gap {tally.worst_gap:.3f} s, "
            f"{tally.acked} events acknowledged, worst drift over {tally.most_kills} kills of one block "
            f"{tally.worst_drift:.3f} s, {tally.notes}"
        )
    print(f"trial took {time.monotonic() - started:.1f} s")
    assert sum(t.kills for t in tallies.values()) >= 40

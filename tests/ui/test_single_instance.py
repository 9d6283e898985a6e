"""One window per data folder: a second launch raises the first and exits; a dead holder's lock is taken over."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtNetwork import QLocalServer

from app import paths
from app.ui.single_instance import InstanceLock, server_name
from tests.factories import pack_dict, write_pack

ROOT = Path(__file__).resolve().parent.parent.parent
LINE_TIMEOUT = 60  # seconds for a real start-up on a loaded machine; normally about two


class Launch:
    """A real ``python -m app`` process whose stderr lines the test reads as they come."""

    def __init__(self, data_dir: Path, log_dir: Path) -> None:
        self.data_dir = data_dir
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BLOCKSIM_LOG_DIR": str(log_dir)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "--data-dir", str(data_dir), "--log-level", "info"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, text: str) -> str:
        """The first stderr line holding ``text`` (fails if the process ends or stays silent first)."""
        while True:
            line = self.lines.get(timeout=LINE_TIMEOUT)
            if line is None:
                pytest.fail(f"process ended before {text!r}: {''.join(self.seen)}")
            self.seen.append(line)
            if text in line:
                return line

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=LINE_TIMEOUT)


@pytest.fixture
def launches(qapp: object) -> Iterator[list[Launch]]:
    started: list[Launch] = []
    yield started
    for launch in started:
        launch.kill()
    for launch in started:
        # A killed instance leaves its socket file behind (the next one on that folder would clear it).
        QLocalServer.removeServer(server_name(launch.data_dir))


def _second_launch(data_dir: Path, log_dir: Path) -> subprocess.CompletedProcess[str]:
    return _command(data_dir, log_dir)


def _command(data_dir: Path, log_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BLOCKSIM_LOG_DIR": str(log_dir)}
    return subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=LINE_TIMEOUT,
    )


@pytest.mark.slow  # six real launches: about 4-10 s
def test_second_launch_raises_the_first_and_a_killed_first_is_taken_over(
    tmp_path: Path, launches: list[Launch]
) -> None:
    data_dir, log_dir = tmp_path / "data", tmp_path / "logs"
    first = Launch(data_dir, log_dir)
    launches.append(first)
    first.wait_for("window open on")

    second = _second_launch(data_dir, log_dir)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().splitlines() == [
        f"blocksim: Blocksim is already open on {data_dir}; its window was brought to the front"
    ]
    first.wait_for("another launch on")  # the first got the raise request
    assert first.process.poll() is None

    # The command line keeps working beside the window, which holds the lock.
    pack = write_pack(tmp_path / "beside", pack_dict(3, pack_id="beside-window"))
    imported = _command(data_dir, log_dir, "import", str(pack))
    assert imported.returncode == 0 and "imported beside-window" in imported.stdout, imported.stderr
    listed = _command(data_dir, log_dir, "packs")
    assert listed.returncode == 0 and "beside-window" in listed.stdout
    assert first.process.poll() is None

    first.kill()  # kill -9: the lock file and the socket stay behind
    assert (data_dir / paths.LOCK_FILE).exists()
    third = Launch(data_dir, log_dir)
    launches.append(third)
    assert "holding" in third.wait_for("holding")
    third.wait_for("window open on")
    # The one who took over answers later launches in turn.
    fourth = _second_launch(data_dir, log_dir)
    assert fourth.returncode == 0 and "already open" in fourth.stdout
    third.wait_for("another launch on")


def test_a_lock_held_in_this_process_refuses_a_second_holder(qapp: object, tmp_path: Path) -> None:
    first, second = InstanceLock(tmp_path), InstanceLock(tmp_path)
    try:
        assert first.acquire()
        assert not second.acquire()
        holder = second.holder()
        assert holder is not None and holder.pid == os.getpid()
        first.release()
        assert second.acquire()
    finally:
        first.release()
        second.release()


def test_a_stale_lock_from_a_killed_process_is_taken_over(qapp: object, tmp_path: Path) -> None:
    lock_path = tmp_path / paths.LOCK_FILE
    code = (
        "import sys\n"
        "from PySide6.QtCore import QLockFile\n"
        f"lock = QLockFile({str(lock_path)!r}); lock.setStaleLockTime(0)\n"
        "print(lock.tryLock(0), flush=True)\n"
        "sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        alive = InstanceLock(tmp_path)
        assert not alive.acquire()  # the holder still runs
        alive.release()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=LINE_TIMEOUT)
    assert lock_path.exists()
    taker = InstanceLock(tmp_path)
    try:
        assert taker.acquire()
        probe = QLockFile(str(lock_path))
        assert not probe.tryLock(0)  # what `blocksim restore` checks
    finally:
        taker.release()


def test_server_name_depends_on_the_resolved_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "a")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "link") == server_name(tmp_path / "b" / ".." / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert len(server_name(tmp_path / "a")) < 100  # unix socket paths are short

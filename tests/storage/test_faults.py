"""The store under faults (docs/faults.md): real SQLite files in real folders, real full disks and read-only mounts.

The full disk is a small tmpfs mounted in a private mount namespace (root, as in CI) or, for anyone, a
file-size limit (``RLIMIT_FSIZE``); read-only is a read-only bind mount for root (who ignores ``chmod``)
and ``chmod`` otherwise. Each case runs ``tests/fault_driver.py`` in its own process.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.bootstrap import build
from app.core.clock import FakeClock
from app.core.errors import StoreError
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.storage import backup
from app.storage.db import DB_FILE, open_engine
from app.storage.store_file import APPLICATION_ID
from tests.fault_driver import PRIVATE_MOUNTS

ROOT = Path(__file__).resolve().parents[2]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _private_mounts_work() -> bool:
    if not IS_ROOT or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    return probe.returncode == 0


PRIVATE = _private_mounts_work()


def run_fault(fault: str, data_dir: Path, *, mount: str | None = None) -> dict[str, Any]:
    """Run the fault driver (in a private mount namespace when ``mount`` is given) and return its report."""
    python = [sys.executable, "-m", "tests.fault_driver", fault, str(data_dir)]
    command = python
    if mount is not None or (IS_ROOT and fault == "read-only"):
        script = f"{mount} && exec \"$@\"" if mount else 'exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, "sh", *python]
    data_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", PRIVATE_MOUNTS: "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def check_block_under_fault(report: dict[str, Any], reason: str) -> None:
    """What the candidate sees and what the store keeps, whatever made the writes fail."""
    # The screen says which action was not saved and why; nothing unsaved is shown as done.
    assert report["banner_shown"]
    assert report["banner"].startswith(f"Your answer B to item 1 was not saved: {reason}")
    assert "do it again" in report["banner"]
    assert report["answers_shown"] == ["A", None, None, None]
    assert report["navigator_answered"] == [True, False, False, False]
    assert report["item_shown"] == 0  # moving to item 2 was not saved either, so the screen stays on item 1
    # The clock keeps running; ending is refused as unsaved, and the block stays on screen.
    assert report["clock_moved"] == pytest.approx(5.0)
    assert not report["ended_while_broken"] and report["screen_after_end"]
    assert report["banner_after_end"].startswith("The end of the block was not saved")
    # Once writes work, the same actions are simply done again.
    assert report["retry_answers"] == ["A", "B", None, None]
    assert not report["banner_after_retry"]
    # 0:00 passes while nothing can be written: the rules refuse late actions; the end is stored once it can be.
    assert report["expired_while_broken"] and not report["ended_at_expiry_while_broken"]
    assert "time is up" in report["refused_after_expiry"]
    assert report["ended_after_mend"]
    assert report["stored_end"] == 60.0
    assert report["stored_answers"] == ["A", "B", None, None]
    assert report["errors"] == []
    assert report["saved_after_fault"] < 5000  # the fault was met (writes into space already held come first)
    assert report["stored_marked"] == report["marked_shown"]


@pytest.mark.slow
@pytest.mark.skipif(not PRIVATE, reason="mounting a tmpfs needs root and unshare -m (the file-size test covers non-root)")
def test_full_disk_on_a_tmpfs_during_a_block(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    report = run_fault("full-tmpfs", data_dir, mount=f"mount -t tmpfs -o size=4m blocksim-full {data_dir}")
    check_block_under_fault(report, "the disk is full")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_full_disk_by_file_size_limit_during_a_block(tmp_path: Path) -> None:
    report = run_fault("full-rlimit", tmp_path / "data")
    check_block_under_fault(report, "the disk refused the write (it is full, or failing)")
    assert report["reopen_refusal"] is None


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and mounts")
def test_read_only_folder_during_a_block_and_at_start(tmp_path: Path) -> None:
    if IS_ROOT and not PRIVATE:
        pytest.skip("root ignores chmod, and unshare -m (for a read-only bind mount) is not permitted here")
    data_dir = tmp_path / "data"
    report = run_fault("read-only", data_dir)
    check_block_under_fault(report, "the data folder")
    # Started while the folder is read-only: refused with a message naming the folder, nothing written.
    assert report["reopen_refusal"].startswith(f"The data folder {data_dir} is read-only")


# -- recognising the store before writing ------------------------------------------------------------
def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_new_store_carries_blocksims_application_id(tmp_path: Path) -> None:
    open_engine(tmp_path).dispose()
    with sqlite3.connect(tmp_path / DB_FILE) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_zero_byte_file_is_refused_not_reinitialised(tmp_path: Path) -> None:
    (tmp_path / DB_FILE).write_bytes(b"")
    with pytest.raises(StoreError, match="empty file"):
        open_engine(tmp_path)
    assert _bytes(tmp_path) == {DB_FILE: b""}


def test_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_FILE) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
        connection.execute("INSERT INTO recipes VALUES ('soup')")
    connection.close()
    before = _bytes(tmp_path)
    with pytest.raises(StoreError, match="another program") as caught:
        open_engine(tmp_path)
    assert "left untouched" in str(caught.value)
    assert _bytes(tmp_path) == before


def test_other_programs_application_id_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DB_FILE) as connection:
        connection.execute("PRAGMA application_id=1234")
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.execute("INSERT INTO alembic_version VALUES ('0003')")
    connection.close()
    before = _bytes(tmp_path)
    with pytest.raises(StoreError, match="another program"):
        open_engine(tmp_path)
    assert _bytes(tmp_path) == before


def test_old_store_without_application_id_is_adopted_and_stamped(tmp_path: Path) -> None:
    services = build(tmp_path, import_bundled=False, clock=FakeClock())
    services.close()
    with sqlite3.connect(tmp_path / DB_FILE) as connection:
        connection.execute("PRAGMA application_id=0")  # as every store before this version
    connection.close()
    services = build(tmp_path, import_bundled=False, clock=FakeClock())
    try:
        with services.store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
    finally:
        services.close()


def test_two_schema_revisions_are_refused(tmp_path: Path) -> None:
    open_engine(tmp_path).dispose()
    with sqlite3.connect(tmp_path / DB_FILE) as connection:
        connection.execute("INSERT INTO alembic_version VALUES ('0002')")
    connection.close()
    before = _bytes(tmp_path)
    with pytest.raises(StoreError, match="2 schema revisions"):
        open_engine(tmp_path)
    assert _bytes(tmp_path) == before


def _damage_an_index(db: Path) -> None:
    """Overwrite one page of an index with bytes of another: the file opens, quick_check fails."""
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type='index' AND tbl_name='events' ORDER BY rootpage DESC"
        ).fetchone()[0]
    connection.close()
    data = bytearray(db.read_bytes())
    offset = (root - 1) * page_size
    data[offset + 8 : offset + page_size] = bytes((i * 7) % 251 for i in range(page_size - 8))
    db.write_bytes(bytes(data))


def test_store_failing_quick_check_is_refused_unwritten_and_names_the_newest_backup(tmp_path: Path) -> None:
    services = build(tmp_path, import_bundled=False, clock=FakeClock())
    try:
        from tests.factories import pack_dict, write_pack

        services.packs.import_path(write_pack(tmp_path.parent / "pack", pack_dict(12)))
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=12, seed=2))
        for position in range(12):
            runner.show(position)
            runner.select(position, "A")
        runner.end()
    finally:
        services.close()
    db = tmp_path / DB_FILE
    newest = backup.create_backup(db, backup.BackupKind.MANUAL)
    _damage_an_index(db)
    with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True) as connection:
        assert connection.execute("PRAGMA quick_check").fetchone()[0] != "ok"  # SQLite itself says damaged
    connection.close()
    before = _bytes(tmp_path)
    with pytest.raises(StoreError, match="quick_check") as caught:
        build(tmp_path, import_bundled=False, clock=FakeClock())
    assert f"restore it with: {backup.restore_command(db, newest.path)}" in str(caught.value)
    assert _bytes(tmp_path) == before


def test_event_of_unknown_kind_is_an_error_naming_the_session(services) -> None:  # type: ignore[no-untyped-def]
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=2, seed=1))
    runner.select(0, "A")
    with services.store.engine.begin() as connection:  # a flipped bit in an event kind
        connection.execute(text("UPDATE events SET kind = 'answer_selectec' WHERE kind = 'answer_selected'"))
    with pytest.raises(StoreError, match=f"session {runner.session_id} cannot be read.*'answer_selectec'"):
        services.blocks.open(runner.session_id)
    with pytest.raises(StoreError, match=f"session {runner.session_id} cannot be read"):
        services.blocks.scores(services.store.sessions())


LOSE_THE_LOG = """
import os, signal, sys
from pathlib import Path
from app.bootstrap import build
from app.core.clock import FakeClock
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from tests.factories import pack_dict, write_pack

folder = Path(sys.argv[1])
services = build(folder, import_bundled=False, clock=FakeClock())
services.packs.import_path(write_pack(folder.parent / "pack", pack_dict(6)))
runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, seed=5))
runner.select(0, "A")
(folder / "blocksim.sqlite3-wal").unlink()  # deleted during the block
runner.show(1)
runner.select(1, "B")
print(runner.session_id, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_lost_write_ahead_log_keeps_the_block_to_its_start_and_says_so(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-c", LOSE_THE_LOG, str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == -9, done.stderr[-2000:]
    session_id = int(done.stdout.split()[0])
    services = build(data_dir, import_bundled=False, clock=FakeClock())
    try:
        # The block start was copied into the store file: the block is still there, as it began.
        kinds = [e.kind.value for e in services.store.events(session_id)]
        assert kinds[:2] == ["block_started", "item_shown"]
        assert "answer_selected" not in kinds
        [notice] = services.notices
        assert "write-ahead log (blocksim.sqlite3-wal) was missing" in notice
        assert f"block {session_id} (started" in notice
    finally:
        services.close()
    reopened = build(data_dir, import_bundled=False, clock=FakeClock())
    try:
        assert reopened.notices == ()  # told once: the next start finds nothing lost
    finally:
        reopened.close()


START_ON_READ_ONLY = """
import sys
from PySide6.QtWidgets import QMessageBox
from app.ui.desktop import run_main_window

QMessageBox.critical = staticmethod(lambda parent, title, text: print("DIALOG", title, "|", text, flush=True))
folder = sys.argv[1]
if sys.argv[2] == "mount":
    import subprocess
    subprocess.run(["mount", "--bind", folder, folder], check=True)
    subprocess.run(["mount", "-o", "remount,ro,bind", folder], check=True)
else:
    import os
    os.chmod(folder, 0o555)
sys.exit(run_main_window(folder))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and mounts")
def test_window_on_a_read_only_data_folder_is_refused_with_a_dialog_naming_it(tmp_path: Path) -> None:
    if IS_ROOT and not PRIVATE:
        pytest.skip("root ignores chmod, and unshare -m (for a read-only bind mount) is not permitted here")
    data_dir = tmp_path / "data"
    build(data_dir, import_bundled=False, clock=FakeClock()).close()
    before = _bytes(data_dir)
    python = [sys.executable, "-c", START_ON_READ_ONLY, str(data_dir), "mount" if IS_ROOT else "chmod"]
    done = subprocess.run(
        ["unshare", "-m", *python] if IS_ROOT else python,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
    )
    if not IS_ROOT:
        data_dir.chmod(0o755)
    assert done.returncode == 1, done.stderr[-2000:]
    assert f"DIALOG Blocksim cannot start | The data folder {data_dir} is read-only" in done.stdout
    assert f"blocksim: The data folder {data_dir} is read-only" in done.stderr
    assert _bytes(data_dir) == before

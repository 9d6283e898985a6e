"""``blocksim backup`` and ``blocksim restore``: a truncated store brought back, refusals, exit codes."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from app.bootstrap import Services, build
from app.cli import main
from app.core.events import EventKind
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from app.storage import backup, db
from app.storage.backup import BackupKind
from app.storage.db import DB_FILE

ROOT = Path(__file__).resolve().parent.parent
HOLD_LOCK = """
import sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
print("locked" if lock.tryLock(0) else "busy", flush=True)
sys.stdin.read()
"""


HEAD = ScriptDirectory.from_config(db.alembic_config()).get_current_head()


def _answers(services: Services) -> dict[int, list[tuple[int | None, object]]]:
    return {
        session_id: [
            (e.position, e.payload.get("label"))
            for e in services.store.events(session_id)
            if e.kind is EventKind.ANSWER_SELECTED
        ]
        for session_id in range(1, 10)
    }


def _backup_path(out: str) -> Path:
    line = out.strip().splitlines()[-1]
    assert line.startswith("backed up to ")
    return Path(line.removeprefix("backed up to ").rsplit(" (", 1)[0])


def test_restore_after_the_store_was_truncated(
    services: Services, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for seed in (1, 2):
        runner = services.blocks.start(BlockRequest(BlockFilter(), size=6, seed=seed))
        for position in range(6):
            runner.show(position)
            runner.select(position, "ABCDE"[(position + seed) % 5])
        runner.end()
    answers = _answers(services)
    assert sum(len(a) for a in answers.values()) == 12
    services.close()

    assert main(["backup"]) == 0
    made = _backup_path(capsys.readouterr().out)
    assert made.parent == data_tmpdir / "backups" and made.name.endswith("-manual.sqlite3")

    live = data_tmpdir / DB_FILE
    with live.open("r+b") as handle:
        handle.truncate(live.stat().st_size // 2)
    broken = live.read_bytes()
    assert main(["packs"]) == 1
    err = capsys.readouterr().err
    assert "cannot open the database" in err
    command = err.strip().rsplit("restore it with: ", 1)[1]
    assert command == f"blocksim restore {made}"
    assert live.read_bytes() == broken  # the broken file is never replaced by opening

    words = shlex.split(command)
    assert words[0] == "blocksim"
    assert main(words[1:]) == 0
    out = capsys.readouterr().out
    assert f"restored {made} (schema {HEAD})" in out
    [kept] = [b for b in backup.list_backups(live) if b.kind is BackupKind.BEFORE_RESTORE]
    assert kept.path.read_bytes() == broken
    assert f"the replaced database was kept as {kept.path}" in out

    restored = build(data_tmpdir, import_bundled=False)
    try:
        assert _answers(restored) == answers
    finally:
        restored.close()


def test_backup_out_file_and_restore_it(services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    services.blocks.start(BlockRequest(BlockFilter(), size=2, seed=5)).select(0, "C")
    services.close()
    out = tmp_path / "copy.sqlite3"
    assert main(["backup", "--out", str(out)]) == 0
    assert _backup_path(capsys.readouterr().out) == out
    assert main(["restore", str(out)]) == 0
    again = build(import_bundled=False)
    try:
        assert _answers(again)[1] == [(0, "C")]
    finally:
        again.close()


def test_backup_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "empty"), "backup"]) == 1
    assert "there is no store to back up" in capsys.readouterr().err
    build(tmp_path / "d", import_bundled=False).close()
    assert main(["--data-dir", str(tmp_path / "d"), "backup", "--out", str(tmp_path / "missing" / "x.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("blocksim: ") and "does not exist" in err and len(err.strip().splitlines()) == 1


def test_restore_refuses_a_non_blocksim_file(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services.close()
    live = services.data_dir / DB_FILE
    before = live.read_bytes()
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    assert main(["restore", str(text)]) == 1
    assert "is not an SQLite database" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "absent.sqlite3")]) == 1
    assert "is not a file" in capsys.readouterr().err
    assert live.read_bytes() == before


def test_restore_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["restore"])
    assert caught.value.code == 2


def test_restore_refuses_while_a_window_holds_the_lock(
    services: Services, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = data_tmpdir / DB_FILE
    good = backup.create_backup(live, BackupKind.MANUAL)
    services.blocks.start(BlockRequest(BlockFilter(), size=2, seed=5)).select(0, "C")
    services.close()
    before = live.read_bytes()
    holder = subprocess.Popen(  # stands in for the window: another process holding the lock
        [sys.executable, "-c", HOLD_LOCK, str(data_tmpdir / "blocksim.lock")],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert main(["restore", str(good.path)]) == 1
        assert "Blocksim is open on" in capsys.readouterr().err
        assert live.read_bytes() == before
    finally:
        holder.kill()  # like kill -9: the lock file stays behind, stale
        holder.wait()
    assert (data_tmpdir / "blocksim.lock").exists()
    assert main(["restore", str(good.path)]) == 0
    assert not (data_tmpdir / "blocksim.lock").exists()  # taken over, then released

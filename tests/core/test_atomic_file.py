"""Every file Blocksim writes is whole or untouched; damaged settings files are set aside, not fatal."""

from __future__ import annotations

import ast
import logging
import os
from pathlib import Path

import pytest

from app.core import atomic_file
from app.core.atomic_file import set_aside, write_bytes_atomic, write_text_atomic
from app.core.errors import FileWriteError
from app.core.exam_day import DayPreset, load_user_presets, save_user_preset
from app.core.preferences import PREFERENCES_FILE, Preferences, load_preferences, save_preferences

APP = Path(__file__).resolve().parent.parent.parent / "app"
CUSTOM = DayPreset(
    id="short", name="Short", blocks=2, block_minutes=10, items_per_block=5, tutorial_minutes=0, break_minutes=5
)


def test_writes_and_replaces_leaving_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_text_atomic(target, "first, and longer than the second")
    write_text_atomic(target, "second é")
    assert target.read_text(encoding="utf-8") == "second é"
    write_bytes_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_the_data_is_on_disk_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append("replace")
        assert Path(src).parent == tmp_path  # same folder: the rename never crosses file systems
        real_replace(src, dst)

    monkeypatch.setattr(atomic_file.os, "fsync", fsync)
    monkeypatch.setattr(atomic_file.os, "replace", replace)
    write_text_atomic(tmp_path / "f.txt", "x")
    assert calls[:2] == ["fsync", "replace"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "prefs.json"
    target.write_text("old")

    def full_disk(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_file.os, "replace", full_disk)
    with pytest.raises(FileWriteError, match="No space left on device"):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["prefs.json"]


def test_missing_folder_and_folder_target_are_named(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match=f"the folder {tmp_path / 'gone'} does not exist"):
        write_text_atomic(tmp_path / "gone" / "f.txt", "x")
    (tmp_path / "d").mkdir()
    with pytest.raises(FileWriteError, match="it is a folder"):
        write_text_atomic(tmp_path / "d", "x")


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "f.txt", "x")
    finally:
        os.umask(umask)
    assert (tmp_path / "f.txt").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("content", [b"{", b"\xff\xfe\x00garbage", b'{"zoom": 99}', b'{"zoom": "big"}', b"[]"])
def test_damaged_preferences_are_set_aside(tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / PREFERENCES_FILE).write_bytes(content)
    with caplog.at_level(logging.WARNING):
        assert load_preferences(tmp_path) == Preferences()
    assert (tmp_path / (PREFERENCES_FILE + ".bad")).read_bytes() == content
    assert not (tmp_path / PREFERENCES_FILE).exists()
    (record,) = [r for r in caplog.records if getattr(r, "user_notice", None)]
    assert record.levelno == logging.WARNING and "preferences.json.bad" in record.getMessage()
    assert "\n" not in record.getMessage()
    save_preferences(tmp_path, Preferences(zoom=2))
    assert load_preferences(tmp_path).zoom == 2


def test_missing_preferences_are_defaults_without_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert load_preferences(tmp_path) == Preferences()
    assert caplog.records == []


@pytest.mark.parametrize(
    "content",
    [b"{", b'{"presets": [{"id": "x"}]}', b'{"presets": [], "extra": 1}', b"\x00"],
)
def test_damaged_user_presets_are_set_aside(tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "day_presets.json").write_bytes(content)
    with caplog.at_level(logging.WARNING):
        assert load_user_presets(tmp_path).presets == ()
    assert (tmp_path / "day_presets.json.bad").read_bytes() == content
    assert any("day_presets.json" in r.getMessage() for r in caplog.records)
    # Saving a new custom day works again and is read back.
    save_user_preset(tmp_path, CUSTOM)
    assert load_user_presets(tmp_path).presets == (CUSTOM,)


def test_set_aside_replaces_an_older_bad_copy(tmp_path: Path) -> None:
    (tmp_path / "p.json.bad").write_text("older")
    (tmp_path / "p.json").write_text("newer")
    assert set_aside(tmp_path / "p.json", "broken") == tmp_path / "p.json.bad"
    assert (tmp_path / "p.json.bad").read_text() == "newer"


def test_no_file_is_written_outside_the_helper() -> None:
    """write_text/write_bytes/replace on paths only in atomic_file.py (logs.py rotates its own files; backup.py copies the database)."""
    offenders = []
    for path in APP.rglob("*.py"):
        # The database and its copies are SQLite's (backup.py fsyncs and renames its own copies).
        if path.name in {"atomic_file.py", "backup.py"} or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                if name in {"write_text", "write_bytes"} or (
                    name in {"replace", "rename"} and path.name != "logs.py" and not _is_str_replace(node)
                ):
                    offenders.append(f"{path.relative_to(APP)}:{node.lineno}: {name}")
    assert offenders == []


def _is_str_replace(node: ast.Call) -> bool:
    # str.replace takes two strings (old, new); Path.replace takes one target, os.replace two paths.
    if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id == "os":
        return False
    return len(node.args) == 2

"""The command line: exit codes and messages, never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import main
from tests.factories import pack_dict, write_pack


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"Blocksim {__version__}"


def test_validate_ok_and_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_pack(tmp_path / "good", pack_dict(2))
    assert main(["validate", str(good)]) == 0
    bad_data = pack_dict(2)
    bad_data["questions"][1]["answer"] = "Q"
    bad = write_pack(tmp_path / "bad", bad_data)
    assert main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad / 'pack.json'}: question q001: answer: answer 'Q' is not among the option labels A, B, C, D, E" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b"{", b"null", b'{"format": 5}'])
def test_validate_never_tracebacks(tmp_path: Path, content: bytes) -> None:
    path = write_pack(tmp_path / "p", content)
    result = subprocess.run(
        [sys.executable, "-m", "app", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.startswith(str(path))


def test_import_packs_and_export(tmp_path: Path, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_pack(tmp_path / "p", pack_dict(4, pack_id="cli-pack"))
    assert main(["--data-dir", str(data_tmpdir), "import", str(path)]) == 0
    assert "imported cli-pack 1.0.0: 4 questions" in capsys.readouterr().out
    assert main(["--data-dir", str(data_tmpdir), "packs"]) == 0
    assert "cli-pack" in capsys.readouterr().out
    out_file = tmp_path / "history.json"
    assert main(["--data-dir", str(data_tmpdir), "export", "--out", str(out_file)]) == 0
    assert json.loads(out_file.read_text())["sessions"] == []


def test_import_failure_exit_code(tmp_path: Path, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = pack_dict(2)
    data["questions"][0]["keywords"] = ["absent phrase"]
    path = write_pack(tmp_path / "p", data)
    assert main(["--data-dir", str(data_tmpdir), "import", str(path)]) == 2
    assert "keywords" in capsys.readouterr().err


def test_broken_database_message(data_tmpdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_tmpdir.mkdir(parents=True)
    (data_tmpdir / "blocksim.sqlite3").write_text("garbage")
    assert main(["--data-dir", str(data_tmpdir), "packs"]) == 3
    assert "not an SQLite database" in capsys.readouterr().err


def test_schema_matches_shipped_file(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert main(["schema", "--out", str(out)]) == 0
    shipped = Path(__file__).resolve().parent.parent / "resources" / "pack-schema-v1.json"
    assert json.loads(out.read_text()) == json.loads(shipped.read_text()), (
        "run: blocksim schema --out resources/pack-schema-v1.json"
    )


def test_block_command_opens_the_gui_with_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.block import Mode
    from app.ui import application

    seen = {}

    def fake_run_gui(data_dir: str | None, request: object) -> int:
        seen.update(data_dir=data_dir, request=request)
        return 0

    monkeypatch.setattr(application, "run_gui", fake_run_gui)
    assert main(["block", "--pack", "ck-pediatrics", "--size", "10", "--minutes", "12", "--mode", "tutor"]) == 0
    request = seen["request"]
    assert request.block_filter.packs == frozenset({"ck-pediatrics"})  # type: ignore[attr-defined]
    assert request.size == 10 and request.mode is Mode.TUTOR  # type: ignore[attr-defined]
    assert request.time_limit() == 720  # type: ignore[attr-defined]
    assert main(["block", "--size", "41"]) == 1


def test_import_is_all_or_nothing_across_the_command(
    tmp_path: Path, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_pack(tmp_path / "good", pack_dict(3, pack_id="good-pack"))
    bad_data = pack_dict(2, pack_id="bad-pack")
    bad_data["questions"][1]["answer"] = "Q"
    bad = write_pack(tmp_path / "bad", bad_data)
    assert main(["--data-dir", str(data_tmpdir), "import", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert "question q001: answer" in captured.err and "imported" not in captured.out
    assert main(["--data-dir", str(data_tmpdir), "packs"]) == 0
    assert "good-pack" not in capsys.readouterr().out  # the bundled packs are there, nothing else


def test_import_refused_by_the_store_imports_nothing(
    tmp_path: Path, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    installed = write_pack(tmp_path / "installed", pack_dict(2, pack_id="old-pack", version="2.0.0"))
    assert main(["--data-dir", str(data_tmpdir), "import", str(installed)]) == 0
    good = write_pack(tmp_path / "good", pack_dict(3, pack_id="good-pack"))
    older = write_pack(tmp_path / "older", pack_dict(2, pack_id="old-pack", version="1.0.0"))
    assert main(["--data-dir", str(data_tmpdir), "import", str(good), str(older)]) == 2
    assert "older than the installed 2.0.0" in capsys.readouterr().err
    assert main(["--data-dir", str(data_tmpdir), "packs"]) == 0
    out = capsys.readouterr().out
    assert "good-pack" not in out and re.search(r"^old-pack +2\.0\.0 ", out, re.MULTILINE)


def test_validate_prints_on_an_ascii_console(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["system"] = "cœur " * 40  # echoed (cut, with an ellipsis) in the problem line
    path = write_pack(tmp_path / "p", data)
    result = subprocess.run(
        [sys.executable, "-m", "app", "validate", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1 and ": question q000: system: unknown system 'c\\u0153ur" in result.stdout

"""The command line: exit codes and messages, never a traceback."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.bootstrap import Services
from app.cli import main
from app.core.events import EventKind
from app.core.selection import BlockFilter
from app.services.blocks import BlockRequest
from tests.factories import pack_dict, write_pack

ROOT = Path(__file__).resolve().parent.parent


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
    assert main(["--data-dir", str(data_tmpdir), "import", str(path)]) == 1
    assert "keywords" in capsys.readouterr().err


def test_broken_database_message(data_tmpdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_tmpdir.mkdir(parents=True)
    (data_tmpdir / "blocksim.sqlite3").write_text("garbage")
    assert main(["--data-dir", str(data_tmpdir), "packs"]) == 1
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

    def fake_run_gui(data_dir: str | None, request: object, *, log_file: Path | None = None) -> int:
        seen.update(data_dir=data_dir, request=request)
        return 0

    monkeypatch.setattr(application, "run_gui", fake_run_gui)
    assert main(["block", "--pack", "ck-pediatrics", "--size", "10", "--minutes", "12", "--mode", "tutor"]) == 0
    request = seen["request"]
    assert request.block_filter.packs == frozenset({"ck-pediatrics"})  # type: ignore[attr-defined]
    assert request.size == 10 and request.mode is Mode.TUTOR  # type: ignore[attr-defined]
    assert request.time_limit() == 720  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["block", "--minutes", "-5"], "--minutes"),
        (["block", "--minutes", "0"], "--minutes"),
        (["block", "--minutes", "ten"], "--minutes"),
        (["block", "--minutes", "nan"], "--minutes"),
        (["block", "--size", "41"], "--size"),
        (["block", "--size", "0"], "--size"),
        (["--log-level", "loud", "packs"], "--log-level"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_are_usage_errors_before_qt(
    argv: list[str], named: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.ui import application

    def no_gui(*_args: object, **_kwargs: object) -> int:
        raise AssertionError("the window must not open on bad arguments")

    monkeypatch.setattr(application, "run_gui", no_gui)
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert named in err.splitlines()[-1] and "Traceback" not in err


def test_data_dir_after_the_subcommand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    path = write_pack(tmp_path / "p", pack_dict(2, pack_id="after-pack"))
    assert main(["import", str(path), "--data-dir", str(first)]) == 0
    assert (first / "blocksim.sqlite3").exists()
    # After the subcommand it wins over the one before it.
    assert main(["--data-dir", str(second), "packs", "--data-dir", str(first)]) == 0
    assert "after-pack" in capsys.readouterr().out
    assert not second.exists()
    assert main(["--data-dir", str(second), "packs"]) == 0
    assert "after-pack" not in capsys.readouterr().out


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "csv"], ["schema"]])
def test_out_into_a_missing_folder_is_one_line(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no" / "such"
    assert main([*command, "--out", str(missing / "file.out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("blocksim: ") and f"the folder {missing} does not exist" in err
    assert not missing.exists()


def test_out_replaces_an_existing_file_whole(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "schema.json"
    out.write_text("old and longer than nothing " * 1000)
    assert main(["schema", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["title"]
    assert [p.name for p in out.parent.iterdir()] == ["schema.json"]


def test_import_beside_an_open_store(services: Services, tmp_path: Path, data_tmpdir: Path, small_pack: Path) -> None:
    """A window keeps the store open (a block running, a read in progress); ``import`` still works."""
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, minutes=10, seed=1))
    runner.record(EventKind.ANSWER_SELECTED, 0, label="A")
    other = write_pack(tmp_path / "packs" / "beside", pack_dict(3, pack_id="beside-pack"))
    with services.store.engine.connect() as reading:
        reading.exec_driver_sql("BEGIN")
        reading.exec_driver_sql("SELECT count(*) FROM events").all()
        result = subprocess.run(
            [sys.executable, "-m", "app", "--data-dir", str(data_tmpdir), "import", str(other)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            cwd=ROOT,
        )
        reading.exec_driver_sql("ROLLBACK")
    assert result.returncode == 0, result.stderr
    assert "imported beside-pack 1.0.0: 3 questions" in result.stdout
    assert "beside-pack" in {pack.id for pack in services.store.packs()}
    runner.record(EventKind.ANSWER_SELECTED, 1, label="B")  # the open block keeps writing
    listing = subprocess.run(
        [sys.executable, "-m", "app", "packs", "--data-dir", str(data_tmpdir)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
    )
    assert listing.returncode == 0 and "beside-pack" in listing.stdout


def test_every_error_exit_code_is_documented() -> None:
    from app.core import errors

    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("### Exit codes", 1)[1].split("###", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", readme, re.M)}
    assert documented == {0, 1, 2, 130}
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.BlocksimError)]
    assert len(classes) >= 5 and {c.exit_code for c in classes} <= documented - {0, 2, 130}


def test_every_command_takes_the_global_options_after_it() -> None:
    from app.cli import _parser

    parser = _parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, command in sub.choices.items():
        options = {option for action in command._actions for option in action.option_strings}
        assert {"--data-dir", "--log-level"} <= options, f"{name}: build it with parents=common"


def test_import_is_all_or_nothing_across_the_command(
    tmp_path: Path, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_pack(tmp_path / "good", pack_dict(3, pack_id="good-pack"))
    bad_data = pack_dict(2, pack_id="bad-pack")
    bad_data["questions"][1]["answer"] = "Q"
    bad = write_pack(tmp_path / "bad", bad_data)
    assert main(["--data-dir", str(data_tmpdir), "import", str(good), str(bad)]) == 1
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
    assert main(["--data-dir", str(data_tmpdir), "import", str(good), str(older)]) == 1
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

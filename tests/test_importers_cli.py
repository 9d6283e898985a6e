"""`blocksim import` of other formats, --dry-run, convert, template, and all-or-nothing across paths."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.bootstrap import build
from app.cli import main
from app.core.importers import ImportOverrides

DATA = Path(__file__).resolve().parent / "data" / "importers"


def table_counts(data_dir: Path) -> dict[str, int]:
    services = build(data_dir, import_bundled=False)
    try:
        return services.store.table_counts()
    finally:
        services.close()


def test_import_prints_skips_per_kind(data_tmpdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "gift" / "questions.gift.txt"
    assert main(["--data-dir", str(data_tmpdir), "import", str(path), "--id", "gift-sample"]) == 0
    out = capsys.readouterr().out
    assert f"{path}: gift, pack gift-sample" in out
    assert "skipped 1 partial-credit question(s)" in out
    assert "imported gift-sample" in out and ": 4 questions" in out


def test_dry_run_changes_nothing(data_tmpdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = table_counts(data_tmpdir)
    assert main(["--data-dir", str(data_tmpdir), "import", "--dry-run", str(DATA / "medqa" / "us_sample.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "3 question(s)" in out and "dry run: nothing imported" in out
    assert table_counts(data_tmpdir) == before


def test_one_bad_file_imports_nothing(tmp_path: Path, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (DATA / "medqa" / "us_sample.jsonl").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    good = json.loads(lines[0])
    bank = [json.dumps({**good, "question": f"{n}. {good['question']}"}) for n in range(800)]
    bank[730] = json.dumps({**good, "options": "A, B, C"})
    bad.write_text("\n".join(bank) + "\n", encoding="utf-8")
    before = table_counts(data_tmpdir)
    code = main(["--data-dir", str(data_tmpdir), "import", str(DATA / "qti12" / "mc_feedback.xml"), str(bad)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.strip().splitlines() == [
        f"blocksim: {bad}: line 731: options: must be an object of label -> text, got str"
    ]
    assert table_counts(data_tmpdir) == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.txt", "Nothing here.\n", "not a format Blocksim reads"),
        ("cut.xml", '<?xml version="1.0"?><quiz><question type="multichoice"><name>', "not well-formed XML"),
        ("cols.csv", "id,stem,A,B\nq1,Which?,x,y\n", "line 1: the header has no answer column"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    tmp_path: Path, data_tmpdir: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = table_counts(data_tmpdir)
    assert main(["--data-dir", str(data_tmpdir), "import", str(path)]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"blocksim: {path}: ") and expected in line
    assert table_counts(data_tmpdir) == before


def test_convert_writes_a_pack_that_imports_the_same(
    tmp_path: Path, data_tmpdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "pet.zip"
    shutil.make_archive(str(package.with_suffix("")), "zip", DATA / "qti_package")
    out = tmp_path / "converted"
    assert main(["convert", str(package), "--out", str(out), "--version", "1.0.0"]) == 0
    pack = json.loads((out / "pack.json").read_text(encoding="utf-8"))
    assert pack["id"] == "pet" and pack["version"] == "1.0.0"
    assert pack["questions"][0]["media"][0]["file"] == "media/sign.png"
    assert (out / "media" / "sign.png").read_bytes() == (DATA / "qti_package" / "images" / "sign.png").read_bytes()
    assert main(["validate", str(out)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data_tmpdir), "import", str(out)]) == 0
    assert "imported pet 1.0.0: 1 questions" in capsys.readouterr().out


def test_template_csv_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "csv"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("id,stem,A,B,C,D,E,answer,explanation,discipline,system,tags\n")
    target = tmp_path / "t.csv"
    assert main(["template", "csv", "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == text
    assert main(["validate", str(target)]) == 0


def test_reimport_of_an_edited_file_updates_and_keeps_history(tmp_path: Path, data_tmpdir: Path) -> None:
    from app.core.block import Mode
    from app.core.selection import BlockFilter
    from app.services.blocks import BlockRequest

    source = tmp_path / "bank.jsonl"
    shutil.copy(DATA / "medqa" / "us_sample.jsonl", source)
    services = build(data_tmpdir, import_bundled=False)
    try:
        first = services.packs.import_path(source, ImportOverrides(version="1.0.0"))
        runner = services.blocks.start(BlockRequest(BlockFilter(packs=frozenset({"bank"})), size=3, mode=Mode.TUTOR))
        runner.select(0, "A")
        runner.end()
        lines = source.read_text(encoding="utf-8").splitlines()
        edited = json.loads(lines[0])
        edited["options"]["A"] = "Amoxicillin"
        source.write_text("\n".join([json.dumps(edited), *lines[1:]]) + "\n", encoding="utf-8")
        second = services.packs.import_path(source, ImportOverrides(version="1.0.1"))
        review = services.blocks.review(runner.session_id)
    finally:
        services.close()
    assert (first.added, second.added, second.updated, second.retired) == (3, 0, 3, 0)
    assert len(review.questions) == 3 and review.results[0].state.answer == "A"

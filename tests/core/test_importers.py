"""Importers read files written by the tools themselves (tests/data/importers/README) into pack format v1."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from app.core.errors import PackError
from app.core.importers import ImportOverrides, load_any
from app.core.importers.csv_format import template
from app.core.importers.html_text import html_to_text

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"


def zip_folder(folder: Path, target: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        for name, blob in (extra or {}).items():
            archive.writestr(name, blob)
    return target


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_any(path)
    return caught.value.problems


# -- MedQA JSONL ---------------------------------------------------------------------------
def test_medqa_sample_lines() -> None:
    result = load_any(DATA / "medqa" / "us_sample.jsonl")
    questions = result.loaded_pack.pack.questions
    assert result.format == "medqa-jsonl"
    assert [len(q.options) for q in questions] == [5, 5, 4]
    assert [q.answer for q in questions] == ["E", "C", "C"]
    assert questions[0].option("E").text == "Nitrofurantoin"
    assert questions[0].tags == ["step2-3"]
    assert questions[0].discipline is None and questions[0].system is None  # meta_info is a tag, not a discipline
    assert result.skipped == []


def test_medqa_ids_stay_when_options_are_edited(tmp_path: Path) -> None:
    lines = (DATA / "medqa" / "us_sample.jsonl").read_text(encoding="utf-8").splitlines()
    first = load_any(DATA / "medqa" / "us_sample.jsonl").loaded_pack.pack
    edited = json.loads(lines[1])
    edited["options"]["A"] = "Haloperidol"
    target = tmp_path / "edited.jsonl"
    target.write_text("\n".join([lines[0], json.dumps(edited), lines[2]]) + "\n", encoding="utf-8")
    second = load_any(target).loaded_pack.pack
    assert [q.id for q in first.questions] == [q.id for q in second.questions]
    assert second.questions[1].option("A").text == "Haloperidol"


def _medqa_lines(count: int) -> list[str]:
    return [
        json.dumps(
            {
                "question": f"Patient {n} has a cough. Which of the following is the most likely cause?",
                "options": {"A": "Asthma", "B": "GERD", "C": "ACE inhibitor", "D": "Postnasal drip"},
                "answer_idx": "ABCD"[n % 4],
                "meta_info": "step2&3",
            }
        )
        for n in range(count)
    ]


def test_medqa_bad_line_731_is_named_with_its_field(tmp_path: Path) -> None:
    lines = _medqa_lines(800)
    broken = json.loads(lines[730])
    del broken["answer_idx"]
    lines[730] = json.dumps(broken)
    target = tmp_path / "bank.jsonl"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems_of(target) == [f"{target}: line 731: answer_idx: is required"]


def test_medqa_line_that_is_not_json(tmp_path: Path) -> None:
    lines = _medqa_lines(800)
    lines[730] = lines[730][:40]
    target = tmp_path / "bank.jsonl"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [line] = problems_of(target)
    assert line.startswith(f"{target}: line 731: not valid JSON")


def test_medqa_answer_text_must_match_the_key(tmp_path: Path) -> None:
    obj = {"question": "Which?", "options": {"A": "One", "B": "Two"}, "answer_idx": "A", "answer": "Two"}
    target = tmp_path / "x.jsonl"
    target.write_text(json.dumps(obj) + "\n", encoding="utf-8")
    assert problems_of(target) == [f"{target}: line 1: answer: 'Two' is not the text of option A ('One')"]


# -- CSV ------------------------------------------------------------------------------------
def test_csv_template_imports(tmp_path: Path) -> None:
    target = tmp_path / "mine.csv"
    target.write_text(template(), encoding="utf-8")
    result = load_any(target)
    [question] = result.loaded_pack.pack.questions
    assert result.format == "csv"
    assert question.id == "cards-001"
    assert (question.answer, question.discipline, question.system) == ("C", "medicine", "cardiovascular")
    assert question.tags == ["ecg", "mi"]


def test_csv_with_bom_semicolons_and_four_options(tmp_path: Path) -> None:
    text = "id;stem;A;B;C;D;E;answer;explanation\nr1;Which is a loop diuretic?;Furosemide;Spironolactone;HCTZ;Amiloride;;A;Acts on the loop.\n"
    target = tmp_path / "excel.csv"
    target.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    [question] = load_any(target).loaded_pack.pack.questions
    assert [o.label for o in question.options] == ["A", "B", "C", "D"]
    assert question.explanation == "Acts on the loop."


def test_csv_missing_answer_column_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "noanswer.csv"
    target.write_text("id,stem,A,B,C\nq1,Which?,x,y,z\n", encoding="utf-8")
    [line] = problems_of(target)
    assert line.startswith(f"{target}: line 1: the header has no answer column")


def test_csv_row_missing_a_column(tmp_path: Path) -> None:
    target = tmp_path / "short.csv"
    target.write_text("id,stem,A,B,answer\nq1,Which?,x,y,A\nq2,Which?,x\n", encoding="utf-8")
    [line] = problems_of(target)
    assert line.startswith(f"{target}: line 3: B: has 3 columns but the header has 5; missing B, answer")


def test_csv_unknown_system_names_the_line(tmp_path: Path) -> None:
    target = tmp_path / "sys.csv"
    target.write_text("stem,A,B,answer,system\nWhich?,x,y,A,heart\n", encoding="utf-8")
    [line] = problems_of(target)
    assert line.startswith(f"{target}: line 2: system: unknown system 'heart'")


# -- Moodle XML -----------------------------------------------------------------------------
def test_moodle_partial_credit_question_is_skipped_not_dropped() -> None:
    # Moodle's own multichoice fixture: London and Paris are worth 50% each.
    path = DATA / "moodle" / "testquestion.moodle.xml"
    assert problems_of(path) == [f"{path}: no single-best-answer question to import (skipped: 1 multiple-response)"]


def test_moodle_single_answer_with_partial_credit_is_skipped(tmp_path: Path) -> None:
    source = (DATA / "moodle" / "nested_categories_with_questions.xml").read_text(encoding="utf-8")
    partial = source.replace(
        '<answer fraction="0" format="moodle_auto_format">\n      <text>false</text>',
        '<answer fraction="33.33333" format="moodle_auto_format">\n      <text>false</text>',
        1,
    )
    target = tmp_path / "partial.xml"
    target.write_text(partial, encoding="utf-8")
    result = load_any(target)
    assert result.skipped_by_kind() == {
        "partial-credit": (1, "answers carry partial credit; a single best answer is needed"),
        "essay": (1, "not a single-best-answer question"),
    }
    assert len(result.loaded_pack.pack.questions) == 3


def test_moodle_true_false_and_categories() -> None:
    result = load_any(DATA / "moodle" / "nested_categories_with_questions.xml")
    pack = result.loaded_pack.pack
    assert pack.title == "Iota"
    assert [q.stem for q in pack.questions] == [f"Testing {n} Question" for n in ("Iota", "Kappa", "Lambda", "Mu")]
    assert all([o.text for o in q.options] == ["True", "False"] and q.answer == "A" for q in pack.questions)
    assert result.skipped_by_kind() == {"essay": (1, "not a single-best-answer question")}


def test_moodle_embedded_image_becomes_media() -> None:
    result = load_any(DATA / "moodle" / "sample_questions_with_old_image_tag.xml")
    [question] = result.loaded_pack.pack.questions
    assert question.answer == "C" and question.option("C").text == "right answer"
    assert [m.file for m in question.media] == ["media/moodle.png"]
    assert result.loaded_pack.media["media/moodle.png"].startswith(b"\x89PNG")
    assert [s.kind for s in result.skipped] == ["cloze"]


def _moodle(answers: str, text: str = "<p>Which?</p>", files: str = "", encoding: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<quiz><question type="multichoice"><name><text>Q</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text>{files}</questiontext>'
        f"<single>true</single>{answers}</question></quiz>"
    )


def test_moodle_pluginfile_images_and_feedback(tmp_path: Path) -> None:
    png = (DATA / "qti_package" / "images" / "sign.png").read_bytes()
    import base64

    files = f'<file name="sign one.png" path="/" encoding="base64">{base64.b64encode(png).decode()}</file>'
    answers = (
        '<answer fraction="100"><text>Yes</text><feedback><text>Right, because.</text></feedback></answer>'
        '<answer fraction="0"><text>No</text><feedback><text><![CDATA[<p>Wrong.</p>]]></text></feedback></answer>'
    )
    text = (
        '<p>Look:</p><img src="@@PLUGINFILE@@/sign%20one.png" alt="a sign"><img src="@@PLUGINFILE@@/gone.png">'
        '<script>alert(1)</script><img src="http://example.com/x.png">'
    )
    target = tmp_path / "img.xml"
    target.write_text(_moodle(answers, text, files), encoding="utf-8")
    result = load_any(target)
    [question] = result.loaded_pack.pack.questions
    assert question.stem == "Look:"
    assert [(m.file, m.caption) for m in question.media] == [("media/sign-one.png", "a sign")]
    assert [o.explanation for o in question.options] == ["Right, because.", "Wrong."]
    assert result.warnings == [
        f"{target}: question 1 ('Q'): script in the question text dropped",
        f"{target}: question 1 ('Q'): image 'gone.png' is not in the file; dropped (the question still imports)",
        f"{target}: question 1 ('Q'): image 'http://example.com/x.png' is outside the file (external or inline URL); dropped",
    ]


def test_moodle_declared_windows_1252_is_honoured(tmp_path: Path) -> None:
    answers = '<answer fraction="100"><text>Caf\xe9 “au lait”</text></answer><answer fraction="0"><text>Th\xe9</text></answer>'
    target = tmp_path / "cp1252.xml"
    target.write_bytes(_moodle(answers, encoding="windows-1252").encode("cp1252"))
    [question] = load_any(target).loaded_pack.pack.questions
    assert question.option("A").text == "Café “au lait”"


def test_truncated_xml_names_the_line(tmp_path: Path) -> None:
    source = (DATA / "moodle" / "nested_categories_with_questions.xml").read_text(encoding="utf-8")
    target = tmp_path / "cut.xml"
    target.write_text(source[: len(source) // 2], encoding="utf-8")
    [line] = problems_of(target)
    assert line.startswith(f"{target}: not well-formed XML (")
    assert ", column " in line and " at line " in line


def test_xml_entity_bomb_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "bomb.xml"
    target.write_text('<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa">]><quiz>&a;</quiz>', encoding="utf-8")
    [line] = problems_of(target)
    assert "refused: the XML declares entities" in line


# -- GIFT -----------------------------------------------------------------------------------
def test_gift_moodle_fixture() -> None:
    result = load_any(DATA / "gift" / "questions.gift.txt")
    pack = result.loaded_pack.pack
    assert [q.id for q in pack.questions] == ["Q2", "Q1", "2-08-TSL", "2-08-TSL-2"]
    q2 = pack.questions[0]
    assert [(o.text, o.explanation) for o in q2.options] == [
        ("yellow", "right; good!"),
        ("red", "wrong, it's yellow"),
        ("blue", "wrong, it's yellow"),
    ]
    q1 = pack.questions[1]
    assert q1.answer == "B" and q1.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert {k: n for k, (n, _) in result.skipped_by_kind().items()} == {
        "essay": 1,
        "matching": 1,
        "partial-credit": 1,
        "numeric": 1,
        "short-answer": 1,
    }


# -- QTI ------------------------------------------------------------------------------------
def test_qti12_canvas_item_with_feedback() -> None:
    result = load_any(DATA / "qti12" / "mc_feedback.xml")
    [question] = result.loaded_pack.pack.questions
    assert result.loaded_pack.pack.title == "Feedback Check"
    assert question.id == "g5a997009fe86a353f1616f0c81746649"
    assert question.answer == "A"
    assert [o.explanation for o in question.options] == [f"Answer {x} Feedback" for x in "ABCD"]
    assert question.explanation == "General Feedback"


def test_qti12_essay_is_skipped() -> None:
    path = DATA / "qti12" / "essay.xml"
    assert problems_of(path) == [f"{path}: no single-best-answer question to import (skipped: 1 essay)"]


@pytest.mark.parametrize("version", ["qti21", "qti3"])
def test_qti_choice_item(version: str) -> None:
    result = load_any(DATA / version / "choice.xml")
    [question] = result.loaded_pack.pack.questions
    assert (question.id, question.answer, question.lead_in) == ("choice", "A", "What does it say?")
    assert question.stem == "Look at the text in the picture."
    assert question.option("C").text == "Remember your luggage when you leave."
    assert question.media == []  # the image is not beside the file: dropped with a warning naming the item
    assert len(result.warnings) == 1 and "item 'choice'" in result.warnings[0]


def test_qti_content_package_with_image(tmp_path: Path) -> None:
    package = zip_folder(DATA / "qti_package", tmp_path / "pet.zip")
    result = load_any(package)
    pack = result.loaded_pack.pack
    assert (result.format, pack.id, pack.title) == ("qti-package", "pet", "PET handbook samples")
    [question] = pack.questions
    assert [(m.file, m.caption) for m in question.media] == [("media/sign.png", "NEVER LEAVE LUGGAGE UNATTENDED")]
    assert result.loaded_pack.media["media/sign.png"] == (DATA / "qti_package" / "images" / "sign.png").read_bytes()
    assert {k: n for k, (n, _) in result.skipped_by_kind().items()} == {"multiple-response": 1, "essay": 1}
    assert result.warnings == []


def test_qti_package_image_leaving_the_package_is_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    shutil.copytree(DATA / "qti_package", folder)
    item = folder / "items" / "choice.xml"
    item.write_text(item.read_text(encoding="utf-8").replace("../images/sign.png", "../../etc/sign.png"), "utf-8")
    result = load_any(zip_folder(folder, tmp_path / "p.zip"))
    assert result.loaded_pack.pack.questions[0].media == []
    assert result.warnings == [
        f"{tmp_path / 'p.zip'}: item 'choice': image '../../etc/sign.png' points outside the package; dropped"
    ]


def test_zip_with_traversal_entry_is_refused(tmp_path: Path) -> None:
    package = zip_folder(DATA / "qti_package", tmp_path / "evil.zip", {"../evil.png": b"x"})
    assert problems_of(package) == [f"{package}: zip entry '../evil.png' has an unsafe path (absolute or with '..')"]


# -- detection and overrides -----------------------------------------------------------------
def test_wrong_format_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("Just some notes about the heart.\nNothing to import here.\n", encoding="utf-8")
    [line] = problems_of(target)
    assert line.startswith(f"{target}: not a format Blocksim reads")


def test_detection_is_by_content_not_name(tmp_path: Path) -> None:
    target = tmp_path / "questions.csv"  # a GIFT file with a misleading name
    shutil.copy(DATA / "gift" / "questions.gift.txt", target)
    assert load_any(target).format == "gift"


def test_overrides_and_bad_override(tmp_path: Path) -> None:
    path = DATA / "medqa" / "us_sample.jsonl"
    pack = load_any(path, ImportOverrides("my-bank", "My bank", "2.0.0")).loaded_pack.pack
    assert (pack.id, pack.title, pack.version) == ("my-bank", "My bank", "2.0.0")
    with pytest.raises(PackError) as caught:
        load_any(path, ImportOverrides(version="2"))
    assert caught.value.problems[0].startswith(f"{path}: version (--version): String should match pattern")


def test_html_tables_and_lists_stay_readable() -> None:
    html = "<p>Labs:</p><table><tr><th>Na</th><td>140</td></tr><tr><td>K</td><td>4.1</td></tr></table><ul><li>one</li><li>two</li></ul>"
    assert html_to_text(html).text == "Labs:\n\nNa | 140\nK | 4.1\n\n• one\n• two"


def test_broken_pack_json_keeps_the_pack_readers_messages(tmp_path: Path) -> None:
    target = tmp_path / "pack.json"
    target.write_text('{"format": "blocksim-pack",\n "id": ', encoding="utf-8")
    [line] = problems_of(target)
    assert line.startswith(f"{target}: not valid JSON: ") and "line 2" in line

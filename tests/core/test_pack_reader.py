"""Every validation error of pack format v1, each triggered by a file, reported in one line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from app.core.errors import PackError
from app.core.pack_reader import MAX_PACK_JSON_BYTES, read_pack
from tests.factories import PNG_1PX, pack_dict, question, write_pack


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        read_pack(path)
    assert caught.value.problems, "a PackError always lists its problems"
    return caught.value.problems


def test_valid_pack_reads(tmp_path: Path) -> None:
    loaded = read_pack(write_pack(tmp_path / "p", pack_dict(3)))
    assert [q.id for q in loaded.pack.questions] == ["q000", "q001", "q002"]


def test_missing_path(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope") == [f"{tmp_path / 'nope'}: no such file or folder"]


def test_empty_file(tmp_path: Path) -> None:
    [line] = problems_of(write_pack(tmp_path / "p", ""))
    assert line.endswith("file is empty; expected a JSON object")


def test_not_json(tmp_path: Path) -> None:
    [line] = problems_of(write_pack(tmp_path / "p", "{not json"))
    assert "not valid JSON" in line and "line 1" in line


def test_not_utf8(tmp_path: Path) -> None:
    [line] = problems_of(write_pack(tmp_path / "p", b"\xff\xfe\x00garbage"))
    assert "not UTF-8" in line or "not valid JSON" in line


def test_top_level_not_object(tmp_path: Path) -> None:
    [line] = problems_of(write_pack(tmp_path / "p", "[1, 2]"))
    assert "expected a JSON object" in line


def test_wrong_types_name_question_and_field(tmp_path: Path) -> None:
    data = pack_dict(2)
    data["questions"][1]["difficulty"] = "hard"
    data["questions"][0]["options"] = "A, B"
    lines = problems_of(write_pack(tmp_path / "p", data))
    assert any(": question q001: difficulty: " in line for line in lines)
    assert any(": question q000: options: " in line for line in lines)


def test_missing_required_pack_field(tmp_path: Path) -> None:
    data = pack_dict(1)
    del data["title"]
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert line.endswith(": title: is required")


def test_unknown_field_is_rejected(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["answr"] = "A"
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: answr: " in line


def test_newer_format_version_names_needed_version(tmp_path: Path) -> None:
    [line] = problems_of(write_pack(tmp_path / "p", pack_dict(1, format_version=3)))
    assert "format_version 3 is newer" in line and "update Blocksim" in line


def test_wrong_format_name(tmp_path: Path) -> None:
    [line] = problems_of(write_pack(tmp_path / "p", pack_dict(1, format="anki")))
    assert ": format: " in line and "blocksim-pack" in line


def test_duplicate_question_ids(tmp_path: Path) -> None:
    data = pack_dict(3)
    data["questions"][2]["id"] = "q000"
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert "duplicate question id(s): q000" in line


def test_duplicate_option_labels(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["options"][1]["label"] = "A"
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: options: duplicate option label(s) A" in line


def test_labels_out_of_order(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["options"][1]["label"] = "F"
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: options: option labels must be A, B, C, D, E" in line


def test_answer_not_among_labels(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["answer"] = "H"
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: answer: answer 'H' is not among the option labels" in line


def test_answer_that_is_no_letter_lists_the_labels(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["answer"] = "Z"
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert line.endswith(": question q000: answer: answer 'Z' is not among the option labels A, B, C, D, E")


def test_problems_name_the_pack_file_of_a_folder(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["difficulty"] = 9
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert line.startswith(f"{tmp_path / 'p' / 'pack.json'}: question q000: difficulty: ")


def test_too_few_options(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["options"] = data["questions"][0]["options"][:1]
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: options: " in line


def test_keyword_absent_from_stem(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["keywords"] = ["fever and cough", "night sweats"]
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: keywords: keyword 'night sweats' does not occur verbatim in the stem" in line


def test_unknown_vocabulary_lists_allowed_values(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["system"] = "cardio"
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: system: unknown system 'cardio'; allowed: " in line
    assert "cardiovascular" in line


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/etc/passwd.png", "is absolute"),
        ("media/../../secret.png", "leaves the pack folder"),
        ("C:/x.png", "is absolute"),
        ("images/x.png", "must be under media/"),
    ],
)
def test_bad_media_paths(tmp_path: Path, path: str, message: str) -> None:
    data = pack_dict(1)
    data["questions"][0]["media"] = [{"file": path}]
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: media[0].file: " in line and message in line


def test_missing_media_file(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["media"] = [{"file": "media/ecg.png", "caption": "ECG"}]
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert line.endswith(": question q000: media[0].file: media file 'media/ecg.png' is missing")


def test_media_is_loaded(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["media"] = [{"file": "media/ecg.png"}]
    loaded = read_pack(write_pack(tmp_path / "p", data, media={"media/ecg.png": PNG_1PX}))
    assert loaded.media == {"media/ecg.png": PNG_1PX}


def test_huge_file_is_refused_without_reading(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    with (folder / "pack.json").open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    [line] = problems_of(folder)
    assert "pack.json is 300 MB; the limit is" in line
    assert MAX_PACK_JSON_BYTES < 300 * 1024 * 1024


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_zip_pack_reads(tmp_path: Path) -> None:
    data = pack_dict(2)
    data["questions"][0]["media"] = [{"file": "media/a.png"}]
    path = _zip(tmp_path / "p.zip", {"mypack/pack.json": json.dumps(data).encode(), "mypack/media/a.png": PNG_1PX})
    loaded = read_pack(path)
    assert len(loaded.pack.questions) == 2 and loaded.media["media/a.png"] == PNG_1PX


def test_problems_name_the_pack_file_inside_a_zip(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["system"] = "heart"
    path = _zip(tmp_path / "p.zip", {"mypack/pack.json": json.dumps(data).encode()})
    [line] = problems_of(path)
    assert line.startswith(f"{path}:mypack/pack.json: question q000: system: unknown system 'heart'")


def test_zip_entry_with_dotdot(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {"pack.json": json.dumps(pack_dict(1)).encode(), "../evil.png": PNG_1PX})
    [line] = problems_of(path)
    assert "zip entry '../evil.png' has an unsafe path" in line


def test_zip_bomb(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "bomb.zip", {"pack.json": json.dumps(pack_dict(1)).encode(), "media/big.png": b"\0" * 50_000_000}
    )
    lines = problems_of(path)
    assert any("zip bomb" in line for line in lines)


def test_zip_without_pack_json(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {"readme.txt": b"hi"})
    [line] = problems_of(path)
    assert "zip has no pack.json" in line


def test_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    [line] = problems_of(path)
    assert "not a pack" in line or "unreadable zip" in line


def test_many_problems_each_on_own_line(tmp_path: Path) -> None:
    data = pack_dict(3)
    data["questions"][0]["system"] = "nope"
    data["questions"][1]["difficulty"] = 9
    data["questions"][2]["stem"] = ""
    lines = problems_of(write_pack(tmp_path / "p", data))
    assert len(lines) == 3
    assert {line.split(": ")[1] for line in lines} == {"question q000", "question q001", "question q002"}


def test_question_objects_are_frozen(tmp_path: Path) -> None:
    loaded = read_pack(write_pack(tmp_path / "p", pack_dict(1, questions=[question(0, keywords=[])])))
    with pytest.raises(ValueError, match="frozen"):
        loaded.pack.questions[0].stem = "x"  # type: ignore[misc]


def test_one_run_lists_field_and_cross_field_problems(tmp_path: Path) -> None:
    data = pack_dict(3)
    data["questions"][0]["system"] = "nope"
    data["questions"][0]["answer"] = "H"
    data["questions"][0]["keywords"] = ["absent words"]
    data["questions"][2]["id"] = "q000"
    lines = problems_of(write_pack(tmp_path / "p", data))
    assert any(": question q000: system: unknown system" in line for line in lines)
    assert any(": question q000: answer: answer 'H' is not among the option labels" in line for line in lines)
    assert any(": question q000: keywords: keyword 'absent words'" in line for line in lines)
    assert any(line.endswith(": questions: duplicate question id(s): q000") for line in lines)

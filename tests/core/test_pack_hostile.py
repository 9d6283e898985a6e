"""Hostile packs: each class once gave a traceback, a hang or a wrong verdict. Now each gives PackError lines.

Every problem is exactly one printable line that encodes as UTF-8 and names the file.
"""

from __future__ import annotations

import io
import json
import os
import struct
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import PackError
from app.core.pack_reader import read_pack
from tests.factories import PNG_1PX, pack_dict, question, write_pack


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        read_pack(path)
    lines = caught.value.problems
    assert lines, "a PackError always lists its problems"
    for line in lines:
        assert line.isprintable(), f"not one printable line: {line!r}"
        line.encode("utf-8")  # strict: a lone surrogate would make print() fail
        assert len(line) < 1_000, f"an overlong line: {line[:200]!r}..."
    return lines


def _zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _pack_zip_bytes(compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    return _zip_bytes({"pack.json": json.dumps(pack_dict(3)).encode()}, compression)


def _patch_headers(blob: bytes, offset_in_local: int, offset_in_central: int, fmt: str, value: int) -> bytes:
    """Set a field of every local and central header (e.g. the flag bits or the compression method)."""
    data = bytearray(blob)
    for signature, offset in ((b"PK\x03\x04", offset_in_local), (b"PK\x01\x02", offset_in_central)):
        start = data.find(signature)
        while start != -1:
            struct.pack_into(fmt, data, start + offset, value)
            start = data.find(signature, start + 4)
    return bytes(data)


def _data_span(blob: bytes) -> tuple[int, int]:
    """Where the first entry's compressed data lies."""
    name_len, extra_len = struct.unpack_from("<HH", blob, 26)
    start = 30 + name_len + extra_len
    (size,) = struct.unpack_from("<I", blob, 18)
    return start, start + size


def _write(path: Path, blob: bytes) -> Path:
    path.write_bytes(blob)
    return path


# -- zip archives -------------------------------------------------------------------------------


def test_encrypted_zip(tmp_path: Path) -> None:
    blob = _patch_headers(_pack_zip_bytes(), 6, 8, "<H", 0x1)
    path = _write(tmp_path / "enc.zip", blob)
    [line] = problems_of(path)
    assert line.startswith(str(path)) and "encrypted" in line


def test_zip_with_bad_deflate_data(tmp_path: Path) -> None:
    blob = bytearray(_pack_zip_bytes())
    start, end = _data_span(bytes(blob))
    blob[start:end] = b"\xff" * (end - start)  # not a deflate stream
    path = _write(tmp_path / "deflate.zip", bytes(blob))
    [line] = problems_of(path)
    assert line.startswith(str(path)) and "pack.json" in line and "damaged" in line


def test_zip_failing_its_crc(tmp_path: Path) -> None:
    blob = bytearray(_pack_zip_bytes(zipfile.ZIP_STORED))
    start, _ = _data_span(bytes(blob))
    blob[start + 5] ^= 0x20
    path = _write(tmp_path / "crc.zip", bytes(blob))
    [line] = problems_of(path)
    assert line.startswith(str(path)) and "pack.json" in line and "damaged" in line


def test_zip_with_unsupported_compression(tmp_path: Path) -> None:
    blob = _patch_headers(_pack_zip_bytes(), 8, 10, "<H", 99)
    path = _write(tmp_path / "method.zip", blob)
    [line] = problems_of(path)
    assert line.startswith(str(path)) and "compression method 99" in line


def test_zip_cut_in_the_middle(tmp_path: Path) -> None:
    blob = _pack_zip_bytes()
    path = _write(tmp_path / "cut.zip", blob[: len(blob) // 2])
    [line] = problems_of(path)
    assert line.startswith(str(path)) and "unreadable zip" in line


def test_zip_missing_bytes_inside_an_entry(tmp_path: Path) -> None:
    blob = _pack_zip_bytes()
    start, end = _data_span(blob)
    middle = (start + end) // 2
    path = _write(tmp_path / "hole.zip", blob[:middle] + blob[middle + 40 :])
    [line] = problems_of(path)
    assert line.startswith(str(path)) and "zip" in line


def test_damaged_media_entry_names_the_entry(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["media"] = [{"file": "media/a.png"}]
    entries = {"media/a.png": PNG_1PX * 4, "pack.json": json.dumps(data).encode()}
    blob = bytearray(_zip_bytes(entries, zipfile.ZIP_STORED))
    start, _ = _data_span(bytes(blob))  # the first entry is the image
    blob[start + 3] ^= 0x01
    path = _write(tmp_path / "media.zip", bytes(blob))
    [line] = problems_of(path)
    assert ": question q000: media[0].file: " in line and "media/a.png" in line and "damaged" in line


# -- media names and ids ------------------------------------------------------------------------


def _pack_with_media(tmp_path: Path, name: str, media: dict[str, bytes] | None = None) -> Path:
    data = pack_dict(1)
    data["questions"][0]["media"] = [{"file": name}]
    return write_pack(tmp_path / "p", data, media=media)


@pytest.mark.parametrize(
    "name",
    ["media/a\x00.png", "media/\ud800.png", "media/a\udcff.png", "media/a\nb.png"],
    ids=["nul", "high-surrogate", "low-surrogate", "newline"],
)
def test_unusable_characters_in_media_names(tmp_path: Path, name: str) -> None:
    [line] = problems_of(_pack_with_media(tmp_path, name))
    assert ": question q000: media[0].file: " in line


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_media_symlink_loop(tmp_path: Path) -> None:
    folder = _pack_with_media(tmp_path, "media/loop.png")
    (folder / "media").mkdir()
    os.symlink("loop.png", folder / "media" / "loop.png")
    [line] = problems_of(folder)
    assert ": question q000: media[0].file: " in line and "media/loop.png" in line


def test_media_path_of_thousands_of_levels(tmp_path: Path) -> None:
    name = "media/" + "a/" * 3_000 + "x.png"
    [line] = problems_of(_pack_with_media(tmp_path, name))
    assert ": question q000: media[0].file: " in line
    assert len(line) < 400


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_media_symlink_leaving_the_pack_names_the_question(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(PNG_1PX)
    folder = _pack_with_media(tmp_path, "media/out.png")
    (folder / "media").mkdir()
    os.symlink(tmp_path / "secret.png", folder / "media" / "out.png")
    [line] = problems_of(folder)
    assert line == f"{folder / 'pack.json'}: question q000: media[0].file: 'media/out.png' leaves the pack folder"


def test_question_id_with_a_lone_surrogate(tmp_path: Path) -> None:
    data = pack_dict(2)
    data["questions"][1]["id"] = "q\ud800x"
    [line] = problems_of(write_pack(tmp_path / "p", json.dumps(data)))
    assert ": question q\\ud800x: id: " in line


# -- numbers, files, types ----------------------------------------------------------------------


def test_five_thousand_digit_integer(tmp_path: Path) -> None:
    text = json.dumps(pack_dict(1)).replace('"difficulty": 3', '"difficulty": ' + "9" * 5_000)
    [line] = problems_of(write_pack(tmp_path / "p", text))
    assert "not valid JSON" in line and "digits" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("given", ["file", "folder"])
def test_fifo_named_pack_json_is_refused_unopened(tmp_path: Path, given: str) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    fifo = folder / "pack.json"
    os.mkfifo(fifo)

    # A writer that feeds a valid pack to whoever opens the FIFO: the old reader opened it and was
    # fed (or, with no writer, hung forever); the reader must not open it at all.
    def feed() -> None:
        with fifo.open("wb") as handle:
            handle.write(json.dumps(pack_dict(1)).encode())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        [line] = problems_of(fifo if given == "file" else folder)
        assert "pack.json is not a regular file" in line
    finally:
        release = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer's open() return
        writer.join()
        os.close(release)


@pytest.mark.parametrize(
    ("where", "value"),
    [("format_version", True), ("format_version", 1.0), ("difficulty", "3"), ("difficulty", True)],
)
def test_integers_are_strict(tmp_path: Path, where: str, value: Any) -> None:
    data = pack_dict(1)
    if where == "difficulty":
        data["questions"][0]["difficulty"] = value
    else:
        data[where] = value
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert f": {where}: " in line and "integer" in line


# -- messages -----------------------------------------------------------------------------------


def test_a_huge_value_is_cut_in_the_message(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["system"] = "x" * 10_000_000
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: system: unknown system 'xxxx" in line and "…" in line
    assert len(line) < 1_000


def test_a_huge_key_is_cut_in_the_message(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["k" * 1_000_000] = 1
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: kkkk" in line and "…" in line


def test_a_key_with_a_newline_stays_on_one_line(tmp_path: Path) -> None:
    data = pack_dict(1)
    data["questions"][0]["bad\nkey"] = 1
    data["ti\u2028tle"] = "x"
    lines = problems_of(write_pack(tmp_path / "p", data))
    assert len(lines) == 2
    assert any(": question q000: bad\\nkey: " in line for line in lines)
    assert any(": ti\\u2028tle: " in line for line in lines)


def test_a_keyword_with_control_characters_stays_on_one_line(tmp_path: Path) -> None:
    data = pack_dict(1, questions=[question(0, keywords=["absent\r\nphrase\x1b[31m"])])
    [line] = problems_of(write_pack(tmp_path / "p", data))
    assert ": question q000: keywords: " in line


def test_a_path_the_system_finds_too_long(tmp_path: Path) -> None:
    path = tmp_path / ("d/" * 3_000)
    [line] = problems_of(path)
    assert "File name too long" in line and "…" in line  # a very long path is cut in its middle


def test_nan_and_infinity_are_not_json(tmp_path: Path) -> None:
    text = json.dumps(pack_dict(1)).replace('"difficulty": 3', '"difficulty": NaN')
    [line] = problems_of(write_pack(tmp_path / "p", text))
    assert "not valid JSON: NaN is not a JSON number" in line

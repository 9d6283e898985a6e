"""The .apkg export, opened by Anki's own Python package: notes, fields, tags, media and stable guids."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.bootstrap import Services, build
from app.cli import main
from app.core.block import Mode
from app.core.clock import FakeClock
from app.core.importers import ImportOverrides
from app.core.selection import BlockFilter
from app.services.anki_export import FIELDS, Selection, export_apkg, note_guid
from app.services.blocks import BlockRequest

anki_collection = pytest.importorskip("anki.collection")
DATA = Path(__file__).resolve().parent / "data" / "importers"


@pytest.fixture
def studied(tmp_path: Path, data_tmpdir: Path, clock: FakeClock) -> Iterator[tuple[Services, int]]:
    """A store with the QTI package (one item with an image) and the MedQA lines, and one block sat:
    the image item and the first MedQA item wrong, the others right."""
    package = tmp_path / "pet.zip"
    shutil.make_archive(str(package.with_suffix("")), "zip", DATA / "qti_package")
    services = build(data_tmpdir, clock=clock, import_bundled=False)
    services.packs.import_path(package, ImportOverrides(version="1.0.0"))
    services.packs.import_path(DATA / "medqa" / "us_sample.jsonl", ImportOverrides("medqa", version="1.0.0"))
    runner = services.blocks.start(BlockRequest(BlockFilter(), size=4, mode=Mode.TUTOR, seed=3))
    for position, stored in enumerate(runner.questions):
        wrong = stored.question.id == "choice" or stored.question.option("A").text == "Ampicillin"
        key = stored.question.answer
        runner.select(position, ("B" if key == "A" else "A") if wrong else key)
    runner.end()
    yield services, runner.session_id
    services.close()


def open_in_anki(apkg: Path, collection: Path) -> object:
    col = anki_collection.Collection(str(collection))
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(apkg), options=anki_collection.ImportAnkiPackageOptions(update_notes=1)
    )
    col.import_anki_package(request)
    return col


def test_missed_export_opens_in_anki(tmp_path: Path, studied: tuple[Services, int]) -> None:
    services, _ = studied
    out = tmp_path / "misses.apkg"
    summary = export_apkg(services.store, Selection("missed"), out)
    assert (summary.notes, summary.media) == (2, 1)
    col = open_in_anki(out, tmp_path / "c1.anki2")
    try:
        ids = col.find_notes("")  # type: ignore[attr-defined]
        assert len(ids) == 2
        notes = [col.get_note(i) for i in ids]  # type: ignore[attr-defined]
        assert list(notes[0].keys()) == FIELDS
        image = next(n for n in notes if "blocksim::pack::pet" in n.tags)
        assert 'src="blocksim-pet-sign.png"' in image["Images"]
        assert image["Answer"] == "A. You must stay with your luggage at all times."
        assert "What does it say?" in image["Stem"]
        assert col.media.have("blocksim-pet-sign.png")  # type: ignore[attr-defined]
        medqa = next(n for n in notes if "blocksim::pack::medqa" in n.tags)
        assert medqa["Answer"] == "E. Nitrofurantoin"
        assert "blocksim::tag::step2-3" in medqa.tags
        assert {n.guid for n in notes} == {note_guid("pet", "choice"), note_guid("medqa", medqa_id(services))}
    finally:
        col.close()  # type: ignore[attr-defined]


def medqa_id(services: Services) -> str:
    keys = [key for key, pack, *_ in services.store.question_rows() if pack == "medqa"]
    return next(q.question.id for q in services.store.questions(keys) if q.question.option("A").text == "Ampicillin")


def test_second_export_changes_no_guid_and_updates_the_same_notes(
    tmp_path: Path, studied: tuple[Services, int]
) -> None:
    services, session_id = studied
    first = export_apkg(services.store, Selection("session", session_id), tmp_path / "a.apkg")
    second = export_apkg(services.store, Selection("session", session_id), tmp_path / "b.apkg")
    assert first.guids == second.guids and len(first.guids) == 4
    col = open_in_anki(tmp_path / "a.apkg", tmp_path / "c2.anki2")
    try:
        col.import_anki_package(  # type: ignore[attr-defined]
            anki_collection.ImportAnkiPackageRequest(
                package_path=str(tmp_path / "b.apkg"), options=anki_collection.ImportAnkiPackageOptions(update_notes=1)
            )
        )
        assert len(col.find_notes("")) == 4  # type: ignore[attr-defined]
    finally:
        col.close()  # type: ignore[attr-defined]


def test_session_misses_and_extra_tags(tmp_path: Path, studied: tuple[Services, int]) -> None:
    services, session_id = studied
    out = tmp_path / "m.apkg"
    summary = export_apkg(
        services.store, Selection("session-missed", session_id), out, extra_tags=lambda q: ["blocksim::pattern::x"]
    )
    assert summary.notes == 2
    col = open_in_anki(out, tmp_path / "c3.anki2")
    try:
        assert all("blocksim::pattern::x" in col.get_note(i).tags for i in col.find_notes(""))  # type: ignore[attr-defined]
    finally:
        col.close()  # type: ignore[attr-defined]


def test_cli_export_apkg(tmp_path: Path, data_tmpdir: Path, studied: tuple[Services, int]) -> None:
    out = tmp_path / "pack.apkg"
    assert (
        main(["--data-dir", str(data_tmpdir), "export", "--format", "apkg", "--pack", "medqa", "--out", str(out)]) == 0
    )
    assert out.is_file()
    assert (
        main(["--data-dir", str(data_tmpdir), "export", "--format", "apkg", "--pack", "nope", "--out", str(out)]) == 1
    )

"""Questions to Anki: one note per question in an ``.apkg`` written through genanki.

Each note carries the stem (with its images), the options, the answer, every option's explanation
and the objective, tagged ``blocksim::pack::ID``, ``blocksim::discipline::...`` and
``blocksim::system::...``. Its guid comes from the pack id and question id alone
(:func:`genanki.guid_for`), and the note type and deck ids are fixed, so exporting again after more
study updates the same notes in Anki instead of adding copies.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

import genanki

from app.core.atomic_file import write_bytes_atomic
from app.core.errors import BlocksimError
from app.core.outline import default_outline
from app.core.records import StoredQuestion
from app.services.history import History
from app.storage.repositories import Store

# Fixed forever: Anki recognises the note type and the deck of a re-import by these ids.
MODEL_ID = 1_734_250_112
DECK_ID = 1_734_250_113
DECK_NAME = "Blocksim"
FIELDS = ["Stem", "Images", "Options", "Answer", "Explanations", "Objective", "Source"]

ExtraTags = Callable[[StoredQuestion], Iterable[str]]
"""More tags per question (e.g. the analysis engine's patterns and the user's reasons), as slugs."""

SelectionKind = Literal["missed", "marked", "session", "session-missed", "day", "pack", "all"]

_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.options { margin: 0.8em 0; } .answer { font-weight: bold; }
.explanations li { margin-bottom: 0.4em; } .objective { font-style: italic; margin-top: 0.8em; }
.source { color: #888; font-size: 12px; margin-top: 1em; }"""

MODEL = genanki.Model(
    MODEL_ID,
    "Blocksim question",
    fields=[{"name": name} for name in FIELDS],
    templates=[
        {
            "name": "Question",
            "qfmt": '<div class="stem">{{Stem}}</div>{{Images}}<div class="options">{{Options}}</div>',
            "afmt": "{{FrontSide}}<hr id=answer>"
            '<div class="answer">{{Answer}}</div><div class="explanations">{{Explanations}}</div>'
            '{{#Objective}}<div class="objective">{{Objective}}</div>{{/Objective}}'
            '<div class="source">{{Source}}</div>',
        }
    ],
    css=_CSS,
)


@dataclass(frozen=True)
class Selection:
    """Which questions to export: ``missed`` (last answered wrong), ``marked``, ``session`` ID,
    ``session-missed`` ID (the misses of one block), ``day`` ID, ``pack`` ID or ``all``."""

    kind: SelectionKind
    value: int | str | None = None


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    notes: int
    media: int
    guids: list[str]


def note_guid(pack_id: str, question_id: str) -> str:
    """The stable guid of a question's note."""
    return str(genanki.guid_for("blocksim", pack_id, question_id))


def _text(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


def media_file_name(pack_id: str, path: str) -> str:
    """The flat name a pack image takes inside the package (Anki's media folder has no subfolders)."""
    inner = PurePosixPath(path).relative_to("media") if path.startswith("media/") else PurePosixPath(path)
    return f"blocksim-{pack_id}-" + "-".join(inner.parts)


def tags_for(stored: StoredQuestion, extra_tags: ExtraTags | None = None) -> list[str]:
    """``blocksim::pack::ID``, ``blocksim::discipline::..``, ``blocksim::system::..``, the question's tags
    and any extra tags, as Anki tags (no spaces)."""
    question = stored.question
    tags = [f"blocksim::pack::{stored.pack_id}"]
    if question.discipline:
        tags.append(f"blocksim::discipline::{question.discipline}")
    if question.system:
        tags.append(f"blocksim::system::{question.system}")
    tags.extend(f"blocksim::tag::{tag}" for tag in question.tags)
    if extra_tags is not None:
        tags.extend(tag.replace(" ", "_") for tag in extra_tags(stored))
    return list(dict.fromkeys(tags))


def note_for(stored: StoredQuestion, extra_tags: ExtraTags | None = None) -> genanki.Note:
    """One question as a note of :data:`MODEL`."""
    question = stored.question
    images = "".join(
        f'<div class="image"><img src="{html.escape(media_file_name(stored.pack_id, m.file))}">'
        + (f"<div>{_text(m.caption)}</div>" if m.caption else "")
        + "</div>"
        for m in question.media
    )
    stem = _text(question.stem) + (f"<p>{_text(question.lead_in)}</p>" if question.lead_in else "")
    options = "<br>".join(f"{o.label}. {_text(o.text)}" for o in question.options)
    key = question.option(question.answer)
    explanations = "<ul>" + "".join(
        f"<li><b>{o.label}{' (correct)' if o.label == question.answer else ''}.</b> "
        + (_text(o.explanation) if o.explanation else "")
        + "</li>"
        for o in question.options
    )
    explanations += "</ul>" + (f"<p>{_text(question.explanation)}</p>" if question.explanation else "")
    outline = default_outline()
    where = [stored.pack_id, question.id]
    if question.system:
        where.append(outline.name_of("system", question.system))
    return genanki.Note(
        model=MODEL,
        fields=[
            stem,
            images,
            options,
            f"{key.label}. {_text(key.text)}",
            explanations,
            _text(question.objective or ""),
            _text(" · ".join(where)),
        ],
        tags=tags_for(stored, extra_tags),
        guid=note_guid(stored.pack_id, question.id),
    )


def select_questions(store: Store, selection: Selection) -> list[StoredQuestion]:
    """The questions a selection names, each once, in a stable order."""
    kind = selection.kind
    keys: list[int]
    if kind in ("missed", "marked"):
        history = History(store).question_history()
        index = 0 if kind == "missed" else 1
        keys = sorted(key for key, flags in history.items() if flags[index])
    elif kind in ("session", "session-missed", "day"):
        if not isinstance(selection.value, int):
            raise BlocksimError(f"--{kind} needs a session id")
        info = store.session(selection.value)
        blocks = store.children(info.id) if info.kind == "day" else [info]
        if kind == "day" and info.kind != "day":
            raise BlocksimError(f"session {info.id} is a {info.kind}, not an exam day")
        sittings = History(store).sittings(blocks)
        keys = []
        for block in blocks:
            sitting = sittings[block.id]
            for (key, answer), state in zip(sitting.keys, sitting.states, strict=True):
                if kind != "session-missed" or state.answer != answer:
                    keys.append(key)
        keys = list(dict.fromkeys(keys))
    elif kind == "pack":
        keys = [key for key, pack, *_ in store.question_rows() if pack == selection.value]
        if not keys:
            raise BlocksimError(f"no installed pack {selection.value!r} (see: blocksim packs)")
    else:
        keys = [row[0] for row in store.question_rows()]
    return store.questions(keys) if keys else []


def _write_atomically(package: genanki.Package, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=out.name, suffix=".tmp", dir=out.parent)
    os.close(handle)
    try:
        package.write_to_file(name)
        write_bytes_atomic(out, Path(name).read_bytes())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def export_questions(
    store: Store, questions: list[StoredQuestion], out: Path, extra_tags: ExtraTags | None = None
) -> ExportSummary:
    """Write ``questions`` to ``out`` (an .apkg), their images inside it."""
    if not questions:
        raise BlocksimError("no questions to export (nothing matches the selection)")
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    guids: list[str] = []
    with tempfile.TemporaryDirectory(prefix="blocksim-apkg-") as folder:
        files: list[str] = []
        for stored in questions:
            note = note_for(stored, extra_tags)
            deck.add_note(note)
            guids.append(note.guid)
            for item in stored.question.media:
                blob = store.media(stored.pack_id, item.file)
                if blob is None:
                    continue
                target = Path(folder) / media_file_name(stored.pack_id, item.file)
                if not target.exists():
                    write_bytes_atomic(target, blob)
                    files.append(str(target))
        package = genanki.Package(deck)
        package.media_files = files
        _write_atomically(package, out)
    return ExportSummary(len(guids), len(files), guids)


def export_apkg(store: Store, selection: Selection, out: Path, extra_tags: ExtraTags | None = None) -> ExportSummary:
    """Export the selected questions as an Anki package."""
    return export_questions(store, select_questions(store, selection), out, extra_tags)

"""What every importer produces: draft questions, skips and warnings, built into one validated pack.

Each format module reads its file into :class:`DraftQuestion` objects through a :class:`Collector`;
:func:`build` turns them into pack format v1 and runs the same pydantic validation as the pack reader,
so an imported question obeys exactly the rules of a hand-written pack. Messages follow the reader's
``FILE: WHERE: FIELD: message`` shape, where WHERE names the line or item in the source file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from app.core.errors import PackError
from app.core.pack_format import FORMAT_NAME, FORMAT_VERSION, LABELS, MAX_OPTIONS, FieldRuleError, Pack
from app.core.pack_reader import MAX_MEDIA_BYTES, MEDIA_SUFFIXES, LoadedPack

Progress = Callable[[int, int], None]
"""Called with (items done, items in the file) while a file is read."""

MediaResolver = Callable[[str], bytes | None]
"""The bytes of an image a question names (by its ``src``), or None when the file does not hold it."""

_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_SLUG_BAD = re.compile(r"[^a-z0-9._-]+")
_TAG_BAD = re.compile(r"[^a-z0-9]+")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass(frozen=True)
class ImportOverrides:
    """``--id``, ``--title`` and ``--version`` given by the user (None: take them from the file)."""

    pack_id: str | None = None
    title: str | None = None
    version: str | None = None


@dataclass
class DraftOption:
    """One answer option as the source file gave it (already plain text)."""

    text: str
    explanation: str | None = None


@dataclass
class DraftQuestion:
    """A single-best-answer question read from a source file, before validation."""

    where: str  # how messages name it: "line 731", "question 'Q2'", "item choice"
    source_id: str | None  # the file's own identifier, when it has one
    stem: str
    options: list[DraftOption]
    answer: int  # index into options
    explanation: str | None = None
    objective: str | None = None
    lead_in: str | None = None
    discipline: str | None = None
    system: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt) shown with the stem
    files: dict[str, bytes] = field(default_factory=dict)  # images the question itself carries, by src


@dataclass(frozen=True)
class Skipped:
    """A question the importer did not take, with why."""

    kind: str
    where: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    """A validated pack read from any supported file, with what was skipped and any warnings."""

    loaded_pack: LoadedPack
    format: str
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def skipped_by_kind(self) -> dict[str, tuple[int, str]]:
        """Per kind of question skipped: (count, reason), in the order first met."""
        out: dict[str, tuple[int, str]] = {}
        for item in self.skipped:
            count, _ = out.get(item.kind, (0, item.reason))
            out[item.kind] = (count + 1, item.reason)
        return out

    def summary_lines(self) -> list[str]:
        """The skip counts and warnings, one line each, as the CLI and the GUI show them."""
        lines = [
            f"skipped {count} {kind} question(s): {reason}" for kind, (count, reason) in self.skipped_by_kind().items()
        ]
        lines.extend(f"warning: {w}" for w in self.warnings)
        return lines


class Collector:
    """Gathers a file's drafts, skips, warnings and problems while a format module reads it."""

    def __init__(self, display: str, progress: Progress | None = None) -> None:
        self.display = display
        self.drafts: list[DraftQuestion] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[str] = []
        self.problems: list[str] = []
        self._progress = progress

    def line(self, message: str, where: str | None = None, fld: str | None = None) -> str:
        parts = [self.display]
        if where:
            parts.append(where)
        if fld:
            parts.append(fld)
        parts.append(message)
        return ": ".join(parts)

    def problem(self, message: str, where: str | None = None, fld: str | None = None) -> None:
        """Record a problem: the file will not import."""
        self.problems.append(self.line(message, where, fld))

    def fail(self, message: str, where: str | None = None, fld: str | None = None) -> PackError:
        """A problem that stops reading at once; raise what this returns."""
        self.problem(message, where, fld)
        return PackError(list(self.problems))

    def skip(self, kind: str, where: str, reason: str) -> None:
        """Record a question that is not single-best-answer (or cannot be held by the pack format)."""
        self.skipped.append(Skipped(kind, where, reason))

    def warn(self, message: str, where: str | None = None) -> None:
        """Something dropped or changed that the user should know about; the import goes on."""
        self.warnings.append(self.line(message, where))

    def add(self, draft: DraftQuestion) -> None:
        """A question to import (skipped when the pack format cannot hold its options)."""
        if len(draft.options) > MAX_OPTIONS:
            self.skip("more-than-10-options", draft.where, f"pack format v1 holds at most {MAX_OPTIONS} options")
            return
        self.drafts.append(draft)

    def tick(self, done: int, total: int) -> None:
        """Report progress (every item; the callback decides what to draw)."""
        if self._progress is not None:
            self._progress(done, total)


def slug(text: str, limit: int = 64) -> str:
    """A pack id made from a name: lowercase letters, digits, '.', '_' and '-'."""
    value = _SLUG_BAD.sub("-", text.lower()).strip("-._")[:limit].strip("-._")
    return value or "imported"


def tag_slug(text: str) -> str:
    """A tag made from any text (``step2&3`` becomes ``step2-3``)."""
    return _TAG_BAD.sub("-", text.lower()).strip("-")[:60].strip("-")


def stem_hash(stem: str) -> str:
    """A question id from its stem: the same stem always gives the same id."""
    normal = " ".join(stem.split()).casefold()
    return "q-" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:12]


def question_id(source_id: str | None, stem: str) -> str:
    """The file's own id made safe for the pack format, or a hash of the stem."""
    if source_id:
        value = _ID_BAD.sub("-", source_id.strip())
        value = value.lstrip("-._")[:120].rstrip("-._")
        if value:
            return value
    return stem_hash(stem)


def version_from_mtime(path: Path) -> str:
    """A pack version from the file's modification time (UTC), so an edited file is newer.

    ``1.YYYYMMDD.HHMMSS`` without leading zeros, e.g. ``1.20261201.93015`` for 09:30:15.
    """
    stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return f"1.{stamp:%Y%m%d}.{int(stamp.strftime('%H%M%S'))}"


def _media_name(src: str, taken: dict[str, bytes], blob: bytes) -> str:
    base = PurePosixPath(src.replace("\\", "/").split("?")[0]).name
    stem = _ID_BAD.sub("-", PurePosixPath(base).stem).strip("-._") or "image"
    suffix = PurePosixPath(base).suffix.lower()
    name = f"media/{stem}{suffix}"
    counter = 2
    while name in taken and taken[name] != blob:
        name = f"media/{stem}-{counter}{suffix}"
        counter += 1
    return name


def _field_path(parts: list[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def build(
    collector: Collector,
    *,
    source: Path,
    fmt: str,
    default_id: str,
    default_title: str,
    default_version: str,
    overrides: ImportOverrides,
    resolve: MediaResolver | None = None,
) -> ImportResult:
    """Turn the collected drafts into a validated pack, or raise :class:`PackError` with every problem."""
    if collector.problems:
        raise PackError(list(collector.problems))
    if not collector.drafts:
        kinds = ", ".join(f"{n} {k}" for k, (n, _) in _count(collector.skipped).items())
        detail = f" (skipped: {kinds})" if kinds else ""
        raise collector.fail(f"no single-best-answer question to import{detail}")
    media: dict[str, bytes] = {}
    seen_ids: dict[str, int] = {}
    questions: list[dict[str, Any]] = []
    for draft in collector.drafts:
        qid = question_id(draft.source_id, draft.stem)
        if qid in seen_ids:
            seen_ids[qid] += 1
            collector.warn(f"id {qid!r} is used twice; this one is imported as {qid}-{seen_ids[qid]}", draft.where)
            qid = f"{qid}-{seen_ids[qid]}"
        else:
            seen_ids[qid] = 1
        item: dict[str, Any] = {
            "id": qid,
            "stem": draft.stem,
            "options": [
                {"label": LABELS[i], "text": o.text, **({"explanation": o.explanation} if o.explanation else {})}
                for i, o in enumerate(draft.options)
            ],
            "answer": LABELS[draft.answer] if 0 <= draft.answer < len(LABELS) else "?",
        }
        for key in ("lead_in", "explanation", "objective", "discipline", "system"):
            value = getattr(draft, key)
            if value:
                item[key] = value
        tags = [t for t in dict.fromkeys(tag_slug(t) for t in draft.tags) if t]
        if tags:
            item["tags"] = tags
        files = _question_media(draft, collector, resolve, media)
        if files:
            item["media"] = files
        questions.append(item)
    raw: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "id": overrides.pack_id or default_id,
        "title": overrides.title or default_title,
        "version": overrides.version or default_version,
        "questions": questions,
    }
    try:
        pack = Pack.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal[")))]
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, FieldRuleError):
                loc = [*loc, cause.field]
            message = "is required" if error["type"] == "missing" else error["msg"].removeprefix("Value error, ")
            if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
                draft = collector.drafts[loc[1]]
                fld = _field_path(loc[2:]) or None
                collector.problem(message, draft.where, fld)
            else:
                name = {"id": "pack id (--id)", "title": "title (--title)", "version": "version (--version)"}
                collector.problem(message, fld=name.get(str(loc[0]), _field_path(loc)) if loc else None)
        raise PackError(list(collector.problems)) from None
    return ImportResult(LoadedPack(pack, source, media), fmt, list(collector.skipped), list(collector.warnings))


def _count(skipped: list[Skipped]) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for item in skipped:
        count, _ = out.get(item.kind, (0, item.reason))
        out[item.kind] = (count + 1, item.reason)
    return out


def _question_media(
    draft: DraftQuestion, collector: Collector, resolve: MediaResolver | None, media: dict[str, bytes]
) -> list[dict[str, str]]:
    files: list[dict[str, str]] = []
    for src, alt in draft.images:
        if src.lower().startswith("data:") or _EXTERNAL.match(src):
            shown = src if len(src) < 60 else src[:57] + "..."
            collector.warn(f"image {shown!r} is outside the file (external or inline URL); dropped", draft.where)
            continue
        suffix = PurePosixPath(src.split("?")[0]).suffix.lower()
        if suffix not in MEDIA_SUFFIXES:
            collector.warn(f"file {src!r} is not an image Blocksim shows; dropped", draft.where)
            continue
        blob = draft.files.get(src)
        if blob is None and resolve is not None:
            blob = resolve(src)
        if blob is None:
            collector.warn(f"image {src!r} is not in the file; dropped (the question still imports)", draft.where)
            continue
        if len(blob) > MAX_MEDIA_BYTES:
            collector.warn(f"image {src!r} is larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MB; dropped", draft.where)
            continue
        name = _media_name(src, media, blob)
        media[name] = blob
        if all(f["file"] != name for f in files):
            files.append({"file": name, "caption": alt})
    return files

"""Validating and importing packs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.atomic_file import write_bytes_atomic, write_text_atomic
from app.core.errors import BlocksimError, PackError
from app.core.pack_reader import PACK_FILE, LoadedPack, peek_identity
from app.core.records import ImportOutcome
from app.storage.repositories import Store

if TYPE_CHECKING:  # the importers load when a file is first read, not with every start of the app
    from app.core.importers import ImportOverrides, ImportResult
    from app.core.importers.draft import Progress


def load_all(
    paths: Iterable[Path],
    overrides: ImportOverrides | None = None,
    progress_for: Callable[[Path], Progress | None] = lambda path: None,
) -> list[tuple[Path, ImportResult]]:
    """Every path read and validated (any format, by content), or :class:`PackError` with every problem of each.

    The one seam from a path to a pack: validating, importing and the bundled packs all go through it.
    """
    from app.core.importers import load_any

    results: list[tuple[Path, ImportResult]] = []
    problems: list[str] = []
    for path in paths:
        try:
            results.append((path, load_any(path, overrides, progress_for(path))))
        except PackError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PackError(problems)
    return results


def validate_paths(paths: Iterable[Path]) -> list[str]:
    """Every problem of every pack or question file, one line each (empty when all are valid)."""
    try:
        load_all(paths)
    except PackError as exc:
        return exc.problems
    return []


def bundled_pack_paths(folder: Path) -> list[Path]:
    """The pack folders and zips under ``folder``."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if (p / "pack.json").is_file() or p.suffix.lower() == ".zip")


SEEN_FILE = "bundled-packs-seen.json"
"""In the data folder: the identity of each bundled pack.json as last read, by its size and modification time."""


class SeenIdentities:
    """The (id, version) each bundled ``pack.json`` declared when last read, keyed by its path, size and
    modification time, so a start does not parse every bundled pack again to learn it is installed already.

    Only a cache of :func:`peek_identity`: a changed file (another size or time) is read again, and a missing or
    damaged cache file only means reading every pack once more. Whether a pack is installed at that version is
    still asked of the store each start.
    """

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._entries: dict[str, list[object]] = {}
        self._changed = False
        if file is None:
            return
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and isinstance(raw.get("packs"), dict):
            self._entries = {key: value for key, value in raw["packs"].items() if isinstance(value, list)}

    def identity(self, path: Path) -> tuple[str, str] | None:
        """The (id, version) ``path``'s pack declares (read only when its pack.json changed), or None."""
        try:
            stat = (path / PACK_FILE).stat()
        except OSError:
            return peek_identity(path)
        key = str(path.resolve())
        stamp: list[object] = [stat.st_size, stat.st_mtime_ns]
        entry = self._entries.get(key)
        if entry is not None and len(entry) == 4 and entry[:2] == stamp:
            pack_id, version = entry[2], entry[3]
            if isinstance(pack_id, str) and isinstance(version, str):
                return pack_id, version
        identity = peek_identity(path)
        if identity is not None:
            self._entries[key] = [*stamp, *identity]
            self._changed = True
        return identity

    def save(self) -> None:
        """Keep what was read for the next start (best effort: without it the next start reads the packs)."""
        if self.file is None or not self._changed:
            return
        try:
            write_text_atomic(self.file, json.dumps({"packs": self._entries}, indent=1, sort_keys=True) + "\n")
        except (OSError, BlocksimError):
            return
        self._changed = False


@dataclass(frozen=True)
class BundledImport:
    """What importing the bundled packs did."""

    outcomes: list[ImportOutcome]
    problems: list[str]


class PackService:
    """Import packs into the store, all or nothing per pack."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load(
        self, path: Path, overrides: ImportOverrides | None = None, progress: Progress | None = None
    ) -> ImportResult:
        """Read and validate a pack or any importable file (by content); changes nothing."""
        from app.core.importers import load_any

        return load_any(path, overrides, progress)

    def import_path(
        self, path: Path, overrides: ImportOverrides | None = None, progress: Progress | None = None
    ) -> ImportOutcome:
        """Validate and import one pack; raises :class:`PackError` and changes nothing on any problem."""
        [outcome] = self.install_all([(path, self.load(path, overrides, progress))])
        return outcome

    def install_all(self, results: Sequence[tuple[Path, ImportResult]]) -> list[ImportOutcome]:
        """Install what :func:`load_all` read, every pack in one transaction: all or nothing."""
        return self.store.import_packs([(result.loaded_pack, str(path)) for path, result in results])

    def import_paths(self, paths: Sequence[Path], overrides: ImportOverrides | None = None) -> list[ImportOutcome]:
        """Validate every path first, then import all of them in one transaction: all or nothing.

        Raises :class:`PackError` listing every problem of every path, and then changes nothing.
        """
        return self.install_all(load_all(paths, overrides))

    def import_bundled(self, folder: Path, seen: Path | None = None) -> BundledImport:
        """Import (or update) the bundled packs; a broken one is reported, the others still import.

        ``seen`` is the file of :class:`SeenIdentities` (none: every pack.json is read for its identity).
        """
        outcomes: list[ImportOutcome] = []
        problems: list[str] = []
        installed = {pack.id: pack.version for pack in self.store.packs()}
        identities = SeenIdentities(seen)
        for path in bundled_pack_paths(folder):
            identity = identities.identity(path)
            if identity is not None and installed.get(identity[0]) == identity[1]:
                continue  # already installed at this version: no need to validate it again
            try:
                outcomes.append(self.import_path(path))
            except PackError as exc:
                problems.extend(exc.problems)
        identities.save()
        return BundledImport(outcomes, problems)


def write_pack_folder(loaded: LoadedPack, out: Path) -> Path:
    """Write a pack-format-v1 folder (``pack.json`` and ``media/``) that ``blocksim import`` reads back."""
    if out.exists() and not out.is_dir():
        raise BlocksimError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    for name, blob in sorted(loaded.media.items()):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, blob)
    text = json.dumps(loaded.pack.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False) + "\n"
    write_bytes_atomic(out / PACK_FILE, text.encode("utf-8"))
    return out / PACK_FILE

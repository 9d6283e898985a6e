"""Validating and importing packs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.atomic_file import write_bytes_atomic
from app.core.errors import BlocksimError, PackError
from app.core.importers import ImportOverrides, ImportResult, load_any
from app.core.importers.draft import Progress
from app.core.pack_reader import PACK_FILE, LoadedPack, peek_identity
from app.core.records import ImportOutcome
from app.storage.repositories import Store


def load_all(
    paths: Iterable[Path],
    overrides: ImportOverrides | None = None,
    progress_for: Callable[[Path], Progress | None] = lambda path: None,
) -> list[tuple[Path, ImportResult]]:
    """Every path read and validated (any format, by content), or :class:`PackError` with every problem of each.

    The one seam from a path to a pack: validating, importing and the bundled packs all go through it.
    """
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

    def import_bundled(self, folder: Path) -> BundledImport:
        """Import (or update) the bundled packs; a broken one is reported, the others still import."""
        outcomes: list[ImportOutcome] = []
        problems: list[str] = []
        installed = {pack.id: pack.version for pack in self.store.packs()}
        for path in bundled_pack_paths(folder):
            identity = peek_identity(path)
            if identity is not None and installed.get(identity[0]) == identity[1]:
                continue  # already installed at this version: no need to validate it again
            try:
                outcomes.append(self.import_path(path))
            except PackError as exc:
                problems.extend(exc.problems)
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

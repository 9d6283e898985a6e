"""Validating and importing packs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import PackError
from app.core.pack_reader import LoadedPack, peek_identity, read_pack
from app.core.records import ImportOutcome
from app.storage.repositories import Store


def load_pack(path: Path) -> LoadedPack:
    """Read and validate the pack at ``path``; raises :class:`PackError` listing every problem.

    The one seam from a path to a pack: validating, importing and the bundled packs all go through it,
    so a reader of another format plugs in here.
    """
    return read_pack(path)


def load_packs(paths: Iterable[Path]) -> list[LoadedPack]:
    """Every pack at ``paths``, or :class:`PackError` listing every problem of every one of them."""
    loaded: list[LoadedPack] = []
    problems: list[str] = []
    for path in paths:
        try:
            loaded.append(load_pack(path))
        except PackError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PackError(problems)
    return loaded


def validate_paths(paths: Iterable[Path]) -> list[str]:
    """Every problem of every pack, one line each (empty when all are valid)."""
    try:
        load_packs(paths)
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

    def import_path(self, path: Path) -> ImportOutcome:
        """Validate and import one pack; raises :class:`PackError` and changes nothing on any problem."""
        [outcome] = self.import_paths([path])
        return outcome

    def import_paths(self, paths: Sequence[Path]) -> list[ImportOutcome]:
        """Validate every pack first, then import all of them in one transaction: all or nothing.

        Raises :class:`PackError` listing every problem of every path, and then changes nothing.
        """
        loaded = load_packs(paths)
        return self.store.import_packs([(pack, str(path)) for pack, path in zip(loaded, paths, strict=True)])

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

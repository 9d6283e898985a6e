"""Validating and importing packs."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import BlocksimError, PackError
from app.core.importers import ImportOverrides, ImportResult, load_any
from app.core.importers.draft import Progress
from app.core.pack_reader import PACK_FILE, LoadedPack, peek_identity
from app.core.records import ImportOutcome
from app.storage.repositories import Store


def validate_paths(paths: Iterable[Path]) -> list[str]:
    """Every problem of every pack, one line each (empty when all are valid)."""
    problems: list[str] = []
    for path in paths:
        try:
            load_any(path)
        except PackError as exc:
            problems.extend(exc.problems)
    return problems


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

    def install(self, result: ImportResult, source: str) -> ImportOutcome:
        """Install what :meth:`load` read, in one transaction."""
        return self.store.import_pack(result.loaded_pack, source=source)

    def import_path(
        self, path: Path, overrides: ImportOverrides | None = None, progress: Progress | None = None
    ) -> ImportOutcome:
        """Validate and import one pack; raises :class:`PackError` and changes nothing on any problem."""
        return self.install(self.load(path, overrides, progress), source=str(path))

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


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_pack_folder(loaded: LoadedPack, out: Path) -> Path:
    """Write a pack-format-v1 folder (``pack.json`` and ``media/``) that ``blocksim import`` reads back."""
    if out.exists() and not out.is_dir():
        raise BlocksimError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    for name, blob in sorted(loaded.media.items()):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, blob)
    text = json.dumps(loaded.pack.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False) + "\n"
    _write_atomically(out / PACK_FILE, text.encode("utf-8"))
    return out / PACK_FILE

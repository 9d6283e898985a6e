"""Shared fixtures. Qt runs offscreen; every data path points into a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.bootstrap import Services, build
from app.core.clock import FakeClock
from tests.factories import pack_dict, write_pack


@pytest.fixture(autouse=True)
def data_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Redirect the user data and log folders so no test touches the real ones."""
    folder = tmp_path / "data"
    monkeypatch.setenv("BLOCKSIM_DATA_DIR", str(folder))
    monkeypatch.setenv("BLOCKSIM_LOG_DIR", str(tmp_path / "logs"))
    return folder


@pytest.fixture
def clock() -> FakeClock:
    """A clock the test moves by hand."""
    return FakeClock()


@pytest.fixture
def small_pack(tmp_path: Path) -> Path:
    """A valid 12-question pack folder."""
    return write_pack(tmp_path / "packs" / "test-pack", pack_dict(12))


@pytest.fixture
def services(data_tmpdir: Path, clock: FakeClock, small_pack: Path) -> Iterator[Services]:
    """Services on an empty store with the small pack imported (no bundled packs)."""
    built = build(data_tmpdir, clock=clock, import_bundled=False)
    built.packs.import_path(small_pack)
    yield built
    built.close()

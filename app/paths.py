"""Where Blocksim's resources and user data live.

Resources sit beside the ``app`` package in a checkout and inside the bundle of a frozen
(PyInstaller) build; user data goes to the platform's user data directory unless
``--data-dir`` or ``BLOCKSIM_DATA_DIR`` says otherwise.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Blocksim"
DATA_DIR_ENV = "BLOCKSIM_DATA_DIR"
LOCK_FILE = "blocksim.lock"
"""Held (QLockFile) by the one GUI instance of a data folder; ``restore`` refuses while it is held."""
BACKUPS_DIR = "backups"
"""Consistent copies of the store, inside the data folder."""


def _bundle_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The folder of data files: outline, lab values, presets, styles, pack schema."""
    return _bundle_root() / "resources"


def resource(name: str) -> Path:
    """One file in the resources folder."""
    return resources_dir() / name


def bundled_packs_dir() -> Path:
    """The packs shipped with Blocksim (imported on first start)."""
    return _bundle_root() / "question_packs"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The user data folder: ``override``, else ``$BLOCKSIM_DATA_DIR``, else the platform's."""
    if override:
        chosen = Path(override)
    elif os.environ.get(DATA_DIR_ENV):
        chosen = Path(os.environ[DATA_DIR_ENV])
    else:
        chosen = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return chosen.expanduser().resolve()

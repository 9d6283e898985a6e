"""Where Blocksim's resources and user data live.

Resources and the bundled packs travel inside the ``app`` package (a wheel, an editable install, a
frozen PyInstaller build) or sit beside it in a checkout; user data goes to the platform's user data directory unless
``--data-dir`` or ``BLOCKSIM_DATA_DIR`` says otherwise.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import platformdirs

APP_NAME = "Blocksim"
DATA_DIR_ENV = "BLOCKSIM_DATA_DIR"
LOCK_FILE = "blocksim.lock"
"""Held (QLockFile) by the one GUI instance of a data folder; ``restore`` refuses while it is held."""
BACKUPS_DIR = "backups"
"""Consistent copies of the store, inside the data folder."""


def _shipped(name: str) -> Path:
    """A folder of data shipped with Blocksim: ``resources`` or ``question_packs``.

    A wheel and the frozen bundle carry them inside the ``app`` package (``app/resources``: mapped there by
    setuptools' package-dir, gathered there by build.spec), found through ``importlib.resources``. A checkout,
    installed editable or not, has them beside the package.
    """
    packaged = importlib.resources.files("app") / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def resources_dir() -> Path:
    """The folder of data files: outline, lab values, presets, styles, pack schema."""
    return _shipped("resources")


def resource(name: str) -> Path:
    """One file in the resources folder."""
    return resources_dir() / name


def bundled_packs_dir() -> Path:
    """The packs shipped with Blocksim (imported on first start)."""
    return _shipped("question_packs")


def cache_dir() -> Path:
    """The user's cache folder for Blocksim (files made from others, safe to delete)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The user data folder: ``override``, else ``$BLOCKSIM_DATA_DIR``, else the platform's."""
    if override:
        chosen = Path(override)
    elif os.environ.get(DATA_DIR_ENV):
        chosen = Path(os.environ[DATA_DIR_ENV])
    else:
        chosen = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return chosen.expanduser().resolve()

"""Logging for every command: a rotating file in the platform's log folder, and a native-crash trace.

``setup_logging`` is called once per run by ``cli.main``. Records go to ``blocksim.log`` (rotated at
1 MB, five kept) in ``log_dir()``: ``$BLOCKSIM_LOG_DIR`` if set, else the platform's user log folder
(on Linux ``~/.local/state/Blocksim/log``). ``faulthandler`` writes the Python stacks of a native
abort (a segfault, ``Fatal Python error``) to ``faults.log`` beside it. Warnings (or everything at
the level chosen with ``--log-level``) also go to standard error. Qt's own messages are routed into
the same log by ``app.ui.qt_messages``. Plain Python: the CLI never loads Qt for this.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import logging.handlers
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import platformdirs

from app import __version__, paths

LOG_DIR_ENV = "BLOCKSIM_LOG_DIR"
LOG_FILE = "blocksim.log"
FAULTS_FILE = "faults.log"
LEVELS = ("debug", "info", "warning", "error")
DEFAULT_LEVEL = "info"
_MAX_BYTES = 1_000_000
_BACKUPS = 5
_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def log_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The log folder: ``override``, else ``$BLOCKSIM_LOG_DIR``, else the platform's user log folder."""
    if override:
        chosen = Path(override)
    elif os.environ.get(LOG_DIR_ENV):
        chosen = Path(os.environ[LOG_DIR_ENV])
    else:
        chosen = Path(platformdirs.user_log_dir(paths.APP_NAME, appauthor=False))
    return chosen.expanduser().resolve()


@dataclass
class LogSetup:
    """What ``setup_logging`` installed; ``close`` takes it all down again (tests run ``main`` often)."""

    log_file: Path | None
    faults_file: Path | None
    handlers: list[logging.Handler] = field(default_factory=list)
    faults_stream: IO[str] | None = None
    previous_root_level: int = logging.WARNING
    faulthandler_was_enabled: bool = False

    def close(self) -> None:
        """Remove the handlers, stop the fault trace, close the files."""
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
            handler.close()
        self.handlers.clear()
        root.setLevel(self.previous_root_level)
        if self.faults_stream is not None:
            faulthandler.disable()
            self.faults_stream.close()
            self.faults_stream = None
            if self.faulthandler_was_enabled and sys.__stderr__ is not None:
                # Give the fault trace back to standard error (e.g. pytest's own faulthandler).
                faulthandler.enable(file=sys.__stderr__)


def setup_logging(level: str | None = None, folder: str | os.PathLike[str] | None = None) -> LogSetup:
    """Log to the rotating file (and warnings to stderr) and trace native crashes into the log folder.

    ``level`` is one of ``LEVELS`` (None: ``info`` for the file, ``warning`` for stderr). A log
    folder that cannot be created is not fatal: logging then goes to stderr only, said once.
    """
    chosen = getattr(logging, (level or DEFAULT_LEVEL).upper())
    root = logging.getLogger()
    setup = LogSetup(log_file=None, faults_file=None, previous_root_level=root.level)
    root.setLevel(chosen)
    if sys.stderr is not None:  # a windowed bundle started from a desktop has no standard error
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(chosen if level else logging.WARNING)
        console.setFormatter(logging.Formatter("blocksim: %(levelname)s: %(message)s"))
        _add(setup, root, console)
    target = log_dir(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            target / LOG_FILE, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
        )
        faults_path = target / FAULTS_FILE
        _rotate_if_large(faults_path)
        faults_stream = faults_path.open("a", encoding="utf-8")
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write logs in %s (%s); logging to stderr only", target, exc)
        return setup
    file_handler.setLevel(chosen)
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    _add(setup, root, file_handler)
    setup.log_file = target / LOG_FILE
    setup.faulthandler_was_enabled = faulthandler.is_enabled()
    faulthandler.enable(file=faults_stream, all_threads=True)
    setup.faults_stream = faults_stream
    setup.faults_file = faults_path
    logging.getLogger(__name__).info(
        "Blocksim %s, Python %s, pid %d; native crash traces go to %s",
        __version__,
        sys.version.split()[0],
        os.getpid(),
        faults_path,
    )
    return setup


def _add(setup: LogSetup, root: logging.Logger, handler: logging.Handler) -> None:
    root.addHandler(handler)
    setup.handlers.append(handler)


def _rotate_if_large(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.stat().st_size > _MAX_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))

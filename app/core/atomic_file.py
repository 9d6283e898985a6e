"""The one way Blocksim writes a file (the database aside): whole or not at all.

The text goes to a temporary file in the target's own folder (so the rename never crosses file
systems), is flushed and fsynced, then ``os.replace`` puts it in place atomically. A crash or power
cut leaves either the old file or the new one, never half of one. A damaged file Blocksim reads back
is moved aside as ``<name>.bad`` (``set_aside``) so the user can inspect it and defaults are used.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from app.core.errors import FileWriteError

log = logging.getLogger(__name__)

BAD_SUFFIX = ".bad"


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; raises FileWriteError naming what is wrong."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise FileWriteError(f"cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise FileWriteError(f"cannot write {path}: it is a folder")
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileWriteError(f"cannot write {path}: {exc.strerror}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file 0600; a user's export should get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise FileWriteError(f"cannot write {path}: {exc.strerror}") from exc
    _fsync_folder(folder)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _fsync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder's entry is on disk (POSIX; not on Windows).
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        log.debug("cannot fsync folder %s", folder)
    finally:
        os.close(fd)


def set_aside(path: Path, problem: str) -> Path | None:
    """Move a damaged ``path`` to ``<name>.bad`` (replacing an older one) and log a warning.

    Returns the new place, or None when the file could not be moved (it is then left as it is).
    The warning carries ``user_notice`` so the GUI can show it without blocking.
    """
    target = path.with_name(path.name + BAD_SUFFIX)
    try:
        os.replace(path, target)
    except OSError as exc:
        notice = f"{path} is damaged ({problem}) and could not be moved aside ({exc.strerror}); defaults are used."
        log.warning(notice, extra={"user_notice": notice})
        return None
    notice = f"{path.name} was damaged ({problem}); it was moved aside as {target} and defaults are used."
    log.warning(notice, extra={"user_notice": notice})
    return target


def damage_summary(exc: Exception) -> str:
    """One short line saying why a settings file could not be read."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        return f"{where}: {first['msg']}"[:200]
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]

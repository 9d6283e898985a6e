"""One Blocksim window per data folder.

The first GUI launch on a data folder holds ``DATA/blocksim.lock`` (a ``QLockFile``, which also
records the holder's pid) and listens on a local socket whose name is derived from the folder. A
later launch on the same folder cannot take the lock; it connects to that socket, asks the running
window to come to the front, and exits. A lock left by a killed process (``kill -9``, a power cut)
names a pid that no longer runs: ``QLockFile`` sees it is stale and the next launch takes it over
and clears the dead process's socket. ``blocksim restore`` checks the same lock. The CLI's other
commands never take it: SQLite's own locking and busy timeout let them run beside a window.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QLockFile, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from app import paths
from app.core.errors import StoreError

log = logging.getLogger(__name__)

RAISE_REQUEST = b"raise\n"
RAISE_DONE = b"raised\n"
HAND_OVER_TIMEOUT_MS = 5000
_RETRY_MS = 100


def server_name(data_dir: Path) -> str:
    """The local socket name of the instance running on ``data_dir`` (the same for every launch)."""
    resolved = str(Path(data_dir).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"blocksim-{digest}"


@dataclass(frozen=True)
class LockHolder:
    """Who holds a data folder's lock, as the lock file says."""

    pid: int
    hostname: str
    appname: str


class InstanceLock(QObject):
    """The data folder's instance lock and the socket other launches talk to.

    Signals:
        raise_requested: another launch on the same data folder asked for the window.
    """

    raise_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.lock_path = self.data_dir / paths.LOCK_FILE
        self._lock = QLockFile(str(self.lock_path))
        # Held for hours: never treat it as stale by age, only when its process is gone.
        self._lock.setStaleLockTime(0)
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_new_connection)
        self.name = server_name(self.data_dir)

    def acquire(self) -> bool:
        """Take the lock (taking over a stale one) and listen; False when a live instance holds it."""
        if not self._lock.tryLock(0):
            error = self._lock.error()
            if error == QLockFile.LockError.LockFailedError:
                return False
            reason = "permission denied" if error == QLockFile.LockError.PermissionError else "unknown error"
            raise StoreError(f"cannot lock the data folder ({self.lock_path}: {reason})")
        # A socket file left by a killed instance would make listen() fail; we hold the lock, so it is dead.
        QLocalServer.removeServer(self.name)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if self._server.listen(self.name):
            log.info("holding %s; other launches hand over through %s", self.lock_path, self.name)
        else:
            log.warning(
                "cannot listen on %s (%s); a second launch will not raise this window",
                self.name,
                self._server.errorString(),
            )
        return True

    def holder(self) -> LockHolder | None:
        """Who holds the lock (None when unknown)."""
        info = self._lock.getLockInfo()
        if not isinstance(info, tuple) or len(info) != 3:
            return None
        pid, hostname, appname = info
        return LockHolder(int(pid), str(hostname), str(appname))

    def release(self) -> None:
        """Stop listening and give the lock up."""
        self._server.close()
        if self._lock.isLocked():
            self._lock.unlock()

    def _on_new_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.setParent(self)
            socket.readyRead.connect(partial(self._answer, socket))
            socket.disconnected.connect(socket.deleteLater)
            self._answer(socket)

    def _answer(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data())
            if line == RAISE_REQUEST:
                log.info("another launch on %s asked for this window", self.data_dir)
                self.raise_requested.emit()
                socket.write(RAISE_DONE)
                socket.flush()
            else:
                log.warning("ignored a message from another launch: %r", line[:80])
            socket.disconnectFromServer()


def ask_running_instance(data_dir: Path, timeout_ms: int = HAND_OVER_TIMEOUT_MS) -> bool:
    """Ask the instance running on ``data_dir`` to raise its window; True once it has said so."""
    deadline = QDeadlineTimer(timeout_ms)
    socket = QLocalSocket()
    name = server_name(data_dir)
    while True:
        socket.connectToServer(name)
        if socket.waitForConnected(max(1, deadline.remainingTime())):
            break
        if deadline.hasExpired():
            log.warning("no answer from the instance holding %s: %s", data_dir, socket.errorString())
            return False
        # The holder may be between taking the lock and listening: try again shortly.
        _wait(min(_RETRY_MS, max(1, deadline.remainingTime())))
    socket.write(RAISE_REQUEST)
    socket.flush()
    while not socket.canReadLine():
        if deadline.hasExpired() or not socket.waitForReadyRead(max(1, deadline.remainingTime())):
            log.warning("the instance holding %s did not confirm: %s", data_dir, socket.errorString())
            socket.abort()
            return False
    answer = bytes(socket.readLine().data())
    socket.disconnectFromServer()
    return answer == RAISE_DONE


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` (restoring it if minimised) and ask for the focus."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()

"""One window per user and data folder: a second start hands over and exits.

The first instance listens on a QLocalServer; a second one connects, sends
``activate`` and exits 0. A socket left by a crashed instance is removed and reused.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"


def server_name(data_dir: Path, user: str | None = None) -> str:
    """Short (Unix socket paths are limited) and stable per user and data folder."""
    try:
        who = user or getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        who = "user"
    key = f"{who}\0{data_dir.expanduser().resolve()}".encode()
    return "wardfleet-" + hashlib.sha256(key).hexdigest()[:20]


def activate_running(name: str, timeout_ms: int = 1000) -> bool:
    """Ask an instance listening on ``name`` to come forward; False if none answers."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(ACTIVATE)
    delivered = socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(timeout_ms)
    return delivered


class InstanceServer(QObject):
    """Listens for later starts; emits ``activateRequested`` when one says hello."""

    activateRequested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)
        self._sockets: set[QLocalSocket] = set()

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        # A crashed instance leaves its socket file behind. Nobody answered on it
        # (we only get here after activate_running failed), so it is safe to remove.
        log.info("removing stale single-instance socket %s", self.name)
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return True
        log.warning("single-instance server unavailable: %s", self._server.errorString())
        return False

    def close(self) -> None:
        """Stop listening and drop open connections (deleted by Qt, not by Python)."""
        self._server.close()
        for socket in list(self._sockets):
            self._drop(socket)

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if socket is None:
                break
            self._sockets.add(socket)
            socket.readyRead.connect(self._on_ready)
            socket.disconnected.connect(self._on_disconnected)
            self._read(socket)

    def _on_ready(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _on_disconnected(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)  # the hello may arrive together with the goodbye
            self._drop(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).strip()
            if line == ACTIVATE.strip():
                self.activateRequested.emit()

    def _drop(self, socket: QLocalSocket) -> None:
        if socket in self._sockets:
            self._sockets.discard(socket)
            socket.readyRead.disconnect(self._on_ready)
            socket.disconnected.disconnect(self._on_disconnected)
            socket.abort()
            socket.deleteLater()

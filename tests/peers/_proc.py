"""Start, watch and stop peer processes; free ports; a dependency-free SNMP probe."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Generic, Literal, TypeVar

T = TypeVar("T")

# Pids of long-lived peers started by fixtures. The child-process leak guard in
# tests/conftest.py skips these: a session fixture may start lazily in the middle of a test.
PEER_PIDS: set[int] = set()


class PeerStartError(RuntimeError):
    """A peer that is installed but did not come up: an error, never a skip."""


class PeerProcess:
    """One peer process with its output in files (pipes could fill up and block the peer)."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        workdir: Path,
        *,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.stdout_path = workdir / f"{name}.out"
        self.stderr_path = workdir / f"{name}.err"
        self._out: IO[bytes] = self.stdout_path.open("wb")
        self._err: IO[bytes] = self.stderr_path.open("wb")
        try:
            self.proc = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=self._out,
                stderr=self._err,
                env=None if env is None else dict(env),
                # Own process group: stop() can take down helpers the peer forks, and a
                # Ctrl-C in the terminal reaches pytest (which cleans up) and not the peers.
                start_new_session=True,
            )
        except BaseException:
            self._close_files()
            raise
        PEER_PIDS.add(self.proc.pid)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def tail(self, lines: int = 25) -> str:
        parts = []
        for path in (self.stderr_path, self.stdout_path):
            with contextlib.suppress(OSError):
                text = path.read_text(errors="replace").strip()
                if text:
                    parts.append(f"--- {path.name} ---\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(parts) or "(no output)"

    def wait_ready(
        self, ready: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.05
    ) -> None:
        """Poll ``ready`` until it holds; raise PeerStartError with the peer's output if the
        peer exits or the deadline passes. Never waits longer than ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            if not self.alive():
                raise PeerStartError(
                    f"{self.name} exited with {self.proc.returncode} before {what}\n"
                    f"command: {self.argv}\n{self.tail()}"
                )
            if ready():
                return
            if time.monotonic() >= deadline:
                raise PeerStartError(
                    f"{self.name}: no {what} after {timeout:.0f} s\n"
                    f"command: {self.argv}\n{self.tail()}"
                )
            time.sleep(interval)

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM the process group, SIGKILL after ``timeout``; always reaps. Idempotent."""
        # Signal the group only while the leader is unreaped: its pid, and so the group id,
        # cannot have been reused by then.
        try:
            if self.proc.poll() is None:
                self._signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self._signal(signal.SIGKILL)
                    self.proc.wait(timeout)
        finally:
            PEER_PIDS.discard(self.proc.pid)
            self._close_files()

    def _signal(self, sig: signal.Signals) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        except PermissionError:
            self.proc.send_signal(sig)

    def _close_files(self) -> None:
        self._out.close()
        self._err.close()


class PeerHandle(Generic[T]):
    """What ``start_*`` helpers return: the peer's description (``info``) and ``stop()``.

    Also a context manager, for tests that want a peer of their own for one test.
    """

    def __init__(
        self, info: T, processes: Sequence[PeerProcess], cleanup: Callable[[], None] | None = None
    ) -> None:
        self.info = info
        self.processes = list(processes)
        self._cleanup = cleanup

    def stop(self) -> None:
        errors: list[Exception] = []
        for process in reversed(self.processes):  # dependants first
            try:
                process.stop()
            except Exception as exc:  # keep stopping the rest; report the first
                errors.append(exc)
        if self._cleanup is not None:
            cleanup, self._cleanup = self._cleanup, None
            cleanup()
        if errors:
            raise errors[0]

    def __enter__(self) -> PeerHandle[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def socket_dir() -> tuple[Path, Callable[[], None]]:
    """A short private directory for unix sockets, and its remover. A socket path holds at
    most 107 bytes, which nested pytest temp dirs (pytester runs) come close to."""
    path = Path(tempfile.mkdtemp(prefix="wardbus-"))
    return path, lambda: shutil.rmtree(path, ignore_errors=True)


def free_port(kind: Literal["tcp", "udp"], host: str = "127.0.0.1") -> int:
    """A port the kernel just had free on ``host``; the small race is caught by readiness."""
    sock_type = socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM
    with socket.socket(socket.AF_INET, sock_type) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _tlv(tag: int, value: bytes) -> bytes:
    # Short and one-byte long BER lengths cover every probe we build.
    length = bytes([len(value)]) if len(value) < 0x80 else bytes([0x81, len(value)])
    return bytes([tag]) + length + value


def snmp_answers(host: str, port: int, community: str, timeout: float = 0.2) -> bool:
    """True when an SNMPv2c GET of sysDescr.0 gets any reply.

    Hand-encoded so readiness needs neither net-snmp's tools nor a pysnmp engine (one per
    event loop, ~0.2 s to import) in the test process.
    """
    sys_descr = _tlv(0x06, bytes.fromhex("2b06010201010100"))  # 1.3.6.1.2.1.1.1.0
    varbinds = _tlv(0x30, _tlv(0x30, sys_descr + b"\x05\x00"))
    request_id = int.from_bytes(os.urandom(3), "big") & 0x7FFFFF  # a positive INTEGER
    pdu = _tlv(0xA0, _tlv(0x02, request_id.to_bytes(3, "big")) + b"\x02\x01\x00" * 2 + varbinds)
    message = _tlv(0x30, b"\x02\x01\x01" + _tlv(0x04, community.encode()) + pdu)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect((host, port))
            sock.send(message)
            return bool(sock.recv(65535))
        except OSError:  # timeout, or ICMP port unreachable while the peer binds
            return False


def unix_socket_answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(str(path))
            return True
        except OSError:
            return False

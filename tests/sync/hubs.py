"""Real hubs for the sync tests: uvicorn in a thread (fast) or in a subprocess (killable).

Both listen on 127.0.0.1:<free port> and are stopped by their owner; the subprocess is a
``PeerProcess`` (own process group, output in files, SIGKILL after a bounded wait).
"""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from tests.peers._proc import PeerProcess, PeerStartError, free_port
from wardfleet.hub import accounts
from wardfleet.hub.app import HubSettings, create_app
from wardfleet.hub.db import HubDatabase
from wardfleet.sync.wire import Role, UserCreate, WardCreate

WARD = "Ward 3"
OTHER_WARD = "Ward 4"


@dataclass(frozen=True)
class Tokens:
    admin: str
    lead: str  # ward lead of WARD
    lead2: str  # a second ward lead of WARD (its own desktop)
    other_lead: str  # ward lead of OTHER_WARD only
    helpdesk: str


def seed(db: HubDatabase) -> Tokens:
    """Wards WARD and OTHER_WARD and one user per role, in an empty, migrated database."""
    now = time.time()
    with db.write() as conn:
        for ward in (WARD, OTHER_WARD):
            accounts.add_ward(conn, WardCreate(name=ward), now)

        def user(name: str, role: Role, *wards: str) -> str:
            return accounts.add_user(
                conn, UserCreate(name=name, role=role, wards=list(wards)), now
            )[1]

        return Tokens(
            admin=user("ada", Role.ADMIN),
            lead=user("lena", Role.WARD_LEAD, WARD),
            lead2=user("lars", Role.WARD_LEAD, WARD),
            other_lead=user("otto", Role.WARD_LEAD, OTHER_WARD),
            helpdesk=user("hugo", Role.HELPDESK),
        )


def add_user(db: HubDatabase, role: Role, *wards: str) -> str:
    with db.write() as conn:
        name = f"u{uuid.uuid4().hex[:10]}"
        return accounts.add_user(
            conn, UserCreate(name=name, role=role, wards=list(wards)), time.time()
        )[1]


def wait_healthy(url: str, timeout: float, alive: Callable[[], bool] = lambda: True) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            if httpx.get(f"{url}/v1/health", timeout=1.0, verify=False).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    return False


class ThreadHub:
    """The hub app served by uvicorn in a daemon thread of this process."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port("tcp")
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="hub", daemon=True)

    def start(self) -> ThreadHub:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise PeerStartError(f"hub thread did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self, *, wait: bool = True) -> None:
        """``wait=False`` lets uvicorn's ~0.2 s shutdown run on while the next test starts
        (the thread is a daemon, and ``join_stopping`` collects it at the end)."""
        self._server.should_exit = True
        if wait:
            self._thread.join(10)
        else:
            _STOPPING.append(self._thread)


_STOPPING: list[threading.Thread] = []


def join_stopping() -> None:
    while _STOPPING:
        _STOPPING.pop().join(10)


def thread_hub(db: HubDatabase, settings: HubSettings | None = None, wrap: Any = None) -> ThreadHub:
    app = create_app(db, settings or HubSettings(max_auth_failures=1000))
    return ThreadHub(wrap(app) if wrap else app).start()


class ProcessHub:
    """``wardfleet hub serve`` in a subprocess: what an operator runs, and what a test can
    SIGKILL mid-request."""

    def __init__(
        self,
        db_url: str,
        workdir: Path,
        *,
        port: int | None = None,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        self.db_url = db_url
        self.workdir = workdir
        self.port = port or free_port("tcp")
        self.tls = tls
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.process: PeerProcess | None = None
        self._starts = 0

    def start(self, timeout: float = 20.0) -> ProcessHub:
        argv = [
            sys.executable,
            "-m",
            "wardfleet",
            "hub",
            "serve",
            "--db",
            self.db_url,
            "--port",
            str(self.port),
            "--max-auth-failures",
            "1000",
        ]
        if self.tls:
            argv += ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])]
        self._starts += 1
        process = PeerProcess(f"hub{self._starts}", argv, self.workdir)
        self.process = process
        if not wait_healthy(self.url, timeout, process.alive):
            process.stop()
            raise PeerStartError(f"hub did not answer on {self.url}\n{process.tail()}")
        return self

    def kill(self) -> None:
        """SIGKILL, no goodbye: what a power cut or the OOM killer does."""
        if self.process is not None:
            self.process.proc.kill()
            self.process.proc.wait(10)
            self.process.stop()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

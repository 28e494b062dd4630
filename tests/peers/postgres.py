"""PostgreSQL peer: a throwaway cluster (initdb in a temp dir) on a loopback port.

initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` user
(``setpriv``, which execs, so the server is our direct child and signals reach it). Its
unix socket lives in the temp dir too, so nothing touches the system's clusters.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._policy import PeerUnavailable, require_peer
from ._proc import PeerHandle, PeerProcess, PeerStartError, free_port

PG_USER = "postgres"  # the superuser role initdb creates, and (as root) the OS user


def pg_bindir() -> Path | None:
    """The newest PostgreSQL's binaries: Debian keeps initdb off PATH."""
    found = shutil.which("initdb") or shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


@dataclass(frozen=True)
class PgCluster:
    host: str
    port: int
    socket_dir: Path
    data_dir: Path
    user: str = PG_USER

    def url(self, dbname: str = "postgres") -> str:
        """A ``postgresql://`` URL for the hub (which picks psycopg 3 itself)."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A fresh, empty database; returns its URL."""
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        import psycopg  # the hub extra's driver; imported late so the module loads without it

        with psycopg.connect(self.url(), autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.encode())


def _as_owner(argv: Sequence[str]) -> list[str]:
    if os.geteuid() != 0:
        return list(argv)
    return ["setpriv", f"--reuid={PG_USER}", f"--regid={PG_USER}", "--init-groups", "--", *argv]


def _can_connect(url: str) -> Callable[[], bool]:
    def ready() -> bool:
        import psycopg

        try:
            with psycopg.connect(url, connect_timeout=1) as conn:
                conn.execute(b"SELECT 1")
            return True
        except psycopg.Error:
            return False

    return ready


class _PgHandle(PeerHandle[PgCluster]):
    def stop(self) -> None:
        # SIGINT is PostgreSQL's fast shutdown; SIGTERM (PeerProcess.stop) would wait for
        # every client, such as a connection pool the test left open.
        for process in self.processes:
            if process.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGINT)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.proc.wait(10)
        super().stop()


def start_postgres(
    workdir: Path | None = None,
    *,
    port: int | None = None,
    durable: bool = False,
    timeout: float = 30.0,
) -> PeerHandle[PgCluster]:
    """initdb + postgres on 127.0.0.1:``port``. ``durable=False`` turns fsync off: a test
    cluster that dies is thrown away anyway, and fsync dominates its run time."""
    bindir = pg_bindir()
    if bindir is None:
        raise PeerUnavailable("postgresql: initdb not found (apt-get install postgresql)")
    require_peer("postgresql", str(bindir / "initdb"), str(bindir / "postgres"))
    if os.geteuid() == 0:
        require_peer("postgresql", "setpriv")
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            raise PeerUnavailable(f"postgresql: no {PG_USER!r} user to run it as") from None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise PeerUnavailable("postgresql: psycopg not installed (the hub extra)") from None

    # Our own short temp dir: pytest's are 0700 (the postgres user could not enter) and
    # deep (a unix socket path must stay under 107 bytes).
    root = Path(tempfile.mkdtemp(prefix="wardpg-"))
    root.chmod(0o755)
    data, sockets = root / "data", root / "sock"
    for folder in (data, sockets):
        folder.mkdir()
        if os.geteuid() == 0:
            shutil.chown(folder, PG_USER, PG_USER)
    logs = workdir or root
    logs.mkdir(parents=True, exist_ok=True)

    def cleanup() -> None:
        shutil.rmtree(root, ignore_errors=True)

    try:
        init = subprocess.run(
            _as_owner(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    PG_USER,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                    "--no-instructions",
                ]
            ),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if init.returncode != 0:
            raise PeerStartError(f"initdb failed ({init.returncode}):\n{init.stderr[-2000:]}")
        port = port or free_port("tcp")
        settings = [
            "listen_addresses=127.0.0.1",
            "max_connections=200",
            f"fsync={'on' if durable else 'off'}",
            f"synchronous_commit={'on' if durable else 'off'}",
            f"full_page_writes={'on' if durable else 'off'}",
        ]
        argv = [str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(sockets)]
        for setting in settings:
            argv += ["-c", setting]
        process = PeerProcess("postgres", _as_owner(argv), logs)
    except BaseException:
        cleanup()
        raise
    cluster = PgCluster("127.0.0.1", port, sockets, data)
    handle = _PgHandle(cluster, [process], cleanup)
    try:
        process.wait_ready(_can_connect(cluster.url()), timeout=timeout, what="a connection")
    except BaseException:
        handle.stop()
        raise
    return handle

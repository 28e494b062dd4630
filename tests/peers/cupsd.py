"""CUPS peer: a private cupsd from a temp dir, listening on 127.0.0.1:<free port> only.

Root runs it; admin operations need no password (``AuthType None`` for everything) and
nothing is shared or browsed. Queue tools reach it with ``-h 127.0.0.1:PORT``. Filters
run as ``lp``, so the temp dir is made traversable.

Registered in tests/peers/plugin.py by importing ``cupsd_server``.
"""

from __future__ import annotations

import functools
import grp
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from ._policy import require_peer
from ._proc import PeerHandle, PeerProcess, free_port

_FILES_CONF = """ServerRoot {root}/etc
RequestRoot {root}/spool
TempDir {root}/spool/tmp
CacheDir {root}/cache
StateDir {root}/state
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
Printcap {root}/printcap
ServerBin /usr/lib/cups
DataDir /usr/share/cups
DocumentRoot /usr/share/cups/doc-root
SystemGroup root
User lp
Group lp
FileDevice No
"""

_CUPSD_CONF = """LogLevel info
Listen 127.0.0.1:{port}
Browsing No
BrowseLocalProtocols none
WebInterface No
DefaultAuthType None
DefaultEncryption Never
MaxLogSize 0
<Location />
  Order allow,deny
  Allow 127.0.0.1
</Location>
<Location /admin>
  Order allow,deny
  Allow 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    AuthType None
    Order deny,allow
  </Limit>
</Policy>
"""


@dataclass(frozen=True)
class CupsServer:
    host: str
    port: int
    root: Path

    @property
    def server(self) -> str:
        """What ``-h`` and CUPS_SERVER take."""
        return f"{self.host}:{self.port}"

    @property
    def error_log(self) -> Path:
        return self.root / "log" / "error_log"

    @property
    def ppd_dir(self) -> Path:
        return self.root / "etc" / "ppd"

    def queue_uri(self, queue: str) -> str:
        return f"ipp://{self.host}:{self.port}/printers/{queue}"

    def run(self, cmd: Sequence[str], timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
        """``cmd`` with ``-h`` pointing at this server inserted after the program name."""
        argv = [cmd[0], "-h", self.server, *cmd[1:]]
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def start_cupsd(
    workdir: Path, port: int | None = None, timeout: float = 15.0
) -> PeerHandle[CupsServer]:
    require_peer("cupsd", "cupsd", "lpadmin", "lpstat", "lpoptions", root=True)
    # Filters and backends run as lp, so every directory on the way must be traversable:
    # not so pytest's 0700 temp dirs, hence a root of our own under /tmp.
    root = Path(tempfile.mkdtemp(prefix="wardcups-"))
    remove_root = functools.partial(shutil.rmtree, root, ignore_errors=True)
    root.chmod(0o755)
    for sub in ("etc/ppd", "etc/ssl", "spool/tmp", "cache", "state", "log"):
        (root / sub).mkdir(parents=True, exist_ok=True)
        (root / sub).chmod(0o755)
    lp_gid = grp.getgrnam("lp").gr_gid
    os.chown(root / "spool", 0, lp_gid)
    (root / "spool").chmod(0o1770)
    (root / "spool" / "tmp").chmod(0o1777)
    port = port if port is not None else free_port("tcp")
    files_conf = root / "cups-files.conf"
    files_conf.write_text(_FILES_CONF.format(root=root))
    cupsd_conf = root / "cupsd.conf"
    cupsd_conf.write_text(_CUPSD_CONF.format(port=port))
    info = CupsServer("127.0.0.1", port, root)
    check = subprocess.run(
        ["cupsd", "-t", "-c", str(cupsd_conf), "-s", str(files_conf)],
        capture_output=True,
        text=True,
        timeout=10,
    )
    if check.returncode != 0:
        remove_root()
        raise RuntimeError(f"cupsd -t rejected the config: {check.stdout}{check.stderr}")
    process = PeerProcess(
        "cupsd", ["cupsd", "-f", "-c", str(cupsd_conf), "-s", str(files_conf)], workdir
    )

    def answers() -> bool:
        return info.run(["lpstat", "-r"], timeout=5).stdout.strip() == "scheduler is running"

    try:
        process.wait_ready(answers, timeout=timeout, what=f"scheduler at {info.server}")
    except BaseException:
        PeerHandle(None, [process], remove_root).stop()
        raise
    return PeerHandle(info, [process], remove_root)


@pytest.fixture(scope="module")
def cupsd_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CupsServer]:
    """A private cupsd on 127.0.0.1:<free port>; admin without a password. Tests remove
    the queues they add."""
    handle = start_cupsd(tmp_path_factory.mktemp("cupsd"))
    try:
        yield handle.info
    finally:
        handle.stop()

"""mDNS peers: a private network namespace, and avahi-daemon with its own D-Bus inside it.

A namespace with only ``lo`` keeps multicast off the real network and away from other test
runs; avahi additionally gets a private mount namespace so its /run and /etc/avahi/services
are its own.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import select
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ._policy import PeerUnavailable, require_peer
from ._proc import PeerHandle, PeerProcess, socket_dir, unix_socket_answers

NS_PREFIX = "wardtest-"


@dataclass(frozen=True)
class NetNs:
    """A network namespace holding only ``lo`` (up, multicast on, 224.0.0.0/4 routed)."""

    name: str

    def argv(self, cmd: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *cmd]

    def run(
        self, cmd: Sequence[str], *, timeout: float = 30.0, check: bool = False, **kwargs: Any
    ) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` inside the namespace and capture its text output."""
        kwargs.setdefault("capture_output", True)
        return subprocess.run(self.argv(cmd), text=True, timeout=timeout, check=check, **kwargs)

    def popen(self, cmd: Sequence[str], **kwargs: Any) -> subprocess.Popen[str]:
        """Start ``cmd`` inside the namespace. The caller stops it (the leak guard checks)."""
        return subprocess.Popen(self.argv(cmd), text=True, **kwargs)


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=15, check=check)


def _namespace_pids(name: str) -> list[int]:
    result = _ip("netns", "pids", name, check=False)
    return [int(p) for p in result.stdout.split()] if result.returncode == 0 else []


def delete_netns(name: str) -> None:
    """Kill whatever still runs in the namespace, then delete it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _namespace_pids(name)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + 2.0
        while _namespace_pids(name) and time.monotonic() < deadline:
            time.sleep(0.05)
    _ip("netns", "delete", name, check=False)


def _sweep_stale_namespaces() -> None:
    """Delete namespaces left by test runs that died without cleaning up (kill -9)."""
    listing = _ip("netns", "list", check=False).stdout
    for name in re.findall(rf"^({NS_PREFIX}(\d+)-\w+)", listing, re.MULTILINE):
        owner = int(name[1])
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            delete_netns(name[0])
        except PermissionError:
            pass  # owner alive under another uid


@contextlib.contextmanager
def netns_session() -> Iterator[NetNs]:
    """A fresh namespace, deleted on exit whatever happens inside."""
    require_peer("netns", "ip", netns=True)
    _sweep_stale_namespaces()
    ns = NetNs(f"{NS_PREFIX}{os.getpid()}-{secrets.token_hex(3)}")
    created = _ip("netns", "add", ns.name, check=False)
    if created.returncode != 0:
        raise PeerUnavailable(f"netns: `ip netns add` failed: {created.stderr.strip()}")
    try:
        _ip("-n", ns.name, "link", "set", "lo", "up")
        _ip("-n", ns.name, "link", "set", "lo", "multicast", "on")
        _ip("-n", ns.name, "route", "add", "224.0.0.0/4", "dev", "lo")
        yield ns
    finally:
        delete_netns(ns.name)


@dataclass(frozen=True)
class MdnsService:
    """One resolved line of ``avahi-browse -p``."""

    name: str
    type: str
    host: str
    address: str
    port: int
    txt: Mapping[str, str] = field(default_factory=dict)


def _unescape_label(text: str) -> str:
    # avahi-browse -p writes label bytes outside [A-Za-z0-9-] as \DDD decimal escapes.
    raw = re.sub(rb"\\(\d{3})", lambda m: bytes([int(m[1])]), text.encode())
    return re.sub(rb"\\(.)", rb"\1", raw).decode(errors="replace")


def parse_browse(output: str) -> list[MdnsService]:
    """The resolved (``=``) records of ``avahi-browse -p -r`` output."""
    services = []
    for line in output.splitlines():
        fields = line.split(";", 9)
        if len(fields) < 10 or fields[0] != "=":
            continue
        txt = {}
        for item in re.findall(r'"((?:[^"\\]|\\.)*)"', fields[9]):
            key, _, value = _unescape_label(item).partition("=")
            txt[key] = value
        services.append(
            MdnsService(
                name=_unescape_label(fields[3]),
                type=fields[4],
                host=fields[6],
                address=fields[7],
                port=int(fields[8]),
                txt=txt,
            )
        )
    return services


@dataclass(frozen=True)
class AvahiNs:
    """avahi-daemon in namespace ``ns``, reachable through the private bus ``dbus_address``.

    Clients (avahi-browse, avahi-publish, ippeveprinter) must run in the namespace with that
    bus: use ``run``/``popen``/``env``. Service files written to ``services_dir`` are picked
    up by avahi within a moment (inotify); ``reload_services()`` forces it.
    """

    ns: str
    dbus_address: str
    services_dir: Path
    avahi_pid: int

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": self.dbus_address, **(extra or {})}

    def argv(self, cmd: Sequence[str]) -> list[str]:
        return NetNs(self.ns).argv(cmd)

    def run(
        self, cmd: Sequence[str], *, timeout: float = 30.0, check: bool = False, **kwargs: Any
    ) -> subprocess.CompletedProcess[str]:
        kwargs.setdefault("env", self.env())
        return NetNs(self.ns).run(cmd, timeout=timeout, check=check, **kwargs)

    def popen(self, cmd: Sequence[str], **kwargs: Any) -> subprocess.Popen[str]:
        kwargs.setdefault("env", self.env())
        return NetNs(self.ns).popen(cmd, **kwargs)

    def reload_services(self) -> None:
        os.kill(self.avahi_pid, signal.SIGHUP)

    def add_service_file(
        self, name: str, service_type: str, port: int, txt: Mapping[str, str] | None = None
    ) -> Path:
        """Write a static avahi .service file; returns its path (unlink it to withdraw)."""
        records = "".join(
            f"    <txt-record>{escape(k)}={escape(v)}</txt-record>\n"
            for k, v in (txt or {}).items()
        )
        path = self.services_dir / f"{secrets.token_hex(4)}.service"
        path.write_text(
            '<?xml version="1.0" standalone="no"?>\n'
            '<!DOCTYPE service-group SYSTEM "avahi-service.dtd">\n'
            f"<service-group>\n  <name>{escape(name)}</name>\n  <service>\n"
            f"    <type>{escape(service_type)}</type>\n    <port>{port}</port>\n"
            f"{records}  </service>\n</service-group>\n",
            encoding="utf-8",
        )
        return path

    def browse(self, service_type: str, *, timeout: float = 10.0) -> list[MdnsService]:
        """Everything avahi resolves for ``service_type`` now (``avahi-browse -rtpk``)."""
        result = self.run(["avahi-browse", "-r", "-t", "-p", "-k", service_type], timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"avahi-browse failed: {result.stderr.strip()}")
        return parse_browse(result.stdout)

    def wait_for_service(
        self, service_type: str, name: str, *, timeout: float = 10.0
    ) -> MdnsService:
        """Block until ``name`` resolves. Streams ``avahi-browse -rp`` instead of repeating
        ``-t`` runs, which each wait ~1 s for avahi's "all for now"."""
        proc = subprocess.Popen(
            self.argv(["avahi-browse", "-r", "-p", "-k", service_type]),
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None
        buffer = b""
        deadline = time.monotonic() + timeout
        try:
            while (remaining := deadline - time.monotonic()) > 0:
                ready, _, _ = select.select([proc.stdout], [], [], remaining)
                if not ready:
                    break
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                complete = buffer.rpartition(b"\n")[0].decode(errors="replace")
                for service in parse_browse(complete):
                    if service.name == name:
                        return service
        finally:
            proc.kill()
            _, stderr = proc.communicate()
        raise TimeoutError(
            f"{name!r} ({service_type}) not resolved within {timeout:.0f} s; avahi-browse saw:\n"
            f"{buffer.decode(errors='replace')}{stderr.decode(errors='replace')}"
        )


_BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <includedir>/usr/share/dbus-1/system.d</includedir>
  <!-- After the include, so it wins: everyone on this private bus may do anything. -->
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""

_AVAHI_CONF = """[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces=lo
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
publish-workstation=no
publish-hinfo=no
"""

# Runs as `sh -c SCRIPT avahi SERVICES_DIR CONF` in a private mount namespace. A tmpfs over
# all of /run (not just /run/avahi-daemon, which may not exist and would have to be created
# on the host) holds avahi's pid file and socket; the bind mount gives it our services dir.
_AVAHI_SCRIPT = """set -e
mount -t tmpfs -o mode=0755 wardtest-run /run
mkdir /run/avahi-daemon
mount --bind "$1" /etc/avahi/services
exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "$2"
"""


_AVAHI_TOOLS = ("avahi-daemon", "avahi-browse", "dbus-daemon", "dbus-send", "unshare")
_UNSHARE = ["unshare", "-m", "--propagation", "private", "sh", "-c", _AVAHI_SCRIPT, "avahi"]
# Server.GetState answers 2 (AVAHI_SERVER_RUNNING) once the host name is established, so
# clients can register and browse.
_GET_STATE = ["dbus-send", "--system", "--print-reply", "--reply-timeout=500"]
_GET_STATE += ["--dest=org.freedesktop.Avahi", "/", "org.freedesktop.Avahi.Server.GetState"]


def start_avahi(netns: NetNs, workdir: Path, *, timeout: float = 15.0) -> PeerHandle[AvahiNs]:
    require_peer("avahi", *_AVAHI_TOOLS, netns=True)
    workdir.mkdir(parents=True, exist_ok=True)
    sockets, remove_sockets = socket_dir()
    socket_path = sockets / "system_bus.sock"
    bus_conf = workdir / "bus.conf"
    bus_conf.write_text(_BUS_CONF.format(socket=socket_path))
    avahi_conf = workdir / "avahi-daemon.conf"
    avahi_conf.write_text(_AVAHI_CONF)
    services_dir = workdir / "services"
    services_dir.mkdir(exist_ok=True)
    address = f"unix:path={socket_path}"
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": address}

    def running() -> bool:
        state = subprocess.run(_GET_STATE, env=env, capture_output=True, text=True, timeout=5)
        return state.returncode == 0 and "int32 2" in state.stdout

    processes: list[PeerProcess] = []
    try:
        bus_argv = ["dbus-daemon", f"--config-file={bus_conf}", "--nofork", "--nopidfile"]
        dbus = PeerProcess("dbus", netns.argv(bus_argv), workdir)
        processes.append(dbus)
        dbus.wait_ready(lambda: unix_socket_answers(socket_path), timeout=timeout, what="bus")

        avahi_argv = [*_UNSHARE, str(services_dir), str(avahi_conf)]
        avahi = PeerProcess("avahi", netns.argv(avahi_argv), workdir, env=env)
        processes.append(avahi)
        avahi.wait_ready(running, timeout=timeout, what="avahi server running", interval=0.1)
    except BaseException:
        PeerHandle(None, processes, remove_sockets).stop()
        raise
    info = AvahiNs(netns.name, address, services_dir, avahi.pid)
    return PeerHandle(info, processes, remove_sockets)

"""IPP peer: CUPS's ippeveprinter, an IPP Everywhere printer.

It always initialises DNS-SD and exits without a reachable D-Bus, even with ``-r off``, so
the host variant brings a private bus; the namespace variant registers ``_ipp._tcp``
through the namespace's avahi.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ._policy import require_peer
from ._proc import PeerHandle, PeerProcess, free_port, socket_dir, unix_socket_answers
from .mdns import AvahiNs, NetNs


@dataclass(frozen=True)
class IppPrinter:
    """An ippeveprinter. ``ns`` is None on the host; otherwise reach it from inside ``ns``."""

    host: str
    port: int
    uri: str
    name: str
    make: str
    model: str
    location: str
    spool_dir: Path
    dbus_address: str
    ns: str | None = None

    @property
    def make_and_model(self) -> str:
        return f"{self.make} {self.model}"  # what printer-make-and-model and TXT ty= say

    def argv(self, cmd: Sequence[str]) -> list[str]:
        """``cmd`` as run where the printer is reachable (inside its namespace, if any)."""
        return NetNs(self.ns).argv(cmd) if self.ns else list(cmd)


def start_ippeveprinter(
    workdir: Path,
    *,
    avahi: AvahiNs | None = None,
    port: int | None = None,
    name: str = "Ward Test Printer",
    make: str = "Ward",
    model: str = "LaserJet 4000",
    location: str = "Ward 3",
    extra_args: Sequence[str] = (),
    timeout: float = 15.0,
) -> PeerHandle[IppPrinter]:
    """Start ippeveprinter on 127.0.0.1:``port``, on the host (``avahi=None``, no DNS-SD
    registration) or in ``avahi``'s namespace, registered as ``_ipp._tcp``.

    ``extra_args`` go before the name, e.g. ``["-f", "application/pdf,image/pwg-raster"]``
    or ``["-c", "sleep 30"]`` for a job that stays processing.
    """
    require_peer(
        "ippeveprinter", "ippeveprinter", "ipptool", "dbus-daemon", netns=avahi is not None
    )
    workdir.mkdir(parents=True, exist_ok=True)
    spool = workdir / "spool"
    spool.mkdir(exist_ok=True)
    port = port if port is not None else free_port("tcp")
    processes: list[PeerProcess] = []
    sockets, remove_sockets = socket_dir()
    try:
        if avahi is None:
            socket_path = sockets / "session_bus.sock"
            dbus_address = f"unix:path={socket_path}"
            bus_argv = ["dbus-daemon", "--session", f"--address={dbus_address}", "--nofork"]
            bus = PeerProcess("dbus", [*bus_argv, "--nopidfile"], workdir)
            processes.append(bus)
            bus.wait_ready(lambda: unix_socket_answers(socket_path), timeout=timeout, what="bus")
            registration = ["-r", "off"]
        else:
            dbus_address = avahi.dbus_address
            registration = []

        # -n localhost: listen on 127.0.0.1 and [::1] only, and advertise URIs that resolve
        # without nss-mdns (the default host name would be <hostname>.local).
        # An attributes file (-a) sets make and model itself; ippeveprinter refuses -M/-m then.
        make_model = [] if "-a" in extra_args else ["-M", make, "-m", model]
        command = [
            "ippeveprinter", "-p", str(port), "-n", "localhost", "-d", str(spool),
            *make_model, "-l", location, *registration, *extra_args, name,
        ]  # fmt: skip
        info = IppPrinter(
            host="127.0.0.1",
            port=port,
            uri=f"ipp://127.0.0.1:{port}/ipp/print",
            name=name,
            make=make,
            model=model,
            location=location,
            spool_dir=spool,
            dbus_address=dbus_address,
            ns=avahi.ns if avahi else None,
        )
        env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": dbus_address}
        printer = PeerProcess("ippeveprinter", info.argv(command), workdir, env=env)
        processes.append(printer)

        def answers() -> bool:
            probe = info.argv(["ipptool", "-q", "-T", "1", info.uri, "get-printer-attributes.test"])
            return subprocess.run(probe, capture_output=True, timeout=10).returncode == 0

        printer.wait_ready(answers, timeout=timeout, what=f"IPP answer at {info.uri}")
        if avahi is not None:
            # Yield only once browsers can see it: avahi probes the name for ~1 s first.
            avahi.wait_for_service("_ipp._tcp", name, timeout=timeout)
    except BaseException:
        PeerHandle(None, processes, remove_sockets).stop()
        raise
    return PeerHandle(info, processes, remove_sockets)

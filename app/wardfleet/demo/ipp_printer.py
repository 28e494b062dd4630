"""The demo ward's one real IPP printer: CUPS's ippeveprinter on loopback, when installed.

It gives the demo a printer with a working Print tab (jobs, test page, state). DNS-SD
registration is off (``-r off``): a demo never advertises on a real network.
ippeveprinter still insists on reaching a D-Bus, so a private session bus runs beside it
(docs/ipp.md). On Linux both get SIGTERM if the app dies without stopping them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Observation, Protocol

log = logging.getLogger(__name__)

NAME = "Demo ward printer (IPP)"
MAKE, MODEL, LOCATION = "Wardfleet", "Demo LaserJet", "Demo ward, nurses' station"
# ippeveprinter makes a new printer-uuid each run; a fixed serial keeps it one device.
SERIAL = "WF-DEMO-IPP-1"


@dataclass(frozen=True, slots=True)
class DemoIppPrinter:
    uri: str
    port: int

    def observation(self, seen_at: float) -> Observation:
        return Observation(
            protocol=Protocol.IPP,
            address="127.0.0.1",
            identity=Identity.of(serial=SERIAL, vendor=MAKE, address="127.0.0.1"),
            seen_at=seen_at,
            port=self.port,
            name=NAME,
            kind=DeviceKind.PRINTER,
            vendor=MAKE,
            model=MODEL,
            location=LOCATION,
            attributes={"ipp-uri": self.uri},
        )


def available() -> bool:
    return all(shutil.which(p) for p in ("ippeveprinter", "dbus-daemon"))


def _with_parent_death(argv: tuple[str, ...]) -> tuple[str, ...]:
    """Linux: the child gets SIGTERM when we die (util-linux setpriv sets it, then execs;
    preexec_fn would be unsafe beside qasync's threads)."""
    setpriv = shutil.which("setpriv") if sys.platform == "linux" else None
    return (setpriv, "--pdeathsig", "TERM", "--", *argv) if setpriv else argv


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


class DemoIppPrinterProcess:
    def __init__(self, *, ready_timeout_s: float = 10.0) -> None:
        self._timeout_s = ready_timeout_s
        self._procs: list[asyncio.subprocess.Process] = []
        self._dir: Path | None = None

    async def start(self) -> DemoIppPrinter | None:
        """The printer, or None when ippeveprinter is not installed or did not start (the
        demo runs on without it)."""
        if not available():
            log.info("no ippeveprinter: the demo ward has no IPP printer")
            return None
        try:
            return await self._start()
        except (OSError, TimeoutError) as exc:
            log.warning("the demo IPP printer did not start: %s", exc)
            await self.stop()
            return None

    async def _spawn(self, *argv: str, env: dict[str, str] | None = None) -> None:
        self._procs.append(
            await asyncio.create_subprocess_exec(
                *_with_parent_death(argv),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
                env=env,
            )
        )

    async def _wait_for(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + self._timeout_s
        while not ready():
            if time.monotonic() > deadline or any(p.returncode is not None for p in self._procs):
                raise TimeoutError(f"{what} not ready")
            await asyncio.sleep(0.05)

    async def _start(self) -> DemoIppPrinter:
        self._dir = Path(tempfile.mkdtemp(prefix="wardfleet-demo-ipp-"))
        spool = self._dir / "spool"
        spool.mkdir()
        bus_socket = self._dir / "bus.sock"
        bus = f"unix:path={bus_socket}"
        await self._spawn("dbus-daemon", "--session", f"--address={bus}", "--nofork", "--nopidfile")
        await self._wait_for(bus_socket.exists, "D-Bus")
        port = _free_port()
        await self._spawn(
            "ippeveprinter", "-p", str(port), "-n", "localhost", "-d", str(spool),
            "-M", MAKE, "-m", MODEL, "-l", LOCATION, "-r", "off", NAME,
            env={**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": bus},
        )  # fmt: skip
        await self._wait_for(lambda: _answers(port), "ippeveprinter")
        return DemoIppPrinter(f"ipp://127.0.0.1:{port}/ipp/print", port)

    async def stop(self) -> None:
        procs, self._procs = list(reversed(self._procs)), []
        for proc in procs:
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.terminate()
                try:
                    await asyncio.wait_for(proc.wait(), 5.0)
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        proc.kill()
                    await proc.wait()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

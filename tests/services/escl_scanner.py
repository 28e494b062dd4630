"""A scripted eSCL scanner for the monitor tests: the loopback server of
tests/protocols/test_escl.py serving real captures (tests/fixtures/escl, see SOURCE.md),
with a ScannerStatus the test changes between polls, and every GET counted.

No capture holds a jam, a hatch open or a Down scanner: those documents are the real
HP Smart Tank Plus 570 capture with only its <pwg:State> or <scan:AdfState> text changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from tests.protocols.test_escl import Scanners, capture
from wardfleet.domain.alerts import AlertEvent
from wardfleet.domain.device import Device, ServiceEndpoint
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Protocol
from wardfleet.domain.status import DeviceStatus
from wardfleet.protocols.dnssd import ResolvedService, service_observation
from wardfleet.protocols.txt import decode_txt
from wardfleet.services.alerts import AlertService
from wardfleet.services.escl_watch import EsclWatch
from wardfleet.services.monitor import Monitor

PREFIX = "/ward7"
IDLE = capture("hp-smart-tank-plus-570-status.xml")  # real: Idle, ScannerAdfEmpty
PROCESSING = capture("hp-clj-mfp-m283fdw-status.xml")  # real: Processing, ScannerAdfEmpty
CAPS = capture("hp-smart-tank-plus-570-caps.xml")
assert IDLE.count(b">Idle<") == 1 and IDLE.count(b"ScannerAdfEmpty") == 1


def derived(*, state: str | None = None, adf: str | None = None) -> bytes:
    """The real Idle capture with only the state or the ADF state text changed."""
    xml = IDLE
    if state is not None:
        xml = xml.replace(b">Idle<", f">{state}<".encode())
    if adf is not None:
        xml = xml.replace(b"ScannerAdfEmpty", adf.encode())
    return xml


JAM = derived(adf="ScannerAdfJam")
HATCH_OPEN = derived(adf="ScannerAdfHatchOpen")
DOWN = derived(state="Down")


class ScannerScript(dict[str, bytes | None]):
    """Routes for the test_escl server: ScannerStatus is whatever ``status`` holds now
    (None: HTTP 404), and every GET is counted."""

    def __init__(self) -> None:
        super().__init__({f"{PREFIX}/eSCL/ScannerCapabilities": CAPS})
        self.status: bytes | None = IDLE
        self.hits: Counter[str] = Counter()

    def get(self, path: str, default: Any = None) -> Any:
        self.hits[path.rsplit("/", 1)[-1]] += 1
        if path == f"{PREFIX}/eSCL/ScannerStatus":
            return self.status
        return super().get(path, default)


@contextlib.contextmanager
def serve_script() -> Iterator[tuple[ScannerScript, int]]:
    """A scripted scanner on loopback: its routes and its port."""
    routes = ScannerScript()
    server = Scanners(routes)  # type: ignore[arg-type]
    try:
        yield routes, server.server.server_address[1]
    finally:
        server.close()


def scanner_device(port: int, *, kind: DeviceKind = DeviceKind.SCANNER,
                   extra: tuple[ServiceEndpoint, ...] = ()) -> Device:  # fmt: skip
    return Device(
        "s1", "Ward 7 scanner", kind, Identity(), address="127.0.0.1",
        endpoints=(ServiceEndpoint("escl", port, f"{PREFIX.strip('/')}/eSCL"), *extra),
    )  # fmt: skip


def poll_sequence(watch: EsclWatch, device: Device, bodies: Sequence[bytes | None],
                  routes: ScannerScript) -> list[DeviceStatus]:  # fmt: skip
    async def go() -> list[DeviceStatus]:
        out = []
        try:
            for body in bodies:
                routes.status = body
                out.append(await watch.poll(device))
        finally:
            await watch.aclose()
        return out

    return asyncio.run(go())


def scanner_advert(port: int, uuid: str = "4fae70ec-cc7e-581b-fd50-8a1dc2f57502") -> Any:
    """What the real DNS-SD code makes of a _uscan._tcp advert for the served scanner."""
    service = ResolvedService(
        instance="Ward 7 scanner",
        service_type="_uscan._tcp",
        domain="local",
        host="ward7-scan.local",
        port=port,
        addresses=("127.0.0.1",),
        txt=decode_txt([b"txtvers=1", f"rs={PREFIX.strip('/')}/eSCL".encode(),
                        b"ty=HP Smart Tank Plus 570 series", f"UUID={uuid}".encode()]),
        protocol=Protocol.MDNS,
        seen_at=time.time(),
    )  # fmt: skip
    obs = service_observation(service)
    assert obs is not None
    return obs


def run_rounds(
    monitor: Monitor, routes: ScannerScript, bodies: Sequence[bytes | None]
) -> list[tuple[DeviceStatus, list[AlertEvent]]]:
    """One monitor round per body; what each round stored and which alerts it moved."""
    events: list[AlertEvent] = []

    async def go() -> list[tuple[DeviceStatus, list[AlertEvent]]]:
        out = []
        try:
            devices = await asyncio.to_thread(monitor._pollable_devices)
            for body in bodies:
                routes.status = body
                before = len(events)
                ((_, status),) = await monitor.poll_once(devices)
                out.append((status, events[before:]))
        finally:
            aclose = getattr(monitor.source, "aclose", None)
            if aclose is not None:
                await aclose()
        return out

    alerts = AlertService(monitor.store)
    # As the runtime does: the round's statuses go to the damper, transitions to the store.
    monitor.on_results = lambda rs: events.extend(alerts.on_round([(d.id, s) for d, s, _ in rs]))
    return asyncio.run(go())

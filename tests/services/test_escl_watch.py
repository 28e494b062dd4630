"""eSCL in the monitor: each scanner state, one GET per poll, hostile replies, damped
alerts through the real AlertService and Store, and https with trust on first use.

The scanner: tests/services/escl_scanner.py (real captures over loopback HTTP).
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.peers._policy import require_peer
from tests.protocols.test_escl import BILLION_LAUGHS, Scanners
from tests.services.escl_scanner import (
    CAPS,
    DOWN,
    HATCH_OPEN,
    IDLE,
    JAM,
    PROCESSING,
    ScannerScript,
    derived,
    poll_sequence,
    run_rounds,
    scanner_advert,
    scanner_device,
)
from wardfleet.domain.alerts import Transition
from wardfleet.domain.device import Device, ServiceEndpoint
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import DeviceStatus, Severity
from wardfleet.protocols.ipp_tls import endpoint_key
from wardfleet.services.discovery import merge_observation
from wardfleet.services.escl_watch import EsclWatch
from wardfleet.services.monitor import Monitor
from wardfleet.services.tls_watch import shared_pins
from wardfleet.store import Store

# --- what each scanner state becomes -------------------------------------------------------


def test_each_scanner_state_becomes_a_status(script: tuple[ScannerScript, int]) -> None:
    routes, port = script
    device = scanner_device(port)
    bodies = [IDLE, PROCESSING, derived(state="Testing"), derived(state="Stopped"), DOWN,
              JAM, HATCH_OPEN, derived(adf="ScannerAdfLoaded")]  # fmt: skip
    got = poll_sequence(EsclWatch(timeout_s=5), device, bodies, routes)
    summary = [(s.state, s.device_status, s.error_bits, [a.description for a in s.alerts])
               for s in got]  # fmt: skip
    assert summary == [
        (DeviceState.OK, "Ready", (), []),
        (DeviceState.BUSY, "Scanning", (), []),
        (DeviceState.BUSY, "Testing", (), []),
        (DeviceState.ERROR, "Stopped: needs attention", (), ["Scanner stopped: needs attention"]),
        (DeviceState.ERROR, "Out of service", (), ["Scanner down"]),
        (DeviceState.ERROR, "Ready", ("jammed",), ["Document feeder jam"]),
        (DeviceState.ERROR, "Ready", ("doorOpen",), ["Document feeder cover open"]),
        (DeviceState.OK, "Ready", (), []),  # a loaded feeder is routine
    ]
    assert all(s.reachable and s.latency_ms is not None for s in got)
    assert {a.source for s in got for a in s.alerts} == {"escl"}
    # One GET of ScannerStatus per poll, never the capabilities.
    assert routes.hits == Counter({"ScannerStatus": len(bodies)})


def test_one_long_lived_client(script: tuple[ScannerScript, int]) -> None:
    routes, port = script
    watch = EsclWatch(timeout_s=5)

    async def go() -> bool:
        try:
            first = await watch.client()
            await watch.poll(scanner_device(port))
            await watch.poll(scanner_device(port))
            return first is await watch.client()
        finally:
            await watch.aclose()

    assert asyncio.run(go()) and routes.hits["ScannerStatus"] == 2


def test_no_answer_is_unreachable() -> None:
    (status,) = poll_sequence(EsclWatch(timeout_s=2), scanner_device(9), [IDLE], ScannerScript())
    assert not status.reachable and status.state is DeviceState.UNREACHABLE
    (error,) = status.errors
    assert (error.table, error.source) == ("reachability", "escl")
    assert "127.0.0.1:9/ward7/eSCL/ScannerStatus" in error.message


TRUNCATED = IDLE[: len(IDLE) // 2]


def test_hostile_replies_are_read_errors_and_the_monitor_keeps_going(
    script: tuple[ScannerScript, int], store: Store
) -> None:
    routes, port = script
    device_id = merge_observation(store, scanner_advert(port)).device_id
    watch = EsclWatch(timeout_s=5)
    monitor = Monitor(store, watch)
    bodies = [BILLION_LAUGHS, TRUNCATED, CAPS, None, b"\xff\xfe<\x00", IDLE]

    async def go() -> list[tuple[float, DeviceStatus]]:
        out = []
        try:
            (device,) = await asyncio.to_thread(monitor._pollable_devices)
            for body in bodies:
                routes.status = body
                start = time.perf_counter()
                ((_, status),) = await monitor.poll_once([device])
                out.append((time.perf_counter() - start, status))
        finally:
            await watch.aclose()
        return out

    results = asyncio.run(go())
    words = []
    for elapsed, status in results[:-1]:
        assert elapsed < 2.0  # no expansion, no hang
        assert status.reachable and status.state is DeviceState.UNKNOWN
        (error,) = status.errors
        assert (error.table, error.source) == ("escl", "escl")
        assert error.message.startswith("scanner status unreadable: ")
        words.append(error.message)
    assert "DTDs are not allowed" in words[0]
    assert "not well-formed" in words[1]
    assert "expected scan:ScannerStatus" in words[2]
    assert "HTTP 404" in words[3]
    assert "not well-formed" in words[4]
    # ...and the next good answer is read as usual, and stored.
    assert results[-1][1].state is DeviceState.OK
    (overview,) = store.list_overview()
    assert overview.device.id == device_id
    assert overview.status is not None and overview.status.device_status == "Ready"


# --- through the monitor, the real AlertService and the store ------------------------------


def test_a_feeder_jam_is_raised_after_three_polls_and_cleared_after_two(
    script: tuple[ScannerScript, int], store: Store
) -> None:
    routes, port = script
    device_id = merge_observation(store, scanner_advert(port)).device_id
    device = store.get_device(device_id)
    assert device is not None and device.escl_url == f"http://127.0.0.1:{port}/ward7/eSCL"
    rounds = run_rounds(Monitor(store, EsclWatch(timeout_s=5)), routes,
                        [IDLE, JAM, JAM, JAM, JAM, IDLE, IDLE])  # fmt: skip
    moves = [[(e.transition, e.key) for e in events] for _, events in rounds]
    assert moves == [[], [], [], [(Transition.RAISED, "jam")], [], [],
                     [(Transition.CLEARED, "jam")]]  # fmt: skip
    raised = rounds[3][1][0]
    assert (raised.device_id, raised.severity, raised.message) == (
        device_id, Severity.CRITICAL, "Paper jam",
    )  # fmt: skip
    # The jam is the alert: no second "device in error" for the same problem.
    assert [s.state for s, _ in rounds] == [DeviceState.OK, *[DeviceState.ERROR] * 4,
                                            DeviceState.OK, DeviceState.OK]  # fmt: skip
    history = store.alert_history(device_id)
    assert [(a.key, a.cleared_at is not None) for a in history] == [("jam", True)]
    assert store.list_alerts() == []
    assert routes.hits["ScannerStatus"] == 7 and routes.hits["ScannerCapabilities"] == 0


def test_a_scanner_that_is_down_raises_an_error_alert_in_its_own_words(
    script: tuple[ScannerScript, int], store: Store
) -> None:
    routes, port = script
    device_id = merge_observation(store, scanner_advert(port)).device_id
    rounds = run_rounds(Monitor(store, EsclWatch(timeout_s=5)), routes, [DOWN, DOWN, DOWN])
    assert [[(e.transition, e.key) for e in ev] for _, ev in rounds] == [
        [], [], [(Transition.RAISED, "error-state")]
    ]  # fmt: skip
    (alert,) = store.list_alerts()
    assert (alert.device_id, alert.severity, alert.message) == (
        device_id, Severity.CRITICAL, "Scanner down",
    )  # fmt: skip
    (overview,) = store.list_overview()
    assert overview.status is not None and overview.status.state is DeviceState.ERROR
    assert [a.description for a in overview.status.alerts] == ["Scanner down"]


# --- eSCL over https: trust on first use, shared pins ----------------------------------------


def _self_signed(directory: Path, name: str) -> tuple[Path, Path]:
    key, cert = directory / f"{name}.key", directory / f"{name}.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def https_scanner(tmp_path: Path) -> Iterator[tuple[ssl.SSLContext, int, Path]]:
    """The same captures over https on loopback, with a self-signed certificate."""
    require_peer("openssl", "openssl")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*_self_signed(tmp_path, "scanner-a"))
    server = Scanners(ScannerScript())  # type: ignore[arg-type]
    # The same handler, restarted on a TLS socket (a handshake per connection: HTTP/1.0).
    server.server.shutdown()
    server.thread.join(5)
    server.server.socket = ctx.wrap_socket(server.server.socket, server_side=True)
    server.thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    server.thread.start()
    try:
        yield ctx, server.server.server_address[1], tmp_path
    finally:
        server.close()


def test_https_scanner_asks_for_trust_then_polls_then_blocks_a_changed_certificate(
    https_scanner: tuple[ssl.SSLContext, int, Path], store: Store
) -> None:
    ctx, port, tmp = https_scanner
    device = Device(
        "s1", "Ward 7 scanner", DeviceKind.SCANNER, Identity(), address="127.0.0.1",
        endpoints=(ServiceEndpoint("escls", port, "ward7/eSCL"),
                   ServiceEndpoint("escl", port, "ward7/eSCL")),
    )  # fmt: skip
    assert device.escl_url == f"https://127.0.0.1:{port}/ward7/eSCL"
    pins = shared_pins(store)  # the same pins the Scanner tab and IPP use

    async def go() -> list[DeviceStatus]:
        watch = EsclWatch(pins=pins, timeout_s=5)
        try:
            first = await watch.poll(device)  # nobody has trusted it yet
            client = await watch.client()
            check = await client.check_trust(device.escl_url or "")
            assert check is not None
            await client.trust(device.escl_url or "", check.fingerprint)
            trusted = await watch.poll(device)
            # The scanner's key is replaced while the pinned client is cached.
            ctx.load_cert_chain(*_self_signed(tmp, "scanner-b"))
            changed = await watch.poll(device)
            return [first, trusted, changed]
        finally:
            await watch.aclose()

    first, trusted, changed = asyncio.run(go())
    assert first.state is DeviceState.UNKNOWN and first.reachable
    assert [(a.code, a.source) for a in first.alerts] == [("tls-trust-needed", "escl")]
    assert "Scanner tab" in first.alerts[0].description
    assert trusted.state is DeviceState.OK and trusted.device_status == "Ready"
    assert pins.get_pin(endpoint_key("127.0.0.1", port)) is not None
    assert changed.state is DeviceState.ERROR
    (alert,) = changed.alerts
    assert alert.code == "tls-certificate-changed" and alert.severity is Severity.CRITICAL
    assert "CHANGED" in alert.description


def test_unreadable_replies_are_no_news_and_never_clear_an_open_jam(
    script: tuple[ScannerScript, int], store: Store
) -> None:
    """Issue #6: malformed XML (and a 404) from a jammed scanner is "unknown", not "no jam"."""
    routes, port = script
    device_id = merge_observation(store, scanner_advert(port)).device_id
    bodies = [JAM, JAM, JAM, TRUNCATED, b"\xff\xfe<\x00", None, IDLE, IDLE]
    rounds = run_rounds(Monitor(store, EsclWatch(timeout_s=5)), routes, bodies)
    moves = [[(e.transition, e.key) for e in events] for _, events in rounds]
    assert moves == [[], [], [(Transition.RAISED, "jam")], [], [], [], [],
                     [(Transition.CLEARED, "jam")]]  # fmt: skip
    # The three unreadable replies really were read errors, stored as such...
    for status, _ in rounds[3:6]:
        assert status.reachable and status.state is DeviceState.UNKNOWN
        assert [(e.table, e.source) for e in status.errors] == [("escl", "escl")]
    # ...and the jam stayed open through them, cleared only by two real Idle answers.
    history = store.alert_history(device_id)
    assert [(a.key, a.cleared_at is not None) for a in history] == [("jam", True)]
    assert store.list_alerts() == []


@pytest.mark.peer("snmpsim")
def test_an_mfd_whose_escl_stops_answering_keeps_its_feeder_jam(
    script: tuple[ScannerScript, int], snmpsim_agent: Any, store: Store
) -> None:
    """Issue #6 on an MFD: SNMP (a real bizhub C250i recording on snmpsim) keeps answering,
    without a jam bit, while its eSCL gives a 404 and malformed XML. That is no news about
    the feeder: the jam stays open until the scanner itself says Idle."""
    from wardfleet.protocols.snmp_credentials import community
    from wardfleet.services.ipp_watch import CombinedSource, IppWatch
    from wardfleet.services.snmp_watch import SnmpEndpoint, SnmpWatch

    routes, port = script
    device_id = merge_observation(store, scanner_advert(port)).device_id
    snmp = SnmpWatch([SnmpEndpoint(snmpsim_agent.host, snmpsim_agent.port,
                                   (community("konica_c250i"),))])  # fmt: skip
    source = CombinedSource(snmp, IppWatch(timeout_s=5), EsclWatch(timeout_s=5))
    bodies = [JAM, JAM, JAM, None, TRUNCATED, None, IDLE, IDLE]
    rounds = run_rounds(Monitor(store, source), routes, bodies)
    moves = [[(e.transition, e.key) for e in ev] for _, ev in rounds]
    assert moves == [[], [], [(Transition.RAISED, "jam")], [], [], [], [],
                     [(Transition.CLEARED, "jam")]]  # fmt: skip
    for status, _ in rounds[3:6]:
        # SNMP answered (its bits and supplies), eSCL did not: a read error, no jam bit.
        assert status.reachable and status.error_bits == ("serviceRequested",)
        assert status.supplies and ("escl", "escl") in [(e.table, e.source) for e in status.errors]
    history = store.alert_history(device_id)
    assert [(a.key, a.cleared_at is not None) for a in history] == [("jam", True)]

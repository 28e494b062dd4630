"""eSCL folded into the printing status: the combine rule, CombinedSource, an MFD made of
snmpsim (a real bizhub C250i recording) + ippeveprinter + the scripted eSCL scanner, and
the desktop runtime's source.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.services.escl_scanner import (
    DOWN,
    IDLE,
    JAM,
    PROCESSING,
    ScannerScript,
    run_rounds,
    scanner_advert,
    scanner_device,
)
from wardfleet.domain.alerts import Transition
from wardfleet.domain.device import Device, ServiceEndpoint
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import DeviceAlert, DeviceStatus, TableError
from wardfleet.services.discovery import merge_observation
from wardfleet.services.escl_watch import EsclWatch
from wardfleet.services.ipp_watch import CombinedSource, IppWatch
from wardfleet.services.monitor import Monitor
from wardfleet.services.status_combine import combine
from wardfleet.store import Store

# --- combined with printing ----------------------------------------------------------------


def _printing(**kw: Any) -> DeviceStatus:
    base: dict[str, Any] = {
        "state": DeviceState.OK, "polled_at": 10.0, "latency_ms": 3.0,
        "printer_status": "idle", "device_status": "Ready to print",
    }  # fmt: skip
    base.update(kw)
    return DeviceStatus(**base)


def _scanner(xml: bytes) -> DeviceStatus:
    from wardfleet.protocols.escl import device_status, parse_status

    return device_status(parse_status(xml), polled_at=11.0, latency_ms=2.0)


def test_the_scanner_is_folded_into_the_printing_status() -> None:
    ok = combine(None, _printing(), _scanner(IDLE))
    assert ok.state is DeviceState.OK and ok.device_status == "Ready to print"
    assert ok.sources == {"state": "ipp", "scanner": "escl"} and ok.polled_at == 11.0

    down = combine(None, _printing(), _scanner(DOWN))
    assert down.state is DeviceState.ERROR and down.printer_status == "idle"
    assert [(a.description, a.source) for a in down.alerts] == [("Scanner down", "escl")]
    assert down.sources == {"state": "escl", "scanner": "escl", "alerts": "escl"}

    # The printer's own trouble stays first; the feeder jam is added with its error bit.
    jammed = combine(
        None,
        _printing(state=DeviceState.WARNING, error_bits=("lowToner",),
                  alerts=(DeviceAlert("toner-low-report", "Toner low", source="ipp"),)),
        _scanner(JAM),
    )  # fmt: skip
    assert jammed.state is DeviceState.ERROR and jammed.error_bits == ("lowToner", "jammed")
    assert [a.description for a in jammed.alerts] == ["Toner low", "Document feeder jam"]
    assert jammed.sources["alerts"] == "ipp" and jammed.sources["state"] == "escl"

    busy = combine(_printing(), None, _scanner(PROCESSING))
    assert busy.state is DeviceState.BUSY and busy.sources == {"state": "escl", "scanner": "escl"}
    worse = combine(_printing(state=DeviceState.ERROR), None, _scanner(PROCESSING))
    assert worse.state is DeviceState.ERROR and worse.sources["state"] == "snmp"


def test_a_scanner_alone_and_a_scanner_that_does_not_answer() -> None:
    alone = combine(None, None, _scanner(JAM))
    assert alone.state is DeviceState.ERROR and alone.error_bits == ("jammed",)

    silent = combine(None, _printing(), DeviceStatus.unreachable(12.0, "timed out"))
    assert silent.state is DeviceState.OK and silent.reachable
    assert silent.errors == (TableError("escl", "timed out", "escl"),)

    unreadable = DeviceStatus(
        DeviceState.UNKNOWN, 12.0, errors=(TableError("escl", "scanner status unreadable: x"),)
    )
    garbled = combine(None, _printing(), unreadable)
    assert garbled.state is DeviceState.OK
    assert garbled.errors == (TableError("escl", "scanner status unreadable: x", "escl"),)

    # Printing silent, the scanner answering: the device is there, and says so.
    printing_down = combine(DeviceStatus.unreachable(12.0, "no SNMP"), None, _scanner(IDLE))
    assert printing_down.reachable and printing_down.state is DeviceState.OK
    assert printing_down.sources == {"state": "escl", "scanner": "escl"}
    assert printing_down.errors[0].message == "no SNMP"


class _NoSnmp:
    def can_poll(self, device: Device) -> bool:
        return False

    async def poll(self, device: Device) -> DeviceStatus:
        raise AssertionError("SNMP asked for a device it cannot poll")


def test_combined_source_asks_only_escl_for_a_scanner(script: tuple[ScannerScript, int]) -> None:
    routes, port = script
    device = scanner_device(port)

    async def go() -> DeviceStatus:
        source = CombinedSource(_NoSnmp(), IppWatch(timeout_s=5), EsclWatch(timeout_s=5))
        try:
            assert source.can_poll(device) and not source.ipp.can_poll(device)
            routes.status = JAM
            return await source.poll(device)
        finally:
            await source.aclose()

    status = asyncio.run(go())
    assert status.state is DeviceState.ERROR and status.error_bits == ("jammed",)
    assert status.sources == {}  # one protocol said everything


@pytest.mark.peer("snmpsim")
def test_an_mfd_with_snmp_and_escl_is_one_status_and_a_down_scanner_alerts(
    script: tuple[ScannerScript, int], snmpsim_agent: Any, store: Store
) -> None:
    """konica_c250i: a real bizhub C250i recording (an MFD) on snmpsim, its scanner served
    from the eSCL captures on the same loopback address."""
    from wardfleet.protocols.snmp_credentials import community
    from wardfleet.services.snmp_watch import SnmpEndpoint, SnmpWatch

    routes, port = script
    assert snmpsim_agent.host == "127.0.0.1"
    device_id = merge_observation(store, scanner_advert(port)).device_id
    snmp = SnmpWatch([SnmpEndpoint(snmpsim_agent.host, snmpsim_agent.port,
                                   (community("konica_c250i"),))])  # fmt: skip
    source = CombinedSource(snmp, IppWatch(timeout_s=5), EsclWatch(timeout_s=5))
    rounds = run_rounds(Monitor(store, source), routes, [IDLE, DOWN, DOWN, DOWN, IDLE, IDLE])

    idle, *_ = (s for s, _ in rounds)
    # The recording's state (serviceRequested: warning) and supplies, the scanner's word.
    assert idle.reachable and idle.state is DeviceState.WARNING
    assert idle.error_bits == ("serviceRequested",)
    cyan = next(s for s in idle.supplies if s.description == "Toner (Cyan)")
    assert cyan.percent == 76.0
    assert idle.sources["state"] == "snmp" and idle.sources["scanner"] == "escl"

    down = rounds[1][0]
    assert down.state is DeviceState.ERROR and down.sources["state"] == "escl"
    assert "Scanner down" in [a.description for a in down.alerts]
    assert {s.description for s in down.supplies} == {s.description for s in idle.supplies}
    moves = [[(e.transition, e.key) for e in ev] for _, ev in rounds]
    assert moves == [[], [], [], [(Transition.RAISED, "error-state")], [],
                     [(Transition.CLEARED, "error-state")]]  # fmt: skip
    history = store.alert_history(device_id)
    assert [(a.key, a.message, a.cleared_at is not None) for a in history] == [
        ("error-state", "Scanner down", True)
    ]


@pytest.mark.peer("snmpsim")
@pytest.mark.peer("ippeveprinter")
def test_an_mfd_with_snmp_ipp_and_escl_prints_by_ipp_and_scans_by_escl(
    script: tuple[ScannerScript, int], snmpsim_agent: Any, ippeveprinter_host: Any
) -> None:
    from wardfleet.protocols.snmp_credentials import community
    from wardfleet.services.snmp_watch import SnmpEndpoint, SnmpWatch

    routes, port = script
    printer = ippeveprinter_host
    assert printer.host == snmpsim_agent.host == "127.0.0.1"
    device = scanner_device(
        port, kind=DeviceKind.MFD, extra=(ServiceEndpoint("ipp", printer.port, "ipp/print"),)
    )

    async def go() -> list[DeviceStatus]:
        snmp = SnmpWatch([SnmpEndpoint(snmpsim_agent.host, snmpsim_agent.port,
                                       (community("konica_c250i"),))])  # fmt: skip
        source = CombinedSource(snmp, IppWatch(timeout_s=5), EsclWatch(timeout_s=5))
        out = []
        try:
            for body in (IDLE, DOWN):
                routes.status = body
                out.append(await source.poll(device))
        finally:
            await source.aclose()
        return out

    idle, down = asyncio.run(go())
    # IPP decides printing (ippeveprinter is idle, although the recording says warning),
    # SNMP gives the supplies, eSCL the scanner.
    assert idle.state is DeviceState.OK and idle.printer_status == "idle"
    assert idle.sources["state"] == "ipp" and idle.sources["supplies"] == "snmp"
    assert idle.sources["scanner"] == "escl"
    assert any(s.description == "Toner (Cyan)" and s.percent == 76.0 for s in idle.supplies)
    assert down.state is DeviceState.ERROR and down.printer_status == "idle"
    assert down.sources["state"] == "escl"
    assert [a.description for a in down.alerts if a.source == "escl"] == ["Scanner down"]


def test_the_desktop_runtime_asks_scanners_by_escl(store: Store) -> None:
    from wardfleet.cli.gui import _ward_runtime

    runtime = _ward_runtime(store, mdns=False)
    source = runtime.monitor.source
    assert isinstance(source, CombinedSource) and isinstance(source.escl, EsclWatch)
    assert source.can_poll(scanner_device(8080))  # a scanner with no SNMP and no IPP
    assert source.escl._pins is source.ipp._pins  # one trust decision counts for both

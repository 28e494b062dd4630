"""IPP as a status source: endpoints kept in the inventory, polling a real ippeveprinter,
TLS trust while polling, and how SNMP and IPP combine."""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from typing import Any

import pytest

from tests.peers.ipp import IppPrinter
from tests.protocols.ipp_report import printer_report
from wardfleet.domain.device import Device, ServiceEndpoint
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.domain.status import DeviceAlert, DeviceStatus, Severity, Supply, TableError
from wardfleet.protocols.dnssd import ResolvedService, service_observation
from wardfleet.protocols.ipp import parse_uri
from wardfleet.protocols.ipp_tls import endpoint_key
from wardfleet.protocols.txt import decode_txt
from wardfleet.services.discovery import merge_observation
from wardfleet.services.endpoints import observed_endpoints
from wardfleet.services.ipp_watch import CombinedSource, IppWatch
from wardfleet.services.monitor import Monitor
from wardfleet.services.status_combine import combine
from wardfleet.services.tls_watch import shared_pins
from wardfleet.store import Store


def advert(
    service_type: str, txt: list[bytes], *, address: str = "10.1.0.5", port: int = 631
) -> Observation:
    """An observation made by the real TXT decoder and DNS-SD observation code."""
    service = ResolvedService(
        instance="Ward 7 MFP",
        service_type=service_type,
        domain="local",
        host="ward7-mfp.local",
        port=port,
        addresses=(address,),
        txt=decode_txt(txt),
        protocol=Protocol.MDNS,
        seen_at=time.time(),
    )
    obs = service_observation(service)
    assert obs is not None
    return obs


UUID = b"UUID=6a3bd6d8-1c53-4b8f-9d5e-2f0a3c5b9e11"


# --- endpoints in the inventory ---------------------------------------------------------------


def test_adverts_give_the_device_its_ipp_uri_and_escl_url(store: Store) -> None:
    ipp = advert("_ipp._tcp", [b"txtvers=1", b"rp=ipp/print", b"ty=HP LaserJet M507", UUID])
    scan = advert("_uscan._tcp", [b"rs=eSCL", b"ty=HP LaserJet M507", UUID], port=8080)
    first = merge_observation(store, ipp)
    second = merge_observation(store, scan)
    assert second.device_id == first.device_id and "endpoints" in second.changed_fields
    device = store.get_device(first.device_id)
    assert device is not None
    assert device.ipp_uri == "ipp://10.1.0.5:631/ipp/print"
    assert device.escl_url == "http://10.1.0.5:8080/eSCL"
    again = merge_observation(store, ipp)  # nothing new: no "endpoints" change
    assert "endpoints" not in again.changed_fields


def test_encrypted_endpoints_are_preferred_and_an_address_change_moves_them(
    store: Store,
) -> None:
    merge_observation(store, advert("_ipp._tcp", [b"rp=ipp/print", UUID]))
    outcome = merge_observation(store, advert("_ipps._tcp", [b"rp=ipp/secure", UUID], port=443))
    device = store.get_device(outcome.device_id)
    assert device is not None and device.ipp_uri == "ipps://10.1.0.5:443/ipp/secure"
    moved = merge_observation(
        store, advert("_ipp._tcp", [b"rp=ipp/print", UUID], address="10.1.0.9")
    )
    assert moved.device_id == outcome.device_id
    device = store.get_device(outcome.device_id)
    assert device is not None and device.ipp_uri == "ipps://10.1.0.9:443/ipp/secure"
    (listed,) = store.list_overview()
    assert listed.device.ipp_uri == device.ipp_uri  # the table's query knows them too


@pytest.mark.parametrize(
    ("rp", "expected"),
    [
        (b"rp=", "ipp/print"),  # empty: the IPP Everywhere default
        (b"rp=/printers/ward7", "printers/ward7"),
        (b"rp=../../etc", None),
        (b"rp=http://evil.example/x", None),
        (b"rp=ipp/print?x=1", None),
        (b"rp=ipp/\x01print", None),
    ],
)
def test_hostile_resource_paths_are_refused(rp: bytes, expected: str | None) -> None:
    endpoints = observed_endpoints(advert("_ipp._tcp", [rp, UUID]))
    assert [e.path for e in endpoints] == ([expected] if expected else [])


def test_ipv6_addresses_are_bracketed() -> None:
    device = Device(
        "d", "x", DeviceKind.PRINTER, Identity(), address="fd00::5",
        endpoints=(ServiceEndpoint("ipp", 631, "ipp/print"),),
    )  # fmt: skip
    assert device.ipp_uri == "ipp://[fd00::5]:631/ipp/print"
    assert parse_uri(device.ipp_uri).host == "fd00::5"


def test_endpoints_follow_a_merge_of_two_records(store: Store) -> None:
    """An advert seen before the device's identity joined two records keeps its endpoint."""
    scan = advert("_uscan._tcp", [b"rs=eSCL", b"UUID=11111111-2222-3333-4444-555555555555"])
    scan_id = merge_observation(store, scan).device_id
    ipp = advert("_ipp._tcp", [b"rp=ipp/print", UUID], address="10.1.0.6")
    ipp_id = merge_observation(store, ipp).device_id
    assert scan_id != ipp_id
    with store.transaction() as tx:
        tx.absorb_device(ipp_id, scan_id)
    device = store.get_device(ipp_id)
    assert device is not None and {e.service for e in device.endpoints} == {"ipp", "escl"}


# --- combining SNMP and IPP ------------------------------------------------------------------


def _snmp(**kw: object) -> DeviceStatus:
    base: dict[str, object] = {
        "state": DeviceState.WARNING,
        "polled_at": 10.0,
        "latency_ms": 4.0,
        "error_bits": ("lowToner",),
        "supplies": (Supply("1.1", "Black", level=10, capacity=100),),
        "alerts": (DeviceAlert("13", "Toner low"),),
        "page_count": 12345,
        "uptime_s": 99.0,
    }
    base.update(kw)
    return DeviceStatus(**base)  # type: ignore[arg-type]


def _ipp(**kw: object) -> DeviceStatus:
    base: dict[str, object] = {
        "state": DeviceState.ERROR,
        "polled_at": 11.0,
        "latency_ms": 9.0,
        "printer_status": "stopped",
        "device_status": "Paper jam in tray 2",
        "supplies": (Supply("1", "Black Toner", level=10, capacity=100, source="ipp"),),
        "alerts": (DeviceAlert("media-jam-error", "Paper jam", Severity.CRITICAL, source="ipp"),),
        "page_count": 12000,
    }
    base.update(kw)
    return DeviceStatus(**base)  # type: ignore[arg-type]


def test_ipp_decides_the_state_and_snmp_gives_counters_and_supplies() -> None:
    status = combine(_snmp(), _ipp())
    assert status.state is DeviceState.ERROR
    assert status.device_status == "Paper jam in tray 2" and status.printer_status == "stopped"
    assert [a.code for a in status.alerts] == ["media-jam-error"]
    assert status.page_count == 12345 and status.uptime_s == 99.0
    assert status.supplies[0].description == "Black" and status.error_bits == ("lowToner",)
    assert status.sources == {
        "state": "ipp",
        "device_status": "ipp",
        "alerts": "ipp",
        "supplies": "snmp",
        "page_count": "snmp",
        "uptime_s": "snmp",
    }  # fmt: skip (no trays from either: no source named)


def test_what_snmp_lacks_comes_from_ipp() -> None:
    status = combine(_snmp(supplies=(), page_count=None, alerts=()), _ipp(alerts=()))
    assert status.supplies[0].source == "ipp" and status.page_count == 12000
    assert status.sources["supplies"] == "ipp" and status.sources["page_count"] == "ipp"


def test_one_protocol_down_leaves_the_other_standing_with_a_read_error() -> None:
    down = DeviceStatus.unreachable(12.0, "timed out")
    status = combine(_snmp(), down)
    assert status.reachable and status.state is DeviceState.WARNING
    assert TableError("ipp", "timed out", "ipp") in status.errors
    status = combine(down, _ipp())
    assert status.reachable and status.state is DeviceState.ERROR
    assert TableError("snmp", "timed out", "snmp") in status.errors
    both = combine(down, down)
    assert not both.reachable and both.state is DeviceState.UNREACHABLE


def test_sources_survive_the_store(store: Store) -> None:
    device_id = merge_observation(store, advert("_ipp._tcp", [UUID])).device_id
    store.write_poll_cycle([(device_id, combine(_snmp(), _ipp()))])
    (overview,) = store.list_overview()
    assert overview.status is not None and overview.status.sources["state"] == "ipp"


# --- against a real printer ----------------------------------------------------------------


def _ipptool_value(printer: IppPrinter, name: str) -> str:
    out = subprocess.run(
        ["ipptool", "-tv", printer.uri, "get-printer-attributes.test"],
        capture_output=True, text=True, timeout=30, check=True,
    ).stdout  # fmt: skip
    match = re.search(rf"^\s*{re.escape(name)} \([^)]*\) = (.*)$", out, re.M)
    assert match, f"ipptool did not print {name}"
    return match[1].strip()


@pytest.mark.peer("ippeveprinter")
def test_the_monitor_polls_a_real_printer_found_by_its_ipp_answer(
    ippeveprinter_host: IppPrinter, store: Store
) -> None:
    printer = ippeveprinter_host

    async def go() -> tuple[str, DeviceStatus, str | None]:
        report = await printer_report(printer.uri)
        target = parse_uri(printer.uri)
        obs = report.observation(target.host, target.port, time.time())
        device_id = (await asyncio.to_thread(merge_observation, store, obs)).device_id
        watch = IppWatch(pins=shared_pins(store), timeout_s=5)
        monitor = Monitor(store, watch)
        try:
            devices = await asyncio.to_thread(monitor._pollable_devices)
            ((_device, status),) = await monitor.poll_once(devices)
            make = (await (await watch.client()).status(printer.uri)).make_and_model
        finally:
            await watch.aclose()
        return device_id, status, make

    device_id, status, make = asyncio.run(go())
    device = store.get_device(device_id)
    assert device is not None and device.ipp_uri == printer.uri
    # What ippeveprinter was started with, and what ipptool reads from it.
    assert make == printer.make_and_model == _ipptool_value(printer, "printer-make-and-model")
    assert _ipptool_value(printer, "printer-state") == "idle"
    assert status.reachable and status.state is DeviceState.OK
    assert status.printer_status == "idle"
    black = next(s for s in status.supplies if s.description == "Black Toner")
    assert black.percent == 75.0 and black.source == "ipp"
    (stored,) = store.list_overview()
    assert stored.status is not None and stored.status.printer_status == "idle"


def ward_printer(printer: IppPrinter, *schemes: str, port: int | None = None) -> Device:
    """An inventory device for ``printer``: one endpoint per scheme, all at its IPP port."""
    endpoints = tuple(ServiceEndpoint(scheme, printer.port, "ipp/print") for scheme in schemes)
    return Device(
        "d", "Ward printer", DeviceKind.PRINTER, Identity(), address=printer.host, port=port,
        endpoints=endpoints,
    )  # fmt: skip


@pytest.mark.peer("ippeveprinter")
def test_combined_source_asks_only_ipp_when_snmp_cannot(
    ippeveprinter_host: IppPrinter,
) -> None:
    class NoSnmp:
        def can_poll(self, device: Device) -> bool:
            return False

        async def poll(self, device: Device) -> DeviceStatus:
            raise AssertionError("SNMP asked for a device it cannot poll")

    printer = ippeveprinter_host
    device = ward_printer(printer, "ipp")

    async def go() -> DeviceStatus:
        source = CombinedSource(NoSnmp(), IppWatch(timeout_s=5))
        try:
            assert source.can_poll(device)
            return await source.poll(device)
        finally:
            await source.aclose()

    status = asyncio.run(go())
    assert status.printer_status == "idle" and status.sources == {}


@pytest.mark.peer("ippeveprinter")
def test_polling_ipps_asks_for_trust_then_polls_then_blocks_a_changed_certificate(
    ippeveprinter_tls: IppPrinter, store: Store
) -> None:
    printer = ippeveprinter_tls
    device = ward_printer(printer, "ipps", "ipp")
    assert device.ipp_uri == f"ipps://127.0.0.1:{printer.port}/ipp/print"
    pins = shared_pins(store)
    endpoint = endpoint_key(printer.host, printer.port)

    async def go() -> list[DeviceStatus]:
        watch = IppWatch(pins=pins, timeout_s=5)
        try:
            first = await watch.poll(device)  # nobody has trusted it yet
            client = await watch.client()
            check = await client.check_trust(device.ipp_uri or "")
            assert check is not None
            await client.trust(device.ipp_uri or "", check.fingerprint)
            trusted = await watch.poll(device)
            pins.set_pin(endpoint, "AA:" * 31 + "AA")  # as if the printer's key changed
            changed = await watch.poll(device)
            return [first, trusted, changed]
        finally:
            await watch.aclose()

    first, trusted, changed = asyncio.run(go())
    assert first.state is DeviceState.UNKNOWN and first.reachable
    assert [a.code for a in first.alerts] == ["tls-trust-needed"]
    assert trusted.state is DeviceState.OK and trusted.printer_status == "idle"
    assert changed.state is DeviceState.ERROR
    (alert,) = changed.alerts
    assert alert.code == "tls-certificate-changed" and alert.severity is Severity.CRITICAL
    assert "CHANGED" in alert.description and changed.supplies == ()


@pytest.mark.peer("snmpsim")
@pytest.mark.peer("ippeveprinter")
def test_a_printer_with_snmp_and_ipp_gets_one_status_saying_who_said_what(
    ippeveprinter_host: IppPrinter, snmpsim_agent: Any
) -> None:
    from wardfleet.protocols.snmp_credentials import community
    from wardfleet.services.snmp_watch import SnmpEndpoint, SnmpWatch

    printer = ippeveprinter_host
    # mDNS merged last, so the device's port is IPP's: SNMP must still find its endpoint.
    device = ward_printer(printer, "ipp", port=631)

    async def go() -> DeviceStatus:
        snmp = SnmpWatch([SnmpEndpoint(snmpsim_agent.host, snmpsim_agent.port,
                                       (community("jetdirect_m252dw"),))])  # fmt: skip
        source = CombinedSource(snmp, IppWatch(timeout_s=5))
        try:
            assert snmp.can_poll(device) and source.ipp.can_poll(device)
            return await source.poll(device)
        finally:
            await source.aclose()

    status = asyncio.run(go())
    assert status.reachable and status.printer_status == "idle"  # IPP's exact state
    assert status.state is DeviceState.OK
    assert status.sources["state"] == "ipp" and status.sources["supplies"] == "snmp"
    # The recording's supplies (HP toner), not ippeveprinter's "Black Toner" at 75 %.
    assert status.supplies and all(s.source != "ipp" for s in status.supplies)
    assert status.uptime_s is not None and status.sources["uptime_s"] == "snmp"
    assert "page_count" not in status.sources  # neither the recording nor ippeveprinter says

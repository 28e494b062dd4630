"""IPP against a real IPP Everywhere printer (CUPS's ippeveprinter) on loopback."""

from __future__ import annotations

import asyncio
import logging
import re
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.peers.ipp import IppPrinter, start_ippeveprinter
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.protocols.ipp import (
    IppClient,
    IppNoAnswer,
    IppNotSupported,
    IppProtocolError,
    IppStatusError,
)
from wardfleet.protocols.ipp_codec import (
    Attribute,
    Collection,
    DateTime,
    Range,
    Resolution,
    TextLang,
)
from wardfleet.protocols.ipp_spec import JOB_STATES, PRINTER_STATES
from wardfleet.services.discovery import merge_observation
from wardfleet.store import Store

pytestmark = pytest.mark.peer("ippeveprinter")

PATIENT_JOB = "Discharge summary - Jane Doe 4711"


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


async def _client() -> AsyncIterator[IppClient]:
    async with httpx.AsyncClient() as http:
        client = IppClient(http, timeout=10)
        try:
            yield client
        finally:
            await client.aclose()


def with_client(fn):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        async for client in _client():
            return await fn(client)

    return run(go())


def test_status_is_what_the_printer_was_started_with(ippeveprinter_host: IppPrinter) -> None:
    report = with_client(lambda c: c.status(ippeveprinter_host.uri))
    assert report.make_and_model == ippeveprinter_host.make_and_model
    assert report.location == ippeveprinter_host.location
    assert report.info == ippeveprinter_host.name
    assert report.state in ("idle", "processing")
    assert report.status.state in (DeviceState.OK, DeviceState.BUSY)
    assert report.uuid and re.fullmatch(r"[0-9a-f-]{36}", report.uuid)
    assert (report.vendor, report.model) == ("Ward", "LaserJet 4000")
    assert report.accepting_jobs is True and report.uptime_s is not None
    assert "image/pwg-raster" in report.document_formats
    names = {s.description: s for s in report.status.supplies}
    assert names["Black Toner"].percent == 75.0 and names["Toner Waste Tank"].is_receptacle
    assert report.status.latency_ms is not None and report.status.latency_ms < 5000


# --- ipptool cross-check ---------------------------------------------------------------------

_IPPTOOL_LINE = re.compile(r"^\s{8}([a-z0-9-]+) \(([^)]+)\) = (.*)$")
_VOLATILE = {
    "printer-up-time", "printer-current-time", "printer-state-change-time",
    "printer-state-change-date-time", "printer-config-change-time",
    "printer-config-change-date-time", "queued-job-count", "printer-state",
    "printer-state-reasons", "printer-state-message", "printer-is-accepting-jobs",
}  # fmt: skip


def _as_ipptool(value: object) -> str | None:
    """Our decoded value written the way ``ipptool -tv`` prints it; None: not comparable."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, TextLang):
        return value.text
    if isinstance(value, Resolution):
        return str(value)
    if isinstance(value, Range):
        return f"{value.lower}-{value.upper}"
    if isinstance(value, DateTime | Collection) or value is None:
        return None
    raise AssertionError(type(value))


def test_decoder_agrees_with_ipptool(ippeveprinter_host: IppPrinter) -> None:
    printer = ippeveprinter_host
    out = subprocess.run(
        ["ipptool", "-tv", printer.uri, "get-printer-attributes.test"],
        capture_output=True, text=True, timeout=30, check=True,
    ).stdout  # fmt: skip
    response = out.split("RECEIVED:", 1)[1]
    theirs = {
        m[1]: (m[2], m[3]) for line in response.splitlines() if (m := _IPPTOOL_LINE.match(line))
    }
    ours: dict[str, Attribute] = with_client(
        lambda c: c.get_printer_attributes(printer.uri, ("all", "media-col-database"))
    )
    assert set(theirs) - {"attributes-charset", "attributes-natural-language"} == set(ours)
    compared = 0
    for name, attr in ours.items():
        syntax, text = theirs[name]
        if name in _VOLATILE or "enum" in syntax:
            continue
        rendered = [_as_ipptool(v) for v in attr.all()]
        if None in rendered:
            continue
        joined = ",".join(r for r in rendered if r is not None)
        # ippeveprinter builds URIs from the Host header: ipptool says localhost, we 127.0.0.1.
        assert joined.replace("//127.0.0.1:", "//localhost:") == text, name
        compared += 1
    assert compared >= 50
    # Enums: ipptool prints names, we keep numbers.
    assert PRINTER_STATES[ours["printer-state"].all()[0]] == theirs["printer-state"][1]  # type: ignore[index]


# --- jobs -------------------------------------------------------------------------------------


def test_test_page_prints_and_is_listed(ippeveprinter_host: IppPrinter) -> None:
    async def go(client: IppClient):  # type: ignore[no-untyped-def]
        result = await client.print_test_page(ippeveprinter_host.uri, ward="Ward 3 – Süd")
        jobs = await client.jobs(ippeveprinter_host.uri) + await client.jobs(
            ippeveprinter_host.uri, completed=True
        )
        return result, jobs

    result, jobs = with_client(go)
    assert result.document_format == "image/pwg-raster"  # the first format we can make
    job = next(j for j in jobs if j.id == result.job_id)
    assert job.user == "wardfleet" and job.name is None
    assert job.state in ("pending", "processing", "completed")


@pytest.fixture
def own_printer(tmp_path: Path) -> Iterator[IppPrinter]:
    """A printer of this test alone: held jobs make ippeveprinter refuse other Create-Jobs."""
    with start_ippeveprinter(tmp_path / "ipp", name="Held Printer") as handle:
        yield handle.info


def test_held_job_is_listed_then_cancelled(
    own_printer: IppPrinter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    async def go(client: IppClient):  # type: ignore[no-untyped-def]
        job_id = await client.create_job(own_printer.uri, PATIENT_JOB)
        try:
            hidden = await client.jobs(own_printer.uri)
            shown = await client.jobs(own_printer.uri, show_names=True)
        finally:
            await client.cancel_job(own_printer.uri, job_id)
        after = await client.jobs(own_printer.uri)
        done = await client.jobs(own_printer.uri, completed=True)
        return job_id, hidden, shown, after, done

    job_id, hidden, shown, after, done = with_client(go)
    held = next(j for j in hidden if j.id == job_id)
    assert held.state == JOB_STATES[4] == "pending-held" and held.name is None
    assert next(j for j in shown if j.id == job_id).name == PATIENT_JOB
    assert job_id not in {j.id for j in after}
    assert next(j for j in done if j.id == job_id).state == "canceled"
    assert PATIENT_JOB not in caplog.text  # job names never reach a log


def test_operations_ippeveprinter_lacks_are_named_in_words(ippeveprinter_host: IppPrinter) -> None:
    async def go(client: IppClient) -> list[str]:
        out = []
        for call in (
            client.pause(ippeveprinter_host.uri),
            client.resume(ippeveprinter_host.uri),
            client.set_printer_attributes(ippeveprinter_host.uri, location="Ward 4"),
        ):
            with pytest.raises(IppNotSupported) as info:
                await call
            out.append(str(info.value))
        return out

    messages = with_client(go)
    assert messages[0].startswith("Pause-Printer: not supported by this printer")
    assert messages[0].endswith("[server-error-operation-not-supported]")
    assert all("not supported by this printer" in m for m in messages)


def test_no_answer_and_wrong_path(ippeveprinter_host: IppPrinter) -> None:
    async def go(client: IppClient) -> tuple[str, str, object]:
        with pytest.raises(IppNoAnswer) as refused:
            await client.status("ipp://127.0.0.1:9/ipp/print")
        with pytest.raises((IppProtocolError, IppStatusError)) as wrong:
            await client.status(f"ipp://127.0.0.1:{ippeveprinter_host.port}/nothing-here")
        polled = await client.poll("ipp://127.0.0.1:9/ipp/print")
        return str(refused.value), str(wrong.value), polled

    refused, wrong, polled = with_client(go)
    assert "connection refused" in refused
    assert "no such printer or job" in wrong and "[client-error-not-found]" in wrong
    assert polled.state is DeviceState.UNREACHABLE and not polled.reachable  # type: ignore[attr-defined]


# --- merge with SNMP and mDNS -----------------------------------------------------------------

_ATTRS = """ATTR textWithoutLanguage printer-make-and-model "HP LaserJet Pro M404"
ATTR textWithoutLanguage printer-device-id \
"MFG:Hewlett-Packard;MDL:LaserJet Pro M404;SN:PHBQK12345;"
ATTR integer marker-levels 80,-1,-3
ATTR nameWithoutLanguage marker-names "Black Toner","Cyan Toner","Drum"
ATTR nameWithoutLanguage marker-colors "#000000","#00FFFF","none"
ATTR keyword marker-types toner,toner,opc
ATTR integer marker-low-levels 10,10,5
ATTR integer marker-high-levels 100,100,100
ATTR collection media-col-default { MEMBER keyword media-size-name iso_a4_210x297mm }
"""


def test_ipp_joins_the_snmp_and_mdns_records_of_one_printer(tmp_path: Path) -> None:
    conf = tmp_path / "attrs.conf"
    conf.write_text(_ATTRS)
    with start_ippeveprinter(tmp_path / "ipp", extra_args=["-a", str(conf)]) as handle:
        printer = handle.info
        report = with_client(lambda c: c.status(printer.uri))
    assert report.serial == "PHBQK12345" and report.vendor == "HP"
    black, cyan, drum = report.status.supplies
    assert (black.percent, cyan.level, drum.level_state.value) == (80.0, None, "some-remaining")

    store = Store.open(tmp_path / "w.sqlite3")
    try:
        snmp = Observation(
            Protocol.SNMP, "127.0.0.1",
            Identity.of(serial="phbqk12345", vendor="HP", address="127.0.0.1"),
            1.0, kind=DeviceKind.PRINTER, vendor="HP",
        )  # fmt: skip
        mdns = Observation(
            Protocol.MDNS, "127.0.0.1", Identity.of(uuid=report.uuid, address="127.0.0.1"), 2.0,
            port=printer.port, name="HP LaserJet Pro M404 (mDNS)",
        )  # fmt: skip
        first = merge_observation(store, snmp).device_id
        second = merge_observation(store, mdns).device_id
        ipp = merge_observation(store, report.observation("127.0.0.1", printer.port, 3.0))
        devices = store.list_devices()
        assert len(devices) == 1, devices
        assert ipp.device_id in (first, second)
        device = devices[0]
        assert device.identity.serial == "PHBQK12345" and device.identity.uuid == report.uuid
        assert {"snmp", "mdns", "ipp"} <= set(device.protocols)
        store.write_poll_cycle([(device.id, report.status)])
        stored = store.list_overview()[0].status
        assert stored is not None and {s.source for s in stored.supplies} == {"ipp"}
    finally:
        store.close()

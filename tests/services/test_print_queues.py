"""Print queues on a real (private) cupsd pointing at a real IPP Everywhere printer; and the
IPP operations ippeveprinter lacks (pause/resume, Set-Printer-Attributes), against cupsd."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import httpx
import pytest

from tests.peers.cupsd import CupsServer
from tests.peers.ipp import IppPrinter
from wardfleet.protocols.ipp import IppClient
from wardfleet.services.print_queues import (
    CupsQueues,
    PrintQueueError,
    QueueSpec,
    queue_name_for,
)

pytestmark = [pytest.mark.peer("cupsd"), pytest.mark.peer("ippeveprinter")]
T = TypeVar("T")


def run(awaitable: Awaitable[T]) -> T:
    async def go() -> T:
        return await awaitable

    return asyncio.run(go())


def ipp(fn):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        async with httpx.AsyncClient() as http:
            client = IppClient(http, timeout=10)
            try:
                return await fn(client)
            finally:
                await client.aclose()

    return asyncio.run(go())


def test_queue_names_are_safe() -> None:
    assert queue_name_for("Ward 3 – Station Süd / Printer #2") == "Ward_3_Station_S_d_Printer_2"
    assert queue_name_for("   ") == "Wardfleet_Printer"


def test_deploy_update_and_remove(cupsd_server: CupsServer, ippeveprinter_host: IppPrinter) -> None:
    queues = CupsQueues(server=cupsd_server.server, error_log=cupsd_server.error_log)
    spec = QueueSpec(
        "Ward 3 Printer", ippeveprinter_host.uri, info="Ward LaserJet", location="Ward 3"
    )
    try:
        result = run(queues.deploy(spec))
        assert (result.name, result.created, result.is_default) == ("Ward_3_Printer", True, True)
        assert result.options > 3  # the driverless PPD exists, with media, source, type...
        assert (cupsd_server.ppd_dir / "Ward_3_Printer.ppd").is_file()
        listed = {q.name: q for q in run(queues.queues())}
        assert listed["Ward_3_Printer"].device_uri == ippeveprinter_host.uri
        assert listed["Ward_3_Printer"].is_default and listed["Ward_3_Printer"].enabled
        assert (
            "system default destination: Ward_3_Printer"
            in cupsd_server.run(["lpstat", "-d"]).stdout
        )

        again = run(
            queues.deploy(QueueSpec("Ward 3 Printer", ippeveprinter_host.uri, location="Ward 3b"))
        )
        assert not again.created
        attrs = ipp(lambda c: c.get_printer_attributes(cupsd_server.queue_uri("Ward_3_Printer")))
        assert attrs["printer-location"].first == "Ward 3b"
        assert_job_reaches_the_printer(cupsd_server.queue_uri("Ward_3_Printer"), ippeveprinter_host)
    finally:
        assert run(queues.remove("Ward_3_Printer")) is True
    assert run(queues.remove("Ward_3_Printer")) is False
    assert "Ward_3_Printer" not in {q.name for q in run(queues.queues())}


def assert_job_reaches_the_printer(queue_uri: str, printer: IppPrinter) -> None:
    """A page sent to the CUPS queue is filtered and forwarded to the printer itself."""

    async def go(client: IppClient) -> None:
        before = {j.id for j in await client.jobs(printer.uri, completed=True)}
        before |= {j.id for j in await client.jobs(printer.uri)}
        await client.print_test_page(queue_uri, ward="Ward 3")
        async with asyncio.timeout(30):
            while True:
                now = await client.jobs(printer.uri) + await client.jobs(
                    printer.uri, completed=True
                )
                if any(j.id not in before for j in now):
                    return
                await asyncio.sleep(0.2)

    ipp(go)


def test_unreachable_printer_fails_with_the_reason_from_the_error_log(
    cupsd_server: CupsServer,
) -> None:
    queues = CupsQueues(
        server=cupsd_server.server, error_log=cupsd_server.error_log, ppd_deadline_s=2.0
    )
    with pytest.raises(PrintQueueError) as failed:
        run(queues.deploy(QueueSpec("Gone Printer", "ipp://127.0.0.1:9/ipp/print")))
    message = str(failed.value)
    assert "no driverless driver for Gone_Printer within 2 s" in message
    assert "Unable to connect to 127.0.0.1:9" in message  # from cupsd's error_log
    assert "Gone_Printer" not in {q.name for q in run(queues.queues())}  # no broken queue left


def test_jobs_pause_resume_and_location_through_cupsd(
    cupsd_server: CupsServer, ippeveprinter_host: IppPrinter
) -> None:
    queues = CupsQueues(server=cupsd_server.server, error_log=cupsd_server.error_log)
    name = run(
        queues.deploy(QueueSpec("Ops Printer", ippeveprinter_host.uri, make_default=False))
    ).name
    uri = cupsd_server.queue_uri(name)

    async def go(client: IppClient):  # type: ignore[no-untyped-def]
        await client.pause(uri)
        paused = await client.status(uri)
        # A job sent while paused waits in cupsd's queue: visible in Get-Jobs, cancellable.
        page = await client.print_test_page(uri, ward="Ward 3")
        waiting = await client.jobs(uri)
        await client.cancel_job(uri, page.job_id)
        after_cancel = await client.jobs(uri)
        cancelled = await client.jobs(uri, completed=True)
        await client.resume(uri)
        resumed = await client.status(uri)
        await client.set_printer_attributes(uri, location="Ward 3 – Bay 2", info="Bay printer")
        changed = await client.status(uri)
        return paused, page, waiting, after_cancel, cancelled, resumed, changed

    try:
        paused, page, waiting, after_cancel, cancelled, resumed, changed = ipp(go)
    finally:
        run(queues.remove(name))
    assert paused.state == "stopped" and "paused" in paused.reasons
    assert paused.status.state.value == "warning"
    assert page.document_format == "image/pwg-raster"  # cupsd lists what the PPD takes
    assert next(j for j in waiting if j.id == page.job_id).state == "pending"
    assert page.job_id not in {j.id for j in after_cancel}
    assert next(j for j in cancelled if j.id == page.job_id).state == "canceled"
    assert resumed.state == "idle" and "paused" not in resumed.reasons
    assert (changed.location, changed.info) == ("Ward 3 – Bay 2", "Bay printer")

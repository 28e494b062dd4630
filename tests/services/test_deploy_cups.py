"""services.deploy's IPP success path: CUPS implements Set-Printer-Attributes for
printer-location and printer-info on its queues (ippeveprinter does not: see
test_deploy.py). Confirmed with CUPS's own ``lpstat -l``."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.peers.cupsd import CupsServer
from wardfleet.protocols.ipp import IppClient
from wardfleet.services.deploy import (
    IPP_INFO,
    IPP_LOCATION,
    Deployer,
    DeviceJob,
    DeviceResult,
    IppEndpoint,
    Outcome,
)

pytestmark = pytest.mark.peer("cupsd")
QUEUE = "Deploy_Test"


def test_set_printer_attributes_on_a_cups_queue(cupsd_server: CupsServer) -> None:
    made = cupsd_server.run(["lpadmin", "-p", QUEUE, "-v", "ipp://127.0.0.1:9/ipp/print",
                             "-L", "Old place", "-D", "Old info"])  # fmt: skip
    assert made.returncode == 0, made.stderr
    uri = cupsd_server.queue_uri(QUEUE)

    async def go() -> list[DeviceResult]:
        async with httpx.AsyncClient() as http:
            client = IppClient(http, timeout=5)
            try:
                deployer = Deployer(None, actor="tester")
                desired = ((IPP_LOCATION, "Ward 5 office"), (IPP_INFO, "Ward 5 laser"))
                plan = await deployer.plan([DeviceJob(IppEndpoint(client, uri), desired)])
                assert [(r.current, r.new) for r in plan.rows] == [
                    ("Old place", "Ward 5 office"), ("Old info", "Ward 5 laser"),
                ]  # fmt: skip
                return await deployer.apply(plan)
            finally:
                await client.aclose()

    try:
        [result] = asyncio.run(go())
        assert result.outcome is Outcome.APPLIED, result.reason
        assert [s.verified for s in result.settings] == ["Ward 5 office", "Ward 5 laser"]
        listed = cupsd_server.run(["lpstat", "-l", "-p", QUEUE]).stdout
        assert "Ward 5 office" in listed and "Ward 5 laser" in listed
    finally:
        cupsd_server.run(["lpadmin", "-x", QUEUE])

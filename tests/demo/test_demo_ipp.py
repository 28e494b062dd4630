"""The demo ward's real IPP printer (ippeveprinter on loopback, never advertised)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.peers._policy import require_peer
from tests.protocols.ipp_report import printer_report
from wardfleet.demo.ipp_printer import LOCATION, MAKE, MODEL, DemoIppPrinterProcess
from wardfleet.protocols.ipp_status import PrinterReport
from wardfleet.services.discovery import merge_observation
from wardfleet.store import Store


def _cmdline(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


@pytest.mark.peer("ippeveprinter")
def test_demo_printer_answers_ipp_on_loopback_unadvertised_and_stops(tmp_path: Path) -> None:
    require_peer("ippeveprinter", "ippeveprinter", "dbus-daemon")
    store = Store.open(tmp_path / "demo.sqlite3")

    async def go() -> tuple[PrinterReport, list[str], str | None]:
        process = DemoIppPrinterProcess()
        printer = await process.start()
        assert printer is not None and printer.uri.startswith("ipp://127.0.0.1:")
        try:
            cmdlines = [_cmdline(p.pid) for p in process._procs]
            report = await printer_report(printer.uri)
            outcome = await asyncio.to_thread(
                merge_observation, store, printer.observation(time.time())
            )
            device = store.get_device(outcome.device_id)
            uri = device.ipp_uri if device else None
        finally:
            await process.stop()
        (ipp_argv,) = [c for c in cmdlines if "ippeveprinter" in c]
        return report, ipp_argv, uri

    try:
        report, argv, uri = asyncio.run(go())
    finally:
        store.close()
    assert report.make_and_model == f"{MAKE} {MODEL}"
    assert report.location == LOCATION
    assert argv[argv.index("-r") + 1] == "off"  # DNS-SD registration off
    assert argv[argv.index("-n") + 1] == "localhost"  # loopback only
    assert uri == report.uri

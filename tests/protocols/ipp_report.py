"""One Get-Printer-Attributes through the app's own IppClient, for tests that need what a
real printer reports before checking what the app made of it."""

from __future__ import annotations

import httpx

from wardfleet.protocols.ipp import IppClient
from wardfleet.protocols.ipp_status import PrinterReport


async def printer_report(uri: str) -> PrinterReport:
    async with httpx.AsyncClient() as http:
        client = IppClient(http, timeout=5)
        try:
            return await client.status(uri)
        finally:
            await client.aclose()

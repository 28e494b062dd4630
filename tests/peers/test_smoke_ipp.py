"""ippeveprinter answers IPP (checked with ipptool) and, in the namespace, is browsable."""

from __future__ import annotations

import subprocess

import pytest

from .ipp import IppPrinter
from .mdns import AvahiNs

pytestmark = pytest.mark.peer("ippeveprinter")


def get_printer_attributes(printer: IppPrinter) -> str:
    result = subprocess.run(
        printer.argv(["ipptool", "-tv", printer.uri, "get-printer-attributes.test"]),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[PASS]" in result.stdout
    return result.stdout


@pytest.mark.parametrize("where", ["ippeveprinter_host", "ippeveprinter_ns"])
def test_get_printer_attributes(where: str, request: pytest.FixtureRequest) -> None:
    printer: IppPrinter = request.getfixturevalue(where)
    out = get_printer_attributes(printer)
    assert f"printer-make-and-model (textWithoutLanguage) = {printer.make_and_model}" in out
    assert f"printer-location (textWithoutLanguage) = {printer.location}" in out


def test_registered_with_avahi(ippeveprinter_ns: IppPrinter, avahi_ns: AvahiNs) -> None:
    found = {s.name: s for s in avahi_ns.browse("_ipp._tcp")}
    service = found[ippeveprinter_ns.name]
    assert (service.address, service.port) == ("127.0.0.1", ippeveprinter_ns.port)
    assert service.txt["ty"] == ippeveprinter_ns.make_and_model
    assert service.txt["note"] == ippeveprinter_ns.location
    assert service.txt["rp"] == "ipp/print"

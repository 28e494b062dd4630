"""eSCL: real captures (tests/fixtures/escl) served over loopback HTTP, and hostile XML."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wardfleet.cli import main
from wardfleet.domain.identity import IdentityKind
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.observation import Protocol
from wardfleet.domain.status import Severity
from wardfleet.protocols.escl import (
    EsclClient,
    EsclNoAnswer,
    EsclProtocolError,
    ScannerReport,
    device_status,
    parse_capabilities,
    parse_status,
)

CAPTURES = Path(__file__).resolve().parents[1] / "fixtures" / "escl"


def capture(name: str) -> bytes:
    return (CAPTURES / name).read_bytes()


class Scanners:
    """An HTTP server with one "scanner" per path prefix: /<name>/eSCL/Scanner..."""

    def __init__(self, routes: dict[str, bytes]) -> None:
        routes_ = routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = routes_.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def scanners() -> Iterator[str]:
    routes = {
        "/hp-m283/eSCL/ScannerCapabilities": capture("hp-clj-mfp-m283fdw-caps.xml"),
        "/hp-m283/eSCL/ScannerStatus": capture("hp-clj-mfp-m283fdw-status.xml"),
        "/hp-570/eSCL/ScannerCapabilities": capture("hp-smart-tank-plus-570-caps.xml"),
        "/hp-570/eSCL/ScannerStatus": capture("hp-smart-tank-plus-570-status.xml"),
        "/laughs/eSCL/ScannerCapabilities": capture("hp-smart-tank-plus-570-caps.xml"),
        "/laughs/eSCL/ScannerStatus": BILLION_LAUGHS,
    }
    server = Scanners(routes)
    try:
        yield server.base
    finally:
        server.close()


def status_of(url: str) -> ScannerReport:
    async def go() -> ScannerReport:
        async with httpx.AsyncClient() as http:
            client = EsclClient(http, timeout=2)
            try:
                return await client.status(url)
            finally:
                await client.aclose()

    return asyncio.run(go())


def test_capabilities_of_every_capture() -> None:
    hp570 = parse_capabilities(capture("hp-smart-tank-plus-570-caps.xml"))
    assert (hp570.version, hp570.make_and_model, hp570.manufacturer) == (
        "2.63",
        "Smart Tank Plus 570 series",
        "HP",
    )
    assert (hp570.serial, hp570.uuid) == ("CN19E4S0VQ", "4fae70ec-cc7e-581b-fd50-8a1dc2f57502")
    assert (hp570.has_platen, hp570.has_adf, hp570.adf_duplex) == (True, True, False)
    assert hp570.color_modes == ("BlackAndWhite1", "Grayscale8", "RGB24")
    assert hp570.document_formats == ("application/octet-stream", "image/jpeg", "application/pdf")
    assert hp570.resolutions == (75, 100, 150, 200, 300, 400, 600, 1200)
    assert hp570.admin_uri == "http://HP5081406927CC.local."

    brother = parse_capabilities(capture("brother-mfc-l8690cdw-caps.xml"))
    assert brother.make_and_model == "Brother MFC-L8690CDW series" and brother.manufacturer is None
    assert brother.serial is None  # the capture says "..."
    assert brother.adf_duplex and brother.resolutions == (100, 200, 300, 600)
    assert brother.version == "2.62"

    canon = parse_capabilities(capture("canon-ts7450-caps.xml"))
    assert (canon.make_and_model, canon.serial) == ("Canon TS7400 series", "0018d7024a10")
    assert canon.resolutions == (75, 100, 150, 200, 300, 600, 1200)

    m283 = parse_capabilities(capture("hp-clj-mfp-m283fdw-caps.xml"))
    assert m283.serial is None  # "NULL"
    assert (
        m283.color_modes == ("RGB24", "Grayscale8") and m283.admin_uri == "https://Drucker.local."
    )


def test_status_captures() -> None:
    busy = parse_status(capture("hp-clj-mfp-m283fdw-status.xml"))
    assert (busy.version, busy.state, busy.adf_state) == ("2.63", "Processing", "ScannerAdfEmpty")
    assert [(j.state, j.reasons, j.age_s, j.images_completed) for j in busy.jobs] == [
        ("Processing", ("JobScanning",), 110, 1),
        ("Aborted", ("JobCanceledAtDevice",), 100, 1),
    ]
    assert busy.jobs[0].uuid == "5aae756a-ef1f-4e97-a993-4f8d1d43d10c"
    assert device_status(busy, polled_at=1.0).state is DeviceState.BUSY

    idle = parse_status(capture("hp-smart-tank-plus-570-status.xml"))
    assert (idle.state, idle.state_words) == ("Idle", "Ready")
    assert [j.state for j in idle.jobs] == ["Completed", "Completed"]
    assert [j.age_s for j in idle.jobs] == [3150, 4725710]
    status = device_status(idle, polled_at=1.0)
    assert status.state is DeviceState.OK and status.alerts == ()


def test_feeder_problems_and_stopped_states_are_alerts() -> None:
    xml = capture("hp-smart-tank-plus-570-status.xml")
    jam = parse_status(xml.replace(b"ScannerAdfEmpty", b"ScannerAdfJam"))
    status = device_status(jam, polled_at=1.0)
    assert status.state is DeviceState.ERROR
    assert [(a.description, a.severity, a.source) for a in status.alerts] == [
        ("Document feeder jam", Severity.CRITICAL, "escl")
    ]
    down = device_status(parse_status(xml.replace(b">Idle<", b">Down<")), polled_at=1.0)
    assert down.state is DeviceState.ERROR and down.device_status == "Out of service"
    testing = device_status(parse_status(xml.replace(b">Idle<", b">Testing<")), polled_at=1.0)
    assert testing.state is DeviceState.BUSY


def test_served_scanner_status_and_observation(scanners: str) -> None:
    report = status_of(f"{scanners}/hp-570")
    assert report.scanner.state == "Idle" and report.capabilities.serial == "CN19E4S0VQ"
    assert report.status.latency_ms is not None
    obs = report.observation("127.0.0.1", 8080, 5.0)
    assert (obs.protocol, obs.kind, obs.vendor, obs.model) == (
        Protocol.ESCL, DeviceKind.SCANNER, "HP", "Smart Tank Plus 570 series",
    )  # fmt: skip
    keys = {k.kind: k.value for k in obs.identity.keys()}
    assert keys[IdentityKind.SERIAL] == "hp|CN19E4S0VQ"
    assert keys[IdentityKind.UUID] == "4fae70ec-cc7e-581b-fd50-8a1dc2f57502"
    # A base URL that already ends in /eSCL works too.
    assert status_of(f"{scanners}/hp-m283/eSCL/").scanner.state == "Processing"


def test_served_errors_are_clear(scanners: str) -> None:
    with pytest.raises(EsclProtocolError, match="HTTP 404"):
        status_of(f"{scanners}/nothing")
    with pytest.raises(EsclProtocolError, match="DTDs are not allowed"):
        status_of(f"{scanners}/laughs")
    with pytest.raises(EsclNoAnswer):
        status_of("http://127.0.0.1:9")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03"
 xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"><pwg:State>&lol9;</pwg:State></scan:ScannerStatus>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE s [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03"
 xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"><pwg:State>&xxe;</pwg:State></scan:ScannerStatus>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE s [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03"/>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY])
def test_entity_tricks_are_refused(xml: bytes) -> None:
    with pytest.raises(EsclProtocolError, match="DTDs are not allowed"):
        parse_status(xml)


def test_malformed_oversized_and_foreign_documents() -> None:
    with pytest.raises(EsclProtocolError, match="not well-formed"):
        parse_status(b"<scan:ScannerStatus")
    with pytest.raises(EsclProtocolError, match="more than"):
        parse_status(b"<a>" + b"x" * (2 * 1024 * 1024) + b"</a>")
    with pytest.raises(EsclProtocolError, match="expected scan:ScannerStatus"):
        parse_status(capture("hp-smart-tank-plus-570-caps.xml"))
    deep = b"<a>" * 5000 + b"</a>" * 5000  # expat nests without Python recursion
    with pytest.raises(EsclProtocolError):
        parse_status(deep)


@settings(max_examples=200)
@given(st.binary(max_size=400))
def test_any_bytes_are_a_status_or_a_clear_error(raw: bytes) -> None:
    with contextlib.suppress(EsclProtocolError):
        parse_status(raw)


def test_cli_status_json(scanners: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["escl", f"{scanners}/hp-m283", "status", "--json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["state"], data["adf_state"], data["make_and_model"]) == (
        "Processing", "ScannerAdfEmpty", "HP Color LaserJet MFP M283fdw",
    )  # fmt: skip
    assert [j["state"] for j in data["jobs"]] == ["Processing", "Aborted"]
    assert main(["escl", "ftp://x", "status"]) == 2
    assert main(["escl", "http://127.0.0.1:9", "status", "--timeout", "1"]) == 3
    assert capsys.readouterr().err.count("\n") == 2

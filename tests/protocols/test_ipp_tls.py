"""TLS trust on first use: pinned contexts, pins in the store, ipps:// against ippeveprinter."""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.peers._policy import require_peer
from tests.peers._proc import free_port
from tests.peers.ipp import IppPrinter, start_ippeveprinter
from wardfleet.protocols.ipp import IppClient
from wardfleet.protocols.ipp_tls import (
    CertificateChanged,
    MemoryPins,
    PinnedClients,
    TrustDecisionNeeded,
    TrustState,
    endpoint_key,
    fetch_certificate,
    fingerprint_of,
    normalise_fingerprint,
    pinned_context,
)
from wardfleet.store import Store
from wardfleet.store.local import TlsPins, set_show_job_names, show_job_names


@dataclass(frozen=True)
class Cert:
    cert: Path
    key: Path

    @property
    def der(self) -> bytes:
        # `openssl ca` writes a text dump before the PEM block.
        pem = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n?",
                        self.cert.read_text(), re.S)  # fmt: skip
        assert pem is not None
        return ssl.PEM_cert_to_DER_cert(pem[0])


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Cert]:
    require_peer("openssl", "openssl")
    folder = tmp_path_factory.mktemp("certs")
    out = {}
    for name in ("a", "b"):
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
                 f"/CN=printer-{name}.local", "-keyout", f"{name}.key", "-out", f"{name}.pem",
                 cwd=folder)  # fmt: skip
        out[name] = Cert(folder / f"{name}.pem", folder / f"{name}.key")
    # An expired self-signed certificate, as printers that never got a new one carry.
    (folder / "index.txt").touch()
    (folder / "serial").write_text("01\n")
    (folder / "ca.cnf").write_text(
        "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\n"
        "default_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n"
    )
    _openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=expired.local",
             "-keyout", "old.key", "-out", "old.csr", cwd=folder)  # fmt: skip
    _openssl("ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", "old.key", "-in",
             "old.csr", "-out", "old.pem", "-startdate", "20200101000000Z", "-enddate",
             "20200102000000Z", cwd=folder)  # fmt: skip
    out["old"] = Cert(folder / "old.pem", folder / "old.key")
    return out


@contextlib.asynccontextmanager
async def tls_server(cert: Cert) -> AsyncIterator[int]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert.cert, cert.key)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            await reader.read(1)
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ctx)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


async def _handshake(port: int, ctx: ssl.SSLContext) -> None:
    _r, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx, server_hostname=None)
    writer.close()
    with contextlib.suppress(Exception):
        await writer.wait_closed()


def test_fingerprint_is_what_openssl_says(certs: dict[str, Cert]) -> None:
    out = subprocess.run(
        ["openssl", "x509", "-in", str(certs["a"].cert), "-noout", "-fingerprint", "-sha256"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert fingerprint_of(certs["a"].der) == out.strip().split("=", 1)[1]
    assert normalise_fingerprint(out.split("=", 1)[1].lower().replace(":", " ")) == fingerprint_of(
        certs["a"].der
    )
    assert normalise_fingerprint("AB:CD") is None


def test_pinned_context_accepts_exactly_its_certificate(certs: dict[str, Cert]) -> None:
    async def go() -> None:
        async with tls_server(certs["a"]) as port:
            assert await fetch_certificate("127.0.0.1", port) == certs["a"].der
            await _handshake(port, pinned_context(certs["a"].der))  # host name not checked
            with pytest.raises(ssl.SSLCertVerificationError):
                await _handshake(port, pinned_context(certs["b"].der))
        async with tls_server(certs["old"]) as port:
            await _handshake(port, pinned_context(certs["old"].der))  # expired but pinned: ok
            with pytest.raises(ssl.SSLCertVerificationError):
                await _handshake(port, ssl.create_default_context())  # no silent trust

    asyncio.run(go())


def test_first_use_then_trusted_then_changed(certs: dict[str, Cert]) -> None:
    async def go() -> None:
        pins = MemoryPins()
        clients = PinnedClients(pins)
        try:
            async with tls_server(certs["a"]) as port:
                key = endpoint_key("127.0.0.1", port)
                with pytest.raises(TrustDecisionNeeded) as first:
                    await clients.client_for("127.0.0.1", port)
                assert first.value.fingerprint == fingerprint_of(certs["a"].der)
                assert key not in pins.pins  # nothing pinned without a decision
                with pytest.raises(CertificateChanged):  # a wrong confirmation pins nothing
                    await clients.trust("127.0.0.1", port, fingerprint_of(certs["b"].der))
                await clients.trust("127.0.0.1", port, first.value.fingerprint.lower())
                assert (await clients.check("127.0.0.1", port)).state is TrustState.TRUSTED
                client, der = await clients.client_for("127.0.0.1", port)
                assert isinstance(client, httpx.AsyncClient) and der == certs["a"].der
            pins.pins[key] = fingerprint_of(certs["b"].der)  # as if b had been trusted here
            async with tls_server(certs["a"]) as port2:
                pins.pins[endpoint_key("127.0.0.1", port2)] = fingerprint_of(certs["b"].der)
                with pytest.raises(CertificateChanged, match="CERTIFICATE CHANGED") as changed:
                    await clients.client_for("127.0.0.1", port2)
                assert changed.value.pinned == fingerprint_of(certs["b"].der)
                check = await clients.check("127.0.0.1", port2)
                assert check.state is TrustState.CHANGED
        finally:
            await clients.aclose()

    asyncio.run(go())


def test_pins_and_the_privacy_setting_live_in_the_local_store_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "w.sqlite3")
    try:
        pins = TlsPins(store)
        assert pins.get_pin("10.0.0.5:631") is None
        pins.set_pin("10.0.0.5:631", "AA:BB")
        pins.set_pin("10.0.0.5:631", "CC:DD")
        assert pins.all() == {"10.0.0.5:631": "CC:DD"}
        assert show_job_names(store) is False  # hidden by default
        set_show_job_names(store, True)
        assert show_job_names(store) is True
        assert store.outbox_count() == 0  # neither is ever synced
        assert pins.remove_pin("10.0.0.5:631") and not pins.remove_pin("10.0.0.5:631")
    finally:
        store.close()
    again = Store.open(tmp_path / "w.sqlite3")
    try:
        assert show_job_names(again) is True
    finally:
        again.close()


# --- ipps:// against ippeveprinter -------------------------------------------------------


def _openssl_fingerprint(port: int) -> str:
    """The fingerprint as an independent tool sees it (openssl s_client | x509)."""
    shown = subprocess.run(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}"],
        input="", capture_output=True, text=True, timeout=15,
    ).stdout  # fmt: skip
    pem = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", shown, re.S)
    assert pem, shown
    out = subprocess.run(
        ["openssl", "x509", "-noout", "-fingerprint", "-sha256"],
        input=pem[0], capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return out.strip().split("=", 1)[1]


@pytest.fixture
def tls_printer(tmp_path: Path) -> Iterator[tuple[IppPrinter, Path]]:
    (tmp_path / "keys-1").mkdir()
    with start_ippeveprinter(tmp_path / "p", extra_args=["-K", str(tmp_path / "keys-1")]) as h:
        yield h.info, tmp_path


@pytest.mark.peer("ippeveprinter")
def test_ipps_first_use_trust_and_a_real_certificate_change(
    tls_printer: tuple[IppPrinter, Path],
) -> None:
    printer, tmp_path = tls_printer
    uri = f"ipps://127.0.0.1:{printer.port}/ipp/print"
    store = Store.open(tmp_path / "w.sqlite3")

    async def first(pins: TlsPins) -> str:
        async with httpx.AsyncClient() as http:
            client = IppClient(http, pins=pins)
            try:
                with pytest.raises(TrustDecisionNeeded) as need:
                    await client.status(uri)
                await client.trust(uri, need.value.fingerprint)
                report = await client.status(uri)
                assert report.make_and_model == printer.make_and_model
                return need.value.fingerprint
            finally:
                await client.aclose()

    async def later(pins: TlsPins) -> object:
        async with httpx.AsyncClient() as http:
            client = IppClient(http, pins=pins)
            try:
                return await client.status(uri)
            finally:
                await client.aclose()

    try:
        fingerprint = asyncio.run(first(TlsPins(store)))
        assert fingerprint == _openssl_fingerprint(printer.port)
        assert asyncio.run(later(TlsPins(store))) is not None  # pinned, no question asked
        assert TlsPins(store).get_pin(endpoint_key("127.0.0.1", printer.port)) == fingerprint
        _restart_and_expect_change(tmp_path, printer.port, TlsPins(store), uri, fingerprint)
    finally:
        store.close()


def _restart_and_expect_change(
    tmp_path: Path, port: int, pins: TlsPins, uri: str, old: str
) -> None:
    # The first printer still holds the port inside the fixture: use another port and move
    # the pin there, which is what an address taken over by another device looks like.
    new_port = free_port("tcp")
    pins.set_pin(endpoint_key("127.0.0.1", new_port), old)
    new_uri = uri.replace(f":{port}/", f":{new_port}/")
    (tmp_path / "keys-2").mkdir()
    with start_ippeveprinter(
        tmp_path / "p2", port=new_port, extra_args=["-K", str(tmp_path / "keys-2")]
    ):

        async def go() -> None:
            async with httpx.AsyncClient() as http:
                client = IppClient(http, pins=pins)
                try:
                    with pytest.raises(CertificateChanged) as changed:
                        await client.status(new_uri)
                    assert changed.value.pinned == old
                    assert changed.value.fingerprint != old
                finally:
                    await client.aclose()

        asyncio.run(go())

"""TLS trust on first use for printers and scanners (ipps://, https:// eSCL).

Printers carry self-signed certificates, so CA verification cannot work and verify=False
would trust anyone. Instead each endpoint's certificate is pinned by the SHA-256 of its
DER: the first connection only *fetches* the certificate and asks a person (no request is
sent); afterwards the connection uses an SSLContext whose only trust anchor is that exact
certificate, and a different certificate is refused loudly.

The context ignores host names (the pin is the identity; printers' certificates name
``HP1234.local``) and validity dates (a pinned self-signed certificate that expired is
still the same certificate). Everything else is OpenSSL's ordinary verification.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import re
import ssl
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import httpx

_NO_CHECK_TIME = 0x200000  # X509_V_FLAG_NO_CHECK_TIME; the ssl module has no name for it


class TrustState(StrEnum):
    TRUSTED = "trusted"  # presented certificate matches the pin
    FIRST_USE = "first-use"  # nothing pinned yet: a person must decide
    CHANGED = "changed"  # pinned, and the device now shows another certificate


@dataclass(frozen=True, slots=True)
class TrustCheck:
    endpoint: str
    state: TrustState
    fingerprint: str  # what the device presents now
    pinned: str | None = None


class TlsTrustError(Exception):
    def __init__(self, endpoint: str, fingerprint: str, message: str) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.fingerprint = fingerprint


class TrustDecisionNeeded(TlsTrustError):
    """First encrypted connection: show the fingerprint and let a person decide."""

    def __init__(self, endpoint: str, fingerprint: str) -> None:
        super().__init__(
            endpoint,
            fingerprint,
            f"{endpoint} is new: check that its certificate fingerprint is "
            f"SHA-256 {fingerprint} before trusting it",
        )


class CertificateChanged(TlsTrustError):
    """The pinned certificate was replaced: a new device, a reset, or an interception."""

    def __init__(self, endpoint: str, pinned: str, fingerprint: str) -> None:
        super().__init__(
            endpoint,
            fingerprint,
            f"CERTIFICATE CHANGED for {endpoint}: connection blocked. Pinned SHA-256 "
            f"{pinned}, the device now presents {fingerprint}. If the printer was replaced "
            "or reset, remove the old pin and trust the new fingerprint; otherwise someone "
            "may be intercepting the connection.",
        )
        self.pinned = pinned


class PinStore(Protocol):
    """Where pins live (``wardfleet.store.local.TlsPins`` in the app)."""

    def get_pin(self, endpoint: str) -> str | None: ...

    def set_pin(self, endpoint: str, fingerprint: str) -> None: ...


class MemoryPins:
    """Pins for one process (tests, a CLI run without a data folder)."""

    def __init__(self, pins: dict[str, str] | None = None) -> None:
        self.pins = dict(pins or {})

    def get_pin(self, endpoint: str) -> str | None:
        return self.pins.get(endpoint)

    def set_pin(self, endpoint: str, fingerprint: str) -> None:
        self.pins[endpoint] = fingerprint


def endpoint_key(host: str, port: int) -> str:
    host = host.strip("[]").lower()
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(host).version == 6:
            return f"[{host}]:{port}"
    return f"{host}:{port}"


def fingerprint_of(der: bytes) -> str:
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, 64, 2))


def normalise_fingerprint(text: str) -> str | None:
    """Accepts ``AB:CD…``, ``abcd…``, spaces or dashes; None unless 32 bytes of hex."""
    raw = re.sub(r"[^0-9a-fA-F]", "", text.removeprefix("sha256:").removeprefix("SHA256:"))
    if len(raw) != 64:
        return None
    raw = raw.upper()
    return ":".join(raw[i : i + 2] for i in range(0, 64, 2))


def _no_verify_context() -> ssl.SSLContext:
    # Only to *read* the certificate; nothing is sent over this connection.
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def fetch_certificate(host: str, port: int, wait_s: float = 5.0) -> bytes:
    """The DER of the leaf certificate ``host:port`` presents. Raises OSError/TimeoutError."""

    async def handshake() -> bytes:
        _reader, writer = await asyncio.open_connection(
            host.strip("[]"), port, ssl=_no_verify_context(), server_hostname=_sni(host)
        )
        try:
            ssl_object = writer.get_extra_info("ssl_object")
            der = ssl_object.getpeercert(binary_form=True) if ssl_object else None
        finally:
            writer.close()
            with contextlib.suppress(OSError, ssl.SSLError):
                await writer.wait_closed()
        if not der:
            raise ssl.SSLError(f"{host}:{port} presented no certificate")
        return bytes(der)

    return await asyncio.wait_for(handshake(), wait_s)


def _sni(host: str) -> str | None:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host
    return None  # no SNI for address literals


def is_cert_failure(exc: BaseException) -> bool:
    """Certificate verification failed somewhere in the chain (not a plain network error)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def pinned_context(der: bytes) -> ssl.SSLContext:
    """An SSLContext that accepts exactly this certificate and nothing else."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cadata=der)
    # PARTIAL_CHAIN: the pinned leaf itself is the trust anchor even when not self-signed.
    flags = int(ctx.verify_flags) | int(ssl.VERIFY_X509_PARTIAL_CHAIN) | _NO_CHECK_TIME
    ctx.verify_flags = ssl.VerifyFlags(flags & ~int(ssl.VERIFY_X509_STRICT))
    return ctx


def peer_certificate(response: httpx.Response) -> bytes | None:
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    return bytes(der) if der else None


class PinnedClients:
    """One httpx client per pinned endpoint (a context is per client in httpx).

    ``client_for`` raises TrustDecisionNeeded or CertificateChanged instead of connecting
    to anything it cannot vouch for.
    """

    def __init__(self, pins: PinStore | None, *, timeout: float = 10.0) -> None:
        self.pins = pins if pins is not None else MemoryPins()
        self.timeout = timeout
        self._clients: dict[str, tuple[str, bytes, httpx.AsyncClient]] = {}
        self._lock = asyncio.Lock()

    async def check(self, host: str, port: int) -> TrustCheck:
        endpoint = endpoint_key(host, port)
        presented = fingerprint_of(await fetch_certificate(host, port, self.timeout))
        pinned = self.pins.get_pin(endpoint)
        if pinned is None:
            state = TrustState.FIRST_USE
        else:
            state = TrustState.TRUSTED if pinned == presented else TrustState.CHANGED
        return TrustCheck(endpoint, state, presented, pinned)

    async def trust(self, host: str, port: int, fingerprint: str) -> TrustCheck:
        """Pin ``fingerprint`` for this endpoint, only if the device presents exactly it.

        Replacing an existing different pin is allowed here: this is the person's decision
        after a CHANGED warning.
        """
        wanted = normalise_fingerprint(fingerprint)
        if wanted is None:
            raise ValueError(f"not a SHA-256 fingerprint: {fingerprint!r}")
        check = await self.check(host, port)
        if check.fingerprint != wanted:
            raise CertificateChanged(check.endpoint, wanted, check.fingerprint)
        self.pins.set_pin(check.endpoint, wanted)
        await self.forget(check.endpoint)
        return TrustCheck(check.endpoint, TrustState.TRUSTED, wanted, wanted)

    async def client_for(self, host: str, port: int) -> tuple[httpx.AsyncClient, bytes]:
        endpoint = endpoint_key(host, port)
        pinned = self.pins.get_pin(endpoint)
        cached = self._clients.get(endpoint)
        if cached is not None and pinned == cached[0]:
            return cached[2], cached[1]
        der = await fetch_certificate(host, port, self.timeout)
        presented = fingerprint_of(der)
        if pinned is None:
            raise TrustDecisionNeeded(endpoint, presented)
        if presented != pinned:
            raise CertificateChanged(endpoint, pinned, presented)
        client = httpx.AsyncClient(verify=pinned_context(der), timeout=self.timeout)
        async with self._lock:
            stale = self._clients.get(endpoint)
            self._clients[endpoint] = (pinned, der, client)
        if stale is not None:
            await stale[2].aclose()
        return client, der

    async def verify_failed(self, host: str, port: int) -> TlsTrustError | None:
        """After a handshake failure on a pinned client: was the certificate changed?"""
        endpoint = endpoint_key(host, port)
        await self.forget(endpoint)
        pinned = self.pins.get_pin(endpoint)
        try:
            presented = fingerprint_of(await fetch_certificate(host, port, self.timeout))
        except (OSError, ssl.SSLError, TimeoutError):
            return None
        if pinned is not None and presented != pinned:
            return CertificateChanged(endpoint, pinned, presented)
        return None

    async def forget(self, endpoint: str) -> None:
        async with self._lock:
            cached = self._clients.pop(endpoint, None)
        if cached is not None:
            await cached[2].aclose()

    async def aclose(self) -> None:
        async with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for _pin, _der, client in clients:
            await client.aclose()

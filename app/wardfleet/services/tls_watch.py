"""What the IPP and eSCL status sources share: this desktop's TLS pins, the words for a
TLS trust problem, and one long-lived pinned HTTP client per source.

Both protocols follow the app's trust-on-first-use rule: a device nobody has trusted yet
reports "not yet trusted" (its tab asks the person), and a changed certificate blocks the
connection and raises a critical alert. Nothing here ever turns verification off.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

import httpx

from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceAlert, DeviceStatus, Severity, TableError
from wardfleet.protocols.ipp_tls import CertificateChanged, TlsTrustError, TrustDecisionNeeded
from wardfleet.store import Store
from wardfleet.store.local import TlsPins


class CachedPins:
    """This desktop's TLS pins, read from the store once and then from memory.

    Under qasync the event loop runs on the UI thread, so a lookup per request must not
    wait on SQLite. One instance per store (``shared_pins``) serves the monitor and the
    Print/Scanner tabs alike: a certificate trusted in a tab counts for polling at once.
    """

    def __init__(self, store: Store) -> None:
        self._pins = TlsPins(store)
        self._cache: dict[str, str] | None = None

    def load(self) -> None:
        """Read every pin (blocking: call it off the loop, e.g. with asyncio.to_thread)."""
        self._cache = self._pins.all()

    def get_pin(self, endpoint: str) -> str | None:
        if self._cache is None:
            self.load()
        assert self._cache is not None
        return self._cache.get(endpoint)

    def set_pin(self, endpoint: str, fingerprint: str) -> None:
        # A person's decision, rare: written through at once so it survives a crash.
        self._pins.set_pin(endpoint, fingerprint)
        if self._cache is not None:
            self._cache[endpoint] = fingerprint


_SHARED_PINS: weakref.WeakKeyDictionary[Store, CachedPins] = weakref.WeakKeyDictionary()


def shared_pins(store: Store) -> CachedPins:
    pins = _SHARED_PINS.get(store)
    if pins is None:
        pins = _SHARED_PINS[store] = CachedPins(store)
    return pins


def trust_status(
    exc: TlsTrustError, polled_at: float, *, source: str, table: str, tab: str
) -> DeviceStatus:
    """What polling says when TLS trust stands in the way (the device did answer).

    ``tab`` names where a person compares and trusts the certificate ("Print" or
    "Scanner"); ``table`` is the read error's table, so the alert damper knows which
    rules this poll could not judge.
    """
    if isinstance(exc, CertificateChanged):
        alert = DeviceAlert(
            "tls-certificate-changed",
            f"Certificate of {exc.endpoint} CHANGED: connection blocked (pinned "
            f"{exc.pinned}, now {exc.fingerprint}). Check the device before trusting it.",
            Severity.CRITICAL,
            "tls",
            source,
        )
        return DeviceStatus(
            DeviceState.ERROR,
            polled_at,
            alerts=(alert,),
            errors=(TableError(table, "certificate changed: connection blocked", source),),
        )
    note = (
        f"the encrypted connection is not yet trusted: open the {tab} tab to compare and "
        "trust the certificate"
        if isinstance(exc, TrustDecisionNeeded)
        else str(exc)
    )
    alert = DeviceAlert("tls-trust-needed", note, Severity.INFO, "tls", source)
    return DeviceStatus(
        DeviceState.UNKNOWN, polled_at, alerts=(alert,), errors=(TableError(table, note, source),)
    )


class PinnedClient(Protocol):
    async def aclose(self) -> None: ...


ClientT = TypeVar("ClientT", bound=PinnedClient)


class PinnedHttpWatch(Generic[ClientT]):
    """One long-lived protocol client over one httpx client, made on first use (an SSL
    context costs ~50 ms), with the shared pins loaded off the loop first."""

    def __init__(
        self,
        make_client: Callable[[httpx.AsyncClient, CachedPins | None, float], ClientT],
        *,
        pins: CachedPins | None,
        client: ClientT | None,
        timeout_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._make_client = make_client
        self._pins = pins
        self._client = client
        self._own_http: httpx.AsyncClient | None = None
        self._timeout_s = timeout_s
        self._clock = clock
        self._lock = asyncio.Lock()

    async def client(self) -> ClientT:
        async with self._lock:
            if self._client is None:
                if self._pins is not None:
                    await asyncio.to_thread(self._pins.load)
                self._own_http = httpx.AsyncClient(timeout=self._timeout_s)
                self._client = self._make_client(self._own_http, self._pins, self._timeout_s)
            return self._client

    async def aclose(self) -> None:
        """Close what this watch made; a client handed in belongs to the caller."""
        if self._client is not None and self._own_http is not None:
            await self._client.aclose()
            await self._own_http.aclose()
            self._client = self._own_http = None

"""IPP as a status source for the monitor, and SNMP + IPP combined into one.

A device with an IPP URI in the inventory (from its DNS-SD advert) is polled with one
Get-Printer-Attributes per round over one long-lived httpx client. TLS follows the app's
trust-on-first-use rule: an ipps:// printer nobody has trusted yet reports "certificate
not yet trusted" (the Print tab asks the person), and a changed certificate blocks the
connection and raises a critical alert. Nothing here ever turns verification off.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable

import httpx

from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceAlert, DeviceStatus, Severity, TableError
from wardfleet.protocols.ipp import IppClient, IppError
from wardfleet.protocols.ipp_status import SOURCE, unreachable
from wardfleet.protocols.ipp_tls import CertificateChanged, TlsTrustError, TrustDecisionNeeded
from wardfleet.services.monitor import StatusSource
from wardfleet.services.status_combine import combine
from wardfleet.store import Store
from wardfleet.store.local import TlsPins


class CachedPins:
    """This desktop's TLS pins, read from the store once and then from memory.

    Under qasync the event loop runs on the UI thread, so a lookup per IPP request must
    not wait on SQLite. One instance per store (``shared_pins``) serves the monitor and
    the Print/Scanner tabs alike: a certificate trusted in a tab counts for polling at once.
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


def trust_status(exc: TlsTrustError, polled_at: float) -> DeviceStatus:
    """What polling says when TLS trust stands in the way (the device did answer)."""
    if isinstance(exc, CertificateChanged):
        alert = DeviceAlert(
            "tls-certificate-changed",
            f"Certificate of {exc.endpoint} CHANGED: connection blocked (pinned "
            f"{exc.pinned}, now {exc.fingerprint}). Check the device before trusting it.",
            Severity.CRITICAL,
            "tls",
            SOURCE,
        )
        return DeviceStatus(
            DeviceState.ERROR,
            polled_at,
            alerts=(alert,),
            errors=(TableError("ipp", "certificate changed: connection blocked", SOURCE),),
        )
    note = (
        "the encrypted connection is not yet trusted: open the Print tab to compare and "
        "trust the certificate"
        if isinstance(exc, TrustDecisionNeeded)
        else str(exc)
    )
    alert = DeviceAlert("tls-trust-needed", note, Severity.INFO, "tls", SOURCE)
    return DeviceStatus(
        DeviceState.UNKNOWN, polled_at, alerts=(alert,), errors=(TableError("ipp", note, SOURCE),)
    )


class IppWatch:
    """A StatusSource for devices with an IPP URI."""

    def __init__(
        self,
        *,
        pins: CachedPins | None = None,
        client: IppClient | None = None,
        timeout_s: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._pins = pins
        self._client = client
        self._own_http: httpx.AsyncClient | None = None
        self._timeout_s = timeout_s
        self._clock = clock
        self._lock = asyncio.Lock()

    def can_poll(self, device: Device) -> bool:
        return device.ipp_uri is not None

    async def client(self) -> IppClient:
        """The long-lived client, made on first use (an SSL context costs ~50 ms)."""
        async with self._lock:
            if self._client is None:
                if self._pins is not None:
                    await asyncio.to_thread(self._pins.load)
                self._own_http = httpx.AsyncClient(timeout=self._timeout_s)
                self._client = IppClient(self._own_http, pins=self._pins, timeout=self._timeout_s)
            return self._client

    async def poll(self, device: Device) -> DeviceStatus:
        uri = device.ipp_uri
        if uri is None:
            raise ValueError(f"device {device.id} has no IPP URI")
        client = await self.client()
        try:
            return (await client.status(uri)).status
        except TlsTrustError as exc:
            return trust_status(exc, self._clock())
        except (IppError, ValueError) as exc:
            return unreachable(str(exc), self._clock())

    async def aclose(self) -> None:
        if self._client is not None and self._own_http is not None:
            await self._client.aclose()
            await self._own_http.aclose()
            self._client = self._own_http = None


class CombinedSource:
    """Asks SNMP, IPP and eSCL (whichever can) at once and combines their answers.

    ``escl`` is optional (any StatusSource for the scanner; services.escl_watch.EsclWatch
    in the app) so that the two-protocol form keeps working.
    """

    def __init__(self, snmp: StatusSource, ipp: IppWatch, escl: StatusSource | None = None) -> None:
        self.snmp, self.ipp, self.escl = snmp, ipp, escl

    def _askable(self, device: Device) -> list[StatusSource | None]:
        """SNMP, IPP, eSCL in that order; None where a protocol cannot ask this device."""
        return [
            s if s is not None and s.can_poll(device) else None
            for s in (self.snmp, self.ipp, self.escl)
        ]

    def can_poll(self, device: Device) -> bool:
        return any(self._askable(device))

    async def poll(self, device: Device) -> DeviceStatus:
        sources = self._askable(device)
        asked = [s for s in sources if s is not None]
        if len(asked) == 1:
            return await asked[0].poll(device)
        answers = iter(
            await asyncio.gather(*(s.poll(device) for s in asked), return_exceptions=True)
        )
        snmp, ipp, escl = (None if s is None else _as_status(next(answers)) for s in sources)
        return combine(snmp, ipp, escl)

    async def aclose(self) -> None:
        await self.ipp.aclose()
        aclose = getattr(self.escl, "aclose", None)  # eSCL's long-lived client
        if aclose is not None:
            await aclose()


def _as_status(answer: DeviceStatus | BaseException) -> DeviceStatus:
    """A protocol that raised is one that did not answer (the others' answers stand)."""
    if isinstance(answer, DeviceStatus):
        return answer
    if isinstance(answer, asyncio.CancelledError):
        raise answer
    return DeviceStatus.unreachable(time.time(), f"{type(answer).__name__}: {answer}")

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
from collections.abc import Callable

from wardfleet.domain.device import Device
from wardfleet.domain.status import DeviceStatus
from wardfleet.protocols.ipp import IppClient, IppError
from wardfleet.protocols.ipp_status import SOURCE, unreachable
from wardfleet.protocols.ipp_tls import TlsTrustError
from wardfleet.services.monitor import StatusSource
from wardfleet.services.status_combine import combine
from wardfleet.services.tls_watch import CachedPins, PinnedHttpWatch, trust_status


class IppWatch(PinnedHttpWatch[IppClient]):
    """A StatusSource for devices with an IPP URI."""

    def __init__(
        self,
        *,
        pins: CachedPins | None = None,
        client: IppClient | None = None,
        timeout_s: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            lambda http, pins, timeout: IppClient(http, pins=pins, timeout=timeout),
            pins=pins, client=client, timeout_s=timeout_s, clock=clock,
        )  # fmt: skip

    def can_poll(self, device: Device) -> bool:
        return device.ipp_uri is not None

    async def poll(self, device: Device) -> DeviceStatus:
        uri = device.ipp_uri
        if uri is None:
            raise ValueError(f"device {device.id} has no IPP URI")
        client = await self.client()
        try:
            return (await client.status(uri)).status
        except TlsTrustError as exc:
            return trust_status(exc, self._clock(), source=SOURCE, table="ipp", tab="Print")
        except (IppError, ValueError) as exc:
            return unreachable(str(exc), self._clock())


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

"""eSCL as a status source for the monitor: scanners' state, feeder jams, "Scanner down".

A device with an eSCL URL in the inventory (from its ``_uscan._tcp`` advert) is polled
with one GET of /eSCL/ScannerStatus per round, over one long-lived httpx client
(capabilities are identity, read at discovery and in the Scanner tab, not every poll).

What the scanner says becomes a DeviceStatus (``protocols.escl.device_status``): Idle is
OK, Processing and Testing are BUSY, Stopped and Down are ERROR with a critical alert.
Feeder problems speak the alert rules' language: a jammed feeder sets the ``jammed``
error bit and an open feeder cover ``doorOpen``, so the damper raises "Paper jam" /
"Door open" after N polls in a row, exactly as for a printer's SNMP error bits.

Failures, in words and never a crash:

- no answer (refused, timed out, TLS handshake failed): UNREACHABLE;
- an answer we cannot read (HTTP error, malformed XML, a DTD / entity bomb, the wrong
  document): the scanner is reachable but its state is UNKNOWN, with a read error;
- TLS: https follows the app's trust-on-first-use rule with the pins shared with IPP and
  the Scanner tab. Not yet trusted: UNKNOWN with a note; a changed certificate blocks
  the connection and raises a critical alert. Verification is never turned off.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, TableError
from wardfleet.protocols.escl import (
    SOURCE,
    EsclClient,
    EsclNoAnswer,
    EsclProtocolError,
    device_status,
)
from wardfleet.protocols.ipp_tls import TlsTrustError
from wardfleet.services.tls_watch import CachedPins, PinnedHttpWatch, trust_status


def escl_unreadable(reason: str, polled_at: float) -> DeviceStatus:
    """The scanner answered, but not with a status we can read: unknown, not OK."""
    return DeviceStatus(
        state=DeviceState.UNKNOWN,
        polled_at=polled_at,
        errors=(TableError("escl", f"scanner status unreadable: {reason}", SOURCE),),
    )


class EsclWatch(PinnedHttpWatch[EsclClient]):
    """A StatusSource for devices with an eSCL URL."""

    def __init__(
        self,
        *,
        pins: CachedPins | None = None,
        client: EsclClient | None = None,
        timeout_s: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            lambda http, pins, timeout: EsclClient(http, pins=pins, timeout=timeout),
            pins=pins, client=client, timeout_s=timeout_s, clock=clock,
        )  # fmt: skip

    def can_poll(self, device: Device) -> bool:
        return device.escl_url is not None

    async def poll(self, device: Device) -> DeviceStatus:
        url = device.escl_url
        if url is None:
            raise ValueError(f"device {device.id} has no eSCL URL")
        client = await self.client()
        start = time.perf_counter()
        try:
            state = await client.scanner_state(url)
        except TlsTrustError as exc:
            return trust_status(exc, self._clock(), source=SOURCE, table="escl", tab="Scanner")
        except EsclNoAnswer as exc:
            return DeviceStatus.unreachable(self._clock(), str(exc), SOURCE)
        except EsclProtocolError as exc:
            return escl_unreadable(str(exc), self._clock())
        latency = round((time.perf_counter() - start) * 1000, 2)
        return device_status(state, polled_at=self._clock(), latency_ms=latency)

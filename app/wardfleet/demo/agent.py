"""An asyncio SNMP v1/v2c command responder that serves many simulated devices.

Each device gets its own UDP socket; what it answers comes from a callable that
returns the device's current MibView, or None while the device is "offline"
(then it stays silent, as an unplugged printer would).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from wardfleet.demo.binding import require_loopback
from wardfleet.demo.mib import MibView
from wardfleet.demo.responder import MalformedRequest, respond

log = logging.getLogger(__name__)

ViewSource = Callable[[], MibView | None]


@dataclass(frozen=True)
class Endpoint:
    name: str
    host: str
    port: int
    community: str


@dataclass
class EndpointStats:
    answered: int = 0
    ignored: int = 0  # wrong community, offline, SNMPv3, not a request
    malformed: int = 0


class _DeviceProtocol(asyncio.DatagramProtocol):
    # One warning per second at most: junk must not flood the log either.
    _WARN_INTERVAL_S = 1.0

    def __init__(self, name: str, community: bytes, source: ViewSource) -> None:
        self.name = name
        self.stats = EndpointStats()
        self._community = community
        self._source = source
        self._transport: asyncio.DatagramTransport | None = None
        self._last_warning = float("-inf")
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # The selector loop's datagram transport does not subclass DatagramTransport.
        self._transport = cast(asyncio.DatagramTransport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
        if not self.closed.done():
            self.closed.set_result(None)

    def datagram_received(self, data: bytes, addr: tuple[Any, ...]) -> None:
        try:
            view = self._source()
            reply = None if view is None else respond(data, self._community, view)
        except MalformedRequest as exc:
            self.stats.malformed += 1
            now = time.monotonic()
            if now - self._last_warning >= self._WARN_INTERVAL_S:
                self._last_warning = now
                log.warning("%s: ignored malformed datagram from %s: %s", self.name, addr, exc)
            return
        except Exception:
            # A bug for one request must not take the device (or the ward) down.
            self.stats.malformed += 1
            log.exception("%s: failed to answer a request from %s", self.name, addr)
            return
        if reply is None:
            self.stats.ignored += 1
        elif self._transport is not None:
            self.stats.answered += 1
            self._transport.sendto(reply, addr)

    def error_received(self, exc: Exception) -> None:
        # e.g. ICMP port unreachable after the manager went away: nothing to do.
        log.debug("%s: socket error %s", self.name, exc)


class SnmpAgent:
    """Serves any number of devices; ``close()`` releases every socket."""

    def __init__(self) -> None:
        self._served: list[tuple[Endpoint, asyncio.DatagramTransport, _DeviceProtocol]] = []

    @property
    def endpoints(self) -> list[Endpoint]:
        return [endpoint for endpoint, _, _ in self._served]

    def stats(self, name: str) -> EndpointStats:
        for endpoint, _, protocol in self._served:
            if endpoint.name == name:
                return protocol.stats
        raise KeyError(name)

    async def serve(
        self, name: str, host: str, port: int, community: str, source: ViewSource
    ) -> Endpoint:
        """Bind ``host:port`` (loopback only; port 0 = any free port) and answer from ``source``."""
        host = require_loopback(host)
        loop = asyncio.get_running_loop()
        protocol = _DeviceProtocol(name, community.encode(), source)
        transport, _ = await loop.create_datagram_endpoint(
            lambda: protocol, local_addr=(host, port)
        )
        bound_host, bound_port = transport.get_extra_info("sockname")[:2]
        endpoint = Endpoint(name, bound_host, bound_port, community)
        self._served.append((endpoint, transport, protocol))
        log.debug("%s listening on %s:%d", name, bound_host, bound_port)
        return endpoint

    async def close(self) -> None:
        served, self._served = self._served, []
        for _, transport, _ in served:
            transport.close()
        # Wait until the loop has really released every socket.
        await asyncio.gather(*(protocol.closed for _, _, protocol in served))

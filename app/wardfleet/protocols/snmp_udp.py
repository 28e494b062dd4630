"""SNMPv1/v2c requests over one UDP socket per address family, with ``snmp_ber``.

A command generator for v1/v2c needs no engine state: it sends a request, then waits
for the Response with its request-id from the address it asked, resending on timeout.
One socket serves every request of the event loop, so a sweep or a 1,000-device poll
creates no per-host objects in pysnmp's engine.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wardfleet.protocols.snmp_ber import BerError, Response, decode_response, encode_request
from wardfleet.protocols.snmp_per_loop import PerLoop

Address = tuple[str, int]

log = logging.getLogger(__name__)

_SHOWN_BYTES = 16  # of an undecodable datagram, in the log and the error


class RequestTimeout(Exception):
    """No matching Response within the timeout, after every retry."""


class MalformedReply(RequestTimeout):
    """No matching Response, but the address asked sent something undecodable."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(eq=False)
class _Pending:
    address: Address
    version: int
    community: bytes
    future: asyncio.Future[Response]
    malformed: str | None = None  # why the last undecodable datagram from `address` was


def malformed_summary(data: bytes, error: BerError) -> str:
    """What was wrong and the first bytes, short enough for a log line or a tooltip."""
    head = data[:_SHOWN_BYTES].hex(" ")
    more = " …" if len(data) > _SHOWN_BYTES else ""
    return f"{error}; {len(data)} bytes: {head}{more}"


class _Endpoint(asyncio.DatagramProtocol):
    def __init__(self, client: UdpClient) -> None:
        self.client = client

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.client.received(data, (addr[0], addr[1]))

    def error_received(self, exc: Exception) -> None:
        # ICMP port unreachable and the like: the request simply times out, as with
        # pysnmp; the retry logic does not depend on it.
        pass


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class UdpClient:
    """Pending requests by request-id; answers only count from the address asked."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._transports: dict[int, asyncio.DatagramTransport] = {}
        self._local_ports: set[int] = set()
        self._pending: dict[int, _Pending] = {}
        self._next_id = random.randrange(1, 1 << 30)
        self._opening = asyncio.Lock()  # a sweep's first 256 requests must share one socket

    async def _transport(self, family: int) -> asyncio.DatagramTransport:
        transport = self._transports.get(family)
        if transport is not None:
            return transport
        async with self._opening:
            transport = self._transports.get(family)
            if transport is None:
                bind = ("::", 0) if family == socket.AF_INET6 else ("0.0.0.0", 0)
                transport, _ = await self._loop.create_datagram_endpoint(
                    lambda: _Endpoint(self), local_addr=bind, family=family
                )
                self._transports[family] = transport
                self._local_ports.add(transport.get_extra_info("sockname")[1])
            return transport

    def _request_id(self) -> int:
        while True:
            self._next_id = self._next_id % 0x7FFFFFFF + 1
            if self._next_id not in self._pending:
                return self._next_id

    def received(self, data: bytes, source: Address) -> None:
        if source[1] in self._local_ports and _is_loopback(source[0]):
            # Our own request, sent to a port the kernel had just given this socket:
            # nobody else is listening there, so it is silence, not a malformed answer.
            return
        try:
            response = decode_response(data)
        except BerError as exc:
            # Unreadable, so it cannot be matched and must not fail a request (it may be
            # spoofed); remembered so a timeout can say the device answered garbage.
            self._note_malformed(data, exc, source)
            return
        waiting = self._pending.get(response.request_id)
        if waiting is None:
            return
        if (source, response.version, response.community) != (
            waiting.address, waiting.version, waiting.community,
        ):  # fmt: skip
            return  # spoofed or stray
        if not waiting.future.done():
            waiting.future.set_result(response)

    def _note_malformed(self, data: bytes, error: BerError, source: Address) -> None:
        # A linear scan: undecodable datagrams are rare, and bounded by requests in flight.
        summary: str | None = None
        for waiting in self._pending.values():
            if waiting.address != source:
                continue
            summary = summary or malformed_summary(data, error)
            if waiting.malformed is None:  # once per request: a chatty device floods no log
                host = f"[{source[0]}]" if ":" in source[0] else source[0]
                log.warning("Malformed SNMP reply from %s:%d (%s)", host, source[1], summary)
            waiting.malformed = summary

    async def request(
        self,
        address: Address,
        version: int,
        community: bytes,
        pdu_type: int,
        varbinds: Sequence[bytes],
        *,
        timeout_s: float,
        retries: int,
        max_repetitions: int = 0,
    ) -> Response:
        """Send and wait; one request-id for all tries, so a late answer still counts."""
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        transport = await self._transport(family)
        request_id = self._request_id()
        message = encode_request(
            version, community, pdu_type, request_id, varbinds, max_repetitions=max_repetitions
        )
        future: asyncio.Future[Response] = self._loop.create_future()
        waiting = self._pending[request_id] = _Pending(address, version, community, future)
        try:
            for _ in range(retries + 1):
                transport.sendto(message, address)
                done, _ = await asyncio.wait((future,), timeout=timeout_s)
                if done:
                    return future.result()
            if waiting.malformed is not None:
                raise MalformedReply(waiting.malformed)
            raise RequestTimeout
        finally:
            del self._pending[request_id]
            future.cancel()

    def close(self) -> None:
        for transport in self._transports.values():
            transport.close()
        self._transports.clear()


_CLIENTS: PerLoop[UdpClient] = PerLoop(UdpClient)


def client_for_loop() -> UdpClient:
    return _CLIENTS.get()


def close_client(loop: asyncio.AbstractEventLoop) -> None:
    client = _CLIENTS.pop(loop)
    if client is not None:
        client.close()


async def resolve(host: str, port: int) -> Address:
    """The numeric address to send to (IPv4 first for a name, as pysnmp does)."""
    try:
        return str(ipaddress.ip_address(host)), port
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, family=socket.AF_INET, type=socket.SOCK_DGRAM
    )
    return str(infos[0][4][0]), port

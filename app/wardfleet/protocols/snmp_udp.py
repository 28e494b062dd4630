"""SNMPv1/v2c requests over one UDP socket per address family, with ``snmp_ber``.

A command generator for v1/v2c needs no engine state: it sends a request, then waits
for the Response with its request-id from the address it asked, resending on timeout.
One socket serves every request of the event loop, so a sweep or a 1,000-device poll
creates no per-host objects in pysnmp's engine.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
from collections.abc import Sequence
from typing import Any

from wardfleet.protocols.snmp_ber import BerError, Response, decode_response, encode_request
from wardfleet.protocols.snmp_per_loop import PerLoop

Address = tuple[str, int]


class RequestTimeout(Exception):
    """No matching Response within the timeout, after every retry."""


class _Endpoint(asyncio.DatagramProtocol):
    def __init__(self, client: UdpClient) -> None:
        self.client = client

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.client.received(data, (addr[0], addr[1]))

    def error_received(self, exc: Exception) -> None:
        # ICMP port unreachable and the like: the request simply times out, as with
        # pysnmp; the retry logic does not depend on it.
        pass


class UdpClient:
    """Pending requests by request-id; answers only count from the address asked."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._transports: dict[int, asyncio.DatagramTransport] = {}
        self._pending: dict[int, tuple[Address, int, bytes, asyncio.Future[Response]]] = {}
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
            return transport

    def _request_id(self) -> int:
        while True:
            self._next_id = self._next_id % 0x7FFFFFFF + 1
            if self._next_id not in self._pending:
                return self._next_id

    def received(self, data: bytes, source: Address) -> None:
        try:
            response = decode_response(data)
        except BerError:
            return  # not an answer we can read: the request times out, as with pysnmp
        waiting = self._pending.get(response.request_id)
        if waiting is None:
            return
        address, version, community, future = waiting
        if (source, response.version, response.community) != (address, version, community):
            return  # spoofed or stray
        if not future.done():
            future.set_result(response)

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
        non_repeaters: int = 0,
        max_repetitions: int = 0,
    ) -> Response:
        """Send and wait; one request-id for all tries, so a late answer still counts."""
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        transport = await self._transport(family)
        request_id = self._request_id()
        message = encode_request(
            version, community, pdu_type, request_id, varbinds,
            non_repeaters=non_repeaters, max_repetitions=max_repetitions,
        )  # fmt: skip
        future: asyncio.Future[Response] = self._loop.create_future()
        self._pending[request_id] = (address, version, community, future)
        try:
            for _ in range(retries + 1):
                transport.sendto(message, address)
                done, _ = await asyncio.wait((future,), timeout=timeout_s)
                if done:
                    return future.result()
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

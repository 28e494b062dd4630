"""A device that answers with undecodable SNMP: the error says so, in words, once in the log.

A real agent cannot be made to send broken BER, so a scripted UDP responder on loopback plays
the device (a thread with a blocking socket, so it also serves ``wardfleet probe``'s own loop).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pysnmp.proto import rfc1902

from tests.protocols.test_snmp_ber import pysnmp_response
from wardfleet.cli import probe
from wardfleet.domain.kinds import DeviceState
from wardfleet.protocols.snmp import (
    SnmpMalformedReply,
    SnmpSession,
    SnmpTarget,
    SnmpTimeout,
    close_engine,
)
from wardfleet.protocols.snmp_ber import RESPONSE, _header, decode_response
from wardfleet.protocols.snmp_credentials import SnmpVersion, community
from wardfleet.protocols.snmp_plan import PollPlan
from wardfleet.protocols.snmp_poll import poll
from wardfleet.protocols.snmp_types import Oid

SYS_DESCR: Oid = (1, 3, 6, 1, 2, 1, 1, 1, 0)
DESCR = b"Scripted printer"

# What the device sends back for one request: (datagram, from_another_port).
Reply = Callable[[bytes], list[tuple[bytes, bool]]]


def answer_to(request: bytes) -> bytes:
    """A correct Response to a GET: the request with its PDU tag turned into RESPONSE
    decodes with our own codec, which gives the request-id, version and community."""
    _, pos, end = _header(request, 0, len(request))  # into the message SEQUENCE
    for _ in range(2):  # past version and community
        _, _, pos = _header(request, pos, end)
    pdu_at = pos
    parsed = decode_response(request[:pdu_at] + bytes([RESPONSE]) + request[pdu_at + 1 :])
    varbinds = [(oid, rfc1902.OctetString(DESCR)) for oid, _ in parsed.varbinds]
    return pysnmp_response(parsed.version, parsed.community, parsed.request_id, 0, 0, varbinds)


class Responder:
    """A UDP 'device' on loopback answering each datagram as ``reply`` says."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.requests = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # "another port"
        self.other.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(65535)
            except TimeoutError:
                continue
            self.requests += 1
            for datagram, from_other in self.reply(data):
                (self.other if from_other else self.sock).sendto(datagram, peer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()
        self.other.close()


@pytest.fixture
def responder() -> Iterator[Callable[[Reply], Responder]]:
    started: list[Responder] = []

    def start(reply: Reply) -> Responder:
        started.append(Responder(reply))
        return started[-1]

    yield start
    for r in started:
        r.close()


def get(port: int, *, timeout: float = 0.3, retries: int = 0) -> Any:
    async def scenario() -> Any:
        session = SnmpSession(
            SnmpTarget("127.0.0.1", port, timeout, retries), community("public", SnmpVersion.V2C)
        )
        try:
            return await session.get([SYS_DESCR])
        finally:
            close_engine()

    return asyncio.run(scenario())


def with_bad_outer_length(request: bytes) -> bytes:
    good = answer_to(request)
    return good[:1] + bytes([good[1] + 4]) + good[2:]  # claims 4 bytes it does not have


@pytest.mark.parametrize(
    ("reply", "what"),
    [
        (lambda request: [(b"\x04\x03abc", False)], "expected tag 0x30, got 0x04; 5 bytes: 04 03"),
        (lambda request: [(answer_to(request)[:-5], False)], "a length runs past the end"),
        (lambda request: [(with_bad_outer_length(request), False)], "a length runs past the end"),
    ],
    ids=["garbage", "truncated", "bad-length"],
)
def test_a_malformed_reply_is_named_in_the_error_and_logged_once(
    responder: Callable[[Reply], Responder],
    caplog: pytest.LogCaptureFixture,
    reply: Reply,
    what: str,
) -> None:
    device = responder(reply)
    caplog.set_level(logging.WARNING, logger="wardfleet.protocols.snmp_udp")
    with pytest.raises(SnmpMalformedReply) as raised:
        get(device.port, timeout=0.3, retries=2)
    message = str(raised.value)
    assert message.startswith(
        f"The device at 127.0.0.1:{device.port} answered with a malformed SNMP reply ("
    )
    assert what in message and "no usable answer within 0.3 s (3 tries)" in message
    assert isinstance(raised.value, SnmpTimeout)  # callers that retry a timeout still do
    assert device.requests == 3  # every try was answered with garbage ...
    warnings = [r for r in caplog.records if "Malformed SNMP reply" in r.getMessage()]
    assert len(warnings) == 1  # ... but the log says it once for the request
    assert f"127.0.0.1:{device.port}" in warnings[0].getMessage()
    assert what in warnings[0].getMessage()


def test_the_hex_summary_is_short(responder: Callable[[Reply], Responder]) -> None:
    device = responder(lambda request: [(b"\x01" * 2000, False)])
    with pytest.raises(SnmpMalformedReply) as raised:
        get(device.port)
    message = str(raised.value)
    assert "2000 bytes: " + " ".join(["01"] * 16) + " …" in message
    assert len(message) < 300


def test_garbage_from_another_port_does_not_fail_a_real_answer(
    responder: Callable[[Reply], Responder], caplog: pytest.LogCaptureFixture
) -> None:
    device = responder(lambda request: [(b"\xff\xfe junk", True), (answer_to(request), False)])
    assert get(device.port) == {SYS_DESCR: DESCR}
    assert "Malformed" not in caplog.text


def test_garbage_from_another_port_alone_is_a_plain_timeout(
    responder: Callable[[Reply], Responder],
) -> None:
    device = responder(lambda request: [(b"\xff\xfe junk", True)])
    with pytest.raises(SnmpTimeout) as raised:
        get(device.port)
    assert not isinstance(raised.value, SnmpMalformedReply)
    assert str(raised.value).startswith(f"No answer from 127.0.0.1:{device.port}")


def test_garbage_then_a_real_answer_from_the_device_succeeds(
    responder: Callable[[Reply], Responder],
) -> None:
    device = responder(lambda request: [(b"\x30\x05junk", False), (answer_to(request), False)])
    assert get(device.port) == {SYS_DESCR: DESCR}


def test_probe_prints_the_malformed_reply_and_exits_3(
    responder: Callable[[Reply], Responder], capsys: pytest.CaptureFixture[str]
) -> None:
    device = responder(lambda request: [(answer_to(request)[:-5], False)])
    parser = argparse.ArgumentParser(prog="wardfleet")
    probe.add_parser(parser.add_subparsers())
    args = parser.parse_args(
        ["probe", f"snmp://127.0.0.1:{device.port}", "--timeout", "0.2", "--retries", "0"]
    )
    assert args.run(args) == probe.EXIT_NO_ANSWER
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        f"wardfleet probe: The device at 127.0.0.1:{device.port} answered with a malformed "
        "SNMP reply (a length runs past the end of the message; "
    )


@pytest.mark.parametrize("rewalk", [True, False], ids=["first-walk", "steady-poll"])
def test_a_poll_marks_the_device_unreachable_with_the_words(
    responder: Callable[[Reply], Responder], rewalk: bool
) -> None:
    """What the detail pane shows as the read error: the status's error message."""
    device = responder(lambda request: [(answer_to(request)[:-5], False)])

    async def scenario() -> Any:
        session = SnmpSession(
            SnmpTarget("127.0.0.1", device.port, 0.2, 0), community("public", SnmpVersion.V2C)
        )
        try:
            return await poll(session, PollPlan(), rewalk=rewalk)
        finally:
            close_engine()

    status = asyncio.run(scenario()).status
    assert not status.reachable and status.state is DeviceState.UNREACHABLE
    (error,) = status.errors
    assert error.message.startswith(
        f"The device at 127.0.0.1:{device.port} answered with a malformed SNMP reply"
    )


def test_a_request_to_our_own_port_is_silence_not_a_malformed_reply() -> None:
    """A just-freed port the kernel then gives our socket: the request comes back to us.
    That is nobody answering, not a device answering garbage (a CI flake before)."""
    from wardfleet.protocols.snmp_udp import client_for_loop

    async def scenario() -> None:
        client = client_for_loop()
        await client._transport(socket.AF_INET)
        (own_port,) = client._local_ports
        session = SnmpSession(
            SnmpTarget("127.0.0.1", own_port, 0.2, 1), community("public", SnmpVersion.V2C)
        )
        try:
            with pytest.raises(SnmpTimeout) as raised:
                await session.get([SYS_DESCR])
            assert not isinstance(raised.value, SnmpMalformedReply)
            assert str(raised.value).startswith(f"No answer from 127.0.0.1:{own_port}")
        finally:
            close_engine()

    asyncio.run(scenario())

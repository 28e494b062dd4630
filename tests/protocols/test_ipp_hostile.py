"""A hostile "printer" on loopback: broken, huge, slow or deceptive replies over real HTTP.

No mock transport: a raw asyncio TCP server answers each request with the bytes a test
chooses, so httpx, the size caps, the deadline and the decoder all run for real.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wardfleet.protocols.ipp import IppClient, IppNoAnswer, IppProtocolError
from wardfleet.protocols.ipp_codec import Limits

Responder = Callable[[asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def fake_printer(respond: Responder) -> AsyncIterator[str]:
    handlers: set[asyncio.Task[None]] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (int(line.split(b":")[1]) for line in head.split(b"\r\n")
                 if line.lower().startswith(b"content-length:")),
                0,
            )  # fmt: skip
            await reader.readexactly(length)
            await respond(writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"ipp://127.0.0.1:{port}/ipp/print"
    finally:
        server.close()
        for task in list(handlers):
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()


def reply(
    body: bytes, *, content_type: bytes = b"application/ipp", length: int | None = None
) -> Responder:
    async def respond(writer: asyncio.StreamWriter) -> None:
        size = len(body) if length is None else length
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type
            + b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % size + body
        )  # fmt: skip
        await writer.drain()

    return respond


async def status_of(uri: str, **kwargs: object) -> object:
    async with httpx.AsyncClient() as http:
        client = IppClient(http, timeout=0.5, **kwargs)  # type: ignore[arg-type]
        try:
            return await client.status(uri)
        finally:
            await client.aclose()


def expect(responder: Responder, error: type[Exception], match: str, **kwargs: object) -> float:
    async def go() -> float:
        async with fake_printer(responder) as uri:
            start = time.monotonic()
            with pytest.raises(error, match=match):
                await status_of(uri, **kwargs)
            return time.monotonic() - start

    return asyncio.run(go())


HEADER = struct.pack(">BBHi", 2, 0, 0, 1)


def test_truncated_reply() -> None:
    body = HEADER + b"\x04\x21\x00\x0dprinter-state\x00\x04\x00\x00"
    expect(reply(body), IppProtocolError, "unreadable IPP reply: truncated message")


def test_reply_shorter_than_its_content_length() -> None:
    expect(reply(HEADER, length=500), IppNoAnswer, "ipp://127.0.0.1")


def test_declared_huge_reply_is_refused_before_reading() -> None:
    expect(reply(b"", length=10**9), IppProtocolError, "exceeds", limits=Limits(max_bytes=10_000))


def test_endless_reply_is_cut_at_the_cap() -> None:
    async def endless(writer: asyncio.StreamWriter) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"\x04" + b"A" * 65535
        while True:
            writer.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            await writer.drain()

    expect(endless, IppProtocolError, "exceeds 100000 bytes", limits=Limits(max_bytes=100_000))


def test_silent_printer_times_out() -> None:
    async def silent(writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    assert expect(silent, IppNoAnswer, "no answer within 0.5 s") < 3


def test_trickling_printer_hits_the_overall_deadline() -> None:
    async def trickle(writer: asyncio.StreamWriter) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\nContent-Length: 100000\r\n\r\n"
        )
        while True:
            writer.write(b"\x04")
            await writer.drain()
            await asyncio.sleep(0.2)  # each read well inside the 0.5 s read timeout

    assert expect(trickle, IppNoAnswer, "no complete answer within 1.5 s") < 4


def test_web_page_instead_of_ipp() -> None:
    expect(
        reply(b"<html>login</html>", content_type=b"text/html"),
        IppProtocolError,
        "not an IPP reply",
    )


def test_http_errors_in_words() -> None:
    async def unauthorised(writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()

    expect(unauthorised, IppProtocolError, "wants a user name and password")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=200),
        # Plausible starts with hostile tails: unknown tags, bad lengths, deep nesting.
        st.builds(lambda tail: HEADER + b"\x04" + tail, st.binary(max_size=200)),
        st.integers(1, 200).map(
            lambda d: (
                HEADER
                + b"\x04"
                + (b"\x34\x00\x01c\x00\x00" + b"\x4a\x00\x00\x00\x01m\x34\x00\x00\x00\x00") * d
            )
        ),
    )
)
def test_any_reply_is_a_report_or_a_clear_error(body: bytes) -> None:
    async def go() -> None:
        async with fake_printer(reply(body)) as uri:
            try:
                await status_of(uri)
            except (IppProtocolError, IppNoAnswer) as exc:
                assert str(exc).startswith("ipp://127.0.0.1:")

    asyncio.run(go())

"""Fault injection that no real peer produces on cue: a reply lost after the hub committed,
a hub killed while a batch is in flight, a hub that fails N times. Each wraps the real
transport or the real app; the hub itself always runs for real."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

import httpx


class LoseReplies(httpx.AsyncBaseTransport):
    """Forward to the real hub, let it answer, then drop the first ``count`` answers to
    ``method path`` as a broken connection would."""

    def __init__(self, count: int = 1, method: str = "POST", path: str = "/v1/changes") -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.remaining = count
        self.method, self.path = method, path
        self.lost: list[int] = []  # status codes the hub sent that never arrived

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.remaining and request.method == self.method and request.url.path == self.path:
            self.remaining -= 1
            await response.aread()
            await response.aclose()
            self.lost.append(response.status_code)
            raise httpx.ReadError(
                "injected: connection lost before the reply arrived", request=request
            )
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _SentThen(httpx.AsyncByteStream):
    def __init__(self, body: bytes, then: Callable[[], None]) -> None:
        self.body, self.then = body, then

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.body
        # The transport asks for more only once the last byte is written to the socket.
        self.then()


class AfterFirstPushSent(httpx.AsyncBaseTransport):
    """Call ``then()`` once the first push request's body has been fully sent."""

    def __init__(self, then: Callable[[], None]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.then = then
        self.armed = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.armed and request.method == "POST" and request.url.path == "/v1/changes":
            self.armed = False
            request.stream = _SentThen(request.content, self.then)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class FailingPages(httpx.AsyncBaseTransport):
    """Let ``pages`` pulls through, then fail every later one (the network went away)."""

    def __init__(self, pages: int) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.remaining = pages
        self.sinces: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == "/v1/changes":
            self.sinces.append(int(request.url.params.get("since", "0")))
            if self.remaining == 0:
                raise httpx.ConnectError("injected: network down", request=request)
            self.remaining -= 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]


class FailFirst:
    """ASGI middleware: answer the first ``count`` API requests with 503, as a hub behind a
    restarting load balancer or a database failover would."""

    def __init__(self, app: Any, count: int) -> None:
        self.app = app
        self.remaining = count
        self.failed = 0

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/") and self.remaining:
            self.remaining -= 1
            self.failed += 1
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [(b"content-type", b"text/plain"), (b"retry-after", b"0")],
                }
            )
            await send({"type": "http.response.body", "body": b"service unavailable"})
            return
        await self.app(scope, receive, send)


async def wait_for(predicate: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)

"""The hub client: push the outbox in seq order, pull others' changes from a cursor.

One long-lived ``httpx.AsyncClient`` per hub (creating one costs ~50 ms, mostly TLS).
Store work runs in a worker thread so the UI's loop never waits on disk.

Errors come in two kinds, and the loop treats them differently:
- ``HubUnavailable``: the hub could not be reached or asked us to wait (timeouts, 5xx,
  429). Retried with backoff; nothing needs a person.
- ``HubRefused``: 401, 403, 409, a rejected change, a certificate that does not verify.
  Retrying the same request cannot help, so it is shown to the user instead.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

import httpx
from pydantic import ValidationError

from wardfleet import __version__
from wardfleet.domain.change import Change
from wardfleet.sync.settings import HubIdentity, HubSettings, forget_identity, save_identity
from wardfleet.sync.wire import (
    API_PREFIX,
    Me,
    Problem,
    PullReply,
    PushedChange,
    PushReply,
    PushRequest,
)


class AppliedPage(Protocol):
    """What the store reports after applying one pulled page."""

    @property
    def applied(self) -> int: ...
    @property
    def conflicts(self) -> int: ...
    @property
    def device_ids(self) -> tuple[str, ...]: ...
    @property
    def diagnostics(self) -> int: ...


class SyncStore(Protocol):
    """The part of ``wardfleet.store.Store`` the client uses (sync may not import store)."""

    node_id: str

    def outbox_pending(self, limit: int = 500) -> list[Change]: ...
    def outbox_count(self) -> int: ...
    def mark_sent(self, up_to_seq: int) -> int: ...
    def pull_cursor(self) -> int: ...
    def apply_remote(self, changes: Sequence[Change], cursor: int) -> AppliedPage: ...
    def sync_value(self, key: str) -> str | None: ...
    def set_sync_value(self, key: str, value: str) -> None: ...


class HubUnavailable(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class HubRefused(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class SyncResult:
    pushed: int  # outbox rows the hub acknowledged
    pulled: int  # remote changes applied
    conflicts: int
    device_ids: tuple[str, ...]  # devices whose inventory changed
    diagnostics: int  # diagnostic requests received
    identity: HubIdentity | None = None  # who the hub says the token is (GET /me)


def _verify(settings: HubSettings) -> ssl.SSLContext | bool:
    # Verification is never off; a CA file only replaces which authorities are trusted.
    if settings.ca_file is None:
        return True
    return ssl.create_default_context(cafile=str(settings.ca_file))


class HubClient:
    def __init__(
        self,
        settings: HubSettings,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self._http = httpx.AsyncClient(
            base_url=settings.url.rstrip("/") + API_PREFIX,
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": f"wardfleet/{__version__}",
            },
            timeout=httpx.Timeout(settings.timeout_s, connect=min(5.0, settings.timeout_s)),
            verify=_verify(settings),
            proxy=settings.proxy,
            transport=transport,
            trust_env=False,  # no surprise proxies or CA bundles from the environment
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def sync_once(self, store: SyncStore) -> SyncResult:
        """Push everything queued, then pull everything new (so our own changes are
        already in the log and are recognised, not applied, when they come back), then
        ask who we are, so a role changed at the hub reaches this desktop's deploys.

        A 401 anywhere forgets the stored role (least privilege); being offline keeps it.
        """
        try:
            pushed = await self.push(store)
            pulled, conflicts, devices, diagnostics = 0, 0, dict[str, None](), 0
            async for page in self.pull(store):
                pulled += page.applied
                conflicts += page.conflicts
                devices.update(dict.fromkeys(page.device_ids))
                diagnostics += page.diagnostics
            me = await self._whoami_if_known()
        except HubRefused as exc:
            if exc.status == 401:
                await asyncio.to_thread(forget_identity, store)
            raise
        identity = await asyncio.to_thread(save_identity, store, me) if me else None
        return SyncResult(pushed, pulled, conflicts, tuple(devices), diagnostics, identity)

    async def whoami(self) -> Me:
        """The token's user, role and wards (``GET /me``)."""
        return _parse(Me, await self._request("GET", "/me"))

    async def _whoami_if_known(self) -> Me | None:
        try:
            return await self.whoami()
        except HubRefused as exc:
            if exc.status == 404:  # a hub older than /me: sync on, the role stays as it was
                return None
            raise

    async def push(self, store: SyncStore) -> int:
        """Send the outbox in seq-ordered batches; returns how many rows were acknowledged."""
        acknowledged = 0
        while True:
            batch = await asyncio.to_thread(store.outbox_pending, self.settings.batch_size)
            if not batch:
                return acknowledged
            request = PushRequest(
                node_id=store.node_id,
                ward=self.settings.ward,
                changes=[self._wire(c) for c in batch],
            )
            response = await self._request(
                "POST",
                "/changes",
                content=request.model_dump_json(),
                headers={"Content-Type": "application/json"},
            )
            reply = _parse(PushReply, response)
            # Never mark past what this batch held: the hub's word covers only what it saw.
            up_to = min(reply.last_seq, batch[-1].seq)
            if up_to >= batch[0].seq:
                acknowledged += await asyncio.to_thread(store.mark_sent, up_to)
            if reply.rejected is not None:
                raise HubRefused(
                    f"the hub rejected change {reply.rejected.seq}: {reply.rejected.reason}",
                    response.status_code,
                )
            if up_to < batch[-1].seq:
                raise HubRefused(
                    f"the hub acknowledged only up to seq {reply.last_seq} of "
                    f"{batch[0].seq}-{batch[-1].seq}",
                    response.status_code,
                )

    def _wire(self, change: Change) -> PushedChange:
        try:
            return PushedChange.from_change(change, self.settings.ward)
        except ValidationError as exc:
            # It would be refused whole by the hub too: say which change, don't loop on it.
            first = exc.errors()[0]
            raise HubRefused(
                f"change {change.seq} cannot be sent: "
                f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
            ) from exc

    def pull(self, store: SyncStore) -> _Pages:
        """``async for page in client.pull(store)``: each page is applied, with its cursor,
        in one store transaction before the next is fetched (memory stays one page)."""
        return _Pages(self, store)

    async def fetch_page(self, since: int) -> PullReply:
        response = await self._request(
            "GET", "/changes", params={"since": since, "limit": self.settings.page_size}
        )
        return _parse(PullReply, response)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        content: str | None = None,
        params: dict[str, int] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        try:
            response = await self._http.request(
                method, path, content=content, params=params, headers=headers
            )
        except httpx.TransportError as exc:
            if _is_certificate_error(exc):
                raise HubRefused(
                    f"the hub's certificate was not accepted ({exc}); check the hub address "
                    "and, for a hospital's own CA, the CA file in the hub settings"
                ) from exc
            raise HubUnavailable(f"hub unreachable: {_describe(exc)}") from exc
        status = response.status_code
        if status < 400:
            return response
        problem = _problem(response)
        if status in (429, 500, 502, 503, 504):
            raise HubUnavailable(
                f"hub busy or failing ({status}): {problem.detail}", _retry_after(response)
            )
        if status == 401:
            raise HubRefused(
                "the hub did not accept this desktop's token (wrong or revoked); ask a hub "
                "admin for a new one and enter it in the hub settings",
                status,
            )
        if status == 409 and problem.expected_seq is not None:
            raise HubRefused(
                f"the hub expects change {problem.expected_seq} next but this desktop "
                "no longer has it queued (was the hub restored from a backup?)",
                status,
            )
        raise HubRefused(f"the hub refused ({status}): {problem.detail}", status)


class _Pages:
    """Async iterator over pulled pages, each applied (with its cursor) before the next."""

    def __init__(self, client: HubClient, store: SyncStore) -> None:
        self._client = client
        self._store = store
        self._cursor: int | None = None
        self._done = False

    def __aiter__(self) -> _Pages:
        return self

    async def __anext__(self) -> AppliedPage:
        if self._done:
            raise StopAsyncIteration
        if self._cursor is None:
            self._cursor = await asyncio.to_thread(self._store.pull_cursor)
        reply = await self._client.fetch_page(self._cursor)
        if reply.next_cursor < self._cursor:
            raise HubRefused(
                f"the hub's change log ends before this desktop's cursor {self._cursor} "
                "(was the hub restored from a backup?)"
            )
        changes = [c.to_change() for c in reply.changes]
        page = await asyncio.to_thread(self._store.apply_remote, changes, reply.next_cursor)
        self._cursor = reply.next_cursor
        self._done = not reply.more
        return page


_Reply = TypeVar("_Reply", PushReply, PullReply, Me)


def _parse(model: type[_Reply], response: httpx.Response) -> _Reply:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise HubUnavailable(
            f"the hub sent an unreadable reply: {exc.error_count()} errors"
        ) from exc


def _problem(response: httpx.Response) -> Problem:
    try:
        return Problem.model_validate_json(response.content)
    except ValidationError:
        text = response.text.strip().replace("\n", " ")[:200]
        return Problem(detail=text or response.reason_phrase, code="unknown")


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


def _is_certificate_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)


def _describe(exc: httpx.TransportError) -> str:
    return str(exc) or type(exc).__name__

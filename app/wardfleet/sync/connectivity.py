"""The connectivity watch: a background loop that syncs, and says how the hub is doing.

States (their values equal ``services.events.HubState``'s, which sync may not import):
online, offline (unreachable; retried with backoff), syncing, refused (needs a person;
retried only on "sync now" or after a long pause), not-configured.

Nothing here blocks start-up: the token is read from the keyring in a worker thread inside
the loop's own task, and an unreachable hub only means "offline, changes queued".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol, TypeVar

import httpx

from wardfleet.sync import secrets
from wardfleet.sync.backoff import Backoff
from wardfleet.sync.client import HubClient, HubRefused, HubUnavailable, SyncResult, SyncStore
from wardfleet.sync.settings import HubConfigError, HubSettings, SettingsStore, load_settings

log = logging.getLogger(__name__)
_T = TypeVar("_T")


class LinkState(StrEnum):
    NOT_CONFIGURED = "not-configured"
    ONLINE = "online"
    OFFLINE = "offline"
    SYNCING = "syncing"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    state: LinkState
    queued: int  # outbox rows not yet acknowledged by the hub
    last_sync: float | None  # wall time of the last complete sync
    message: str = ""


def _ignore(_: object) -> None:
    return None


def _call(callback: Callable[[_T], None], value: _T) -> None:
    try:
        callback(value)
    except Exception:  # a listener's bug must not stop syncing
        log.exception("sync listener failed")


class SyncLoop:
    """Start with ``start()`` (inside the running event loop), stop with ``await stop()``.

    ``on_status`` gets every state change; ``on_synced`` gets each successful sync's
    result (devices whose inventory changed, diagnostics received). Both are called on the
    event loop's thread.
    """

    def __init__(
        self,
        store: SyncStore,
        settings: HubSettings | None,
        *,
        on_status: Callable[[SyncStatus], None] = _ignore,
        on_synced: Callable[[SyncResult], None] = _ignore,
        token_source: Callable[[str], str | None] = secrets.load_token,
        transport: httpx.AsyncBaseTransport | None = None,
        backoff: Backoff | None = None,
        refused_retry_s: float = 900.0,
        clock: Callable[[], float] = time.time,
        problem: str = "",
    ) -> None:
        """``problem``: why there are no usable settings (shown as refused, not as
        not-configured)."""
        self._store = store
        self._settings = settings
        self._on_status = on_status
        self._on_synced = on_synced
        self._token_source = token_source
        self._transport = transport
        self._backoff = backoff or Backoff()
        self._refused_retry_s = refused_retry_s
        self._clock = clock
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._client: HubClient | None = None
        # "Syncing" until the first attempt ends: the app shows "connecting", not "offline".
        initial = LinkState.SYNCING if settings else LinkState.NOT_CONFIGURED
        self._problem = problem
        self._status = SyncStatus(LinkState.REFUSED if problem else initial, 0, None, problem)
        self._announced = False

    @property
    def status(self) -> SyncStatus:
        return self._status

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="wardfleet-sync")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._close_client()

    def sync_now(self) -> None:
        """Sync at once: after a local edit, or when the user asks (also ends a backoff
        or refused wait early)."""
        self._wake.set()

    async def run(self) -> None:
        if self._settings is None:
            state = LinkState.REFUSED if self._problem else LinkState.NOT_CONFIGURED
            await self._set(state, self._problem)
            return
        try:
            await self._run(self._settings)
        finally:
            await self._close_client()

    async def _run(self, settings: HubSettings) -> None:
        failures = 0
        while True:
            self._wake.clear()
            await self._set(LinkState.SYNCING, "")
            try:
                client = await self._connect(settings)
                result = await client.sync_once(self._store)
            except HubUnavailable as exc:
                failures += 1
                delay = max(self._backoff.delay(failures), exc.retry_after or 0.0)
                await self._set(LinkState.OFFLINE, f"{exc}; retrying in {delay:.0f} s")
            except (HubRefused, secrets.KeyringUnavailable) as exc:
                failures = 0
                delay = self._refused_retry_s
                await self._set(LinkState.REFUSED, str(exc))
                await self._close_client()  # next try re-reads the token
            except Exception as exc:  # a local failure (disk full, a bug): never die silently
                log.exception("sync failed")
                failures = 0
                delay = self._refused_retry_s
                await self._set(
                    LinkState.REFUSED, f"sync stopped by an error on this desktop: {exc}"
                )
                await self._close_client()
            else:
                failures = 0
                delay = settings.interval_s
                await self._set(LinkState.ONLINE, "", last_sync=self._clock())
                _call(self._on_synced, result)
            await self._sleep(delay)

    async def _connect(self, settings: HubSettings) -> HubClient:
        if self._client is None:
            token = await asyncio.to_thread(self._token_source, settings.url)
            if not token:
                raise HubRefused(
                    "no hub token is stored for this desktop; enter the token from your hub "
                    "admin in the hub settings"
                )
            try:  # in a thread: building the TLS context takes tens of milliseconds
                self._client = await asyncio.to_thread(
                    HubClient, settings, token, transport=self._transport
                )
            except (ssl.SSLError, OSError) as exc:
                raise HubRefused(f"the CA file {settings.ca_file} cannot be used: {exc}") from exc
        return self._client

    async def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    async def _set(self, state: LinkState, message: str, last_sync: float | None = None) -> None:
        try:
            queued = await asyncio.to_thread(self._store.outbox_count)
        except Exception:  # a status line must never take the loop down
            log.exception("cannot count queued changes")
            queued = self._status.queued
        status = replace(
            self._status,
            state=state,
            queued=queued,
            message=message,
            last_sync=last_sync if last_sync is not None else self._status.last_sync,
        )
        if status != self._status or not self._announced:
            self._announced = True
            self._status = status
            _call(self._on_status, status)


class _SyncAndSettingsStore(SyncStore, SettingsStore, Protocol):
    pass


def open_sync(
    store: _SyncAndSettingsStore,
    *,
    on_status: Callable[[SyncStatus], None] = _ignore,
    on_synced: Callable[[SyncResult], None] = _ignore,
) -> SyncLoop:
    """The sync loop for this desktop's saved hub settings (not-configured without them,
    refused with the reason when they are unusable). Call ``start()`` on it."""
    try:
        settings = load_settings(store)
    except HubConfigError as exc:
        return SyncLoop(store, None, on_status=on_status, on_synced=on_synced, problem=str(exc))
    return SyncLoop(store, settings, on_status=on_status, on_synced=on_synced)

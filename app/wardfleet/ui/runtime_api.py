"""The slice of ``services.runtime.WardRuntime`` the UI talks to, as a Protocol."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from wardfleet.services.events import HubState, RuntimeListener, SyncSnapshot
from wardfleet.store import Store

if TYPE_CHECKING:  # snmp_watch loads pysnmp; the window must start without it
    from wardfleet.services.snmp_watch import SnmpEndpoint


class UiRuntime(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def subscribe(self, listener: RuntimeListener) -> None: ...

    async def poll_now(self, device_id: str) -> object: ...

    async def rescan(self) -> object: ...

    def sync_snapshot(self) -> SyncSnapshot: ...

    def sync_now(self) -> None: ...

    async def reload_sync(self) -> None: ...

    def add_snmp_endpoints(self, endpoints: Sequence[SnmpEndpoint]) -> None: ...


class PassiveRuntime:
    """Shows a store without touching the network (screenshots, no runtime given)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._snapshot = SyncSnapshot(HubState.NOT_CONFIGURED, queued_changes=0, last_sync=None)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def subscribe(self, listener: RuntimeListener) -> None:
        return None

    async def poll_now(self, device_id: str) -> object:
        return None

    async def rescan(self) -> object:
        return None

    def sync_snapshot(self) -> SyncSnapshot:
        return self._snapshot

    def sync_now(self) -> None:
        return None

    async def reload_sync(self) -> None:
        return None

    def add_snmp_endpoints(self, endpoints: Sequence[SnmpEndpoint]) -> None:
        return None

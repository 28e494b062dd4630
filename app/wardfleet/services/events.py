"""What the services tell their listeners (the UI bridge turns these into Qt signals)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from wardfleet.sync.settings import HubIdentity


class HubState(StrEnum):
    NOT_CONFIGURED = "not-configured"
    ONLINE = "online"
    OFFLINE = "offline"
    SYNCING = "syncing"
    REFUSED = "refused"  # 401/403/409: needs a person, not a retry


@dataclass(frozen=True, slots=True)
class SyncSnapshot:
    hub: HubState
    queued_changes: int
    last_sync: float | None
    message: str = ""
    identity: HubIdentity | None = None  # the hub's word on this desktop's user and role


@dataclass(frozen=True, slots=True)
class ActivityEvent:
    """One line for the discovery/activity panel. ``text`` may hold device-supplied names."""

    ts: float
    kind: str  # "discovered", "updated", "unreachable", "recovered", "scan", "error", "drift"
    device_id: str | None
    text: str


class RuntimeListener(Protocol):
    def inventory_changed(self, device_ids: list[str]) -> None: ...
    def status_changed(self, device_ids: list[str]) -> None: ...
    def activity(self, event: ActivityEvent) -> None: ...
    def sync_changed(self, snapshot: SyncSnapshot) -> None: ...

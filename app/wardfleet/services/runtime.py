"""The ward's background work in one place: discovery rounds, polling, notifications.

The UI (through its bridge) and the headless CLI both drive this; it knows nothing of Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from wardfleet.domain.alerts import Transition
from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.observation import Observation
from wardfleet.domain.status import DeviceStatus
from wardfleet.services.alerts import AlertService
from wardfleet.services.conformance import ConformanceWatch, Emit
from wardfleet.services.discovery import merge_observation
from wardfleet.services.events import (
    ActivityEvent,
    HubState,
    RuntimeListener,
    SyncSnapshot,
)
from wardfleet.services.mdns_watch import FanOut, LiveDiscoverer, LiveWatch
from wardfleet.services.monitor import Monitor, PollPolicy, StatusSource
from wardfleet.store import Store
from wardfleet.sync.client import SyncResult
from wardfleet.sync.connectivity import LinkState, SyncLoop, SyncStatus, open_sync
from wardfleet.sync.settings import HubIdentity, load_identity

if TYPE_CHECKING:  # snmp_watch loads pysnmp: only when an endpoint is added
    from wardfleet.services.snmp_watch import SnmpEndpoint

log = logging.getLogger(__name__)


class Discoverer(Protocol):
    """A source of observations (an SNMP sweep, an mDNS browser...)."""

    def discover(self) -> AsyncIterator[Observation]: ...


class WardRuntime:
    def __init__(
        self,
        store: Store,
        *,
        discoverers: Sequence[Discoverer],
        source: StatusSource,
        policy: PollPolicy | None = None,
        discovery_interval_s: float = 600.0,
        clock: Callable[[], float] = time.time,
        live_discoverers: Sequence[LiveDiscoverer] = (),
        hub_sync: bool = True,
        conformance: Callable[[Store, Emit], ConformanceWatch] | None = None,
    ) -> None:
        """``conformance`` builds the scheduled profile check (tests shorten its timers)."""
        self.store = store
        self._discoverers = list(discoverers)
        self._discovery_interval_s = discovery_interval_s
        self._clock = clock
        self._listeners: list[RuntimeListener] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._rescan = asyncio.Event()
        self.alerts = AlertService(store, clock=clock)
        self.monitor = Monitor(
            store, source, policy or PollPolicy(), on_results=self._on_poll_results, clock=clock
        )
        # Sources that report as things happen (mDNS), each merged by its own watch.
        self._live = [
            LiveWatch(
                store, d, FanOut(self._listeners), on_new_device=self.monitor.poll_soon, clock=clock
            )
            for d in live_discoverers
        ]

        # Profiles re-checked on a schedule and soon after an outage ends.
        self.conformance = (conformance or ConformanceWatch)(store, self._emit_activity)
        self._hub_was_down = False
        # The hub's word on this desktop's user and role, kept through outages.
        self.identity: HubIdentity | None = load_identity(store)
        # The hub link; without saved hub settings it stays "not configured" and every
        # change waits in the outbox, which is the whole offline story.
        self.sync: SyncLoop | None = (
            open_sync(store, on_status=self._on_sync_status, on_synced=self._on_synced)
            if hub_sync
            else None
        )

    def subscribe(self, listener: RuntimeListener) -> None:
        self._listeners.append(listener)

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._discovery_loop(), name="wardfleet-discovery"),
            asyncio.create_task(self.monitor.run(), name="wardfleet-monitor"),
            asyncio.create_task(self._housekeeping_loop(), name="wardfleet-housekeeping"),
            asyncio.create_task(self._watch_scanned_again(), name="wardfleet-scanned"),
        ]
        if self.sync is not None:
            self.sync.start()
        self.conformance.start()
        for watch in self._live:
            await watch.start()

    async def stop(self) -> None:
        # First, while the store is open: a re-apply in progress is cancelled through the
        # Deployer (it rolls back and audits) and waited for, bounded; never cut mid-SET.
        await self.conformance.stop()
        if self.sync is not None:
            await self.sync.stop()
        for watch in self._live:
            await watch.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        aclose = getattr(self.monitor.source, "aclose", None)  # IPP's and eSCL's clients
        if aclose is not None:
            await aclose()

    async def rescan(self) -> None:
        self._rescan.set()

    async def poll_now(self, device_id: str) -> None:
        self.monitor.poll_soon(device_id)

    def sync_snapshot(self) -> SyncSnapshot:
        queued = self.store.outbox_count()
        if self.sync is None:
            return SyncSnapshot(HubState.NOT_CONFIGURED, queued, None, identity=self.identity)
        status = self.sync.status
        return SyncSnapshot(
            HubState(status.state.value),
            queued,
            status.last_sync,
            status.message,
            self.identity,
        )

    def sync_now(self) -> None:
        if self.sync is not None:
            self.sync.sync_now()

    def add_snmp_endpoints(self, endpoints: Sequence[SnmpEndpoint]) -> None:
        """Poll these SNMP endpoints from now on (a scan found them)."""
        from wardfleet.services.snmp_watch import SnmpWatch

        for watch in {id(w): w for w in (*self._discoverers, self.monitor.source)}.values():
            if isinstance(watch, SnmpWatch):
                watch.add_endpoints(endpoints)

    async def _watch_scanned_again(self) -> None:
        """Endpoints earlier scans found (with saved credential sets) are watched again."""
        from wardfleet.services.credential_sets import watched_endpoints

        try:
            specs = await asyncio.to_thread(watched_endpoints, self.store)
        except Exception:  # a broken keyring must not stop the runtime; it is logged
            log.exception("cannot restore the scanned SNMP endpoints")
            return
        if specs:
            from wardfleet.services.snmp_watch import SnmpEndpoint

            self.add_snmp_endpoints(
                [SnmpEndpoint(host, port, creds) for host, port, creds in specs]
            )

    async def reload_sync(self) -> None:
        """The hub settings changed: stop the old sync loop and start one for the new ones."""
        if self.sync is None:
            return  # made with hub_sync=False: no hub link to reload
        await self.sync.stop()
        self.sync = await asyncio.to_thread(
            open_sync, self.store, on_status=self._on_sync_status, on_synced=self._on_synced
        )
        if self._tasks:  # started: the new loop runs at once
            self.sync.start()
        self._on_sync_status(self.sync.status)

    def _on_sync_status(self, status: SyncStatus) -> None:
        if status.state is LinkState.OFFLINE:
            self._hub_was_down = True
        elif status.state is LinkState.ONLINE and self._hub_was_down:
            self._hub_was_down = False
            self.conformance.soon("hub link back")
        if status.state is LinkState.REFUSED:  # a 401 may have made the client forget it
            self.identity = load_identity(self.store)
        snapshot = SyncSnapshot(
            HubState(status.state.value),
            status.queued,
            status.last_sync,
            status.message,
            self.identity,
        )
        for listener in self._listeners:
            listener.sync_changed(snapshot)

    def _on_synced(self, result: SyncResult) -> None:
        if result.identity is not None and result.identity != self.identity:
            self.identity = result.identity
            self._emit_sync_snapshot()  # the status line already said "online"
        if result.device_ids:
            self._emit_inventory(list(result.device_ids))

    async def _housekeeping_loop(self, every_s: float = 60.0) -> None:
        """Close finished 5-minute buckets (queued for the hub) and drop expired samples."""
        while True:
            now = self._clock()
            try:
                queued = await asyncio.to_thread(self.store.close_finished_buckets, now)
                await asyncio.to_thread(self.store.prune, now)
            except Exception:  # a full disk here must not stop polling; it is logged
                log.exception("housekeeping failed")
            else:
                if queued:
                    self._emit_sync_snapshot()
            await asyncio.sleep(every_s)

    async def discover_once(self) -> list[str]:
        """One round over every discoverer; returns the device ids seen."""
        seen: list[str] = []
        for discoverer in self._discoverers:
            try:
                async for obs in discoverer.discover():
                    outcome = await asyncio.to_thread(merge_observation, self.store, obs)
                    seen.append(outcome.device_id)
                    if outcome.created or outcome.changed_fields or outcome.absorbed:
                        self._emit_inventory([outcome.device_id, *outcome.absorbed])
                    if outcome.created:
                        self._emit_activity(
                            "discovered",
                            outcome.device_id,
                            f"{obs.name or obs.model or obs.address} ({obs.address})",
                        )
                        self.monitor.poll_soon(outcome.device_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # one broken discoverer must not stop the others
                log.exception("discovery failed")
                self._emit_activity("error", None, f"discovery failed: {exc}")
        self._emit_sync_snapshot()
        return seen

    async def _discovery_loop(self) -> None:
        while True:
            await self.discover_once()
            self._rescan.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._rescan.wait(), self._discovery_interval_s)

    def _on_poll_results(
        self, results: Sequence[tuple[Device, DeviceStatus, DeviceState | None]]
    ) -> None:
        self._emit_status([device.id for device, _, _ in results])
        self._apply_alerts(results)
        for device, status, before in results:
            if before is None or before is status.state:
                continue
            if status.state is DeviceState.UNREACHABLE:
                self._emit_activity("unreachable", device.id, device.display_name)
            elif before is DeviceState.UNREACHABLE:
                self._emit_activity("recovered", device.id, device.display_name)
                self.conformance.soon("a device answers again")
            else:
                self._emit_activity("state", device.id, f"{device.display_name}: {status.state}")

    def _apply_alerts(
        self, results: Sequence[tuple[Device, DeviceStatus, DeviceState | None]]
    ) -> None:
        """Damped alerts for this round: stored with their outbox rows, then announced."""
        try:
            events = self.alerts.on_round([(device.id, status) for device, status, _ in results])
        except Exception:  # a failed alert write must not stop polling; it is logged
            log.exception("alerts failed")
            return
        names = {device.id: device.display_name for device, _, _ in results}
        for event in events:
            kind = "alert" if event.transition is Transition.RAISED else "alert-cleared"
            self._emit_activity(kind, event.device_id, f"{names[event.device_id]}: {event.message}")
        if events:
            self._emit_sync_snapshot()  # each transition queued a change for the hub

    def _emit_inventory(self, ids: list[str]) -> None:
        self.monitor.inventory_changed()
        for listener in self._listeners:
            listener.inventory_changed(ids)

    def _emit_sync_snapshot(self) -> None:
        """The queued-changes count moved (a discovery round, closed buckets): say so once
        per round, not once per device, since it is a query on the loop's thread."""
        snapshot = self.sync_snapshot()
        for listener in self._listeners:
            listener.sync_changed(snapshot)

    def _emit_status(self, ids: list[str]) -> None:
        for listener in self._listeners:
            listener.status_changed(ids)

    def _emit_activity(self, kind: str, device_id: str | None, text: str) -> None:
        event = ActivityEvent(self._clock(), kind, device_id, text)
        for listener in self._listeners:
            listener.activity(event)

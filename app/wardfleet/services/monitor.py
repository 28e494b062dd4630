"""The poll scheduler: faster while a device is in trouble, slower while healthy.

Polls run concurrently up to a cap; their results are written in one transaction per
round, off the event loop's thread, so the UI never waits on SQLite.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus
from wardfleet.store import Store

log = logging.getLogger(__name__)


class StatusSource(Protocol):
    """Something that can ask a device how it is (SNMP, IPP, ...)."""

    def can_poll(self, device: Device) -> bool: ...

    async def poll(self, device: Device) -> DeviceStatus: ...


@dataclass(frozen=True, slots=True)
class PollPolicy:
    healthy_s: float = 60.0
    trouble_s: float = 15.0  # warning or error: watch closely so a cleared jam shows soon
    unreachable_min_s: float = 30.0
    unreachable_max_s: float = 300.0  # a switched-off printer costs little at night
    concurrency: int = 16
    jitter: float = 0.1  # spread polls so 1,000 devices do not fire in one burst

    def next_interval(self, status: DeviceStatus, failures: int) -> float:
        if not status.reachable:
            base = min(
                self.unreachable_max_s, self.unreachable_min_s * float(2 ** max(0, failures - 1))
            )
        elif status.state in (DeviceState.WARNING, DeviceState.ERROR):
            base = self.trouble_s
        else:
            base = self.healthy_s
        return base * (1 + random.uniform(-self.jitter, self.jitter))


@dataclass(slots=True)
class _Schedule:
    due: float = 0.0
    failures: int = 0
    last_state: DeviceState | None = None


@dataclass(slots=True)
class Monitor:
    store: Store
    source: StatusSource
    policy: PollPolicy = field(default_factory=PollPolicy)
    on_results: (
        Callable[[Sequence[tuple[Device, DeviceStatus, DeviceState | None]]], None] | None
    ) = None
    clock: Callable[[], float] = time.time
    # The device list is cached between ticks: re-read when the inventory changed, and at
    # least this often (an IP change seen by mDNS reaches the poller within this time).
    devices_refresh_s: float = 30.0
    _schedule: dict[str, _Schedule] = field(default_factory=dict)
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _devices: list[Device] = field(default_factory=list)
    _devices_read_at: float | None = None

    def poll_soon(self, device_id: str) -> None:
        self._schedule.setdefault(device_id, _Schedule()).due = 0.0
        self.inventory_changed()

    def inventory_changed(self) -> None:
        """Devices were added, merged or edited: read the list again on the next tick."""
        self._devices_read_at = None
        self._wake.set()

    async def poll_once(self, devices: Sequence[Device]) -> list[tuple[Device, DeviceStatus]]:
        """Poll these devices now (capped concurrency) and store the round in one go."""
        gate = asyncio.Semaphore(self.policy.concurrency)

        async def one(device: Device) -> tuple[Device, DeviceStatus]:
            async with gate:
                try:
                    return device, await self.source.poll(device)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # a broken device must not stop the round
                    log.warning("poll of %s failed: %s", device.id, exc, exc_info=True)
                    return device, DeviceStatus.unreachable(self.clock(), str(exc))

        results = await asyncio.gather(*(one(d) for d in devices))
        if results:
            await asyncio.to_thread(self.store.write_poll_cycle, [(d.id, s) for d, s in results])
        transitions = []
        for device, status in results:
            entry = self._schedule.setdefault(device.id, _Schedule())
            entry.failures = 0 if status.reachable else entry.failures + 1
            transitions.append((device, status, entry.last_state))
            entry.last_state = status.state
            entry.due = self.clock() + self.policy.next_interval(status, entry.failures)
        if self.on_results and transitions:
            self.on_results(transitions)
        return list(results)

    async def run(self, tick_s: float = 1.0) -> None:
        """Poll due devices forever; cancel the task to stop."""
        while True:
            now = self.clock()
            read_at = self._devices_read_at
            if read_at is None or now - read_at >= self.devices_refresh_s:
                self._devices = await asyncio.to_thread(self._pollable_devices)
                self._devices_read_at = now
            devices = self._devices
            due = [d for d in devices if self._schedule.setdefault(d.id, _Schedule()).due <= now]
            if due:
                await self.poll_once(due)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=tick_s)

    def _pollable_devices(self) -> list[Device]:
        return [d for d in self.store.list_devices() if self.source.can_poll(d)]

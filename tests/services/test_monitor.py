"""Poll scheduling: adaptive intervals, the concurrency cap, one transaction per round.

The status source here is a stand-in on purpose: these tests are about timing and
bookkeeping, which no real peer can be told to produce on cue. Real SNMP polling is
covered against the demo ward and snmpsim.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.factories import device
from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus
from wardfleet.services.monitor import Monitor, PollPolicy
from wardfleet.store import Store


class ScriptedSource:
    def __init__(self, states: dict[str, DeviceState], delay: float = 0.01) -> None:
        self.states = states
        self.delay = delay
        self.in_flight = 0
        self.peak = 0
        self.calls: list[str] = []

    def can_poll(self, device: Device) -> bool:
        return device.id in self.states

    async def poll(self, device: Device) -> DeviceStatus:
        self.calls.append(device.id)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        state = self.states[device.id]
        if state is DeviceState.UNREACHABLE:
            raise TimeoutError("no answer within 1.0 s")
        return DeviceStatus(state=state, polled_at=1000.0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "w.sqlite3")
    with s.transaction() as tx:
        for n in range(40):
            tx.create_device(device(n))
    yield s
    s.close()


def test_intervals_follow_health() -> None:
    policy = PollPolicy(jitter=0)
    ok = DeviceStatus(DeviceState.OK, 0)
    jam = DeviceStatus(DeviceState.ERROR, 0)
    gone = DeviceStatus.unreachable(0, "x")
    assert policy.next_interval(jam, 0) < policy.next_interval(ok, 0)
    backoff = [policy.next_interval(gone, n) for n in range(1, 8)]
    assert backoff == sorted(backoff)
    assert backoff[-1] == policy.unreachable_max_s


def test_a_round_respects_the_cap_and_an_exception_becomes_unreachable(store: Store) -> None:
    states = {f"dev-{n}": DeviceState.OK for n in range(40)}
    states["dev-3"] = DeviceState.UNREACHABLE
    source = ScriptedSource(states)
    monitor = Monitor(store, source, PollPolicy(concurrency=5), clock=lambda: 1000.0)
    results = asyncio.run(monitor.poll_once(store.list_devices()))
    assert len(results) == 40
    assert source.peak == 5
    by_id = {o.device.id: o for o in store.list_overview()}
    assert by_id["dev-3"].device.state is DeviceState.UNREACHABLE
    status = by_id["dev-3"].status
    assert status is not None and not status.reachable
    assert "no answer" in status.errors[0].message
    assert by_id["dev-4"].device.state is DeviceState.OK


def test_run_polls_only_due_devices_and_poll_soon_jumps_the_queue(store: Store) -> None:
    now = [1000.0]
    states = {"dev-1": DeviceState.OK, "dev-2": DeviceState.ERROR}
    source = ScriptedSource(states, delay=0)
    seen: list[list[str]] = []
    monitor = Monitor(
        store,
        source,
        PollPolicy(jitter=0),
        clock=lambda: now[0],
        on_results=lambda r: seen.append(sorted(d.id for d, _, _ in r)),
    )

    async def scenario() -> None:
        task = asyncio.create_task(monitor.run(tick_s=0.01))
        await asyncio.sleep(0.1)
        assert seen[0] == ["dev-1", "dev-2"]
        rounds = len(seen)
        now[0] += 20  # past the 15 s trouble interval, not the 60 s healthy one
        await asyncio.sleep(0.1)
        assert seen[rounds:] and seen[rounds] == ["dev-2"]
        monitor.poll_soon("dev-1")
        await asyncio.sleep(0.1)
        assert ["dev-1"] in seen[rounds + 1 :]
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())


def test_the_device_list_is_read_again_only_when_the_inventory_changed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    real = store.list_devices
    monkeypatch.setattr(store, "list_devices", lambda: reads.append(1) or real())
    now = [1000.0]
    monitor = Monitor(store, ScriptedSource({"dev-1": DeviceState.OK}, delay=0),
                      PollPolicy(jitter=0), clock=lambda: now[0])  # fmt: skip

    async def scenario() -> None:
        task = asyncio.create_task(monitor.run(tick_s=0.01))
        await asyncio.sleep(0.1)  # about ten ticks
        assert len(reads) == 1
        monitor.inventory_changed()
        await asyncio.sleep(0.05)
        assert len(reads) == 2
        now[0] += monitor.devices_refresh_s  # the safety-net re-read
        await asyncio.sleep(0.05)
        assert len(reads) == 3
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())

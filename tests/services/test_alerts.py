"""Alert service: damped transitions stored with their outbox rows, in one transaction."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services.test_monitor import ScriptedSource
from tests.store.factories import device
from wardfleet.domain.alerts import AlertPolicy
from wardfleet.domain.change import ChangeKind
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus
from wardfleet.services.alerts import AlertService
from wardfleet.services.events import ActivityEvent, SyncSnapshot
from wardfleet.services.runtime import WardRuntime
from wardfleet.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "w.sqlite3")
    with s.transaction() as tx:
        for n in range(3):
            tx.create_device(device(n))
    yield s
    s.close()


def _alert_changes(store: Store) -> list[dict[str, object]]:
    return [c.payload for c in store.outbox_pending(10_000) if c.kind is ChangeKind.ALERT]


def test_night_off_gives_one_row_and_two_changes(store: Store) -> None:
    clock = Clock()
    service = AlertService(store, AlertPolicy(), clock=clock)
    for _ in range(600):
        clock.now += 60
        service.on_round([("dev-0", DeviceStatus.unreachable(clock.now, "timeout"))])
    for _ in range(5):
        clock.now += 60
        service.on_round([("dev-0", DeviceStatus(state=DeviceState.OK, polled_at=clock.now))])
    history = store.alert_history("dev-0")
    assert [(a.key, a.is_open) for a in history] == [("unreachable", False)]
    assert [p["event"] for p in _alert_changes(store)] == ["raised", "cleared"]
    assert store.list_alerts() == []


def test_acknowledge_and_snooze_are_changes_too(store: Store) -> None:
    clock = Clock()
    service = AlertService(store, AlertPolicy(raise_after=1), clock=clock)
    error = DeviceStatus(state=DeviceState.ERROR, polled_at=clock.now, error_bits=("jammed",))
    (event,) = service.on_round([("dev-1", error)])
    (alert,) = store.list_alerts(["dev-1"])
    assert alert.key == event.key == "jam"
    assert service.needing_attention() == [alert]
    assert service.snooze(alert.id, 3600)
    assert service.needing_attention() == []
    clock.now += 7200
    assert [a.id for a in service.needing_attention()] == [alert.id]
    assert service.acknowledge(alert.id, by="ward-lead")
    assert not service.acknowledge(alert.id, by="ward-lead")  # once only
    assert service.needing_attention() == []
    events = [p["event"] for p in _alert_changes(store)]
    assert events == ["raised", "snoozed", "acknowledged"]


def test_restart_does_not_raise_an_open_alert_twice(store: Store) -> None:
    clock = Clock()
    jam = DeviceStatus(state=DeviceState.ERROR, polled_at=clock.now, error_bits=("jammed",))
    AlertService(store, AlertPolicy(raise_after=1), clock=clock).on_round([("dev-2", jam)])
    again = AlertService(store, AlertPolicy(raise_after=1), clock=clock)
    assert again.on_round([("dev-2", jam)]) == []
    assert len(store.alert_history("dev-2")) == 1


def test_failed_write_rolls_back_every_row_of_the_round(store: Store) -> None:
    """An alert for a device that is not in the store fails the whole round's transaction."""
    clock = Clock()
    service = AlertService(store, AlertPolicy(raise_after=1), clock=clock)
    jam = DeviceStatus(state=DeviceState.ERROR, polled_at=clock.now, error_bits=("jammed",))
    with pytest.raises(sqlite3.IntegrityError):
        service.on_round([("dev-0", jam), ("no-such-device", jam)])
    assert store.alert_history() == []
    assert _alert_changes(store) == []


class Recorder:
    def __init__(self) -> None:
        self.events: list[ActivityEvent] = []

    def inventory_changed(self, device_ids: list[str]) -> None: ...
    def status_changed(self, device_ids: list[str]) -> None: ...
    def sync_changed(self, snapshot: SyncSnapshot) -> None: ...

    def activity(self, event: ActivityEvent) -> None:
        self.events.append(event)


def test_runtime_announces_alerts(store: Store) -> None:
    async def main() -> list[ActivityEvent]:
        source = ScriptedSource({"dev-0": DeviceState.UNREACHABLE}, delay=0)
        runtime = WardRuntime(store, discoverers=[], source=source, hub_sync=False)
        recorder = Recorder()
        runtime.subscribe(recorder)
        devices = [d for d in store.list_devices() if d.id == "dev-0"]
        for _ in range(4):
            await runtime.monitor.poll_once(devices)
        return recorder.events

    events = asyncio.run(main())
    assert [e.kind for e in events if e.kind.startswith("alert")] == ["alert"]
    assert store.list_alerts()[0].key == "unreachable"


def test_run_out_forecast_raises_once_and_clears_on_refill(store: Store) -> None:
    from wardfleet.domain.status import Supply

    clock = Clock()
    service = AlertService(store, AlertPolicy(raise_after=2, clear_after=2), clock=clock)

    def status(level: float) -> DeviceStatus:
        toner = Supply("1", "Black toner", level=round(level), capacity=100)
        return DeviceStatus(state=DeviceState.OK, polled_at=clock.now, supplies=(toner,))

    # Three days of history at 3 % a day, from 38 %: about 10 days left, then 9, ...
    level = 38.0
    for _ in range(3 * 24 * 12):
        clock.now += 300
        level -= 3.0 / 288
        store.write_poll_cycle([("dev-0", status(level))])
    assert service.on_round([("dev-0", status(level))]) == []  # ~9.7 days: not yet
    clock.now += 4 * 86_400  # four days on, the level fell to ~17 %: ~6 days left
    store.write_poll_cycle([("dev-0", status(17))])
    keys = [e.key for _ in range(2) for e in service.on_round([("dev-0", status(17))])]
    clock.now += 10
    keys += [e.key for e in service.on_round([("dev-0", status(17))])]
    assert keys.count("run-out:1") == 1
    # A new cartridge: cleared after two good polls, never raised again meanwhile.
    events = [e for _ in range(3) for e in service.on_round([("dev-0", status(100))])]
    assert [(e.transition.value, e.key) for e in events] == [("cleared", "run-out:1")]

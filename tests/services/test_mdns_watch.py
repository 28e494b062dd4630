"""The live watch: sightings merge, withdrawals mark "not seen via mDNS", listeners hear it,
and the runtime owns watches.

The discoverer here is a stand-in that emits on cue, because these tests are about the
bookkeeping; the real mDNS browser is driven by real responders in
tests/protocols/test_mdns_live.py and test_mdns_avahi.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from wardfleet.domain.device import Device
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.domain.status import DeviceStatus
from wardfleet.services.discovery import merge_observation
from wardfleet.services.events import ActivityEvent, SyncSnapshot
from wardfleet.services.mdns_watch import LiveWatch, OnObservation, OnRemoved, record_removal
from wardfleet.services.runtime import WardRuntime
from wardfleet.store import Store

UUID = "6a3bd6d8-1c53-4b8f-9d5e-2f0a3c5b9e11"


def advert(
    service: str = "_ipp._tcp", t: float = 10.0, *, uuid: str | None = UUID, **fields: object
) -> Observation:
    base: dict[str, object] = {
        "protocol": Protocol.MDNS,
        "address": "10.1.0.5",
        "identity": Identity.of(uuid=uuid, address="10.1.0.5", hostname="npibff51b"),
        "seen_at": t,
        "port": 631,
        "name": "Ward 7 Printer",
        "kind": DeviceKind.PRINTER,
        "model": "LaserJet M404dn",
        "attributes": {"service": f"Ward 7 Printer.{service}.local"},
    }
    base.update(fields)
    return Observation(**base)  # type: ignore[arg-type]


class Recorder:
    def __init__(self) -> None:
        self.changed: list[list[str]] = []
        self.events: list[ActivityEvent] = []

    def inventory_changed(self, device_ids: list[str]) -> None:
        self.changed.append(device_ids)

    def activity(self, event: ActivityEvent) -> None:
        self.events.append(event)

    def status_changed(self, device_ids: list[str]) -> None:
        pass

    def sync_changed(self, snapshot: SyncSnapshot) -> None:
        pass

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


class ScriptedDiscoverer:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.on_observation: OnObservation | None = None
        self.on_removed: OnRemoved | None = None
        self.started = self.stopped = 0

    async def start(self, on_observation: OnObservation, on_removed: OnRemoved) -> None:
        if self.fail:
            raise OSError("[Errno 98] Address already in use")
        self.on_observation, self.on_removed = on_observation, on_removed
        self.started += 1

    async def stop(self) -> None:
        self.stopped += 1

    async def add(self, key: str, obs: Observation) -> None:
        assert self.on_observation is not None
        await self.on_observation(key, obs)

    async def remove(self, key: str, ts: float) -> None:
        assert self.on_removed is not None
        await self.on_removed(key, ts)


Steps = Callable[[ScriptedDiscoverer], Awaitable[None]]


def run_watch(
    store: Store, script: ScriptedDiscoverer, recorder: Recorder, steps: Steps
) -> list[str]:
    """Run ``steps`` against a started watch; returns the ids passed to on_new_device."""
    new: list[str] = []
    watch = LiveWatch(store, script, recorder, on_new_device=new.append, clock=lambda: 5.0)

    async def scenario() -> None:
        assert await watch.start()
        try:
            await steps(script)
        finally:
            await watch.stop()

    asyncio.run(scenario())
    return new


def test_a_new_advert_creates_a_device_and_tells_the_listener(store: Store) -> None:
    recorder, script = Recorder(), ScriptedDiscoverer()

    async def steps(s: ScriptedDiscoverer) -> None:
        await s.add("ipp", advert())

    new = run_watch(store, script, recorder, steps)
    (device,) = store.list_devices()
    assert device.identity.uuid == UUID and set(device.protocols) == {"mdns"}
    assert recorder.changed == [[device.id]]
    assert recorder.kinds() == ["discovered"]
    assert recorder.events[0].text == "Ward 7 Printer (10.1.0.5) via mDNS"
    assert new == [device.id]
    assert script.started == script.stopped == 1


def test_a_changed_advert_updates_and_an_unchanged_one_is_quiet(store: Store) -> None:
    recorder, script = Recorder(), ScriptedDiscoverer()

    async def steps(s: ScriptedDiscoverer) -> None:
        await s.add("ipp", advert())
        await s.add("ipp", advert(t=11.0))
        await s.add("ipp", advert(t=12.0, address="10.1.0.77"))

    run_watch(store, script, recorder, steps)
    (device,) = store.list_devices()
    assert device.address == "10.1.0.77"
    assert recorder.kinds() == ["discovered", "updated"]
    assert "address" in recorder.events[1].text


def test_device_is_gone_only_when_its_last_advert_is(store: Store) -> None:
    recorder, script = Recorder(), ScriptedDiscoverer()
    results: list[str | None] = []

    async def steps(s: ScriptedDiscoverer) -> None:
        await s.add("ipp", advert("_ipp._tcp"))
        await s.add("ipps", advert("_ipps._tcp", port=443))
        assert s.on_removed is not None
        results.append(await s.on_removed("ipps", 20.0))
        results.append(await s.on_removed("ipp", 21.0))
        results.append(await s.on_removed("never-seen", 22.0))

    run_watch(store, script, recorder, steps)
    (device,) = store.list_devices()  # never deleted
    assert results == [None, device.id, None]
    last_seen, gone_since = store.protocol_presence(device.id)["mdns"]
    assert gone_since == 21.0 and last_seen <= gone_since
    assert recorder.kinds()[-1] == "gone"
    assert recorder.events[-1].text == "Ward 7 Printer: no longer advertised via mDNS"


def test_an_advert_coming_back_clears_gone(store: Store) -> None:
    recorder, script = Recorder(), ScriptedDiscoverer()

    async def steps(s: ScriptedDiscoverer) -> None:
        await s.add("ipp", advert())
        await s.remove("ipp", 20.0)
        await s.add("ipp", advert(t=30.0))

    run_watch(store, script, recorder, steps)
    (device,) = store.list_devices()
    assert store.protocol_presence(device.id)["mdns"] == (30.0, None)
    assert recorder.kinds() == ["discovered", "gone", "updated"]
    assert "advertised again" in recorder.events[-1].text


def test_removal_finds_the_device_after_it_was_merged_into_another(store: Store) -> None:
    """SNMP saw the printer first; IPP proves the mDNS record is the same hardware."""
    recorder, script = Recorder(), ScriptedDiscoverer()
    snmp = Observation(
        Protocol.SNMP,
        "10.1.0.5",
        Identity.of(serial="CNB1234567", vendor="HP", address="10.1.0.5"),
        1.0,
    )
    ipp = Observation(
        Protocol.IPP,
        "10.1.0.5",
        Identity.of(serial="CNB1234567", vendor="HP", uuid=f"urn:uuid:{UUID}"),
        12.0,
    )
    snmp_id = merge_observation(store, snmp).device_id

    async def steps(s: ScriptedDiscoverer) -> None:
        await s.add("ipp", advert(identity=Identity.of(uuid=UUID, address="10.1.0.5")))
        await asyncio.to_thread(merge_observation, store, ipp)  # absorbs the mDNS record
        await s.remove("ipp", 20.0)

    run_watch(store, script, recorder, steps)
    (device,) = store.list_devices()
    assert device.id == snmp_id
    presence = store.protocol_presence(snmp_id)
    assert presence["mdns"][1] == 20.0 and presence["snmp"][1] is None


def test_store_failures_become_error_activity_and_the_watch_goes_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder, script = Recorder(), ScriptedDiscoverer()
    calls = 0

    def flaky(s: Store, obs: Observation) -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("disk is full")
        return merge_observation(s, obs)

    monkeypatch.setattr("wardfleet.services.mdns_watch.merge_observation", flaky)

    async def steps(s: ScriptedDiscoverer) -> None:
        await s.add("ipp", advert())
        await s.remove("ipp", 15.0)  # never merged: nothing to mark
        await s.add("ipp", advert(t=16.0))

    run_watch(store, script, recorder, steps)
    assert recorder.kinds() == ["error", "discovered"]
    assert "disk is full" in recorder.events[0].text
    assert len(store.list_devices()) == 1


def test_record_removal_ignores_unknown_identities(store: Store) -> None:
    assert record_removal(store, advert(uuid=None), [], 1.0) is None


def test_a_discoverer_that_cannot_start_is_reported_not_raised(store: Store) -> None:
    recorder = Recorder()
    watch = LiveWatch(store, ScriptedDiscoverer(fail=True), recorder)

    async def scenario() -> bool:
        started = await watch.start()
        await watch.stop()  # harmless when it never started
        return started

    assert asyncio.run(scenario()) is False
    assert recorder.kinds() == ["error"] and "Address already in use" in recorder.events[0].text


class NoPolls:
    def can_poll(self, device: Device) -> bool:
        return False

    async def poll(self, device: Device) -> DeviceStatus:  # pragma: no cover - never asked
        raise AssertionError


def test_the_runtime_starts_and_stops_its_live_discoverers(store: Store) -> None:
    good, bad = ScriptedDiscoverer(), ScriptedDiscoverer(fail=True)
    runtime = WardRuntime(store, discoverers=[], source=NoPolls(), live_discoverers=[good, bad])
    recorder = Recorder()
    runtime.subscribe(recorder)

    async def scenario() -> None:
        await runtime.start()
        try:
            assert good.started == 1
            await good.add("ipp", advert())
        finally:
            await runtime.stop()

    asyncio.run(scenario())
    (device,) = store.list_devices()
    assert good.stopped == 1 and bad.stopped == 0  # the failed one was never running
    assert [device.id] in recorder.changed
    assert sorted(recorder.kinds()) == ["discovered", "error"]

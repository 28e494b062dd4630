"""Scheduled conformance against a real net-snmp snmpd: drift made behind the app's back
with ``snmpset`` is found on schedule and reported in words; outage ends trigger one
debounced run; re-applying is off by default and, when on, fixes the drift (checked with
``snmpget``) through the audited Deployer, only for a role that may apply."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.keyring_memory import MemoryKeyring
from tests.peers.ipp import IppPrinter
from tests.peers.snmp import SnmpdAgent
from tests.peers.snmp_strings import location_kept, snmpget, snmpset
from tests.store.factories import device, status
from wardfleet.domain.device import Device, ServiceEndpoint
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
from wardfleet.protocols.snmp_credentials import SnmpVersion, community
from wardfleet.services import conformance as conf
from wardfleet.services.conformance import ConformanceWatch, Emit
from wardfleet.services.credential_sets import Secrets, build_set, put_set
from wardfleet.services.deploy import Endpoint, SnmpEndpoint
from wardfleet.services.events import ActivityEvent, SyncSnapshot
from wardfleet.services.profiles import EndpointFor
from wardfleet.services.runtime import WardRuntime
from wardfleet.services.snmp_watch import SnmpWatch
from wardfleet.store import Store, profiles
from wardfleet.store.local import set_setting
from wardfleet.sync.connectivity import LinkState, SyncStatus

WANTED = "Ward 4 corridor"
DRIFTED = "moved by hand"


class Events:
    """A runtime listener that keeps the activity lines."""

    def __init__(self) -> None:
        self.seen: list[ActivityEvent] = []

    def inventory_changed(self, device_ids: list[str]) -> None:
        pass

    def status_changed(self, device_ids: list[str]) -> None:
        pass

    def sync_changed(self, snapshot: SyncSnapshot) -> None:
        pass

    def activity(self, event: ActivityEvent) -> None:
        self.seen.append(event)

    def of(self, kind: str) -> list[ActivityEvent]:
        return [e for e in self.seen if e.kind == kind]


@contextlib.contextmanager
def profiled_ward(agent: SnmpdAgent, database: Path) -> Iterator[tuple[Store, Device]]:
    """A store whose one device (the snmpd) follows a profile wanting sysLocation WANTED;
    the store is closed and the agent's own location put back afterwards."""
    with location_kept(agent):
        store = Store.open(database)
        try:
            host = device(1, ward="Ward 4", address=agent.host, port=agent.port,
                          kind=DeviceKind.SERVER)  # fmt: skip
            profile = profiles.new_profile("Ward 4", [("location", WANTED)])
            with store.transaction() as tx:
                tx.create_device(host)
                profiles.save(tx, profile)
                profiles.assign(tx, profiles.ward_target("Ward 4"), profile.id)
            yield store, host
        finally:
            store.close()


@pytest.fixture
def ward(snmpd_agent: SnmpdAgent, tmp_path: Path) -> Iterator[tuple[Store, Device]]:
    with profiled_ward(snmpd_agent, tmp_path / "ward.sqlite3") as made:
        yield made


def rw_endpoints(agent: SnmpdAgent) -> Callable[[], contextlib.AbstractAsyncContextManager[Any]]:
    """Endpoints with the agent's read-write community (what a saved set would give)."""

    @contextlib.asynccontextmanager
    async def open_endpoints() -> AsyncIterator[EndpointFor]:
        def endpoint_for(d: Device, protocol: str) -> Endpoint | None:
            assert protocol == "snmp" and d.address and d.port
            target = SnmpTarget(d.address, d.port, 1.0, 1)
            return SnmpEndpoint(SnmpSession(target, community(agent.rw_community)), d.id)

        yield endpoint_for

    return open_endpoints


@contextlib.asynccontextmanager
async def no_access() -> AsyncIterator[EndpointFor]:
    yield lambda device, protocol: None


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    async def go() -> Any:
        try:
            return await scenario()
        finally:
            close_engine()

    return asyncio.run(go())


async def until(predicate: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def test_settings_default_to_six_hours_and_no_reapply(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    try:
        assert conf.interval_hours(store) == 6.0 and not conf.reapply_enabled(store)
        conf.set_interval_hours(store, 2)
        conf.set_reapply(store, True)
        assert conf.interval_hours(store) == 2.0 and conf.reapply_enabled(store)
        conf.set_interval_hours(store, 0.001)  # a typo must not hammer the ward's devices
        assert conf.interval_hours(store) == conf.MIN_INTERVAL_H
        assert conf.last_report(store) is None
    finally:
        store.close()


@pytest.mark.peer("snmpd")
def test_the_schedule_finds_drift_made_with_snmpset_and_writes_nothing(
    ward: tuple[Store, Device], snmpd_agent: SnmpdAgent, memory_keyring: MemoryKeyring
) -> None:
    store, host = ward
    # The real path: the saved credential sets, their community in the (memory) keyring.
    put_set(
        store, build_set("ward rw", SnmpVersion.V2C), Secrets(community=snmpd_agent.rw_community)
    )
    snmpset(snmpd_agent, DRIFTED)  # behind the app's back
    events = Events()

    def short_schedule(s: Store, emit: Emit) -> ConformanceWatch:
        return ConformanceWatch(s, emit, interval_s=0.3, debounce_s=0.05)

    async def scenario() -> None:
        runtime = WardRuntime(
            store, discoverers=[], source=SnmpWatch(), hub_sync=False, conformance=short_schedule
        )
        runtime.subscribe(events)
        await runtime.start()
        try:
            await until(lambda: runtime.conformance.runs >= 1, 15, "the scheduled check")
        finally:
            await runtime.stop()
        assert runtime.conformance.last_run is not None
        assert runtime.conformance.last_run.reason == "schedule"

    run(scenario)
    [drift] = [e for e in events.of("drift") if e.device_id == host.id][:1]
    assert "sysLocation" in drift.text and DRIFTED in drift.text and WANTED in drift.text
    assert snmpget(snmpd_agent) == DRIFTED  # re-apply is off by default: nothing written
    report = conf.last_report(store)
    assert report is not None and report["reason"] == "schedule" and report["reapply"] is False
    assert report["devices"][0]["drift"] == [
        {"setting": "sysLocation", "expected": WANTED, "actual": DRIFTED}
    ]
    actions = [e.action for e in store.audit_entries()]
    assert "profile.check" in actions and "deploy.apply" not in actions


@pytest.mark.peer("snmpd")
def test_an_outage_ending_triggers_exactly_one_debounced_run(
    ward: tuple[Store, Device], snmpd_agent: SnmpdAgent
) -> None:
    store, _ = ward
    others = [device(n, ward="Ward 9") for n in range(2, 42)]  # forty printers, no profile
    with store.transaction() as tx:
        for d in others:
            tx.create_device(d)
    events = Events()

    def debounced(s: Store, emit: Emit) -> ConformanceWatch:
        return ConformanceWatch(
            s, emit, endpoints=rw_endpoints(snmpd_agent), interval_s=3600, debounce_s=0.3
        )

    async def scenario() -> ConformanceWatch:
        runtime = WardRuntime(
            store, discoverers=[], source=SnmpWatch(), hub_sync=False, conformance=debounced
        )
        runtime.subscribe(events)
        await runtime.start()
        watch = runtime.conformance
        try:
            runtime._on_sync_status(SyncStatus(LinkState.ONLINE, 0, None))  # first connect
            await asyncio.sleep(0.5)
            assert watch.runs == 0  # not an outage ending, and the schedule is not due
            # A power cut ends: the hub link comes back, then the printers one by one.
            runtime._on_sync_status(SyncStatus(LinkState.OFFLINE, 0, None))
            runtime._on_sync_status(SyncStatus(LinkState.SYNCING, 0, None))
            runtime._on_sync_status(SyncStatus(LinkState.ONLINE, 0, None))
            for burst in range(4):
                now = time.time()
                runtime._on_poll_results(
                    [(d, status(now), DeviceState.UNREACHABLE) for d in others[burst::4]]
                )
                await asyncio.sleep(0.1)
            await until(lambda: watch.runs >= 1, 10, "the debounced check")
            await asyncio.sleep(0.8)  # time enough for a second run, were there one
        finally:
            await runtime.stop()
        return watch

    watch = run(scenario)
    assert len(events.of("recovered")) == 40
    assert watch.runs == 1 and len(events.of("conformance")) == 1
    assert watch.last_run is not None
    assert watch.last_run.reason == "hub link back, a device answers again"
    checks = [e for e in store.audit_entries() if e.action == "profile.check"]
    assert len(checks) == 1  # one device follows a profile: checked once, not 41 times


def reapply_run(store: Store, agent: SnmpdAgent, role: str) -> tuple[Any, list[Any]]:
    """One run with re-apply on, ``role`` as the hub said on the last sync, and the agent's
    sysLocation moved by hand first; the run's result and the events it emitted."""
    conf.set_reapply(store, True)
    store.set_sync_value("role", role)
    snmpset(agent, DRIFTED)
    events: list[tuple[str, str | None, str]] = []
    watch = ConformanceWatch(
        store, lambda *e: events.append(e), endpoints=rw_endpoints(agent), actor=lambda: "t"
    )
    return run(lambda: watch.run_once("test")), events


@pytest.mark.peer("snmpd")
def test_reapply_when_enabled_fixes_drift_through_the_audited_deployer(
    ward: tuple[Store, Device], snmpd_agent: SnmpdAgent
) -> None:
    store, host = ward
    result, events = reapply_run(store, snmpd_agent, "ward-lead")
    assert result.reapply and [d.drift[0].actual for d in result.drifted] == [DRIFTED]
    assert snmpget(snmpd_agent) == WANTED  # fixed, read back by net-snmp itself
    assert ("drift", host.id, f"{host.display_name}: re-applied: applied") in events
    entries = store.audit_entries()
    applied = [e for e in entries if e.action.startswith("deploy.")]
    assert {e.action for e in applied} >= {"deploy.plan", "deploy.apply"}
    assert all(e.actor == "t" for e in applied)
    assert store.verify_audit() is None
    report = conf.last_report(store)
    assert report is not None and report["devices"][0]["reapplied"] == ["applied"]


@pytest.mark.peer("snmpd")
def test_reapply_is_refused_to_a_helpdesk_role_and_nothing_is_written(
    ward: tuple[Store, Device], snmpd_agent: SnmpdAgent
) -> None:
    store, _ = ward
    result, events = reapply_run(store, snmpd_agent, "helpdesk")
    assert not result.reapply and len(result.drifted) == 1
    assert snmpget(snmpd_agent) == DRIFTED
    assert any("not re-applied: role “helpdesk” may not apply changes" in t for _, _, t in events)
    assert not [e for e in store.audit_entries() if e.action.startswith("deploy.")]


@pytest.mark.peer("ippeveprinter")
def test_the_default_endpoints_check_ipp_settings_at_the_printer_uri(
    ippeveprinter_host: IppPrinter, tmp_path: Path
) -> None:
    """ippeveprinter answers Get-Printer-Attributes but not Set-Printer-Attributes: the
    drift is found, and a re-apply is reported as not supported, in words."""
    printer = ippeveprinter_host
    store = Store.open(tmp_path / "ipp.sqlite3")
    endpoint = ServiceEndpoint("ipp", printer.port, "ipp/print")
    host = device(1, ward="Ward 4", address=printer.host, endpoints=(endpoint,))
    profile = profiles.new_profile("Ward 4", [("ipp:location", WANTED)], "printer")
    with store.transaction() as tx:
        tx.create_device(host)
        tx.set_endpoints(host.id, [endpoint], time.time())  # as discovery records it
        profiles.save(tx, profile)
        profiles.assign(tx, profiles.ward_target("Ward 4"), profile.id)
    conf.set_reapply(store, True)
    store.set_sync_value("role", "admin")
    events: list[tuple[str, str | None, str]] = []
    try:
        watch = ConformanceWatch(store, lambda *e: events.append(e), actor=lambda: "t")
        result = run(lambda: watch.run_once("test"))
    finally:
        store.close()
    [report] = result.reports
    assert report.error is None
    assert [(d.setting.label, d.expected, d.actual) for d in report.drift] == [
        ("printer-location", WANTED, printer.location)
    ]
    assert [(r.outcome.value, r.reason) for r in report.reapplied] == [
        ("failed", "printer-location: IPP not-supported")
    ]
    assert any(
        "re-applied: failed (printer-location: IPP not-supported)" in text for _, _, text in events
    )


def test_a_failed_run_is_reported_and_the_schedule_goes_on(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    events: list[tuple[str, str | None, str]] = []
    opened: list[int] = []

    @contextlib.asynccontextmanager
    async def flaky() -> AsyncIterator[EndpointFor]:
        opened.append(1)
        if len(opened) == 1:
            raise OSError("the keyring went away")
        async with no_access() as endpoint_for:
            yield endpoint_for

    async def scenario() -> ConformanceWatch:
        watch = ConformanceWatch(
            store, lambda *e: events.append(e), endpoints=flaky, interval_s=3600, debounce_s=0.05
        )
        watch.start()
        try:
            watch.soon("a device answers again")
            await until(lambda: any(k == "error" for k, _, _ in events), 5, "the error")
            watch.soon("hub link back")
            await until(lambda: watch.runs == 1, 5, "the second run")
        finally:
            await watch.stop()
        return watch

    try:
        watch = run(scenario)
    finally:
        store.close()
    assert ("error", None, "conformance check failed: the keyring went away") in events
    assert watch.last_run is not None and watch.last_run.reason == "hub link back"


def test_a_shorter_interval_takes_effect_at_once(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    set_setting(store, conf.LAST_RUN_KEY, repr(time.time() - 3600))  # an hour ago
    watch = ConformanceWatch(store, lambda *e: None, endpoints=no_access)

    async def scenario() -> None:
        watch.start()
        try:
            await asyncio.sleep(0.3)
            assert watch.runs == 0  # six hours are not up
            await asyncio.to_thread(conf.set_interval_hours, store, 0.5)
            watch.reschedule()  # as Preferences do after saving
            await until(lambda: watch.runs == 1, 5, "the rescheduled run")
        finally:
            await watch.stop()

    try:
        run(scenario)
    finally:
        store.close()
    assert watch.last_run is not None and watch.last_run.reason == "schedule"


# --- stopping mid re-apply -------------------------------------------------------------------


class StopAfterFirstSet:
    """The REAL SNMP endpoint, with a hook in its write path: the first SET goes through on
    the wire, then ``first_set`` is signalled and the reply lingers ``linger_s`` — the
    runtime is stopped right then, between two SETs (a timing no peer can be told to
    produce). With ``hang_rollback`` every later write (the undo) never returns."""

    def __init__(self, inner: SnmpEndpoint, *, hang_rollback: bool = False) -> None:
        self.inner = inner
        self.device, self.device_id = inner.device, inner.device_id
        self.protocol, self.credential = inner.protocol, inner.credential
        self.hang_rollback = hang_rollback
        self.first_set = asyncio.Event()
        self.writes: list[tuple[str, str]] = []

    async def read(self, settings: Any) -> dict[str, str | None]:
        return await self.inner.read(settings)

    async def write(self, setting: Any, value: str) -> None:
        self.writes.append((setting.key, value))
        if len(self.writes) > 1 and self.hang_rollback:
            await asyncio.Event().wait()  # an undo that never gets an answer
        await self.inner.write(setting, value)
        if len(self.writes) == 1:
            self.first_set.set()
            await asyncio.sleep(0.3)  # the reply still on its way when stop() begins


def three_setting_reapply(
    store: Store,
    agent: SnmpdAgent,
    hook: list[StopAfterFirstSet],
    *,
    hang_rollback: bool = False,
    **watch: Any,
) -> Callable[[Store, Emit], ConformanceWatch]:
    """The ward's profile now wants location, contact and name (all three drift), re-apply
    is on for a ward lead, and each run reads the agent through a fresh hooked endpoint."""
    [profile] = profiles.list_profiles(store)
    wanted = (("location", WANTED), ("contact", "Ward 4 desk"), ("name", "w4-printer"))
    with store.transaction() as tx:
        profiles.save(tx, dataclasses.replace(profile, settings=wanted))
    conf.set_reapply(store, True)
    store.set_sync_value("role", "ward-lead")

    @contextlib.asynccontextmanager
    async def hooked() -> AsyncIterator[EndpointFor]:
        async with rw_endpoints(agent)() as endpoint_for:

            def endpoint(d: Device, protocol: str) -> Endpoint | None:
                inner = endpoint_for(d, protocol)
                assert isinstance(inner, SnmpEndpoint)
                hook.append(StopAfterFirstSet(inner, hang_rollback=hang_rollback))
                return hook[-1]

            yield endpoint

    def make(s: Store, emit: Emit) -> ConformanceWatch:
        return ConformanceWatch(
            s, emit, endpoints=hooked, actor=lambda: "t", interval_s=3600, debounce_s=0.05,
            **watch,
        )  # fmt: skip

    return make


async def stop_after_first_set(
    store: Store, make: Callable[[Store, Emit], ConformanceWatch], hook: list[StopAfterFirstSet]
) -> float:
    """Start the runtime, trigger a check, stop the runtime after the first SET; returns
    how long stop() took."""
    runtime = WardRuntime(
        store, discoverers=[], source=SnmpWatch(), hub_sync=False, conformance=make
    )
    await runtime.start()
    try:
        runtime.conformance.soon("a device answers again")
        await until(lambda: bool(hook) and hook[0].first_set.is_set(), 15, "the first SET")
    finally:
        began = time.monotonic()
        await runtime.stop()
    return time.monotonic() - began


@pytest.mark.peer("snmpd")
def test_stopping_the_runtime_mid_reapply_rolls_the_device_back(
    ward: tuple[Store, Device], snmpd_agent: SnmpdAgent
) -> None:
    store, host = ward
    snmpset(snmpd_agent, DRIFTED)  # behind the app's back: what "as before" means here
    hook: list[StopAfterFirstSet] = []
    make = three_setting_reapply(store, snmpd_agent, hook)
    took = run(lambda: stop_after_first_set(store, make, hook))

    assert snmpget(snmpd_agent) == DRIFTED  # net-snmp itself: the device is as before
    assert snmpget(snmpd_agent, "1.3.6.1.2.1.1.4.0") == snmpd_agent.sys_contact
    assert snmpget(snmpd_agent, "1.3.6.1.2.1.1.5.0") == snmpd_agent.sys_name
    # The SET, then its undo; contact and name were never attempted.
    assert hook[0].writes == [("location", WANTED), ("location", DRIFTED)]
    entries = store.audit_entries()
    [rollback] = [e for e in entries if e.action == "deploy.rollback"]
    assert (rollback.device_id, rollback.result) == (host.id, "rolled back, verified")
    assert rollback.after == {"location": DRIFTED}
    assert not [e for e in entries if e.action == "deploy.stop"]  # nothing half-changed
    [result] = [c.payload for c in store.outbox_pending() if c.kind.value == "deploy.result"]
    assert result["outcome"] == "cancelled"
    assert result["settings"] == {
        "location": "rolled-back", "contact": "not-attempted", "name": "not-attempted"
    }  # fmt: skip
    assert store.verify_audit() is None
    assert took < conf.STOP_GRACE_S  # waited for the rollback, not for the deadline


@pytest.mark.peer("snmpd")
def test_a_rollback_that_cannot_finish_is_cut_off_and_audited_as_half_changed(
    ward: tuple[Store, Device], snmpd_agent: SnmpdAgent, caplog: pytest.LogCaptureFixture
) -> None:
    store, host = ward
    snmpset(snmpd_agent, DRIFTED)
    hook: list[StopAfterFirstSet] = []
    make = three_setting_reapply(store, snmpd_agent, hook, stop_grace_s=0.5, hang_rollback=True)
    took = run(lambda: stop_after_first_set(store, make, hook))

    assert 0.5 <= took < 3.0  # bounded: the grace, then a hard cancel
    assert snmpget(snmpd_agent) == WANTED  # honestly reported: the undo never happened
    [stopped] = [e for e in store.audit_entries() if e.action == "deploy.stop"]
    assert stopped.device_id == host.id and "may be half-changed" in stopped.result
    assert any(
        r.levelname == "ERROR" and "may be half-changed" in r.getMessage() for r in caplog.records
    )
    assert store.verify_audit() is None

"""Profiles: stored and synced (last-writer-wins), followed by device or ward, and the
conformance check that finds drift made behind the app's back with net-snmp's snmpset."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.peers.snmp import SnmpdAgent
from tests.peers.snmp_strings import LOCATION, snmpget, snmpset
from tests.store.factories import device
from wardfleet.domain.change import ChangeKind
from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceKind
from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
from wardfleet.protocols.snmp_credentials import community
from wardfleet.services.deploy import Endpoint, Outcome, SettingError, SnmpEndpoint
from wardfleet.services.profiles import check_conformance, desired_settings
from wardfleet.store import Store, profiles


def _store(path: Path) -> Store:
    return Store.open(path)


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    a, b = _store(tmp_path / "a.sqlite3"), _store(tmp_path / "b.sqlite3")
    yield a, b
    a.close()
    b.close()


def test_profiles_sync_last_writer_wins(stores: tuple[Store, Store]) -> None:
    a, b = stores
    printer = device(1, ward="Ward 4")
    for s in (a, b):
        with s.transaction() as tx:
            tx.create_device(printer)
    profile = profiles.new_profile("Ward 4 printers", [("location", "Ward 4")], "printer")
    with a.transaction() as tx:
        profiles.save(tx, profile)
        profiles.assign(tx, profiles.ward_target("Ward 4"), profile.id)
    assert profiles.profile_for(a, printer) == profile
    pending = [c for c in a.outbox_pending() if c.kind.value.startswith("profile.")]
    assert [c.kind for c in pending] == [ChangeKind.PROFILE_UPSERT, ChangeKind.PROFILE_ASSIGN]

    # B edits the profile later; A's older version arriving afterwards must not win.
    newer = dataclasses.replace(profile, settings=(("location", "Ward 4 (east)"),))
    b.apply_remote(pending, 2)
    assert profiles.profile_for(b, printer) == profile
    with b.transaction() as tx:
        profiles.save(tx, newer)
    stale = dataclasses.replace(pending[0], op_id="a-stale-copy")  # not deduplicated by op_id
    b.apply_remote([stale], 3)
    assert profiles.profile_for(b, printer) == newer  # older hlc loses
    a.apply_remote([c for c in b.outbox_pending() if c.kind is ChangeKind.PROFILE_UPSERT], 4)
    assert profiles.get_profile(a, profile.id) == newer
    assert profiles.list_profiles(a) == [newer]


def test_device_assignment_beats_ward_and_kind_must_match(stores: tuple[Store, Store]) -> None:
    store, _ = stores
    printer = device(1, ward="Ward 4")
    scanner = device(2, ward="Ward 4", kind=DeviceKind.SCANNER)
    for_printers = profiles.new_profile("printers", [("contact", "ward4@example.org")], "printer")
    special = profiles.new_profile("special", [("name", "reception")])
    with store.transaction() as tx:
        tx.create_device(printer)
        tx.create_device(scanner)
        profiles.save(tx, for_printers)
        profiles.save(tx, special)
        profiles.assign(tx, profiles.ward_target("Ward 4"), for_printers.id)
    assert profiles.profile_for(store, printer) == for_printers
    assert profiles.profile_for(store, scanner) is None  # the profile is for printers
    with store.transaction() as tx:
        profiles.assign(tx, profiles.device_target(printer.id), special.id)
        profiles.assign(tx, profiles.device_target(scanner.id), None)
    assert profiles.profile_for(store, printer) == special
    assert profiles.profile_for(store, scanner) is None


def test_desired_settings() -> None:
    profile = profiles.new_profile(
        "p", [("name", "a"), ("expert", f"{LOCATION} = s:b"), ("ipp:info", "c")]
    )
    assert [(s.key, v) for s, v in desired_settings(profile)] == [
        ("name", "a"), (f"oid:{LOCATION}", "b"), ("ipp:info", "c"),
    ]  # fmt: skip
    with pytest.raises(SettingError, match="colour"):
        desired_settings(profiles.new_profile("p", [("colour", "red")]))


@pytest.mark.peer("snmpd")
def test_conformance_finds_drift_made_with_snmpset(snmpd_agent: SnmpdAgent, tmp_path: Path) -> None:
    agent = snmpd_agent
    original = snmpget(agent)
    store = _store(tmp_path / "ward.sqlite3")
    host = device(1, ward="Ward 4", address=agent.host, port=agent.port, kind=DeviceKind.SERVER)
    profile = profiles.new_profile(
        "Ward 4", [("location", "Ward 4 corridor"), ("name", agent.sys_name)]
    )
    with store.transaction() as tx:
        tx.create_device(host)
        profiles.save(tx, profile)
        profiles.assign(tx, profiles.ward_target("Ward 4"), profile.id)

    def endpoint_for(d: Device, protocol: str) -> Endpoint | None:
        assert protocol == "snmp" and d.address and d.port
        target = SnmpTarget(d.address, d.port, 1.0, 1)
        return SnmpEndpoint(SnmpSession(target, community(agent.rw_community)), d.id)

    def check(reapply: bool = False):  # type: ignore[no-untyped-def]
        async def go():  # type: ignore[no-untyped-def]
            try:
                return await check_conformance(store, endpoint_for, actor="tester", reapply=reapply)
            finally:
                close_engine()

        return asyncio.run(go())

    try:
        snmpset(agent, "Ward 4 corridor")
        [report] = check()
        assert report.conforms and report.device.id == host.id

        snmpset(agent, "moved by hand")  # behind the app's back
        [report] = check()
        assert [(d.setting.key, d.expected, d.actual) for d in report.drift] == [
            ("location", "Ward 4 corridor", "moved by hand"),
        ]  # fmt: skip
        assert report.reapplied == [] and snmpget(agent) == "moved by hand"  # off by default

        [report] = check(reapply=True)
        assert [r.outcome for r in report.reapplied] == [Outcome.APPLIED]
        assert snmpget(agent) == "Ward 4 corridor"
        results = [e.result for e in store.audit_entries() if e.action == "profile.check"]
        assert results == ["conforms", "drift: sysLocation", "drift: sysLocation"]
        assert store.verify_audit() is None
    finally:
        snmpset(agent, original)
        store.close()
    assert snmpget(agent) == original


def test_print_queue_flag_syncs_and_old_payloads_read_as_false(
    stores: tuple[Store, Store],
) -> None:
    a, b = stores
    profile = profiles.new_profile("queues", [("location", "Ward 4")], print_queue=True)
    with a.transaction() as tx:
        profiles.save(tx, profile, actor="ann")
    [change] = [c for c in a.outbox_pending() if c.kind is ChangeKind.PROFILE_UPSERT]
    assert change.payload["print_queue"] is True
    b.apply_remote([change], 1)
    assert profiles.get_profile(b, profile.id) == profile  # the flag crossed the wire
    assert [e.action for e in b.audit_entries()] == []  # pulled edits are not re-audited

    # A payload from before the flag existed has no "print_queue" key.
    old_payload = {k: v for k, v in change.payload.items() if k != "print_queue"}
    old = profiles.new_profile("old", [("contact", "x")])
    old_payload |= {"id": old.id, "name": "old", "settings": [["contact", "x"]]}
    older = dataclasses.replace(change, op_id="old-op", entity=f"profile:{old.id}",
                                payload=old_payload)  # fmt: skip
    b.apply_remote([older], 2)
    assert profiles.get_profile(b, old.id) == dataclasses.replace(old, device_kind=None)
    assert profiles.get_profile(b, old.id).print_queue is False  # type: ignore[union-attr]

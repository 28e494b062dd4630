"""Profile assignments mean one of three things: a profile, explicitly none, or removed
(inherit: a device follows its ward). Removal is a synced tombstone (last-writer-wins by
hlc); a deleted profile's assignments lapse. Checked in one store, between two stores, and
between two desktops syncing through the real hub over HTTP."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.factories import device
from tests.sync.desktops import Desktop
from tests.sync.hubs import WARD, seed, thread_hub
from wardfleet.domain.change import Change, ChangeKind
from wardfleet.hub.db import HubDatabase
from wardfleet.store import Store, profiles
from wardfleet.store.migrations import migrate
from wardfleet.store.profiles import INHERIT, Profile

PRINTER = device(1, ward="Ward 4")
WARD_4 = profiles.ward_target("Ward 4")
OWN = profiles.device_target(PRINTER.id)


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    a, b = Store.open(tmp_path / "a.sqlite3"), Store.open(tmp_path / "b.sqlite3")
    yield a, b
    a.close()
    b.close()


def two_profiles(store: Store) -> tuple[Profile, Profile]:
    """``ward`` assigned to Ward 4, ``special`` assigned to nothing yet."""
    ward = profiles.new_profile("Ward 4", [("location", "Ward 4")], "printer")
    special = profiles.new_profile("Special", [("location", "Lab")], "printer")
    with store.transaction() as tx:
        profiles.save(tx, ward)
        profiles.save(tx, special)
        profiles.assign(tx, WARD_4, ward.id)
    return ward, special


def assign_changes(store: Store) -> list[Change]:
    return [c for c in store.outbox_pending() if c.kind is ChangeKind.PROFILE_ASSIGN]


def test_a_profile_none_and_inherit_mean_three_different_things(store: Store) -> None:
    ward, special = two_profiles(store)
    assert profiles.assignment_of(store, OWN) is INHERIT  # nothing of its own yet
    assert profiles.profile_for(store, PRINTER) == ward

    with store.transaction() as tx:
        profiles.assign(tx, OWN, special.id, actor="ann")
    assert profiles.assignment_of(store, OWN) == special.id
    assert profiles.profile_for(store, PRINTER) == special

    with store.transaction() as tx:
        profiles.assign(tx, OWN, None, actor="ann")  # explicitly opt out
    assert profiles.assignment_of(store, OWN) is None
    assert profiles.profile_for(store, PRINTER) is None  # the ward's is hidden
    assert profiles.opted_out(store) == {OWN}

    with store.transaction() as tx:
        profiles.inherit(tx, OWN, actor="ann")  # unticked in the editor: follow the ward
    assert profiles.assignment_of(store, OWN) is INHERIT
    assert profiles.profile_for(store, PRINTER) == ward
    assert profiles.opted_out(store) == set()
    assert profiles.assignments(store) == {WARD_4: ward.id}

    *_, tombstone = assign_changes(store)
    assert tombstone.payload == {"target": OWN, "profile_id": None, "deleted": True}
    audits = [(e.before, e.after, e.result) for e in store.audit_entries()]
    assert audits[-1] == (
        {"target": OWN, "profile_id": None},
        {"target": OWN, "profile_id": None, "inherit": True},
        f"{OWN} follows its ward",
    )
    assert audits[0][0] == {"target": OWN, "profile_id": None, "inherit": True}
    assert store.verify_audit() is None


def test_the_tombstone_syncs_last_writer_wins_and_old_payloads_read_as_before(
    stores: tuple[Store, Store],
) -> None:
    a, b = stores
    ward, special = two_profiles(a)
    with a.transaction() as tx:
        profiles.assign(tx, OWN, special.id)
    b.apply_remote(list(a.outbox_pending()), 1)
    assert profiles.profile_for(b, PRINTER) == special

    with a.transaction() as tx:
        profiles.inherit(tx, OWN)
    *_, stale, tombstone = assign_changes(a)
    assert b.apply_remote([tombstone], 2).applied == 1
    assert profiles.profile_for(b, PRINTER) == ward
    # The older assignment again (another op id): it must not bring the device back.
    b.apply_remote([dataclasses.replace(stale, op_id="stale-copy")], 3)
    assert profiles.assignment_of(b, OWN) is INHERIT
    # A newer assignment made at B beats the tombstone, and reaches A.
    with b.transaction() as tx:
        profiles.assign(tx, OWN, special.id)
    a.apply_remote(assign_changes(b), 4)
    assert profiles.profile_for(a, PRINTER) == special

    # A payload from before tombstones existed has no "deleted": None still means none.
    old = dataclasses.replace(
        tombstone,
        op_id="old-desktop",
        hlc="9" * 15 + "-000000-old",
        payload={"target": OWN, "profile_id": None},
    )
    b.apply_remote([old], 5)
    assert profiles.assignment_of(b, OWN) is None
    assert profiles.profile_for(b, PRINTER) is None


def test_deleting_a_profile_lets_its_assignments_lapse(stores: tuple[Store, Store]) -> None:
    a, b = stores
    ward, special = two_profiles(a)
    other = device(2, ward="Ward 4")
    with a.transaction() as tx:
        profiles.assign(tx, OWN, special.id)
        profiles.assign(tx, profiles.device_target(other.id), None)  # opted out
    with a.transaction() as tx:
        profiles.save(tx, special, deleted=True, actor="ann")
    assert profiles.profile_for(a, PRINTER) == ward  # follows its ward again
    assert profiles.assignment_of(a, OWN) is INHERIT
    assert profiles.profile_for(a, other) is None  # an explicit "none" is not a lapse
    assert profiles.assignments(a) == {WARD_4: ward.id}
    [deleted] = [e for e in a.audit_entries() if e.action == "profile.delete"]
    assert deleted.after == {"lapsed": [OWN]}
    assert deleted.result == "deleted 'Special'; 1 assignment(s) lapse"

    # Every order of arrival ends the same: B gets the deletion first, then (from a third
    # desktop that had not heard of it) a fresh assignment to the deleted profile.
    upserts = [c for c in a.outbox_pending() if c.kind is ChangeKind.PROFILE_UPSERT]
    b.apply_remote([*upserts, assign_changes(a)[0]], 1)  # both profiles, the ward's assign
    late = dataclasses.replace(
        assign_changes(a)[1], op_id="late", hlc="9" * 15 + "-000000-c"
    )  # device → Special, newest of all
    b.apply_remote([late], 2)
    assert profiles.profile_for(b, PRINTER) == ward

    # Deleting the ward's profile leaves the device with nothing to follow.
    with a.transaction() as tx:
        profiles.save(tx, ward, deleted=True)
    assert profiles.profile_for(a, PRINTER) is None


def test_v8_assignments_keep_their_meaning_after_v9(tmp_path: Path) -> None:
    """V9 only adds the tombstone column: an old "none" row still opts out."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=8)
    conn.execute("INSERT INTO profiles (id, name, settings, hlc) VALUES ('p', 'W', '[]', '1')")
    conn.executemany(
        "INSERT INTO profile_assignments (target, profile_id, hlc) VALUES (?, ?, '1')",
        [(WARD_4, "p"), (OWN, None)],
    )
    conn.close()
    store = Store.open(path)
    try:
        assert profiles.assignment_of(store, WARD_4) == "p"
        assert profiles.assignment_of(store, OWN) is None
        assert profiles.profile_for(store, PRINTER) is None
        assert profiles.profile_for(store, device(2, ward="Ward 4")) is not None
    finally:
        store.close()


def test_unticking_syncs_through_the_real_hub(tmp_path: Path) -> None:
    """Two ward desktops and the hub over real HTTP: B unticks the device (inherit), A
    then sees it follow the ward's profile again, not "no profile"."""
    db = HubDatabase(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    db.migrate()
    tokens = seed(db)
    hub = thread_hub(db)
    a = Desktop(tmp_path / "a.sqlite3", hub.url, tokens.lead, WARD)
    b = Desktop(tmp_path / "b.sqlite3", hub.url, tokens.lead2, WARD)
    try:
        printer = device(7, ward=WARD)
        own = profiles.device_target(printer.id)
        ward = profiles.new_profile("Ward 3", [("location", "Ward 3")])
        special = profiles.new_profile("Special", [("location", "Lab")])
        with a.store.transaction() as tx:
            profiles.save(tx, ward)
            profiles.save(tx, special)
            profiles.assign(tx, profiles.ward_target(WARD), ward.id, actor="lena")
            profiles.assign(tx, own, special.id, actor="lena")
        a.sync()
        b.sync()
        assert profiles.profile_for(b.store, printer) == special

        with b.store.transaction() as tx:
            profiles.inherit(tx, own, actor="lars")
        b.sync()
        a.sync()
        assert profiles.assignment_of(a.store, own) is INHERIT
        assert profiles.profile_for(a.store, printer) == ward
        assert a.store.outbox_count() == 0 and b.store.outbox_count() == 0

        with a.store.transaction() as tx:  # then A deletes the ward's profile
            profiles.save(tx, ward, deleted=True, actor="lena")
        a.sync()
        b.sync()
        assert profiles.profile_for(b.store, printer) is None
        assert profiles.assignments(b.store) == {}
    finally:
        a.close()
        b.close()
        hub.stop()
        db.dispose()

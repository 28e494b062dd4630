"""One device per physical device, whatever order the protocols report in."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wardfleet.domain.change import ChangeKind
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.services.discovery import merge_observation
from wardfleet.store import Store


def obs(
    protocol: Protocol,
    address: str,
    t: float = 1.0,
    *,
    name: str | None = None,
    kind: DeviceKind | None = DeviceKind.PRINTER,
    vendor: str | None = "HP",
    **ids: str,
) -> Observation:
    return Observation(
        protocol=protocol,
        address=address,
        identity=Identity.of(address=address, vendor=vendor, **ids),
        seen_at=t,
        name=name,
        kind=kind,
        vendor=vendor,
    )


# The same HP printer seen by three protocols, each knowing part of its identity.
SNMP = obs(Protocol.SNMP, "10.1.0.5", serial="CNB1234567", mac="3c:2a:f4:bf:f5:1b", name="ward7-hp")
MDNS = obs(
    Protocol.MDNS,
    "10.1.0.5",
    uuid="6a3bd6d8-1c53-4b8f-9d5e-2f0a3c5b9e11",
    vendor=None,
    name="HP LaserJet (Ward 7)",
)
IPP = obs(
    Protocol.IPP,
    "10.1.0.5",
    serial="CNB1234567",
    uuid="urn:uuid:6a3bd6d8-1c53-4b8f-9d5e-2f0a3c5b9e11",
)
# Another printer that once had the first one's address.
OTHER = obs(Protocol.SNMP, "10.1.0.9", serial="CNB7654321", mac="3c:2a:f4:00:00:02")


@pytest.mark.parametrize(
    ("observations", "devices"),
    [
        ([SNMP, IPP, MDNS], 1),
        ([MDNS, SNMP, IPP], 1),  # mDNS first knows only the UUID; IPP ties UUID to serial
        ([SNMP, OTHER], 2),
        # Same address, different strong identity: never merged by IP.
        ([SNMP, obs(Protocol.SNMP, "10.1.0.5", serial="ZZZ999", mac="02:00:00:00:00:99")], 2),
        # No identifiers at all: the address is the only way to know it again.
        ([obs(Protocol.SNMP, "10.9.9.9"), obs(Protocol.SNMP, "10.9.9.9", t=2.0)], 1),
    ],
)
def test_table_of_merges(store: Store, observations: list[Observation], devices: int) -> None:
    for o in observations:
        merge_observation(store, o)
    assert len(store.list_devices()) == devices


def test_an_ip_change_updates_the_device_and_keeps_the_address_history(store: Store) -> None:
    first = merge_observation(store, SNMP)
    moved = obs(Protocol.SNMP, "10.1.0.77", t=50.0, serial="CNB1234567", mac="3c:2a:f4:bf:f5:1b")
    second = merge_observation(store, moved)
    assert second.device_id == first.device_id and not second.created
    assert "address" in second.changed_fields
    device = store.get_device(first.device_id)
    assert device is not None and device.address == "10.1.0.77"
    assert [a for a, _, _ in store.address_history(first.device_id)] == ["10.1.0.77", "10.1.0.5"]


def test_conflicting_strong_identifiers_stay_apart_and_are_flagged(store: Store) -> None:
    first = merge_observation(store, SNMP)
    # Same MAC (a print server card moved?) but another serial of the same vendor.
    clash = obs(Protocol.SNMP, "10.1.0.30", serial="CNB0000001", mac="3c:2a:f4:bf:f5:1b")
    second = merge_observation(store, clash)
    assert second.created and second.device_id != first.device_id
    assert second.possible_duplicate_of == first.device_id
    flagged = store.get_device(second.device_id)
    assert flagged is not None and flagged.possible_duplicate_of == first.device_id


def test_protocols_seen_are_recorded_per_device(store: Store) -> None:
    for o in (SNMP, MDNS, IPP):
        merge_observation(store, o)
    (device,) = store.list_devices()
    assert set(device.protocols) == {"snmp", "mdns", "ipp"}


def test_discovery_never_overwrites_a_name_a_person_gave(store: Store) -> None:
    outcome = merge_observation(store, SNMP)
    with store.transaction() as tx:
        tx.update_device(outcome.device_id, {"name": "Nurses' station printer"})
    merge_observation(
        store, obs(Protocol.SNMP, "10.1.0.5", t=9, serial="CNB1234567", name="NPI3C2A")
    )
    device = store.get_device(outcome.device_id)
    assert device is not None and device.name == "Nurses' station printer"


def _inventory_shape(
    store: Store,
) -> list[tuple[str | None, str | None, str | None, frozenset[str]]]:
    return sorted(
        (d.identity.serial, d.identity.mac, d.identity.uuid, frozenset(d.protocols))
        for d in store.list_devices()
    )


POOL = [
    SNMP,
    MDNS,
    IPP,
    OTHER,
    obs(Protocol.MDNS, "10.1.0.9", uuid="11111111-2222-3333-4444-555555555555", vendor=None),
    obs(Protocol.IPP, "10.1.0.9", serial="CNB7654321", uuid="11111111-2222-3333-4444-555555555555"),
]


@settings(max_examples=30, deadline=None)
@given(st.permutations(POOL))
def test_any_order_of_the_same_observations_gives_the_same_inventory(
    tmp_path_factory, order
) -> None:  # type: ignore[no-untyped-def]
    reference = Store.open(tmp_path_factory.mktemp("ref") / "w.sqlite3")
    for o in POOL:
        merge_observation(reference, o)
    shuffled = Store.open(tmp_path_factory.mktemp("perm") / "w.sqlite3")
    for o in order:
        merge_observation(shuffled, o)
    assert _inventory_shape(shuffled) == _inventory_shape(reference)
    assert len(shuffled.list_devices()) == 2
    reference.close()
    shuffled.close()


def test_every_merge_is_in_the_outbox(store: Store) -> None:
    for o in itertools.chain([SNMP, MDNS, IPP]):
        merge_observation(store, o)
    changes = store.outbox_pending()
    payloads = [c.payload["fields"] for c in changes if c.kind is ChangeKind.DEVICE_UPSERT]
    # mDNS made its own record before IPP proved it the same printer: that one is tombstoned.
    deletes = [c for c in changes if c.kind is ChangeKind.DEVICE_DELETE]
    assert len(deletes) == 1 and deletes[0].payload["merged_into"] == store.list_devices()[0].id
    assert payloads[0]["serial"] == "CNB1234567"
    assert any(p.get("uuid") == "6a3bd6d8-1c53-4b8f-9d5e-2f0a3c5b9e11" for p in payloads)

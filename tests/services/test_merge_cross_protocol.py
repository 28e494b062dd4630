"""One Device per physical device across SNMP, mDNS, unicast DNS-SD and IPP.

Each protocol knows part of a printer's identity: SNMP its serial, MAC and sysName; mDNS
and DNS-SD its UUID and host name (TXT ``UUID``, the SRV target, ``adminurl``); IPP its
``printer-uuid`` and the serial in ``printer-device-id``. Identity order stays serial+vendor
> MAC > UUID > address; a host name only corroborates an address.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wardfleet.domain.identity import Identity, IdentityKind, normalise_hostname
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.merge import merged_kind, resolve
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.services.discovery import merge_observation
from wardfleet.store import Store

UUID = "564e4333-4d39-3530-3136-3c2af4bff51b"
SERIAL = "CNB1234567"
MAC = "3c:2a:f4:bf:f5:1b"


def obs(
    protocol: Protocol,
    address: str = "10.1.0.5",
    t: float = 1.0,
    *,
    kind: DeviceKind | None = DeviceKind.PRINTER,
    vendor: str | None = "HP",
    name: str | None = None,
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


# One HP MFD, as each protocol sees it.
SNMP = obs(Protocol.SNMP, serial=SERIAL, mac=MAC, hostname="NPIBFF51B", name="NPIBFF51B")
SNMP_NO_SYSNAME = obs(Protocol.SNMP, serial=SERIAL, mac=MAC)
MDNS_IPP = obs(Protocol.MDNS, uuid=UUID, hostname="NPIBFF51B.local", name="HP LaserJet (W7)")
MDNS_IPPS = obs(Protocol.MDNS, t=2.0, uuid=UUID, hostname="NPIBFF51B.local")
MDNS_USCAN = obs(
    Protocol.MDNS, t=3.0, uuid=UUID, hostname="NPIBFF51B.local", kind=DeviceKind.SCANNER
)
DNSSD = obs(Protocol.DNSSD, t=4.0, uuid=UUID, hostname="npibff51b.ward.example")
IPP = obs(Protocol.IPP, t=5.0, serial=SERIAL, uuid=f"urn:uuid:{UUID}")
# Another printer in the same ward.
OTHER_SNMP = obs(
    Protocol.SNMP, "10.1.0.9", serial="CNB7654321", mac="3c:2a:f4:00:00:02", hostname="NPI000002"
)
OTHER_MDNS = obs(
    Protocol.MDNS, "10.1.0.9", uuid="11111111-2222-3333-4444-555555555555", hostname="NPI000002"
)


@pytest.mark.parametrize(
    ("observations", "devices"),
    [
        pytest.param([SNMP, MDNS_IPP], 1, id="snmp-then-mdns: address and host name agree"),
        pytest.param([MDNS_IPP, SNMP], 1, id="mdns-then-snmp"),
        pytest.param([SNMP_NO_SYSNAME, MDNS_IPP], 2, id="an address alone never merges"),
        pytest.param([SNMP_NO_SYSNAME, MDNS_IPP, IPP], 1, id="ipp bridges serial and uuid"),
        pytest.param([MDNS_IPP, IPP, SNMP_NO_SYSNAME], 1, id="ipp first links the serial"),
        pytest.param([MDNS_IPP, MDNS_IPPS, MDNS_USCAN, DNSSD], 1, id="every advert, one uuid"),
        pytest.param([SNMP, MDNS_IPP, MDNS_USCAN, DNSSD, IPP], 1, id="all five protocols"),
        pytest.param(
            [SNMP, obs(Protocol.MDNS, "10.1.0.66", uuid=UUID, hostname="NPIBFF51B")],
            2,
            id="a host name alone never merges",
        ),
        pytest.param(
            [SNMP, obs(Protocol.MDNS, uuid=UUID, hostname="localhost")],
            2,
            id="generic host names say nothing",
        ),
        pytest.param([SNMP, MDNS_IPP, OTHER_SNMP, OTHER_MDNS], 2, id="two printers"),
    ],
)
def test_table_of_cross_protocol_merges(
    store: Store, observations: list[Observation], devices: int
) -> None:
    for o in observations:
        merge_observation(store, o)
    assert len(store.list_devices()) == devices


def test_each_device_shows_which_protocols_saw_it_and_when(store: Store) -> None:
    for o in (SNMP, MDNS_IPP, DNSSD, IPP):
        merge_observation(store, o)
    (device,) = store.list_devices()
    assert device.protocols == {"snmp": 1.0, "mdns": 1.0, "dns-sd": 4.0, "ipp": 5.0}
    assert (device.identity.serial, device.identity.mac, device.identity.uuid) == (
        SERIAL,
        MAC,
        UUID,
    )


def test_an_ip_change_seen_by_mdns_updates_the_address_history(store: Store) -> None:
    first = merge_observation(store, MDNS_IPP)
    moved = obs(Protocol.MDNS, "10.1.0.77", t=9.0, uuid=UUID, hostname="NPIBFF51B")
    second = merge_observation(store, moved)
    assert second.device_id == first.device_id and "address" in second.changed_fields
    assert [a for a, _, _ in store.address_history(first.device_id)] == ["10.1.0.77", "10.1.0.5"]
    # The SNMP agent, still reporting the old address, is not merged by IP...
    merge_observation(store, obs(Protocol.SNMP, "10.1.0.5", t=10.0, serial=SERIAL))
    assert len(store.list_devices()) == 2
    # ...until IPP proves serial and UUID are one printer.
    merge_observation(store, obs(Protocol.IPP, "10.1.0.77", t=11.0, serial=SERIAL, uuid=UUID))
    (device,) = store.list_devices()
    assert device.address == "10.1.0.77"


def test_conflicting_strong_ids_at_one_host_stay_apart_and_are_flagged(store: Store) -> None:
    first = merge_observation(store, SNMP)
    # Same address and host name, but another serial of the same vendor: a swapped
    # printer that kept its predecessor's name and IP? A person decides.
    clash = obs(Protocol.SNMP, t=2.0, serial="CNB0000001", hostname="NPIBFF51B")
    second = merge_observation(store, clash)
    assert second.created and second.possible_duplicate_of == first.device_id
    # Two queues of one print server: same host, two UUIDs.
    a = merge_observation(
        store, obs(Protocol.MDNS, "10.2.0.1", uuid=UUID[:-1] + "a", hostname="cups")
    )
    b = merge_observation(
        store, obs(Protocol.MDNS, "10.2.0.1", uuid=UUID[:-1] + "b", hostname="cups")
    )
    assert b.created and b.possible_duplicate_of == a.device_id


def test_printer_and_scanner_views_make_an_mfd_in_any_order(store: Store) -> None:
    merge_observation(store, MDNS_USCAN)
    merge_observation(store, SNMP)  # the Printer MIB says "printer"
    (device,) = store.list_devices()
    assert device.kind is DeviceKind.MFD
    merge_observation(store, obs(Protocol.SNMP, t=20.0, serial=SERIAL, mac=MAC))
    assert store.list_devices()[0].kind is DeviceKind.MFD  # stays one


@pytest.mark.parametrize(
    ("current", "seen", "expected"),
    [
        (DeviceKind.PRINTER, None, DeviceKind.PRINTER),
        (DeviceKind.PRINTER, DeviceKind.OTHER, DeviceKind.PRINTER),
        (DeviceKind.OTHER, DeviceKind.SCANNER, DeviceKind.SCANNER),
        (DeviceKind.PRINTER, DeviceKind.SCANNER, DeviceKind.MFD),
        (DeviceKind.SCANNER, DeviceKind.PRINTER, DeviceKind.MFD),
        (DeviceKind.MFD, DeviceKind.PRINTER, DeviceKind.MFD),
        (DeviceKind.PRINTER, DeviceKind.MFD, DeviceKind.MFD),
        (DeviceKind.PRINTER, DeviceKind.LABEL_PRINTER, DeviceKind.LABEL_PRINTER),
        (DeviceKind.MONITOR, DeviceKind.SERVER, DeviceKind.SERVER),
    ],
)
def test_merged_kind(current: DeviceKind, seen: DeviceKind | None, expected: DeviceKind) -> None:
    assert merged_kind(current, seen) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NPIBFF51B.local.", "npibff51b"),
        ("npibff51b.ward.example", "npibff51b"),
        ("KMBT_C300", "kmbt_c300"),
        ("localhost", None),
        ("10.1.0.5", None),
        ("fe80::1", None),
        ("HP LaserJet", None),  # a sysName that names no host
        ("", None),
        (None, None),
    ],
)
def test_host_names_are_normalised_to_their_first_label(
    raw: str | None, expected: str | None
) -> None:
    assert normalise_hostname(raw) == expected


def test_host_names_are_weak_keys() -> None:
    identity = Identity.of(uuid=UUID, address="10.1.0.5", hostname="NPI")
    assert [k.kind for k in identity.keys()] == [
        IdentityKind.UUID,
        IdentityKind.ADDRESS,
        IdentityKind.HOSTNAME,
    ]
    assert [k.kind for k in identity.strong_keys()] == [IdentityKind.UUID]
    # A host name match without the address decides nothing.
    (host_key,) = [k for k in identity.keys() if k.kind is IdentityKind.HOSTNAME]
    decision = resolve(identity, {host_key: "dev-1"}, {"dev-1": Identity(serial="S")})
    assert decision.device_id is None


def _shape(store: Store) -> list[tuple[object, ...]]:
    return sorted(
        (d.identity.serial, d.identity.mac, d.identity.uuid, d.kind.value, frozenset(d.protocols))
        for d in store.list_devices()
    )


POOL = [SNMP, MDNS_IPP, MDNS_IPPS, MDNS_USCAN, DNSSD, IPP, OTHER_SNMP, OTHER_MDNS]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.permutations(POOL))
def test_any_order_of_the_same_observations_gives_the_same_inventory(
    tmp_path_factory: pytest.TempPathFactory, order: list[Observation]
) -> None:
    reference = Store.open(tmp_path_factory.mktemp("ref") / "w.sqlite3")
    shuffled = Store.open(tmp_path_factory.mktemp("perm") / "w.sqlite3")
    try:
        for o in POOL:
            merge_observation(reference, o)
        for o in order:
            merge_observation(shuffled, o)
        assert _shape(shuffled) == _shape(reference)
        assert len(shuffled.list_devices()) == 2
        kinds = sorted(d.kind.value for d in shuffled.list_devices())
        assert kinds == ["mfd", "printer"]
    finally:
        reference.close()
        shuffled.close()


# Without sysName, SNMP's record and mDNS's meet only when IPP proves them one printer:
# one record absorbs the other, and what each knew (the scanner side too) must survive.
POOL_VIA_IPP = [SNMP_NO_SYSNAME, MDNS_IPP, MDNS_USCAN, IPP, OTHER_SNMP, OTHER_MDNS]


@settings(max_examples=40, deadline=None)
@given(st.permutations(POOL_VIA_IPP))
def test_any_order_gives_the_same_inventory_when_ipp_bridges(
    tmp_path_factory: pytest.TempPathFactory, order: list[Observation]
) -> None:
    reference = Store.open(tmp_path_factory.mktemp("ref") / "w.sqlite3")
    shuffled = Store.open(tmp_path_factory.mktemp("perm") / "w.sqlite3")
    try:
        for o in POOL_VIA_IPP:
            merge_observation(reference, o)
        for o in order:
            merge_observation(shuffled, o)
        assert _shape(shuffled) == _shape(reference)
        assert sorted(d.kind.value for d in shuffled.list_devices()) == ["mfd", "printer"]
    finally:
        reference.close()
        shuffled.close()

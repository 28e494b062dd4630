"""The command responder, the MIB view and the loopback-only binding, in-process."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import pytest
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api, rfc1905

from wardfleet.demo import binding
from wardfleet.demo.agent import SnmpAgent
from wardfleet.demo.mib import (
    Counter32,
    Counter64,
    Integer32,
    MibBuilder,
    MibView,
    OctetString,
    parse_oid,
)
from wardfleet.demo.responder import MAX_BULK_VARBINDS, MalformedRequest, respond
from wardfleet.demo.runner import start_ward
from wardfleet.demo.ward import Ward

V1 = api.PROTOCOL_MODULES[api.SNMP_VERSION_1]
V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
SYS_DESCR = (1, 3, 6, 1, 2, 1, 1, 1, 0)


def small_view() -> MibView:
    b = MibBuilder()
    b.scalar((1, 3, 6, 1, 2, 1, 1, 1), OctetString(b"Test printer"))
    b.scalar((1, 3, 6, 1, 2, 1, 1, 5), OctetString(b"TEST-1"))
    b.cell((1, 3, 6, 1, 2, 1, 2, 2, 1, 10), (1,), Counter32(5))
    b.cell((1, 3, 6, 1, 2, 1, 2, 2, 1, 10), (2,), Counter32(6))
    b.cell((1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6), (1,), Counter64(2**40))  # v2c only
    b.cell((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9), (1, 1), Integer32(-3))
    b.declare((1, 3, 6, 1, 2, 1, 43, 18, 1, 1), [2, 8])
    return b.build()


def request(
    proto: Any,
    pdu_type: str,
    oids: list[tuple[int, ...]],
    *,
    community: str = "public",
    non_repeaters: int = 0,
    max_repetitions: int = 10,
) -> bytes:
    pdu = getattr(proto, pdu_type)()
    pdu_api = proto.apiBulkPDU if pdu_type == "GetBulkRequestPDU" else proto.apiPDU
    pdu_api.set_defaults(pdu)
    pdu_api.set_request_id(pdu, 4242)
    if pdu_type == "GetBulkRequestPDU":
        pdu_api.set_non_repeaters(pdu, non_repeaters)
        pdu_api.set_max_repetitions(pdu, max_repetitions)
    value = OctetString(b"x") if pdu_type == "SetRequestPDU" else proto.null
    pdu_api.set_varbinds(pdu, [(oid, value) for oid in oids])
    message = proto.Message()
    proto.apiMessage.set_defaults(message)
    proto.apiMessage.set_community(message, community)
    proto.apiMessage.set_pdu(message, pdu)
    return bytes(encoder.encode(message))


def answer(proto: Any, datagram: bytes, view: MibView | None = None) -> tuple[int, int, list[Any]]:
    reply = respond(datagram, b"public", view or small_view())
    assert reply is not None
    message, rest = decoder.decode(reply, asn1Spec=proto.Message())
    assert not rest
    pdu = proto.apiMessage.get_pdu(message)
    assert pdu.tagSet == proto.GetResponsePDU.tagSet
    assert int(proto.apiPDU.get_request_id(pdu)) == 4242
    varbinds = [(tuple(oid), value) for oid, value in proto.apiPDU.get_varbinds(pdu)]
    status = int(proto.apiPDU.get_error_status(pdu))
    return status, int(proto.apiPDU.get_error_index(pdu)), varbinds


# --- the MIB view -------------------------------------------------------------------------


def test_view_orders_oids_numerically_and_finds_the_next() -> None:
    view = small_view()
    oids = [oid for oid, _ in view]
    assert oids == sorted(oids)
    after_if = view.next_after((1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 2))
    assert after_if is not None and after_if[0] == (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 1)
    assert view.next_after((1, 3, 6, 1, 2, 1, 1, 1))[0] == SYS_DESCR  # type: ignore[index]
    assert view.next_after((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1)) is None
    assert view.next_after((0,))[0] == SYS_DESCR  # type: ignore[index]
    assert view.knows_object((1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 8, 1, 7))
    assert not view.knows_object((1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 9, 1, 7))
    assert parse_oid(".1.3.6.1") == (1, 3, 6, 1)


# --- SNMPv2c ------------------------------------------------------------------------------


def test_v2c_get_reports_each_kind_of_miss() -> None:
    status, _, varbinds = answer(
        V2C,
        request(
            V2C,
            "GetRequestPDU",
            [
                SYS_DESCR,
                (1, 3, 6, 1, 2, 1, 1, 1, 1),  # known object, no such instance
                (1, 3, 6, 1, 2, 1, 43, 18, 1, 1, 8, 1, 1),  # declared empty table
                (1, 3, 6, 1, 2, 1, 88, 1, 0),  # unknown object
            ],
        ),
    )
    assert status == 0
    values = [value for _, value in varbinds]
    assert bytes(values[0]) == b"Test printer"
    assert values[1].tagSet == rfc1905.NoSuchInstance.tagSet
    assert values[2].tagSet == rfc1905.NoSuchInstance.tagSet
    assert values[3].tagSet == rfc1905.NoSuchObject.tagSet


def test_v2c_getnext_walks_off_the_end_with_end_of_mib_view() -> None:
    last = (1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1)
    _, _, varbinds = answer(V2C, request(V2C, "GetNextRequestPDU", [(1, 3), last]))
    assert varbinds[0][0] == SYS_DESCR
    assert varbinds[1][0] == last
    assert varbinds[1][1].tagSet == rfc1905.EndOfMibView.tagSet


def test_getbulk_repeats_and_stops_at_the_end() -> None:
    view = small_view()
    _, _, varbinds = answer(
        V2C,
        request(
            V2C,
            "GetBulkRequestPDU",
            [SYS_DESCR, (1, 3, 6, 1, 2, 1, 2)],
            non_repeaters=1,
            max_repetitions=50,
        ),
        view,
    )
    # One non-repeater, then the rest of the MIB, then one endOfMibView row.
    assert varbinds[0][0] == (1, 3, 6, 1, 2, 1, 1, 5, 0)
    repeated = varbinds[1:]
    assert [oid for oid, _ in repeated[:-1]] == [oid for oid, _ in view][2:]
    assert repeated[-1][1].tagSet == rfc1905.EndOfMibView.tagSet


@pytest.mark.parametrize(
    ("non_repeaters", "max_repetitions", "count"),
    [
        (0, 0, 0),  # no repetitions asked for: empty
        (5, 3, 2),  # more non-repeaters than varbinds: all are non-repeaters
        (0, 2, 4),
    ],
)
def test_getbulk_edge_values(non_repeaters: int, max_repetitions: int, count: int) -> None:
    _, _, varbinds = answer(
        V2C,
        request(
            V2C,
            "GetBulkRequestPDU",
            [(1, 3), (1, 3, 6, 1, 2, 1, 2)],
            non_repeaters=non_repeaters,
            max_repetitions=max_repetitions,
        ),
    )
    assert len(varbinds) == count


def test_getbulk_is_bounded() -> None:
    ward = Ward()
    view = ward.view_at("w7-reception-mfd", 10.0)
    assert view is not None
    oids = [(1, 3, 6, 1)] * 4
    _, _, varbinds = answer(
        V2C, request(V2C, "GetBulkRequestPDU", oids, max_repetitions=10_000), view
    )
    assert len(varbinds) <= MAX_BULK_VARBINDS


def test_set_is_not_writable() -> None:
    status, index, _ = answer(V2C, request(V2C, "SetRequestPDU", [SYS_DESCR]))
    assert (status, index) == (17, 1)  # notWritable
    status, index, _ = answer(V1, request(V1, "SetRequestPDU", [SYS_DESCR]))
    assert (status, index) == (2, 1)  # v1: noSuchName


# --- SNMPv1 -------------------------------------------------------------------------------


def test_v1_reports_no_such_name_with_the_index_of_the_first_miss() -> None:
    status, index, varbinds = answer(
        V1, request(V1, "GetRequestPDU", [SYS_DESCR, (1, 3, 6, 1, 2, 1, 88, 0)])
    )
    assert (status, index) == (2, 2)
    assert [oid for oid, _ in varbinds] == [SYS_DESCR, (1, 3, 6, 1, 2, 1, 88, 0)]


def test_v1_getnext_steps_over_counter64() -> None:
    _, _, varbinds = answer(
        V1, request(V1, "GetNextRequestPDU", [(1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 2)])
    )
    assert varbinds[0][0] == (1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1)
    status, index, _ = answer(
        V1, request(V1, "GetNextRequestPDU", [(1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1)])
    )
    assert (status, index) == (2, 1)  # the end of the MIB, v1 style


# --- what a real agent ignores ------------------------------------------------------------


def test_wrong_community_and_unknown_versions_get_silence() -> None:
    view = small_view()
    wrong = request(V2C, "GetRequestPDU", [SYS_DESCR], community="x")
    assert respond(wrong, b"public", view) is None
    v3ish = bytes.fromhex("3011020103300a02020100020205dc040104")
    assert respond(v3ish, b"public", view) is None


@pytest.mark.parametrize("junk", [b"", b"\x00", b"\x30\x84\xff", b"hello world", b"\x30\x00"])
def test_junk_raises_malformed(junk: bytes) -> None:
    with pytest.raises(MalformedRequest):
        respond(junk, b"public", small_view())


def test_a_small_get_costs_well_under_a_millisecond() -> None:
    view = Ward().view_at("w7-nurses-laser", 10.0)
    assert view is not None
    datagram = request(V2C, "GetRequestPDU", [SYS_DESCR])
    respond(datagram, b"public", view)
    n = 300
    started = time.process_time()
    for _ in range(n):
        respond(datagram, b"public", view)
    per_request = (time.process_time() - started) / n
    assert per_request < 0.001, f"{per_request * 1000:.2f} ms CPU per GET"


# --- binding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "192.168.1.20", "10.0.0.1", "::", "fe80::1", "localhost", "printer.ward"]
)
def test_non_loopback_binds_are_refused(host: str) -> None:
    with pytest.raises(ValueError):
        binding.require_loopback(host)

    async def serve() -> None:
        agent = SnmpAgent()
        try:
            await agent.serve("x", host, 0, "public", small_view)
        finally:
            await agent.close()

    with pytest.raises(ValueError):
        asyncio.run(serve())


def test_loopback_addresses_are_accepted() -> None:
    assert binding.require_loopback("127.0.77.9") == "127.0.77.9"
    assert binding.require_loopback("::1") == "::1"


def test_address_plan_per_device_or_per_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(binding, "can_bind", lambda host: True)
    assert binding.plan_addresses(3) == [
        ("127.0.77.1", 16161),
        ("127.0.77.2", 16161),
        ("127.0.77.3", 16161),
    ]
    monkeypatch.setattr(binding, "can_bind", lambda host: False)  # macOS
    assert binding.plan_addresses(2, 20000) == [("127.0.0.1", 20001), ("127.0.0.1", 20002)]
    assert binding.plan_addresses(2, 0) == [("127.0.0.1", 0), ("127.0.0.1", 0)]


def test_close_releases_every_socket_and_communities_are_per_device() -> None:
    async def scenario() -> list[tuple[str, int]]:
        running = await start_ward(base_port=0, community={"w7-comms-ups": "estates"})
        async with running:
            communities = {e.name: e.community for e in running.endpoints}
            assert communities["w7-comms-ups"] == "estates"
            assert communities["w7-nurses-laser"] == "public"
            return [(e.address, e.port) for e in running.endpoints]

    for address in asyncio.run(scenario()):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(address)  # free again


def test_bad_speed_is_refused() -> None:
    with pytest.raises(ValueError):
        asyncio.run(start_ward(0.0, base_port=0))

"""The v1/v2c BER codec against pysnmp's own encoder and decoder, and against garbage."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder as ber_decoder
from pyasn1.codec.ber import encoder as ber_encoder
from pysnmp.proto import api, rfc1902, rfc1905

from wardfleet.protocols.snmp import plain_value
from wardfleet.protocols.snmp_ber import (
    GET,
    GETBULK,
    GETNEXT,
    BerError,
    decode_response,
    encode_oid,
    encode_request,
    encode_varbind,
)
from wardfleet.protocols.snmp_types import Missing, Oid
from wardfleet.protocols.snmp_udp import RequestTimeout, UdpClient

VERSIONS = {0: api.SNMP_VERSION_1, 1: api.SNMP_VERSION_2C}

oids = st.tuples(st.integers(0, 1), st.integers(0, 39)).flatmap(
    lambda head: st.lists(st.integers(0, 2**32 - 1), max_size=20).map(lambda t: (*head, *t))
) | st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20).map(
    lambda t: (2, t[0] + 40 if t[0] < 2**32 - 40 else t[0], *t[1:])
)

# Every value type a Response can carry, as pysnmp builds it.
values = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(rfc1902.Integer32),
    st.binary(max_size=300).map(rfc1902.OctetString),
    st.just(rfc1902.Null("")),
    oids.map(rfc1902.ObjectIdentifier),
    st.binary(min_size=4, max_size=4).map(rfc1902.IpAddress),
    st.integers(0, 2**32 - 1).map(rfc1902.Counter32),
    st.integers(0, 2**32 - 1).map(rfc1902.Gauge32),
    st.integers(0, 2**32 - 1).map(rfc1902.TimeTicks),
    st.integers(0, 2**32 - 1).map(rfc1902.Unsigned32),
    st.binary(max_size=40).map(rfc1902.Opaque),
    st.integers(0, 2**64 - 1).map(rfc1902.Counter64),
    st.sampled_from([rfc1905.noSuchObject, rfc1905.noSuchInstance, rfc1905.endOfMibView]),
)


def pysnmp_response(
    version: int, community: bytes, request_id: int, status: int, index: int, varbinds: Any
) -> bytes:
    module = api.PROTOCOL_MODULES[VERSIONS[version]]
    pdu = module.GetResponsePDU()
    module.apiPDU.set_defaults(pdu)
    module.apiPDU.set_request_id(pdu, request_id)
    module.apiPDU.set_error_status(pdu, status)
    module.apiPDU.set_error_index(pdu, index)
    module.apiPDU.set_varbinds(pdu, varbinds)
    message = module.Message()
    module.apiMessage.set_defaults(message)
    module.apiMessage.set_community(message, community)
    module.apiMessage.set_pdu(message, pdu)
    return bytes(ber_encoder.encode(message))


@settings(max_examples=300, deadline=None)
@given(
    version=st.sampled_from([0, 1]),
    community=st.binary(max_size=40),
    request_id=st.integers(-(2**31), 2**31 - 1),
    status=st.integers(0, 18),
    index=st.integers(0, 100),
    varbinds=st.lists(st.tuples(oids, values), max_size=30),
)
def test_decodes_what_pysnmp_encodes(
    version: int, community: bytes, request_id: int, status: int, index: int, varbinds: Any
) -> None:
    if version == 0:  # SNMPv1 has no Counter64 and no exception values
        varbinds = [
            (o, v) for o, v in varbinds
            if not isinstance(v, rfc1902.Counter64 | rfc1905.NoSuchObject
                              | rfc1905.NoSuchInstance | rfc1905.EndOfMibView)
        ]  # fmt: skip
    data = pysnmp_response(version, community, request_id, status, index, varbinds)
    got = decode_response(data)
    assert (got.version, got.community, got.request_id) == (version, community, request_id)
    assert (got.error_status, got.error_index) == (status, index)
    assert got.varbinds == [(tuple(o), plain_value(v)) for o, v in varbinds]


@settings(max_examples=300, deadline=None)
@given(
    version=st.sampled_from([0, 1]),
    community=st.binary(max_size=40),
    pdu_type=st.sampled_from([GET, GETNEXT, GETBULK]),
    request_id=st.integers(0, 2**31 - 1),
    repetitions=st.integers(0, 2**31 - 1),
    names=st.lists(oids, max_size=60),
)
def test_pysnmp_decodes_our_requests(
    version: int, community: bytes, pdu_type: int, request_id: int, repetitions: int,
    names: list[Oid],
) -> None:  # fmt: skip
    if version == 0 and pdu_type == GETBULK:
        pdu_type = GETNEXT  # no GETBULK in SNMPv1
    data = encode_request(
        version, community, pdu_type, request_id, [encode_varbind(o) for o in names],
        non_repeaters=1, max_repetitions=repetitions,
    )  # fmt: skip
    module = api.PROTOCOL_MODULES[VERSIONS[version]]
    message, rest = ber_decoder.decode(data, asn1Spec=module.Message())
    assert rest == b""
    assert int(module.apiMessage.get_version(message)) == version
    assert bytes(module.apiMessage.get_community(message)) == community
    pdu = module.apiMessage.get_pdu(message)
    assert pdu.tagSet[0][2] == pdu_type & 0x1F
    assert int(module.apiPDU.get_request_id(pdu)) == request_id
    if pdu_type == GETBULK:
        assert int(module.apiBulkPDU.get_non_repeaters(pdu)) == 1
        assert int(module.apiBulkPDU.get_max_repetitions(pdu)) == repetitions
    got = [(tuple(o), plain_value(v)) for o, v in module.apiPDU.get_varbinds(pdu)]
    assert got == [(o, None) for o in names]


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_garbage_is_a_ber_error_never_another_exception(data: bytes) -> None:
    with contextlib.suppress(BerError):
        decode_response(data)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_cut_or_flipped_message_is_a_ber_error_or_decodes(data: st.DataObject) -> None:
    message = pysnmp_response(1, b"public", 7, 0, 0, [((1, 3, 6, 1, 2, 1, 1, 5, 0),
                              rfc1902.OctetString(b"ward printer"))])  # fmt: skip
    cut = data.draw(st.integers(0, len(message) - 1))
    with pytest.raises(BerError):
        decode_response(message[:cut])
    position = data.draw(st.integers(0, len(message) - 1))
    flipped = bytearray(message)
    flipped[position] ^= data.draw(st.integers(1, 255))
    with contextlib.suppress(BerError):
        decode_response(bytes(flipped))


def test_values_decode_to_plain_python() -> None:
    varbinds = [
        ((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1, 1), rfc1902.Integer32(-3)),
        ((1, 3, 6, 1, 2, 1, 1, 3, 0), rfc1902.TimeTicks(4_294_967_295)),
        ((1, 3, 6, 1, 2, 1, 4, 20, 1, 1), rfc1902.IpAddress("10.1.2.3")),
        ((1, 3, 6, 1, 2, 1, 1, 2, 0), rfc1902.ObjectIdentifier((1, 3, 6, 1, 4, 1, 2385))),
        ((1, 3, 6, 1, 2, 1, 1, 9, 0), rfc1905.noSuchInstance),
    ]
    got = decode_response(pysnmp_response(1, b"c", 1, 0, 0, varbinds)).varbinds
    assert [v for _, v in got] == [
        -3, 4_294_967_295, "10.1.2.3", (1, 3, 6, 1, 4, 1, 2385), Missing.NO_SUCH_INSTANCE
    ]  # fmt: skip


def test_a_counter_without_its_leading_zero_byte_still_reads_unsigned() -> None:
    # Some agents send Counter32 4294967295 as FF FF FF FF (4 bytes, no 00 in front).
    varbind = bytes.fromhex("30 0b 06 03 2b 06 01 41 04 ff ff ff ff")
    vb_list = b"\x30" + bytes((len(varbind),)) + varbind
    inner = bytes.fromhex("02 01 01 02 01 00 02 01 00") + vb_list
    pdu = b"\xa2" + bytes((len(inner),)) + inner
    head = bytes.fromhex("02 01 01 04 01 63")
    message = b"\x30" + bytes((len(head) + len(pdu),)) + head + pdu
    assert decode_response(message).varbinds == [((1, 3, 6, 1), 4_294_967_295)]


@pytest.mark.parametrize("bad", [(1,), (3, 1), (1, 40), (1, 3, -1)])
def test_unencodable_oids_are_refused(bad: Oid) -> None:
    with pytest.raises(ValueError):
        encode_oid(bad)


def test_answers_count_only_from_the_address_asked() -> None:
    """A spoofed or stray datagram with the right request-id is ignored; the real one wins."""

    async def scenario() -> tuple[int, list[Any]]:
        client = UdpClient(asyncio.get_running_loop())
        try:
            task = asyncio.ensure_future(
                client.request(("127.0.0.1", 9), 1, b"public", GET, [], timeout_s=2, retries=0)
            )
            await asyncio.sleep(0.05)
            (request_id,) = client._pending
            answer = pysnmp_response(1, b"public", request_id, 0, 0, [])
            client.received(answer, ("127.0.0.2", 9))  # another host
            client.received(answer, ("127.0.0.1", 10))  # another port
            client.received(pysnmp_response(1, b"other", request_id, 0, 0, []), ("127.0.0.1", 9))
            client.received(pysnmp_response(0, b"public", request_id, 0, 0, []), ("127.0.0.1", 9))
            await asyncio.sleep(0.01)
            assert not task.done()
            client.received(answer, ("127.0.0.1", 9))
            response = await task
            return response.request_id, list(client._pending)
        finally:
            client.close()

    request_id, pending = asyncio.run(scenario())
    assert request_id > 0 and pending == []


def test_concurrent_first_requests_share_one_socket() -> None:
    async def scenario() -> int:
        loop = asyncio.get_running_loop()
        opened: list[object] = []
        real = loop.create_datagram_endpoint

        async def counting(*args: Any, **kwargs: Any) -> Any:
            opened.append(kwargs.get("local_addr"))
            await asyncio.sleep(0)  # let the other first requests arrive meanwhile
            return await real(*args, **kwargs)

        loop.create_datagram_endpoint = counting  # type: ignore[method-assign]
        client = UdpClient(loop)
        try:
            results = await asyncio.gather(
                *(client.request(("127.0.0.1", 9), 1, b"c", GET, [], timeout_s=0.01, retries=0)
                  for _ in range(50)),
                return_exceptions=True,
            )  # fmt: skip
            # Nobody answers on port 9: each request times out, none fails another way.
            assert all(type(r) is RequestTimeout for r in results), results
            return len(opened)
        finally:
            client.close()

    assert asyncio.run(scenario()) == 1

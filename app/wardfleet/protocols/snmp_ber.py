"""BER codec for SNMPv1/v2c messages: requests out, responses in, as plain values.

pyasn1 builds and clones a typed object per tag, which made BER decoding ~70 % of a
steady-state poll's CPU. This codec covers exactly what a v1/v2c command generator sees:
GET/GETNEXT/GETBULK requests with NULL values, and Response PDUs holding every SNMP value
type (RFC 2578 plus the RFC 3416 exceptions). SNMPv3 and SET stay on pysnmp. It is
checked against pysnmp's own encoder and decoder by hypothesis tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue

GET, GETNEXT, RESPONSE, GETBULK = 0xA0, 0xA1, 0xA2, 0xA5
VERSION_1, VERSION_2C = 0, 1

_SEQUENCE, _INTEGER, _OCTETS, _NULL, _OID = 0x30, 0x02, 0x04, 0x05, 0x06
_IP_ADDRESS, _OPAQUE, _NSAP = 0x40, 0x44, 0x45
# Counter32, Gauge32/Unsigned32, TimeTicks, Counter64, UInteger32: unsigned numbers.
# Agents that drop the leading zero byte of a big counter still mean it unsigned.
_UNSIGNED = frozenset((0x41, 0x42, 0x43, 0x46, 0x47))
_EXCEPTIONS = {
    0x80: Missing.NO_SUCH_OBJECT,
    0x81: Missing.NO_SUCH_INSTANCE,
    0x82: Missing.END_OF_MIB_VIEW,
}
_NULL_VALUE = b"\x05\x00"


class BerError(ValueError):
    """Bytes that are not a well-formed SNMPv1/v2c message."""


@dataclass(frozen=True, slots=True)
class Response:
    version: int
    community: bytes
    request_id: int
    error_status: int
    error_index: int
    varbinds: list[tuple[Oid, SnmpValue]]


# --- encoding ------------------------------------------------------------------------------


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes((tag,)) + _length(len(body)) + body


def _integer(value: int) -> bytes:
    size = value.bit_length() // 8 + 1  # room for the sign bit
    return _tlv(_INTEGER, value.to_bytes(size, "big", signed=True))


def encode_oid(oid: Oid) -> bytes:
    """An OBJECT IDENTIFIER TLV; ValueError for what BER cannot express."""
    if len(oid) < 2 or oid[0] > 2 or (oid[0] < 2 and oid[1] > 39) or min(oid) < 0:
        raise ValueError(f"not an encodable OID: {oid!r}")
    body = bytearray()
    for arc in (oid[0] * 40 + oid[1], *oid[2:]):
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return _tlv(_OID, bytes(body))


def encode_varbind(oid: Oid) -> bytes:
    """One request varbind (OID, NULL); callers may keep these to skip re-encoding."""
    return _tlv(_SEQUENCE, encode_oid(oid) + _NULL_VALUE)


def encode_request(
    version: int,
    community: bytes,
    pdu_type: int,
    request_id: int,
    varbinds: Sequence[bytes],
    *,
    non_repeaters: int = 0,
    max_repetitions: int = 0,
) -> bytes:
    """A request message from pre-encoded varbinds (``encode_varbind``).

    For GETBULK the two error fields carry non-repeaters and max-repetitions (RFC 3416).
    """
    second, third = (non_repeaters, max_repetitions) if pdu_type == GETBULK else (0, 0)
    pdu = _tlv(
        pdu_type,
        _integer(request_id) + _integer(second) + _integer(third)
        + _tlv(_SEQUENCE, b"".join(varbinds)),
    )  # fmt: skip
    return _tlv(_SEQUENCE, _integer(version) + _tlv(_OCTETS, community) + pdu)


# --- decoding ------------------------------------------------------------------------------


def _header(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, start of contents, end of contents) of the TLV at ``pos``."""
    if pos + 2 > end:
        raise BerError("message cut short")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise BerError("multi-byte tags are not used by SNMP")
    first = data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4:
            raise BerError("indefinite or oversized length")
        if pos + count > end:
            raise BerError("message cut short")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > end:
        raise BerError("a length runs past the end of the message")
    return tag, pos, pos + length


def _expect(data: bytes, pos: int, end: int, tag: int) -> tuple[int, int]:
    got, start, stop = _header(data, pos, end)
    if got != tag:
        raise BerError(f"expected tag 0x{tag:02x}, got 0x{got:02x}")
    return start, stop


def _read_int(data: bytes, pos: int, end: int) -> tuple[int, int]:
    start, stop = _expect(data, pos, end, _INTEGER)
    if start == stop:
        raise BerError("empty INTEGER")
    return int.from_bytes(data[start:stop], "big", signed=True), stop


def decode_oid(body: bytes) -> Oid:
    if not body or body[-1] & 0x80:
        raise BerError("empty or unterminated OBJECT IDENTIFIER")
    arcs: list[int] = []
    value = 0
    for byte in body:
        if value == 0 and byte == 0x80:
            raise BerError("OBJECT IDENTIFIER arc with a leading 0x80 byte")
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = (first // 40, first % 40) if first < 80 else (2, first - 80)
    return (*head, *arcs[1:])


def _value(tag: int, body: bytes) -> SnmpValue:
    if tag == _INTEGER:
        if not body:
            raise BerError("empty INTEGER")
        return int.from_bytes(body, "big", signed=True)
    if tag in (_OCTETS, _OPAQUE, _NSAP):
        return bytes(body)
    if tag == _NULL:
        return None
    if tag == _OID:
        return decode_oid(body)
    if tag in _UNSIGNED:
        if not body:
            raise BerError("empty number")
        return int.from_bytes(body, "big")
    if tag == _IP_ADDRESS:
        if len(body) != 4:
            raise BerError("an IpAddress is 4 bytes")
        return ".".join(str(b) for b in body)
    missing = _EXCEPTIONS.get(tag)
    if missing is not None:
        return missing
    raise BerError(f"unknown value tag 0x{tag:02x}")


def decode_response(data: bytes) -> Response:
    """A Response PDU; BerError for anything else or anything malformed."""
    end = len(data)
    start, stop = _expect(data, 0, end, _SEQUENCE)
    if stop != end:
        raise BerError("bytes after the message")
    version, pos = _read_int(data, start, stop)
    c_start, pos = _expect(data, pos, stop, _OCTETS)
    community = bytes(data[c_start:pos])
    pdu_start, pdu_end = _expect(data, pos, stop, RESPONSE)
    request_id, pos = _read_int(data, pdu_start, pdu_end)
    error_status, pos = _read_int(data, pos, pdu_end)
    error_index, pos = _read_int(data, pos, pdu_end)
    list_start, list_end = _expect(data, pos, pdu_end, _SEQUENCE)
    varbinds: list[tuple[Oid, SnmpValue]] = []
    pos = list_start
    while pos < list_end:
        vb_start, vb_end = _expect(data, pos, list_end, _SEQUENCE)
        o_start, o_end = _expect(data, vb_start, vb_end, _OID)
        tag, v_start, v_end = _header(data, o_end, vb_end)
        if v_end != vb_end:
            raise BerError("a varbind has more than a name and a value")
        varbinds.append((decode_oid(data[o_start:o_end]), _value(tag, data[v_start:v_end])))
        pos = vb_end
    return Response(version, community, request_id, error_status, error_index, varbinds)

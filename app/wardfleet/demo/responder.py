"""Turn one SNMP v1/v2c request datagram into the response datagram a real agent would send.

Built on pysnmp's low-level message API (``pysnmp.proto.api``) and pyasn1's BER codec:
no SNMP engine, no MIB compiler, so a small request costs a fraction of a millisecond.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pyasn1.codec.ber import decoder, encoder
from pyasn1.error import PyAsn1Error
from pysnmp.proto import api, rfc1905
from pysnmp.proto.error import ProtocolError

from wardfleet.demo.mib import MibValue, MibView, Oid, is_counter64

log = logging.getLogger(__name__)

# SNMP error-status values (RFC 1157 / RFC 3416).
NO_ERROR = 0
TOO_BIG = 1
NO_SUCH_NAME = 2
NOT_WRITABLE = 17

# Bounds on one GETBULK: keeps a greedy max-repetitions cheap and the reply in one datagram.
MAX_BULK_VARBINDS = 256
MAX_REPLY_BYTES = 65_000

_V1 = api.PROTOCOL_MODULES[api.SNMP_VERSION_1]
_V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]

VarBinds = list[tuple[Any, MibValue]]


class MalformedRequest(ValueError):
    """The datagram is not a decodable SNMP v1/v2c message."""


def respond(datagram: bytes, community: bytes, view: MibView) -> bytes | None:
    """The encoded response, or None when a real agent would stay silent.

    Silence covers a wrong community, SNMPv3 and PDUs that are not requests.
    Undecodable input raises MalformedRequest so the caller can log who sent it.
    """
    try:
        version = int(api.decodeMessageVersion(datagram))
        proto = api.PROTOCOL_MODULES.get(version)
        if proto is None:
            log.debug("ignoring SNMP message version %d", version)
            return None
        request, _ = decoder.decode(datagram, asn1Spec=proto.Message())
    except (PyAsn1Error, ProtocolError, ValueError, TypeError) as exc:
        raise MalformedRequest(str(exc)) from exc

    if bytes(proto.apiMessage.get_community(request)) != community:
        log.debug("ignoring request with a wrong community")
        return None

    pdu = proto.apiMessage.get_pdu(request)
    tag = pdu.tagSet
    if proto is _V2C:
        return _respond_v2c(proto, request, pdu, tag, view)
    return _respond_v1(request, pdu, tag, view)


def _respond_v2c(proto: Any, request: Any, pdu: Any, tag: Any, view: MibView) -> bytes | None:
    oids = [oid for oid, _ in proto.apiPDU.get_varbinds(pdu)]
    if tag == proto.GetRequestPDU.tagSet:
        return _fit(proto, request, [(oid, _get_v2c(view, oid.asTuple())) for oid in oids])
    if tag == proto.GetNextRequestPDU.tagSet:
        return _fit(proto, request, [_next_v2c(view, oid.asTuple()) for oid in oids])
    if tag == proto.GetBulkRequestPDU.tagSet:
        return _respond_bulk(proto, request, pdu, [oid.asTuple() for oid in oids], view)
    if tag == proto.SetRequestPDU.tagSet:
        # Everything here is read-only, like sysDescr on a real device.
        varbinds = proto.apiPDU.get_varbinds(pdu)
        return _encode(proto, request, varbinds, NOT_WRITABLE if varbinds else NO_ERROR, 1)
    return None


def _respond_v1(request: Any, pdu: Any, tag: Any, view: MibView) -> bytes | None:
    proto = _V1
    varbinds = proto.apiPDU.get_varbinds(pdu)
    if tag == proto.SetRequestPDU.tagSet:
        # v1 has no notWritable; RFC 2576 maps it to noSuchName.
        return _encode(proto, request, varbinds, NO_SUCH_NAME if varbinds else NO_ERROR, 1)
    is_get = tag == proto.GetRequestPDU.tagSet
    if not is_get and tag != proto.GetNextRequestPDU.tagSet:
        return None
    answer: VarBinds = []
    for position, (oid, _) in enumerate(varbinds, start=1):
        found = _get_v1(view, oid.asTuple()) if is_get else _next_v1(view, oid.asTuple())
        if found is None:
            # v1 reports the first miss and echoes the request's varbinds.
            return _encode(proto, request, varbinds, NO_SUCH_NAME, position)
        answer.append(found)
    return _fit(proto, request, answer)


def _get_v2c(view: MibView, oid: Oid) -> MibValue:
    value = view.get(oid)
    if value is not None:
        return value
    return rfc1905.noSuchInstance if view.knows_object(oid) else rfc1905.noSuchObject


def _next_v2c(view: MibView, oid: Oid) -> tuple[Oid, MibValue]:
    found = view.next_after(oid)
    return found if found is not None else (oid, rfc1905.endOfMibView)


def _get_v1(view: MibView, oid: Oid) -> tuple[Oid, MibValue] | None:
    value = view.get(oid)
    if value is None or is_counter64(value):
        return None
    return oid, value


def _next_v1(view: MibView, oid: Oid) -> tuple[Oid, MibValue] | None:
    found = view.next_after(oid)
    while found is not None and is_counter64(found[1]):
        found = view.next_after(found[0])
    return found


def _respond_bulk(
    proto: Any, request: Any, pdu: Any, oids: Sequence[Oid], view: MibView
) -> bytes | None:
    non_repeaters = min(max(int(proto.apiBulkPDU.get_non_repeaters(pdu)), 0), len(oids))
    repeaters = list(oids[non_repeaters:])
    max_repetitions = max(int(proto.apiBulkPDU.get_max_repetitions(pdu)), 0)
    if repeaters:
        budget = (MAX_BULK_VARBINDS - non_repeaters) // len(repeaters)
        max_repetitions = min(max_repetitions, max(budget, 1))

    head = [_next_v2c(view, oid) for oid in oids[:non_repeaters]]
    rows: list[list[tuple[Oid, MibValue]]] = []
    cursor = repeaters
    for _ in range(max_repetitions if repeaters else 0):
        row = [_next_v2c(view, oid) for oid in cursor]
        rows.append(row)
        if all(value is rfc1905.endOfMibView for _, value in row):
            break  # RFC 3416 4.2.3: nothing more to return, stop early.
        cursor = [oid for oid, _ in row]

    # Drop whole repetitions from the end until the reply fits one datagram.
    while True:
        varbinds: VarBinds = list(head)
        for row in rows:
            varbinds.extend(row)
        if len(rows) <= 1:
            return _fit(proto, request, varbinds)
        reply = _encode(proto, request, varbinds)
        if len(reply) <= MAX_REPLY_BYTES:
            return reply
        rows = rows[: len(rows) // 2]


def _fit(proto: Any, request: Any, varbinds: Sequence[tuple[Any, MibValue]]) -> bytes:
    """The response, or tooBig with no varbinds when it cannot fit one datagram."""
    reply = _encode(proto, request, varbinds)
    if len(reply) <= MAX_REPLY_BYTES:
        return reply
    return _encode(proto, request, [], TOO_BIG, 0)


def _encode(
    proto: Any,
    request: Any,
    varbinds: Sequence[tuple[Any, MibValue]],
    error_status: int = NO_ERROR,
    error_index: int = 0,
) -> bytes:
    response = proto.apiMessage.get_response(request)
    pdu = proto.apiMessage.get_pdu(response)
    if error_status:
        proto.apiPDU.set_error_status(pdu, error_status)
        proto.apiPDU.set_error_index(pdu, error_index)
    proto.apiPDU.set_varbinds(pdu, varbinds)
    encoded: bytes = encoder.encode(response)
    return encoded

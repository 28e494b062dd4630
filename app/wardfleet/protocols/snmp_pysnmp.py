"""Conversions between Wardfleet's plain values and credentials and pysnmp's objects
(used by ``snmp_engine``, the pysnmp path: SNMPv3 and SET)."""

from __future__ import annotations

from typing import Any, Literal

from pyasn1.type import univ
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    UsmUserData,
    usmAesBlumenthalCfb192Protocol,
    usmAesBlumenthalCfb256Protocol,
    usmAesCfb128Protocol,
    usmDESPrivProtocol,
    usmHMAC128SHA224AuthProtocol,
    usmHMAC192SHA256AuthProtocol,
    usmHMAC256SHA384AuthProtocol,
    usmHMAC384SHA512AuthProtocol,
    usmHMACMD5AuthProtocol,
    usmHMACSHAAuthProtocol,
    usmNoAuthProtocol,
    usmNoPrivProtocol,
)
from pysnmp.proto import rfc1902, rfc1905

from wardfleet.protocols.snmp_credentials import (
    AuthProtocol,
    PrivProtocol,
    ResolvedCredential,
    SnmpVersion,
)
from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue

SetKind = Literal[
    "integer", "string", "oid", "ipaddress", "counter32", "gauge32", "timeticks", "unsigned32"
]

_AUTH = {
    AuthProtocol.MD5: usmHMACMD5AuthProtocol,
    AuthProtocol.SHA: usmHMACSHAAuthProtocol,
    AuthProtocol.SHA224: usmHMAC128SHA224AuthProtocol,
    AuthProtocol.SHA256: usmHMAC192SHA256AuthProtocol,
    AuthProtocol.SHA384: usmHMAC256SHA384AuthProtocol,
    AuthProtocol.SHA512: usmHMAC384SHA512AuthProtocol,
}
_PRIV = {
    PrivProtocol.DES: usmDESPrivProtocol,
    PrivProtocol.AES128: usmAesCfb128Protocol,
    # The "Blumenthal" key extension is what net-snmp means by AES-192/AES-256.
    PrivProtocol.AES192: usmAesBlumenthalCfb192Protocol,
    PrivProtocol.AES256: usmAesBlumenthalCfb256Protocol,
}


def auth_data(credential: ResolvedCredential) -> CommunityData | UsmUserData:
    if credential.version is not SnmpVersion.V3:
        mp_model = 0 if credential.version is SnmpVersion.V1 else 1
        return CommunityData(credential.community or "", mpModel=mp_model)
    return UsmUserData(
        credential.user or "",
        authKey=credential.auth_key,
        privKey=credential.priv_key,
        authProtocol=_AUTH[credential.auth_protocol]
        if credential.auth_protocol
        else usmNoAuthProtocol,
        privProtocol=_PRIV[credential.priv_protocol]
        if credential.priv_protocol
        else usmNoPrivProtocol,
    )


def plain_value(value: Any) -> SnmpValue:
    """A pysnmp value as a plain Python value (see ``snmp_types.SnmpValue``)."""
    if isinstance(value, rfc1905.NoSuchInstance):
        return Missing.NO_SUCH_INSTANCE
    if isinstance(value, rfc1905.NoSuchObject):
        return Missing.NO_SUCH_OBJECT
    if isinstance(value, rfc1905.EndOfMibView):
        return Missing.END_OF_MIB_VIEW
    if isinstance(value, univ.Null):  # an OctetString to pyasn1; None per SnmpValue
        return None
    if isinstance(value, rfc1902.IpAddress):
        return ".".join(str(b) for b in value.asOctets())
    if isinstance(value, univ.OctetString):
        return bytes(value.asOctets())
    if isinstance(value, univ.ObjectIdentifier):
        return tuple(value)
    if isinstance(value, univ.Integer):
        return int(value)
    return None


def typed_value(value: int | str | bytes | Oid, kind: SetKind | None) -> Any:
    if kind is None:
        if isinstance(value, bool):
            raise TypeError("SNMP has no boolean type; use an integer")
        kind = (
            "integer" if isinstance(value, int)
            else "oid" if isinstance(value, tuple)
            else "string"
        )  # fmt: skip
    if kind == "string":
        return rfc1902.OctetString(value.encode() if isinstance(value, str) else value)
    if kind == "oid":
        return rfc1902.ObjectIdentifier(value)
    if kind == "ipaddress":
        return rfc1902.IpAddress(value)
    numeric = {
        "integer": rfc1902.Integer32,
        "counter32": rfc1902.Counter32,
        "gauge32": rfc1902.Gauge32,
        "timeticks": rfc1902.TimeTicks,
        "unsigned32": rfc1902.Unsigned32,
    }
    return numeric[kind](value)

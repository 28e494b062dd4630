"""Plain values that cross from the SNMP session to the pure decoders.

The session converts pysnmp objects to these once, so decoders never import pysnmp and
can be fed anything (hypothesis does) without a network.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

Oid = tuple[int, ...]


class Missing(Enum):
    """An answer that carries no value (RFC 3416 exceptions)."""

    NO_SUCH_OBJECT = "noSuchObject"
    NO_SUCH_INSTANCE = "noSuchInstance"
    END_OF_MIB_VIEW = "endOfMibView"


# int for INTEGER/Counter/Gauge/TimeTicks, bytes for OCTET STRING, str for IpAddress,
# Oid for OBJECT IDENTIFIER, None for NULL, Missing for the exceptions.
SnmpValue = int | bytes | str | Oid | Missing | None

Varbinds = Mapping[Oid, SnmpValue]


def parse_oid(text: str) -> Oid:
    """``"1.3.6.1"`` or ``".1.3.6.1"`` → ``(1, 3, 6, 1)``; ValueError if malformed."""
    parts = text.strip().lstrip(".").split(".")
    if not parts or any(not p.isdigit() for p in parts):
        raise ValueError(f"not a numeric OID: {text!r}")
    return tuple(int(p) for p in parts)


def oid_str(oid: Oid) -> str:
    return ".".join(str(arc) for arc in oid)


def under(oid: Oid, prefix: Oid) -> bool:
    return oid[: len(prefix)] == prefix and len(oid) > len(prefix)


def subtree(varbinds: Varbinds, prefix: Oid) -> dict[Oid, SnmpValue]:
    return {oid: value for oid, value in varbinds.items() if under(oid, prefix)}

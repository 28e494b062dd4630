"""Plain values shared by the SNMP modules: the target a session talks to, OIDs, and
the values that cross from the session to the pure decoders.

The session converts pysnmp objects to these once, so decoders never import pysnmp and
can be fed anything (hypothesis does) without a network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

Oid = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SnmpTarget:
    host: str
    port: int = 161
    timeout: float = 1.0
    retries: int = 1

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


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


def present(varbinds: Varbinds) -> dict[Oid, SnmpValue]:
    """The cells that carry a value (not one of the ``Missing`` exceptions)."""
    return {oid: value for oid, value in varbinds.items() if not isinstance(value, Missing)}

"""Who a device is, independent of where it is.

Identity order (DESIGN.md): serial+vendor, then MAC, then UUID, then address as the last
resort. An address is never a strong identifier: DHCP moves printers around.
"""

from __future__ import annotations

import re
import uuid as uuid_mod
from dataclasses import dataclass
from enum import StrEnum

_MAC_HEX = re.compile(r"[0-9a-f]{12}")
# Serials some devices report when they have none.
_PLACEHOLDER_SERIALS = {
    "",
    "0",
    "none",
    "unknown",
    "n/a",
    "na",
    "serial",
    "0000000000",
    "<private>",
}


class IdentityKind(StrEnum):
    SERIAL = "serial"
    MAC = "mac"
    UUID = "uuid"
    ADDRESS = "address"


STRENGTH_ORDER = (IdentityKind.SERIAL, IdentityKind.MAC, IdentityKind.UUID, IdentityKind.ADDRESS)


def normalise_mac(raw: str | bytes | None) -> str | None:
    """``aa:bb:cc:dd:ee:ff`` from any common spelling or 6 raw bytes; None if not a MAC."""
    if raw is None:
        return None
    if isinstance(raw, bytes):
        if len(raw) != 6:
            return None
        text = raw.hex()
    else:
        text = re.sub(r"[^0-9a-fA-F]", "", raw.strip().removeprefix("0x")).lower()
    if not _MAC_HEX.fullmatch(text) or text in {"000000000000", "ffffffffffff"}:
        return None
    return ":".join(text[i : i + 2] for i in range(0, 12, 2))


def normalise_serial(raw: str | None) -> str | None:
    if raw is None:
        return None
    text = raw.replace("\x00", "").strip()
    return None if text.lower() in _PLACEHOLDER_SERIALS else text.upper()


def normalise_uuid(raw: str | None) -> str | None:
    """Canonical lower-case UUID; accepts ``urn:uuid:`` prefixes as IPP and eSCL send them."""
    if raw is None:
        return None
    text = raw.strip().lower().removeprefix("urn:uuid:")
    try:
        return str(uuid_mod.UUID(text))
    except ValueError:
        return None


def normalise_vendor(raw: str | None) -> str | None:
    if raw is None:
        return None
    text = " ".join(raw.split())
    return text.casefold() or None


@dataclass(frozen=True, slots=True)
class IdentityKey:
    """One identifier, normalised, that can be looked up in the inventory."""

    kind: IdentityKind
    value: str


@dataclass(frozen=True, slots=True)
class Identity:
    serial: str | None = None
    vendor: str | None = None
    mac: str | None = None
    uuid: str | None = None
    address: str | None = None

    @classmethod
    def of(
        cls,
        *,
        serial: str | None = None,
        vendor: str | None = None,
        mac: str | bytes | None = None,
        uuid: str | None = None,
        address: str | None = None,
    ) -> Identity:
        return cls(
            serial=normalise_serial(serial),
            vendor=normalise_vendor(vendor),
            mac=normalise_mac(mac),
            uuid=normalise_uuid(uuid),
            address=address.strip() if address else None,
        )

    def keys(self) -> list[IdentityKey]:
        """The identifiers in strength order, strongest first."""
        out: list[IdentityKey] = []
        if self.serial:
            # A serial alone is unique only within its vendor.
            out.append(IdentityKey(IdentityKind.SERIAL, f"{self.vendor or '?'}|{self.serial}"))
        if self.mac:
            out.append(IdentityKey(IdentityKind.MAC, self.mac))
        if self.uuid:
            out.append(IdentityKey(IdentityKind.UUID, self.uuid))
        if self.address:
            out.append(IdentityKey(IdentityKind.ADDRESS, self.address))
        return out

    def strong_keys(self) -> list[IdentityKey]:
        return [k for k in self.keys() if k.kind is not IdentityKind.ADDRESS]

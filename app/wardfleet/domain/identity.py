"""Who a device is, independent of where it is.

Identity order (DESIGN.md): serial+vendor, then MAC, then UUID, then address as the last
resort. An address is never a strong identifier: DHCP moves printers around. A host name
(SNMP's sysName, the host an mDNS service names) is weak too: it only corroborates an
address, which lets one box's SNMP agent and its mDNS adverts meet without IPP's help.
"""

from __future__ import annotations

import re
import uuid as uuid_mod
from dataclasses import dataclass
from enum import StrEnum

_MAC_HEX = re.compile(r"[0-9a-f]{12}")
_HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
_GENERIC_HOSTS = {"localhost", "printer", "scanner", "unknown", "none", "android"}
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
    HOSTNAME = "hostname"


STRENGTH_ORDER = (
    IdentityKind.SERIAL,
    IdentityKind.MAC,
    IdentityKind.UUID,
    IdentityKind.ADDRESS,
    IdentityKind.HOSTNAME,
)
# Identifiers that only locate a device and may move to another one.
WEAK_KINDS = frozenset({IdentityKind.ADDRESS, IdentityKind.HOSTNAME})


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


def normalise_hostname(raw: str | None) -> str | None:
    """The first label of a host name, lower-case: ``NPI3C2A.local.`` and SNMP's sysName
    ``npi3c2a.ward.example`` are the same host. None for IP literals, ``localhost`` and
    anything that is not a DNS label (a sysName like "HP LaserJet" names no host)."""
    if raw is None:
        return None
    text = raw.strip().rstrip(".").casefold()
    if not text or text.startswith("[") or ":" in text:
        return None  # an IPv6 literal, or a URL-ish string
    label = text.split(".", 1)[0]
    if text.replace(".", "").isdigit() or label in _GENERIC_HOSTS:
        return None
    return label if _HOST_LABEL.fullmatch(label) else None


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
    hostname: str | None = None

    @classmethod
    def of(
        cls,
        *,
        serial: str | None = None,
        vendor: str | None = None,
        mac: str | bytes | None = None,
        uuid: str | None = None,
        address: str | None = None,
        hostname: str | None = None,
    ) -> Identity:
        return cls(
            serial=normalise_serial(serial),
            vendor=normalise_vendor(vendor),
            mac=normalise_mac(mac),
            uuid=normalise_uuid(uuid),
            address=address.strip() if address else None,
            hostname=normalise_hostname(hostname),
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
        if self.hostname:
            out.append(IdentityKey(IdentityKind.HOSTNAME, self.hostname))
        return out

    def strong_keys(self) -> list[IdentityKey]:
        return [k for k in self.keys() if k.kind not in WEAK_KINDS]

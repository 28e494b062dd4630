"""Which inventory device an observation belongs to: one device per physical device.

Strong identifiers (serial+vendor, MAC, UUID) decide. An address only re-finds a device
that has no strong identifier at all, so two devices are never merged because of an IP.
The one exception needs a second witness: the same address *and* the same host name (SNMP's
sysName, mDNS's host) name one box seen by two protocols, unless their strong identifiers
disagree. Conflicting strong identifiers keep devices apart and raise a "possible
duplicate" flag: nothing is merged silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wardfleet.domain.identity import WEAK_KINDS, Identity, IdentityKey, IdentityKind
from wardfleet.domain.kinds import DeviceKind


@dataclass(frozen=True, slots=True)
class Resolution:
    device_id: str | None  # None: create a new device
    link: tuple[IdentityKey, ...]  # keys to point at the device
    possible_duplicate_of: str | None = None
    # Devices this observation proves to be the same hardware (it carries a key of each,
    # e.g. IPP's serial and UUID joining an SNMP device and an mDNS device).
    absorb: tuple[str, ...] = ()


def _conflicts(known: Identity, seen: Identity) -> bool:
    """Two identities that name different hardware (same kind of identifier, other value)."""
    same_vendor = (known.vendor or "?") == (seen.vendor or "?")
    if known.serial and seen.serial and same_vendor and known.serial != seen.serial:
        return True
    if known.mac and seen.mac and known.mac != seen.mac:
        # A device may have several MACs (Wi-Fi + Ethernet); that conflicts only when
        # nothing stronger agrees.
        return not (known.serial and known.serial == seen.serial)
    return bool(known.uuid and seen.uuid and known.uuid != seen.uuid)


def resolve(
    seen: Identity,
    matches: Mapping[IdentityKey, str],
    identities: Mapping[str, Identity],
) -> Resolution:
    """Decide where ``seen`` goes.

    ``matches`` maps each of ``seen``'s keys found in the inventory to its device id;
    ``identities`` holds the known identity of every matched device.
    """
    strong = [k for k in seen.strong_keys() if k in matches]
    if strong:
        target = matches[strong[0]]  # keys() is in strength order
        known = identities.get(target, Identity())
        if _conflicts(known, seen):
            # Same MAC or UUID but another serial: a moved print server, a cloned
            # image... Keep it apart and let a person decide.
            return Resolution(
                None,
                tuple(k for k in seen.keys() if k not in matches),
                possible_duplicate_of=target,
            )
        others = sorted({matches[k] for k in strong} - {target})
        absorb = tuple(
            o
            for o in others
            if not _conflicts(known, identities.get(o, Identity()))
            and not _conflicts(identities.get(o, Identity()), seen)
        )
        doubtful = [o for o in others if o not in absorb]
        link = tuple(
            k
            for k in seen.keys()
            if k not in matches
            or matches[k] == target
            or matches[k] in absorb
            or k.kind in WEAK_KINDS
        )
        return Resolution(
            target, link, possible_duplicate_of=doubtful[0] if doubtful else None, absorb=absorb
        )
    # Last resort: a device known only by its address (it never told us more) is
    # re-found there, and learns whatever strong identifiers it shows now.
    address_keys = [k for k in seen.keys() if k.kind is IdentityKind.ADDRESS and k in matches]
    by_hostname = {
        matches[k] for k in seen.keys() if k.kind is IdentityKind.HOSTNAME and k in matches
    }
    for key in address_keys:
        candidate = matches[key]
        known = identities.get(candidate, Identity())
        if not known.strong_keys():
            return Resolution(candidate, tuple(seen.keys()))
        if candidate in by_hostname:
            # Address and host name agree: one box answering SNMP and mDNS, say, each
            # knowing other identifiers. Only a contradiction keeps them apart.
            if _conflicts(known, seen):
                return Resolution(None, tuple(seen.keys()), possible_duplicate_of=candidate)
            return Resolution(candidate, tuple(seen.keys()))
    return Resolution(None, tuple(seen.keys()))


_PRINT_SCAN = frozenset({DeviceKind.PRINTER, DeviceKind.SCANNER, DeviceKind.MFD})


def merged_kind(current: DeviceKind, seen: DeviceKind | None) -> DeviceKind:
    """The kind once ``seen`` is known too, whatever order the protocols report in.

    A printer that another protocol sees scanning is an MFD (SNMP's Printer MIB says
    "printer", the same box's eSCL advert says "scanner"), and an MFD stays one when a
    protocol sees only one side. Saying nothing ("other") changes nothing; any other
    disagreement goes to the newer report, as before.
    """
    if seen is None or seen is DeviceKind.OTHER or seen is current:
        return current
    if current is DeviceKind.OTHER:
        return seen
    if current in _PRINT_SCAN and seen in _PRINT_SCAN:
        return DeviceKind.MFD
    return seen

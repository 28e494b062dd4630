"""A resolved DNS-SD service, however it was found (multicast or unicast), and the
observation it makes."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.protocols.txt import TxtRecord, facts_from_txt


def split_type(full: str) -> tuple[str, str]:
    """``_ipp._tcp.local.`` → (``_ipp._tcp``, ``local``); a bare ``_ipp._tcp`` has domain ""."""
    labels = full.strip().rstrip(".").split(".")
    if len(labels) < 2 or not labels[0].startswith("_") or labels[1] not in ("_tcp", "_udp"):
        raise ValueError(f"not a DNS-SD service type: {full!r}")
    return f"{labels[0]}.{labels[1]}".casefold(), ".".join(labels[2:]).casefold()


def service_key(instance: str, service_type: str, domain: str) -> str:
    """One advertisement's identity; DNS names compare without case."""
    return f"{instance}.{service_type}.{domain}".casefold()


@dataclass(frozen=True, slots=True)
class ResolvedService:
    instance: str  # "Ward Test Printer": device-supplied, plain text
    service_type: str  # "_ipp._tcp"
    domain: str  # "local", "ward.example"
    host: str  # SRV target without the final dot
    port: int
    addresses: tuple[str, ...]  # see choose_addresses
    txt: TxtRecord
    protocol: Protocol  # MDNS or DNSSD
    seen_at: float
    # Other service types the same host offers now (a printer with _uscan._tcp is an MFD).
    related_types: frozenset[str] = field(default_factory=frozenset)
    declared_kind: DeviceKind | None = None  # from a configured "other ward device" type

    @property
    def key(self) -> str:
        return service_key(self.instance, self.service_type, self.domain)

    @property
    def fullname(self) -> str:
        return f"{self.instance}.{self.service_type}.{self.domain}"

    def same_advert(self, other: ResolvedService) -> bool:
        """Equal but for when it was seen: a refresh that changed nothing."""
        return replace(self, seen_at=0.0) == replace(other, seen_at=0.0)


def _parsed(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def choose_addresses(addresses: Iterable[str]) -> tuple[str, ...]:
    """IPv4 first, then IPv6; link-local ones only when nothing else is known.

    A link-local address works only beside its interface (``fe80::1%eth0``), so it is a
    poor address to keep in an inventory other desktops sync.
    """
    usable: list[tuple[int, str]] = []
    link_local: list[tuple[int, str]] = []
    seen: set[str] = set()
    for text in addresses:
        ip = _parsed(text)
        if ip is None or ip.is_unspecified or ip.is_multicast or text in seen:
            continue
        seen.add(text)
        (link_local if ip.is_link_local else usable).append((ip.version, text))
    chosen = usable or link_local
    return tuple(text for _, text in sorted(chosen, key=lambda item: item[0]))


def service_observation(service: ResolvedService) -> Observation | None:
    """What the advert says of its device; None when no address is known at all."""
    facts = facts_from_txt(
        service.service_type,
        service.txt,
        related_types=service.related_types,
        declared_kind=service.declared_kind,
    )
    addresses = service.addresses
    if not addresses and facts.adminurl_host and _parsed(facts.adminurl_host):
        addresses = (facts.adminurl_host,)  # the device told us where its web page is
    if not addresses:
        return None
    attributes = {
        "service": service.fullname,
        "service_type": service.service_type,
        "host": service.host,
        "addresses": ",".join(addresses),
    }
    for key in ("adminurl", "rp", "pdl", "rs"):
        value = service.txt.get(key)
        if value:
            attributes[key] = value
    if service.txt.warnings:
        attributes["txt_warnings"] = "; ".join(service.txt.warnings)
    return Observation(
        protocol=service.protocol,
        address=addresses[0],
        identity=Identity.of(
            uuid=facts.uuid, vendor=facts.vendor, address=addresses[0], hostname=service.host
        ),
        seen_at=service.seen_at,
        port=service.port,
        name=service.instance or None,
        kind=facts.kind,
        vendor=facts.vendor,
        model=facts.model,
        location=facts.location,
        attributes=attributes,
    )


@dataclass(frozen=True, slots=True)
class ServiceGone:
    """An advertisement withdrawn (an mDNS goodbye, or its records expired)."""

    key: str
    instance: str
    service_type: str
    domain: str
    protocol: Protocol
    seen_at: float

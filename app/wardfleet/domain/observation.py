"""What one protocol saw of one device at one moment."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind


class Protocol(StrEnum):
    SNMP = "snmp"
    MDNS = "mdns"
    DNSSD = "dns-sd"
    IPP = "ipp"
    ESCL = "escl"
    DEMO = "demo"


@dataclass(frozen=True, slots=True)
class Observation:
    protocol: Protocol
    address: str
    identity: Identity
    seen_at: float
    port: int | None = None
    name: str | None = None
    kind: DeviceKind | None = None
    vendor: str | None = None
    model: str | None = None
    location: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

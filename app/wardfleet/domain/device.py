"""One physical device, however many protocols and addresses it answers on."""

from __future__ import annotations

from dataclasses import dataclass, field

from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import DeviceStatus

# Fields a person or a profile may edit; synced last-writer-wins per field by HLC.
EDITABLE_FIELDS = ("name", "location", "ward", "notes")


@dataclass(frozen=True, slots=True)
class Device:
    id: str
    name: str
    kind: DeviceKind
    identity: Identity
    address: str | None = None
    port: int | None = None
    vendor: str | None = None
    model: str | None = None
    location: str | None = None
    ward: str | None = None
    notes: str | None = None
    state: DeviceState = DeviceState.UNKNOWN
    first_seen: float | None = None
    last_seen: float | None = None
    protocols: dict[str, float] = field(default_factory=dict)
    is_new: bool = True
    possible_duplicate_of: str | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.model or self.address or self.id


@dataclass(frozen=True, slots=True)
class DeviceOverview:
    """A device with its latest status: one row of the device table."""

    device: Device
    status: DeviceStatus | None = None

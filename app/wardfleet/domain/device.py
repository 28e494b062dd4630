"""One physical device, however many protocols and addresses it answers on."""

from __future__ import annotations

from dataclasses import dataclass, field

from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import DeviceStatus

# Fields a person or a profile may edit; synced last-writer-wins per field by HLC.
EDITABLE_FIELDS = ("name", "location", "ward", "notes")

_URL_SCHEMES = {"ipp": "ipp", "ipps": "ipps", "escl": "http", "escls": "https"}


@dataclass(frozen=True, slots=True)
class ServiceEndpoint:
    """Where a device answers a service (IPP, eSCL), without its host: the URL is made
    with the device's current address, so an address change moves it too."""

    service: str  # "ipp", "ipps", "escl" or "escls" (eSCL over https)
    port: int
    path: str  # without the leading "/": "ipp/print", "eSCL"

    def url(self, host: str) -> str:
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"  # an IPv6 literal
        return f"{_URL_SCHEMES[self.service]}://{host}:{self.port}/{self.path.lstrip('/')}"


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
    endpoints: tuple[ServiceEndpoint, ...] = ()  # local discovery bookkeeping, never synced

    @property
    def display_name(self) -> str:
        return self.name or self.model or self.address or self.id

    def _endpoint_url(self, preferred: tuple[str, ...]) -> str | None:
        if not self.address:
            return None
        by_service = {e.service: e for e in self.endpoints}
        for service in preferred:
            if service in by_service:
                return by_service[service].url(self.address)
        return None

    @property
    def ipp_uri(self) -> str | None:
        """The printer's IPP URI; the encrypted one when the printer offers both."""
        return self._endpoint_url(("ipps", "ipp"))

    @property
    def escl_url(self) -> str | None:
        """The scanner's eSCL base URL (".../eSCL"); https when offered."""
        return self._endpoint_url(("escls", "escl"))


@dataclass(frozen=True, slots=True)
class DeviceOverview:
    """A device with its latest status: one row of the device table."""

    device: Device
    status: DeviceStatus | None = None

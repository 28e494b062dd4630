"""What a poll tells about a device: supplies, trays, alerts, counters, state.

The supply rules follow RFC 3805 (Printer-MIB): a percentage exists only when both the
level and the capacity are real quantities; the negative special values are named, never
shown as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from wardfleet.domain.kinds import DeviceState


class LevelState(StrEnum):
    """How to read a supply's level (RFC 3805 special values)."""

    MEASURED = "measured"
    UNLIMITED = "unlimited"  # -1: "other", no restriction
    UNKNOWN = "unknown"  # -2
    SOME_REMAINING = "some-remaining"  # -3: at least one unit left, amount not reported
    INVALID = "invalid"  # anything else below zero, or a level above capacity


SPECIAL_LEVELS = {-1: LevelState.UNLIMITED, -2: LevelState.UNKNOWN, -3: LevelState.SOME_REMAINING}

RECEPTACLE_CLASS = "receptacleThatIsFilled"


def supply_percent(level: int | None, capacity: int | None) -> float | None:
    """``level / capacity × 100`` rounded to 2 places, when both are real quantities.

    A level of 0 with a real capacity is 0.0 (empty); a level above the capacity is not
    a percentage anyone should see (it is the "150 %" bug), so it gives None.
    """
    if level is None or capacity is None or capacity <= 0 or level < 0 or level > capacity:
        return None
    return round(level / capacity * 100, 2)


def level_state(level: int | None, capacity: int | None) -> LevelState:
    if level is None:
        return LevelState.UNKNOWN
    if level in SPECIAL_LEVELS:
        return SPECIAL_LEVELS[level]
    if level < 0 or (capacity is not None and capacity > 0 and level > capacity):
        return LevelState.INVALID
    if capacity is None or capacity <= 0:
        # A real level but no usable capacity: the amount is there, the fraction is not.
        return LevelState.SOME_REMAINING if level > 0 else LevelState.UNKNOWN
    return LevelState.MEASURED


@dataclass(frozen=True, slots=True)
class Supply:
    index: str
    description: str
    type: str | None = None
    supply_class: str | None = None
    unit: str | None = None
    colour: str | None = None
    level: int | None = None
    capacity: int | None = None
    source: str | None = None  # the protocol that reported it ("snmp", "ipp"); None: unsaid

    @property
    def percent(self) -> float | None:
        return supply_percent(self.level, self.capacity)

    @property
    def level_state(self) -> LevelState:
        return level_state(self.level, self.capacity)

    @property
    def is_receptacle(self) -> bool:
        """A waste box fills up: its percentage is fullness, not what is left."""
        if self.supply_class is not None:
            return self.supply_class == RECEPTACLE_CLASS
        return self.type in {"wasteToner", "wasteInk", "wasteWater", "wasteWax"}

    @property
    def remaining_percent(self) -> float | None:
        """How much is left to use, for alerts and forecasts; None for receptacles."""
        return None if self.is_receptacle else self.percent


@dataclass(frozen=True, slots=True)
class Tray:
    index: str
    name: str
    level: int | None = None
    capacity: int | None = None
    source: str | None = None

    @property
    def percent(self) -> float | None:
        return supply_percent(self.level, self.capacity)

    @property
    def level_state(self) -> LevelState:
        return level_state(self.level, self.capacity)


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class DeviceAlert:
    """An alert the device itself reports (prtAlertTable, IPP state reasons)."""

    code: str
    description: str
    severity: Severity = Severity.WARNING
    group: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class TableError:
    """One table or column that could not be read; the rest of the status still stands."""

    table: str
    message: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    state: DeviceState
    polled_at: float
    reachable: bool = True
    latency_ms: float | None = None
    device_status: str | None = None
    printer_status: str | None = None
    error_bits: tuple[str, ...] = ()
    supplies: tuple[Supply, ...] = ()
    trays: tuple[Tray, ...] = ()
    alerts: tuple[DeviceAlert, ...] = ()
    page_count: int | None = None
    uptime_s: float | None = None
    errors: tuple[TableError, ...] = field(default=())
    # Which protocol gave each value when several were combined ({"state": "ipp",
    # "supplies": "snmp", ...}); empty when one protocol said everything.
    sources: dict[str, str] = field(default_factory=dict)

    @classmethod
    def unreachable(cls, polled_at: float, reason: str, source: str | None = None) -> DeviceStatus:
        return cls(
            state=DeviceState.UNREACHABLE,
            polled_at=polled_at,
            reachable=False,
            errors=(TableError("reachability", reason, source),),
        )

    def lowest_consumable(self) -> Supply | None:
        """The consumable with the least left, for one-glance summaries."""
        measured = [s for s in self.supplies if s.remaining_percent is not None]
        return min(measured, key=lambda s: s.remaining_percent or 0.0, default=None)

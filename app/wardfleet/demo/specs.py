"""Static description of simulated devices, and the MIB code points they use.

Numbers follow HOST-RESOURCES-MIB (RFC 2790), Printer-MIB v2 (RFC 3805) with
IANA-PRINTER-MIB, UPS-MIB (RFC 1628) and ENTITY-MIB (RFC 6933).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from wardfleet.demo.schedule import Recurring, Workload
from wardfleet.domain.kinds import DeviceKind

# hrDeviceType values (hrDeviceTypes subtree).
HR_DEVICE_OTHER = "1.3.6.1.2.1.25.3.1.1"
HR_DEVICE_PROCESSOR = "1.3.6.1.2.1.25.3.1.3"
HR_DEVICE_NETWORK = "1.3.6.1.2.1.25.3.1.4"
HR_DEVICE_PRINTER = "1.3.6.1.2.1.25.3.1.5"


class HrDeviceStatus(IntEnum):
    UNKNOWN = 1
    RUNNING = 2
    WARNING = 3
    TESTING = 4
    DOWN = 5


class HrPrinterStatus(IntEnum):
    OTHER = 1
    UNKNOWN = 2
    IDLE = 3
    PRINTING = 4
    WARMUP = 5


class ErrorBit(IntEnum):
    """hrPrinterDetectedErrorState bits; bit 0 is the most significant bit of octet 1."""

    LOW_PAPER = 0
    NO_PAPER = 1
    LOW_TONER = 2
    NO_TONER = 3
    DOOR_OPEN = 4
    JAMMED = 5
    OFFLINE = 6
    SERVICE_REQUESTED = 7
    INPUT_TRAY_MISSING = 8
    OUTPUT_TRAY_MISSING = 9
    MARKER_SUPPLY_MISSING = 10
    OUTPUT_NEAR_FULL = 11
    OUTPUT_FULL = 12
    INPUT_TRAY_EMPTY = 13
    OVERDUE_PREVENT_MAINT = 14


def encode_error_state(bits: frozenset[ErrorBit]) -> bytes:
    """The OCTET STRING value; one octet while no bit past 7 is set, as printers send it."""
    mask = 0
    for bit in bits:
        mask |= 0x8000 >> bit
    return mask.to_bytes(2, "big") if mask & 0xFF else bytes([mask >> 8])


class SupplyClass(IntEnum):
    CONSUMED = 3  # supplyThatIsConsumed: level falls
    RECEPTACLE = 4  # receptacleThatIsFilled: level rises (waste toner)


class SupplyType(IntEnum):
    TONER = 3
    WASTE_TONER = 4
    OPC = 9
    RIBBON_WAX = 13
    FUSER = 15
    TONER_CARTRIDGE = 21


class Unit(IntEnum):
    """PrtMarkerSuppliesSupplyUnitTC / PrtCapacityUnitTC."""

    OTHER = 1
    IMPRESSIONS = 7
    SHEETS = 8
    METERS = 17
    ITEMS = 18
    PERCENT = 19


class AlertSeverity(IntEnum):
    OTHER = 1
    CRITICAL = 3
    WARNING = 4


class AlertGroup(IntEnum):
    GENERAL_PRINTER = 5
    INPUT = 8
    MARKER_SUPPLIES = 11
    MEDIA_PATH = 13


class AlertCode(IntEnum):
    JAM = 8
    INPUT_MEDIA_SUPPLY_LOW = 807
    INPUT_MEDIA_SUPPLY_EMPTY = 808
    MARKER_TONER_EMPTY = 1101
    MARKER_PRINT_RIBBON_EMPTY = 1103
    MARKER_TONER_ALMOST_EMPTY = 1104
    MARKER_PRINT_RIBBON_ALMOST_EMPTY = 1106
    MARKER_WASTE_TONER_ALMOST_FULL = 1107
    MARKER_WASTE_TONER_FULL = 1109
    MARKER_OPC_LIFE_ALMOST_OVER = 1111


# Printer-MIB special values for levels and capacities.
UNLIMITED = -1
UNKNOWN = -2
SOME_REMAINING = -3


@dataclass(frozen=True)
class Supply:
    """A row of prtMarkerSuppliesTable.

    ``pages_per_unit`` None keeps the level fixed (e.g. Brother's -3 "some remaining").
    ``hold_pages``: pages printed at empty (or full) before someone swaps the part.
    """

    description: str
    type: SupplyType
    level: int
    capacity: int = 100
    unit: Unit = Unit.PERCENT
    supply_class: SupplyClass = SupplyClass.CONSUMED
    colour: str | None = None  # prtMarkerColorantValue; None = not a colorant
    pages_per_unit: float | None = None
    hold_pages: int = 0
    low_percent: int = 10  # "almost empty" / "almost full" threshold

    @property
    def moves(self) -> bool:
        return self.pages_per_unit is not None and self.capacity > 0 and self.level >= 0


@dataclass(frozen=True)
class Tray:
    """A row of prtInputTable. Feeding trays are drawn in order and refilled together."""

    name: str
    capacity: int
    level: int  # at start; special values keep it fixed
    feeds: bool = False
    media: str = "A4"
    unit: Unit = Unit.SHEETS
    input_type: int = 4  # sheetFeedAutoNonRemovableTray; 5 = manual, 6 = continuous roll
    low_percent: int = 10


@dataclass(frozen=True)
class Jam:
    windows: Recurring
    tray: int  # 1-based prtInputIndex the paper jams in


@dataclass(frozen=True)
class PrinterSpec:
    workload: Workload
    supplies: tuple[Supply, ...]
    trays: tuple[Tray, ...]
    refill: Recurring | None = None  # when someone refills the feeding trays
    jam: Jam | None = None
    mark_tech: int = 4  # PrtMarkerMarkTechTC: 4 electrophotographicLaser, 16 thermalTransfer
    counter_unit: Unit = Unit.IMPRESSIONS
    base_pages: int = 0  # prtMarkerLifeCount at t = 0
    bytes_per_page: int = 48_000  # job data, drives ifInOctets


@dataclass(frozen=True)
class UpsSpec:
    manufacturer: str
    model: str
    firmware: str
    agent_version: str
    attached_devices: str
    mains_failures: Recurring
    runtime_full_min: int  # at 100 % charge and the usual load
    discharge_pct_per_s: float
    recharge_pct_per_s: float
    load_percent: int
    output_watts: int
    nominal_volts: int = 230


@dataclass(frozen=True)
class HrDevice:
    type_oid: str
    descr: str
    device_id: str = "0.0"  # hrDeviceID: a product OID, or zeroDotZero


@dataclass(frozen=True)
class DeviceSpec:
    name: str
    kind: DeviceKind
    vendor: str
    model: str
    sys_descr: str
    sys_object_id: str
    sys_name: str
    location: str
    contact: str
    serial: str
    mac: str  # "3C:A8:2A:51:7E:04"
    uptime_at_start_s: int  # how long it had been up when the demo started
    hr_devices: tuple[HrDevice, ...] = ()
    printer: PrinterSpec | None = None
    ups: UpsSpec | None = None
    outage: Recurring | None = None  # stops answering, then comes back freshly booted
    entity_serial: bool = False  # publish ENTITY-MIB entPhysicalTable with the serial
    if_descr: str = "Ethernet"
    vendor_oids: tuple[tuple[str, str | int], ...] = ()  # extra scalars, by dotted OID
    base_octets: int = 0  # ifInOctets at t = 0

    @property
    def enterprise(self) -> int:
        return int(self.sys_object_id.split(".")[6])

    @property
    def mac_bytes(self) -> bytes:
        return bytes.fromhex(self.mac.replace(":", ""))

"""HOST-RESOURCES-MIB (RFC 2790) device and printer decoders, and the overall state. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import TableError
from wardfleet.protocols import oids
from wardfleet.protocols.snmp_decode import Problem, as_oid, as_text, enum_name, noted
from wardfleet.protocols.snmp_types import Oid, SnmpValue, Varbinds

HR_DEVICE_STATUS = {1: "unknown", 2: "running", 3: "warning", 4: "testing", 5: "down"}
HR_PRINTER_STATUS = {1: "other", 2: "unknown", 3: "idle", 4: "printing", 5: "warmup"}
# hrDeviceTypes arcs (RFC 2790 §hrDeviceTypes); only the ones classification cares about.
HR_DEVICE_TYPE_NAMES = {
    1: "other", 2: "unknown", 3: "processor", 4: "network", 5: "printer",
    6: "diskStorage", 10: "video", 11: "audio", 12: "coprocessor", 13: "keyboard",
    14: "modem", 15: "parallelPort", 16: "pointing", 17: "serialPort", 18: "tape",
    19: "clock", 20: "volatileMemory", 21: "nonVolatileMemory",
}  # fmt: skip
# hrPrinterDetectedErrorState: bit 0 is the most significant bit of the first octet.
ERROR_BITS = (
    "lowPaper", "noPaper", "lowToner", "noToner", "doorOpen", "jammed", "offline",
    "serviceRequested", "inputTrayMissing", "outputTrayMissing", "markerSupplyMissing",
    "outputNearFull", "outputFull", "inputTrayEmpty", "overduePreventMaint",
)  # fmt: skip
# A person must act before anything prints again.
ERROR_STATE_BITS = frozenset(
    {"noPaper", "noToner", "doorOpen", "jammed", "offline", "inputTrayMissing",
     "outputTrayMissing", "markerSupplyMissing", "outputFull"}
)  # fmt: skip
WARNING_STATE_BITS = frozenset(ERROR_BITS) - ERROR_STATE_BITS


Decoder = Callable[[SnmpValue], object]


@dataclass(frozen=True, slots=True)
class HrDevice:
    index: int
    type: str | None = None  # a name from HR_DEVICE_TYPE_NAMES, or the OID if foreign
    description: str | None = None
    status: str | None = None
    printer_status: str | None = None
    error_bits: tuple[str, ...] | None = None  # None: the device did not say

    @property
    def is_printer(self) -> bool:
        return self.type == "printer"


def device_type_name(value: SnmpValue) -> str | Problem:
    oid = as_oid(value)
    if isinstance(oid, Problem):
        return oid
    prefix = oids.HR_DEVICE_TYPES
    if oid[: len(prefix)] == prefix and len(oid) == len(prefix) + 1:
        return HR_DEVICE_TYPE_NAMES.get(oid[-1], f"type {oid[-1]}")
    return ".".join(map(str, oid))


def decode_error_state(value: SnmpValue) -> tuple[str, ...] | Problem:
    """The set bits of hrPrinterDetectedErrorState, by name, MSB of octet 0 first."""
    if isinstance(value, str):
        value = value.encode("latin-1", "replace")
    if not isinstance(value, bytes):
        return Problem(f"expected octets, got {type(value).__name__}")
    names: list[str] = []
    for bit in range(min(len(value) * 8, 64)):
        if value[bit // 8] & (0x80 >> (bit % 8)):
            names.append(ERROR_BITS[bit] if bit < len(ERROR_BITS) else f"bit{bit}")
    return tuple(names)


def decode_devices(
    varbinds: Varbinds, indices: tuple[int, ...]
) -> tuple[list[HrDevice], list[TableError]]:
    """hrDeviceTable + hrPrinterTable cells for the given device indices."""
    problems: list[str] = []
    devices: list[HrDevice] = []
    for index in indices:
        where = f"device {index}"
        cells: dict[str, object] = {}
        columns: dict[str, tuple[Oid, Decoder]] = {
            "type": ((*oids.HR_DEVICE_TYPE, index), device_type_name),
            "description": ((*oids.HR_DEVICE_DESCR, index), as_text),
            "status": ((*oids.HR_DEVICE_STATUS, index), partial(enum_name, HR_DEVICE_STATUS)),
            "printer_status": (
                (*oids.HR_PRINTER_STATUS, index),
                partial(enum_name, HR_PRINTER_STATUS),
            ),
            "error_bits": ((*oids.HR_PRINTER_ERROR_STATE, index), decode_error_state),
        }
        for name, (oid, decode) in columns.items():
            cells[name] = None
            value = varbinds.get(oid)
            if value is None or not isinstance(value, int | bytes | str | tuple):
                continue  # absent or noSuch*: the column is optional
            cells[name] = noted(decode(value), f"{where} {name}", problems)
        devices.append(
            HrDevice(
                index=index,
                type=_str_or_none(cells["type"]),
                description=_str_or_none(cells["description"]) or None,
                status=_str_or_none(cells["status"]),
                printer_status=_str_or_none(cells["printer_status"]),
                error_bits=cells["error_bits"] if isinstance(cells["error_bits"], tuple) else None,
            )
        )
    return devices, [TableError("hrDeviceTable", p) for p in problems]


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def status_devices(devices: list[HrDevice]) -> list[HrDevice]:
    """The devices whose state is the printer's: the printers, else everything."""
    printers = [d for d in devices if d.is_printer]
    return printers or devices


def overall_state(devices: list[HrDevice]) -> tuple[DeviceState, tuple[str, ...]]:
    """Worst of hrDeviceStatus, hrPrinterStatus and the error bits; UNKNOWN if none spoke."""
    relevant = status_devices(devices)
    bits = tuple(dict.fromkeys(b for d in relevant for b in (d.error_bits or ())))
    spoke = any(d.status or d.printer_status or d.error_bits is not None for d in relevant)
    if not spoke:
        return DeviceState.UNKNOWN, bits
    statuses = {d.status for d in relevant}
    if "down" in statuses or ERROR_STATE_BITS.intersection(bits):
        return DeviceState.ERROR, bits
    if statuses & {"warning", "testing"} or WARNING_STATE_BITS.intersection(bits):
        return DeviceState.WARNING, bits
    if any(d.printer_status in {"printing", "warmup"} for d in relevant):
        return DeviceState.BUSY, bits
    return DeviceState.OK, bits

"""What a device is and what state it is in."""

from __future__ import annotations

from enum import StrEnum


class DeviceKind(StrEnum):
    PRINTER = "printer"
    LABEL_PRINTER = "label-printer"
    MFD = "mfd"
    SCANNER = "scanner"
    MONITOR = "monitor"
    UPS = "ups"
    NETWORK = "network"
    SERVER = "server"
    OTHER = "other"


class DeviceState(StrEnum):
    """Overall state, ordered by how urgently a person must look.

    ``UNREACHABLE`` is its own state: a powered-off printer is never "idle".
    """

    OK = "ok"
    BUSY = "busy"
    WARNING = "warning"
    ERROR = "error"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"

    @property
    def urgency(self) -> int:
        return _URGENCY[self]


_URGENCY = {
    DeviceState.OK: 0,
    DeviceState.BUSY: 0,
    DeviceState.UNKNOWN: 1,
    DeviceState.WARNING: 2,
    DeviceState.UNREACHABLE: 3,
    DeviceState.ERROR: 4,
}

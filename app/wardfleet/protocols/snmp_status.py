"""A device's ``DeviceStatus`` from the SNMP tables it answered (after a discovery walk,
or a steady-state poll merged with the cells kept in its plan)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, TableError
from wardfleet.protocols.host_resources import HrDevice, overall_state, status_devices
from wardfleet.protocols.printer_mib import (
    decode_alerts,
    decode_page_count,
    decode_supplies,
    decode_trays,
)
from wardfleet.protocols.snmp_types import Oid, SnmpValue


def status_from_tables(
    *,
    devices: list[HrDevice],
    supplies: Mapping[Oid, SnmpValue],
    colorants: Mapping[Oid, SnmpValue],
    trays: Mapping[Oid, SnmpValue],
    alerts: Mapping[Oid, SnmpValue],
    counters: Mapping[Oid, SnmpValue],
    uptime_s: float | None,
    errors: list[TableError],
    started: float,
) -> DeviceStatus:
    """``started`` is the ``time.perf_counter()`` when the reads began (the latency)."""
    decoded_supplies, e1 = decode_supplies(supplies, colorants)
    decoded_trays, e2 = decode_trays(trays)
    decoded_alerts, e3 = decode_alerts(alerts)
    page_count, e4 = decode_page_count(counters)
    state, bits = overall_state(devices)
    if state is DeviceState.UNKNOWN and not devices:
        # A UPS or a monitor has no hrDevice state to report; it answered, and nothing it
        # told us is wrong, so it is OK (a missing answer is UNREACHABLE, never this).
        state = DeviceState.OK
    main = status_devices(devices)[0] if devices else None
    return DeviceStatus(
        state=state,
        polled_at=time.time(),
        latency_ms=round((time.perf_counter() - started) * 1000, 2),
        device_status=main.status if main else None,
        printer_status=main.printer_status if main else None,
        error_bits=bits,
        supplies=tuple(s.supply for s in decoded_supplies),
        trays=tuple(decoded_trays),
        alerts=tuple(decoded_alerts),
        page_count=page_count,
        uptime_s=uptime_s,
        errors=tuple([*errors, *e1, *e2, *e3, *e4]),
    )

"""The poll plan: a device's tables walked once, and the shape kept for later polls.

Discovery walks the tables and keeps their shape in a ``PollPlan``; ``snmp_poll`` then
GETs the known cells in a few PDUs. ``probe`` is discovery's (and the CLI's) one call:
identify, plan, and read the status.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from wardfleet.domain.status import DeviceStatus, TableError
from wardfleet.protocols import oids
from wardfleet.protocols.host_resources import status_devices
from wardfleet.protocols.snmp import SnmpSession
from wardfleet.protocols.snmp_identify import Identification, identify
from wardfleet.protocols.snmp_status import status_from_tables
from wardfleet.protocols.snmp_tables import walk_table
from wardfleet.protocols.snmp_types import Oid, SnmpValue

# Columns whose values change between polls; the others (descriptions too: a new part
# number comes with a new cartridge, whose level jump a re-walk can follow) are kept from
# discovery. Fewer varbinds make a poll cheaper, for us and for the agent.
SUPPLY_LIVE_COLUMNS = (oids.SUP_MAX, oids.SUP_LEVEL)
TRAY_LIVE_COLUMNS = (oids.IN_MAX, oids.IN_LEVEL)


@dataclass(frozen=True, slots=True)
class PollPlan:
    """The shape of a device's tables, found by walking them once."""

    hr_devices: tuple[int, ...] = ()
    hr_static: Mapping[Oid, SnmpValue] = field(default_factory=dict)  # types, descriptions
    hr_cells: tuple[Oid, ...] = ()  # status cells of the devices that carry the state
    printer_mib: bool = False
    # Discovery's cells of the columns that do not change (type, class, unit, colorant
    # link) plus the colorant table; polls merge fresh live columns into these.
    supply_static: Mapping[Oid, SnmpValue] = field(default_factory=dict)
    supply_cells: tuple[Oid, ...] = ()  # live cells that answered at discovery
    tray_static: Mapping[Oid, SnmpValue] = field(default_factory=dict)
    tray_cells: tuple[Oid, ...] = ()
    page_counter: Oid | None = None
    alert_rows: bool = False  # prtAlertTable had rows at the last walk
    # Cells a walk lists but a GET answers noSuchInstance for (some agents do): left out
    # of polls, so they do not force a re-walk every time.
    absent: frozenset[Oid] = frozenset()
    uptime_ticks: int | None = None
    made_at: float = 0.0

    def get_oids(self) -> dict[str, list[Oid]]:
        """The cells a steady-state poll GETs, by table."""
        tables: dict[str, list[Oid]] = {}
        if oids.SYS_UPTIME not in self.absent:
            tables["system"] = [oids.SYS_UPTIME]
        for name, cells in (
            ("hrDeviceTable", self.hr_cells),
            ("prtMarkerSuppliesTable", self.supply_cells),
            ("prtInputTable", self.tray_cells),
        ):
            live = [c for c in cells if c not in self.absent]
            if live:
                tables[name] = live
        if self.page_counter and self.page_counter not in self.absent:
            tables["prtMarkerLifeCount"] = [self.page_counter]
        return tables


@dataclass(frozen=True, slots=True)
class Probe:
    identification: Identification
    plan: PollPlan
    status: DeviceStatus


async def make_poll_plan(
    session: SnmpSession, identification: Identification | None = None
) -> tuple[PollPlan, DeviceStatus]:
    """Walk the device's tables once: the plan for later polls and the status right now."""
    started = time.perf_counter()
    errors: list[TableError] = []
    if identification is None:
        identification = await identify(session)
    errors += identification.errors
    devices = list(identification.hr_devices)
    static_columns = (oids.HR_DEVICE_TYPE, oids.HR_DEVICE_DESCR)
    stateful = {d.index for d in status_devices(devices)}
    plan = PollPlan(
        hr_devices=tuple(d.index for d in devices),
        hr_static={o: v for o, v in identification.hr_values.items() if o[:-1] in static_columns},
        hr_cells=tuple(
            o
            for o in identification.hr_values
            if o[:-1] not in static_columns and o[-1] in stateful
        ),
        printer_mib=identification.has_printer_mib,
        uptime_ticks=(
            round(identification.uptime_s * 100) if identification.uptime_s is not None else None
        ),
        made_at=time.time(),
    )
    tables: dict[str, dict[Oid, SnmpValue]] = {}
    if plan.printer_mib:
        walks = {
            "prtMarkerSuppliesTable": oids.PRT_SUPPLIES_ENTRY,
            "prtMarkerColorantTable": oids.PRT_COLORANT_VALUE,
            "prtInputTable": oids.PRT_INPUT_ENTRY,
            "prtAlertTable": oids.PRT_ALERT_ENTRY,
            "prtMarkerLifeCount": oids.PRT_MARKER_LIFE_COUNT,
        }
        results = await asyncio.gather(
            *(walk_table(session, root, name) for name, root in walks.items())
        )
        for name, (rows, walk_errors) in zip(walks, results, strict=True):
            tables[name] = rows
            errors += walk_errors
        plan = _shape(plan, tables)
    status = status_from_tables(
        devices=devices,
        supplies=tables.get("prtMarkerSuppliesTable", {}),
        colorants=tables.get("prtMarkerColorantTable", {}),
        trays=tables.get("prtInputTable", {}),
        alerts=tables.get("prtAlertTable", {}),
        counters=tables.get("prtMarkerLifeCount", {}),
        uptime_s=identification.uptime_s,
        errors=errors,
        started=started,
    )
    return plan, status


def _shape(plan: PollPlan, tables: Mapping[str, Mapping[Oid, SnmpValue]]) -> PollPlan:
    supplies = tables["prtMarkerSuppliesTable"]
    trays = tables["prtInputTable"]
    counters = sorted(tables["prtMarkerLifeCount"])
    return replace(
        plan,
        supply_static={
            **{
                o: v
                for o, v in supplies.items()
                if o[len(oids.PRT_SUPPLIES_ENTRY)] not in SUPPLY_LIVE_COLUMNS
            },
            **tables["prtMarkerColorantTable"],
        },
        supply_cells=_cells(supplies, oids.PRT_SUPPLIES_ENTRY, SUPPLY_LIVE_COLUMNS),
        tray_static={
            o: v for o, v in trays.items() if o[len(oids.PRT_INPUT_ENTRY)] == oids.IN_NAME
        },
        tray_cells=_cells(trays, oids.PRT_INPUT_ENTRY, TRAY_LIVE_COLUMNS),
        page_counter=counters[0] if counters else None,
        alert_rows=bool(tables["prtAlertTable"]),
    )


def _cells(rows: Mapping[Oid, SnmpValue], entry: Oid, columns: tuple[int, ...]) -> tuple[Oid, ...]:
    return tuple(sorted(o for o in rows if len(o) > len(entry) + 1 and o[len(entry)] in columns))


async def probe(session: SnmpSession) -> Probe:
    """Identify, plan and read the status in one go (discovery and the CLI's probe)."""
    started = time.perf_counter()
    identification = await identify(session)
    plan, status = await make_poll_plan(session, identification)
    latency = round((time.perf_counter() - started) * 1000, 2)
    return Probe(identification, plan, replace(status, latency_ms=latency))

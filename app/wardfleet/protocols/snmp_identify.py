"""Identify a device over SNMP, plan its polls, and poll it.

Discovery walks the tables once and keeps their shape in a ``PollPlan``; later polls GET
the known cells in a few PDUs and re-walk only when the shape changed (a known cell is
gone, or the device rebooted) or when asked. Every table is read under its own error
handling, so one table that never answers costs that table, not the status.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from wardfleet.domain.classify import Classification, SnmpFacts, classify
from wardfleet.domain.identity import Identity, normalise_mac, normalise_serial
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.domain.status import DeviceStatus, TableError
from wardfleet.protocols import oids
from wardfleet.protocols.host_resources import (
    HrDevice,
    decode_devices,
    device_type_name,
    overall_state,
    status_devices,
)
from wardfleet.protocols.printer_mib import (
    decode_alerts,
    decode_page_count,
    decode_supplies,
    decode_trays,
)
from wardfleet.protocols.snmp import SnmpError, SnmpSession, SnmpTimeout, WalkResult
from wardfleet.protocols.snmp_decode import Problem, as_int, as_oid, as_text
from wardfleet.protocols.snmp_types import Missing, Oid, SnmpValue, Varbinds, oid_str, under

# hrDeviceTable rows we look at; a host with hundreds of devices is not a printer.
MAX_HR_DEVICES = 32
# Columns whose values change between polls; the others (descriptions too: a new part
# number comes with a new cartridge, whose level jump a re-walk can follow) are kept from
# discovery. Fewer varbinds is most of a poll's CPU: pysnmp's BER decoding dominates.
SUPPLY_LIVE_COLUMNS = (oids.SUP_MAX, oids.SUP_LEVEL)
TRAY_LIVE_COLUMNS = (oids.IN_MAX, oids.IN_LEVEL)

_SYSTEM = (
    oids.SYS_DESCR, oids.SYS_OBJECT_ID, oids.SYS_UPTIME, oids.SYS_CONTACT, oids.SYS_NAME,
    oids.SYS_LOCATION, oids.PRT_GENERAL_SERIAL, *oids.VENDOR_SERIALS, *oids.VENDOR_MODELS,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Identification:
    """What a device says it is."""

    address: str
    port: int
    sys_descr: str | None
    sys_object_id: str | None
    sys_name: str | None
    sys_location: str | None
    sys_contact: str | None
    uptime_s: float | None
    mac: str | None
    serial: str | None
    has_printer_mib: bool
    classification: Classification
    hr_devices: tuple[HrDevice, ...] = ()
    hr_values: Mapping[Oid, SnmpValue] = field(default_factory=dict)  # cells that answered
    warnings: tuple[str, ...] = ()
    errors: tuple[TableError, ...] = ()

    @property
    def identity(self) -> Identity:
        return Identity.of(
            serial=self.serial,
            vendor=self.classification.vendor,
            mac=self.mac,
            address=self.address,
            hostname=self.sys_name,
        )

    def observation(self, seen_at: float) -> Observation:
        attributes = {"sys_object_id": self.sys_object_id or ""}
        if self.sys_descr:
            attributes["sys_descr"] = self.sys_descr
        if self.classification.brand:
            attributes["brand"] = self.classification.brand
        return Observation(
            protocol=Protocol.SNMP,
            address=self.address,
            identity=self.identity,
            seen_at=seen_at,
            port=self.port,
            name=self.sys_name,
            kind=self.classification.kind,
            vendor=self.classification.vendor,
            model=self.classification.model,
            location=self.sys_location,
            attributes=attributes,
        )


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
class PollResult:
    status: DeviceStatus
    plan: PollPlan
    rewalked: bool = False
    alerts_walked: bool = False  # a steady-state poll that also walked prtAlertTable


@dataclass(frozen=True, slots=True)
class Probe:
    identification: Identification
    plan: PollPlan
    status: DeviceStatus


_HR_COLUMNS = (oids.HR_DEVICE_TYPE, oids.HR_DEVICE_DESCR, oids.HR_DEVICE_STATUS)
_HR_PRINTER_COLUMNS = (oids.HR_PRINTER_STATUS, oids.HR_PRINTER_ERROR_STATE)


# --- small helpers ---------------------------------------------------------------------------


def _text(values: Varbinds, oid: Oid) -> str | None:
    value = values.get(oid)
    if value is None or isinstance(value, Missing):
        return None
    text = as_text(value)
    return None if isinstance(text, Problem) or not text else text


def _present(values: Varbinds) -> dict[Oid, SnmpValue]:
    return {k: v for k, v in values.items() if not isinstance(v, Missing)}


def _first_mac(rows: Varbinds) -> str | None:
    for oid in sorted(rows):
        value = rows[oid]
        if isinstance(value, bytes):
            mac = normalise_mac(value)
            if mac:
                return mac
    return None


async def _walk(
    session: SnmpSession,
    root: Oid,
    table: str,
    *,
    max_repetitions: int = 24,
    max_rows: int = 10_000,
    timeout_s: float | None = None,
    first_repetitions: int | None = None,
) -> tuple[dict[Oid, SnmpValue], list[TableError]]:
    result: WalkResult = await session.walk(
        root, max_repetitions=max_repetitions, max_rows=max_rows, timeout_s=timeout_s,
        first_repetitions=first_repetitions,
    )  # fmt: skip
    errors = [TableError(table, str(result.error))] if result.error else []
    return result.varbinds, errors


# --- identify ------------------------------------------------------------------------------


async def identify(session: SnmpSession) -> Identification:
    """System group, MAC, serial, hrDevice rows and the classification.

    Raises SnmpError when the first GET gets no answer (the device is not there, or
    these credentials are wrong); everything after that degrades into ``errors``.
    """
    system = await session.get(_SYSTEM)
    errors: list[TableError] = []

    probes = await _safe(session.next([oids.PRINTER_MIB, oids.UPS_MIB]), "presence", errors)
    found = [oid for oid, _ in probes or []]
    has_printer_mib = any(under(oid, oids.PRINTER_MIB) for oid in found)
    has_ups_mib = any(under(oid, oids.UPS_MIB) for oid in found)

    macs, mac_errors = await _walk(session, oids.IF_PHYS_ADDRESS, "ifTable", max_rows=64)
    errors += [e for e in mac_errors if "stopped after" not in e.message]

    indices, hr_errors = await _hr_indices(session)
    errors += hr_errors
    devices, hr_values, dev_errors = await _read_hr_devices(session, indices)
    errors += dev_errors

    object_id = system.get(oids.SYS_OBJECT_ID)
    sys_oid = None if isinstance(object_id, Missing) or object_id is None else as_oid(object_id)
    sys_oid = None if isinstance(sys_oid, Problem) else sys_oid
    printer = next((d for d in devices if d.is_printer), devices[0] if devices else None)
    facts = SnmpFacts(
        sys_descr=_text(system, oids.SYS_DESCR) or "",
        sys_object_id=sys_oid,
        hr_device_types=tuple(d.type for d in devices if d.type),
        hr_device_descr=printer.description if printer else None,
        hr_device_descrs=tuple(d.description for d in devices if d.description),
        has_printer_mib=has_printer_mib,
        has_ups_mib=has_ups_mib,
        vendor_model=next((m for o in oids.VENDOR_MODELS if (m := _text(system, o))), None),
    )
    serial = next(
        (s for o in (oids.PRT_GENERAL_SERIAL, *oids.VENDOR_SERIALS)
         if (s := normalise_serial(_text(system, o)))),
        None,
    ) or await _entity_serial(session)  # fmt: skip
    uptime = as_int(system.get(oids.SYS_UPTIME))
    return Identification(
        address=session.target.host,
        port=session.target.port,
        sys_descr=_raw_text(system, oids.SYS_DESCR),
        sys_object_id=oid_str(sys_oid) if sys_oid else None,
        sys_name=_raw_text(system, oids.SYS_NAME),
        sys_location=_raw_text(system, oids.SYS_LOCATION),
        sys_contact=_raw_text(system, oids.SYS_CONTACT),
        uptime_s=None if isinstance(uptime, Problem) else uptime / 100,
        mac=_first_mac(macs),
        serial=serial,
        has_printer_mib=has_printer_mib,
        classification=classify(facts),
        hr_devices=tuple(devices),
        hr_values=hr_values,
        warnings=session.credential.warnings,
        errors=tuple(errors),
    )


def _raw_text(values: Varbinds, oid: Oid) -> str | None:
    """Text as the agent sent it (an empty sysName stays ""), None when absent."""
    value = values.get(oid)
    if value is None or isinstance(value, Missing):
        return None
    text = as_text(value, strip=False)
    return None if isinstance(text, Problem) else text


async def _safe(
    request: Awaitable[list[tuple[Oid, SnmpValue]]], table: str, errors: list[TableError]
) -> list[tuple[Oid, SnmpValue]] | None:
    try:
        return await request
    except SnmpError as exc:
        errors.append(TableError(table, str(exc)))
        return None


async def _entity_serial(session: SnmpSession) -> str | None:
    """entPhysicalSerialNum of the first chassis entry (ENTITY-MIB), for devices with no
    Printer-MIB or vendor serial. A missing or broken table just means no serial here."""
    classes, _ = await _walk(
        session, oids.ENT_PHYSICAL_CLASS, "entPhysicalTable", max_repetitions=16, max_rows=64
    )
    chassis = next(
        (oid[-1] for oid, value in sorted(classes.items())
         if len(oid) == len(oids.ENT_PHYSICAL_CLASS) + 1
         and as_int(value) == oids.ENT_CLASS_CHASSIS),
        None,
    )  # fmt: skip
    if chassis is None:
        return None
    cell = (*oids.ENT_PHYSICAL_SERIAL, chassis)
    try:
        values = await session.get([cell])
    except SnmpError:
        return None
    return normalise_serial(_text(values, cell))


async def _hr_indices(session: SnmpSession) -> tuple[tuple[int, ...], list[TableError]]:
    """hrDevice row indices, from the first column the agent has.

    Small GETBULKs: a bulk read past the index column runs into hrDeviceID, which
    some agents cannot encode (they never answer).
    """
    errors: list[TableError] = []
    for column in (oids.HR_DEVICE_INDEX, oids.HR_DEVICE_TYPE, oids.HR_DEVICE_DESCR):
        rows, column_errors = await _walk(
            session, column, "hrDeviceTable", max_repetitions=8, max_rows=MAX_HR_DEVICES
        )
        errors += [e for e in column_errors if "stopped after" not in e.message]
        found = tuple(oid[len(column)] for oid in rows if len(oid) == len(column) + 1)
        if found:
            return found, errors
    return (), errors


async def _read_hr_devices(
    session: SnmpSession, indices: Sequence[int]
) -> tuple[list[HrDevice], dict[Oid, SnmpValue], list[TableError]]:
    """hrDevice rows, and the cells that answered (a poll GETs only cells that did)."""
    if not indices:
        return [], {}, []
    try:
        first = await session.get([(*col, i) for i in indices for col in _HR_COLUMNS])
    except SnmpError as exc:
        return [], {}, [TableError("hrDeviceTable", str(exc))]
    printers = [
        i for i in indices if device_type_name(first.get((*oids.HR_DEVICE_TYPE, i))) == "printer"
    ] or list(indices[:1])
    errors: list[TableError] = []
    try:
        first.update(
            await session.get([(*col, i) for i in printers for col in _HR_PRINTER_COLUMNS])
        )
    except SnmpError as exc:
        errors.append(TableError("hrPrinterTable", str(exc)))
    present = _present(first)
    devices, decode_errors = decode_devices(present, tuple(indices))
    return devices, present, errors + decode_errors


# --- poll plan -----------------------------------------------------------------------------


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
            *(_walk(session, root, name) for name, root in walks.items())
        )
        for name, (rows, walk_errors) in zip(walks, results, strict=True):
            tables[name] = rows
            errors += walk_errors
        plan = _shape(plan, tables)
    status = _status(
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


def _status(
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
    decoded_supplies, e1 = decode_supplies(supplies, colorants)
    decoded_trays, e2 = decode_trays(trays)
    decoded_alerts, e3 = decode_alerts(alerts)
    page_count, e4 = decode_page_count(counters)
    state, bits = overall_state(devices)
    if state is DeviceState.UNKNOWN and not status_devices(devices):
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


# --- steady-state poll -----------------------------------------------------------------------


async def _get_tables(
    session: SnmpSession, tables: Mapping[str, list[Oid]], table_timeout: float | None
) -> tuple[dict[Oid, SnmpValue], list[TableError], set[str]]:
    """One combined GET; if it times out, each table alone, so one bad table costs itself."""
    every = [oid for oid_list in tables.values() for oid in oid_list]
    try:
        return await session.get(every), [], set()
    except SnmpTimeout:
        pass
    values: dict[Oid, SnmpValue] = {}
    errors: list[TableError] = []
    failed: set[str] = set()
    results = await asyncio.gather(
        *(session.get(oid_list, timeout_s=table_timeout) for oid_list in tables.values()),
        return_exceptions=True,
    )
    for name, result in zip(tables, results, strict=True):
        if isinstance(result, SnmpError):
            errors.append(TableError(name, str(result)))
            failed.add(name)
        elif isinstance(result, BaseException):
            raise result
        else:
            values.update(result)
    return values, errors, failed


async def poll(
    session: SnmpSession,
    plan: PollPlan,
    *,
    rewalk: bool = False,
    table_timeout: float | None = None,
) -> PollResult:
    """GET the plan's cells. Re-walks (returning a new plan) when asked or when the shape
    changed. An agent that answers nothing gives ``DeviceStatus.unreachable``."""
    if rewalk:
        return await _rewalk(session)
    started = time.perf_counter()
    tables = plan.get_oids()
    values, errors, failed = await _get_tables(session, tables, table_timeout)
    if len(failed) == len(tables):
        reason = errors[0].message if errors else "no answer"
        return PollResult(DeviceStatus.unreachable(time.time(), reason), plan)
    uptime = as_int(values.get(oids.SYS_UPTIME))
    rebooted = (
        not isinstance(uptime, Problem)
        and plan.uptime_ticks is not None
        and uptime < plan.uptime_ticks
    )
    vanished = frozenset(o for o, v in values.items() if isinstance(v, Missing))
    if rebooted or vanished:
        result = await _rewalk(session)
        if not result.status.reachable or rebooted:
            return result
        # The table changed shape, or this agent walks cells it will not GET; remember
        # those so the next poll does not walk again for them.
        return replace(result, plan=replace(result.plan, absent=vanished))
    live = _present(values)
    devices, hr_errors = decode_devices({**plan.hr_static, **live}, plan.hr_devices)
    # prtAlertTable has no stable indices to GET, so it is walked, but only while there
    # is something to explain: alerts were there last time, or the device reports a
    # problem now. A healthy printer's poll then costs one request, not two or more.
    state, bits = overall_state(devices)
    alerts: dict[Oid, SnmpValue] = {}
    walk_alerts = plan.printer_mib and bool(
        plan.alert_rows or bits or state not in (DeviceState.OK, DeviceState.BUSY)
    )
    if walk_alerts:
        # Start small when the table was empty last time: usually it still is, and each
        # repetition of a GETBULK past its end costs the agent a lookup.
        alerts, alert_errors = await _walk(
            session, oids.PRT_ALERT_ENTRY, "prtAlertTable", timeout_s=table_timeout,
            first_repetitions=None if plan.alert_rows else 2,
        )  # fmt: skip
        errors += alert_errors
    status = _status(
        devices=devices,
        supplies={**plan.supply_static, **_within(live, oids.PRT_SUPPLIES_ENTRY)},
        colorants=plan.supply_static,
        trays={**plan.tray_static, **_within(live, oids.PRT_INPUT_ENTRY)},
        alerts=alerts,
        counters=_within(live, oids.PRT_MARKER_LIFE_COUNT),
        uptime_s=None if isinstance(uptime, Problem) else uptime / 100,
        errors=errors + hr_errors,
        started=started,
    )
    alert_rows = bool(alerts) if walk_alerts else plan.alert_rows
    return PollResult(
        status,
        replace(plan, uptime_ticks=_ticks(uptime, plan), alert_rows=alert_rows),
        alerts_walked=walk_alerts,
    )


def _ticks(uptime: int | Problem, plan: PollPlan) -> int | None:
    return plan.uptime_ticks if isinstance(uptime, Problem) else uptime


def _within(values: Mapping[Oid, SnmpValue], prefix: Oid) -> dict[Oid, SnmpValue]:
    return {o: v for o, v in values.items() if under(o, prefix)}


async def _rewalk(session: SnmpSession) -> PollResult:
    try:
        plan, status = await make_poll_plan(session)
    except SnmpError as exc:
        return PollResult(DeviceStatus.unreachable(time.time(), str(exc)), PollPlan())
    return PollResult(status, plan, rewalked=True)


async def probe(session: SnmpSession) -> Probe:
    """Identify, plan and read the status in one go (discovery and the CLI's probe)."""
    started = time.perf_counter()
    identification = await identify(session)
    plan, status = await make_poll_plan(session, identification)
    latency = round((time.perf_counter() - started) * 1000, 2)
    return Probe(identification, plan, replace(status, latency_ms=latency))

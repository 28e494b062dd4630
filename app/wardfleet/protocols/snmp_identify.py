"""Identify a device over SNMP: system group, MAC, serial, hrDevice rows, and the
classification (``domain.classify``) they add up to.

Only the first GET must answer; every later read degrades into ``errors``, so one table
that never answers costs that table, not the identification.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, field

from wardfleet.domain.classify import Classification, SnmpFacts, classify
from wardfleet.domain.identity import Identity, normalise_mac, normalise_serial
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.domain.status import TableError
from wardfleet.protocols import oids
from wardfleet.protocols.host_resources import HrDevice, decode_devices, device_type_name
from wardfleet.protocols.snmp import SnmpError, SnmpSession
from wardfleet.protocols.snmp_decode import Problem, as_int, as_oid, as_text
from wardfleet.protocols.snmp_tables import walk_table
from wardfleet.protocols.snmp_types import (
    Missing,
    Oid,
    SnmpValue,
    Varbinds,
    oid_str,
    present,
    under,
)

# hrDeviceTable rows we look at; a host with hundreds of devices is not a printer.
MAX_HR_DEVICES = 32

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


_HR_COLUMNS = (oids.HR_DEVICE_TYPE, oids.HR_DEVICE_DESCR, oids.HR_DEVICE_STATUS)
_HR_PRINTER_COLUMNS = (oids.HR_PRINTER_STATUS, oids.HR_PRINTER_ERROR_STATE)


def _text(values: Varbinds, oid: Oid) -> str | None:
    """Trimmed text; None when absent, not text, or empty."""
    return _cell_text(values, oid, strip=True) or None


def _raw_text(values: Varbinds, oid: Oid) -> str | None:
    """Text as the agent sent it (an empty sysName stays ""), None when absent."""
    return _cell_text(values, oid, strip=False)


def _cell_text(values: Varbinds, oid: Oid, *, strip: bool) -> str | None:
    value = values.get(oid)
    if value is None or isinstance(value, Missing):
        return None
    text = as_text(value, strip=strip)
    return None if isinstance(text, Problem) else text


def _first_mac(rows: Varbinds) -> str | None:
    for oid in sorted(rows):
        value = rows[oid]
        if isinstance(value, bytes):
            mac = normalise_mac(value)
            if mac:
                return mac
    return None


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

    macs, mac_errors = await walk_table(session, oids.IF_PHYS_ADDRESS, "ifTable", max_rows=64)
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
    serial = await _serial(session, system)
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


async def _safe(
    request: Awaitable[list[tuple[Oid, SnmpValue]]], table: str, errors: list[TableError]
) -> list[tuple[Oid, SnmpValue]] | None:
    try:
        return await request
    except SnmpError as exc:
        errors.append(TableError(table, str(exc)))
        return None


async def _serial(session: SnmpSession, system: Varbinds) -> str | None:
    """The first serial given: prtGeneralSerialNumber, the vendor OIDs, then ENTITY-MIB's
    chassis entry (a walk, so read only when nothing else answered)."""
    return next(
        (s for o in (oids.PRT_GENERAL_SERIAL, *oids.VENDOR_SERIALS)
         if (s := normalise_serial(_text(system, o)))),
        None,
    ) or await _entity_serial(session)  # fmt: skip


async def _entity_serial(session: SnmpSession) -> str | None:
    """entPhysicalSerialNum of the first chassis entry (ENTITY-MIB), for devices with no
    Printer-MIB or vendor serial. A missing or broken table just means no serial here."""
    classes, _ = await walk_table(
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
        rows, column_errors = await walk_table(
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
    answered = present(first)
    devices, decode_errors = decode_devices(answered, tuple(indices))
    return devices, answered, errors + decode_errors

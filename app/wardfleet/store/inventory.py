"""Devices, their identifiers, addresses and newest status (SQL only, no policy)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from wardfleet.domain.device import Device, DeviceOverview, ServiceEndpoint
from wardfleet.domain.identity import Identity, IdentityKey
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import DeviceStatus
from wardfleet.store.codec import status_from_json, status_to_json

# Columns a DEVICE_UPSERT change may carry; the identity fields flatten into the row.
SYNCED_FIELDS = (
    "name",
    "kind",
    "vendor",
    "model",
    "serial",
    "mac",
    "uuid",
    "address",
    "port",
    "location",
    "ward",
    "notes",
)

_DEVICE_COLUMNS = (
    "d.id, d.name, d.kind, d.vendor, d.model, d.serial, d.mac, d.uuid, d.address, d.port,"
    " d.location, d.ward, d.notes, d.state, d.first_seen, d.last_seen, d.is_new,"
    " d.possible_duplicate_of"
)


def device_fields(device: Device) -> dict[str, Any]:
    ident = device.identity
    return {
        "name": device.name,
        "kind": device.kind.value,
        "vendor": device.vendor,
        "model": device.model,
        "serial": ident.serial,
        "mac": ident.mac,
        "uuid": ident.uuid,
        "address": device.address,
        "port": device.port,
        "location": device.location,
        "ward": device.ward,
        "notes": device.notes,
    }


def insert_device(conn: sqlite3.Connection, device: Device, hlc: str) -> None:
    fields = device_fields(device)
    conn.execute(
        "INSERT INTO devices (id, name, kind, vendor, model, serial, mac, uuid, address, port,"
        " location, ward, notes, state, first_seen, last_seen, is_new, possible_duplicate_of,"
        " field_hlc) VALUES (:id, :name, :kind, :vendor, :model, :serial, :mac, :uuid, :address,"
        " :port, :location, :ward, :notes, :state, :first_seen, :last_seen, :is_new, :dup,"
        " :field_hlc)",
        {
            **fields,
            "id": device.id,
            "state": device.state.value,
            "first_seen": device.first_seen,
            "last_seen": device.last_seen,
            "is_new": int(device.is_new),
            "dup": device.possible_duplicate_of,
            "field_hlc": json.dumps(dict.fromkeys(fields, hlc)),
        },
    )
    link_identity(conn, device.id, device.identity.keys())


def update_fields(
    conn: sqlite3.Connection, device_id: str, fields: Mapping[str, Any], hlc: str
) -> None:
    """Set inventory fields and remember, per field, the HLC that set it (for LWW)."""
    unknown = set(fields) - set(SYNCED_FIELDS)
    if unknown:
        raise ValueError(f"not an inventory field: {sorted(unknown)}")
    if not fields:
        return
    row = conn.execute("SELECT field_hlc FROM devices WHERE id = ?", (device_id,)).fetchone()
    if row is None:
        raise KeyError(device_id)
    stamps: dict[str, str] = json.loads(row[0])
    stamps.update(dict.fromkeys(fields, hlc))
    assignments = ", ".join(f"{name} = :{name}" for name in fields)
    conn.execute(
        f"UPDATE devices SET {assignments}, field_hlc = :field_hlc WHERE id = :id",
        {**fields, "field_hlc": json.dumps(stamps), "id": device_id},
    )


def link_identity(conn: sqlite3.Connection, device_id: str, keys: Iterable[IdentityKey]) -> None:
    conn.executemany(
        "INSERT INTO device_identities (kind, value, device_id) VALUES (?, ?, ?)"
        " ON CONFLICT (kind, value) DO UPDATE SET device_id = excluded.device_id"
        " WHERE excluded.kind IN ('address', 'hostname')",
        [(k.kind.value, k.value, device_id) for k in keys],
    )


def find_by_keys(conn: sqlite3.Connection, keys: Iterable[IdentityKey]) -> dict[IdentityKey, str]:
    found: dict[IdentityKey, str] = {}
    for key in keys:
        row = conn.execute(
            "SELECT device_id FROM device_identities WHERE kind = ? AND value = ?",
            (key.kind.value, key.value),
        ).fetchone()
        if row:
            found[key] = str(row[0])
    return found


def touch(
    conn: sqlite3.Connection, device_id: str, *, address: str | None, protocol: str, ts: float
) -> None:
    """Remember that a protocol saw the device now, at this address."""
    conn.execute(
        "INSERT INTO device_protocols (device_id, protocol, last_seen) VALUES (?, ?, ?)"
        " ON CONFLICT (device_id, protocol) DO UPDATE SET last_seen = excluded.last_seen,"
        " gone_since = NULL",
        (device_id, protocol, ts),
    )
    if address:
        conn.execute(
            "INSERT INTO device_addresses (device_id, address, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (device_id, address)"
            " DO UPDATE SET last_seen = excluded.last_seen",
            (device_id, address, ts, ts),
        )
    conn.execute(
        "UPDATE devices SET last_seen = max(coalesce(last_seen, 0), ?) WHERE id = ?",
        (ts, device_id),
    )


def set_statuses(conn: sqlite3.Connection, results: Iterable[tuple[str, DeviceStatus]]) -> None:
    """Newest status of many devices; a device that did not answer keeps its last_seen."""
    batch = list(results)
    conn.executemany(
        "INSERT INTO device_status (device_id, polled_at, state, payload) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (device_id) DO UPDATE SET polled_at = excluded.polled_at,"
        " state = excluded.state, payload = excluded.payload",
        [(d, s.polled_at, s.state.value, status_to_json(s)) for d, s in batch],
    )
    conn.executemany(
        "UPDATE devices SET state = ?,"
        " last_seen = CASE WHEN ? THEN max(coalesce(last_seen, 0), ?) ELSE last_seen END"
        " WHERE id = ?",
        [(s.state.value, int(s.reachable), s.polled_at, d) for d, s in batch],
    )


def set_flags(
    conn: sqlite3.Connection,
    device_id: str,
    *,
    is_new: bool | None = None,
    possible_duplicate_of: str | None = None,
) -> None:
    if is_new is not None:
        conn.execute("UPDATE devices SET is_new = ? WHERE id = ?", (int(is_new), device_id))
    if possible_duplicate_of is not None:
        conn.execute(
            "UPDATE devices SET possible_duplicate_of = ? WHERE id = ?",
            (possible_duplicate_of, device_id),
        )


def _device_from_row(
    row: sqlite3.Row | tuple[Any, ...],
    protocols: dict[str, float],
    endpoints: tuple[ServiceEndpoint, ...] = (),
) -> Device:
    return Device(
        id=row[0],
        name=row[1],
        kind=DeviceKind(row[2]),
        vendor=row[3],
        model=row[4],
        identity=Identity(
            serial=row[5],
            vendor=(row[3] or "").casefold() or None,
            mac=row[6],
            uuid=row[7],
            address=row[8],
        ),
        address=row[8],
        port=row[9],
        location=row[10],
        ward=row[11],
        notes=row[12],
        state=DeviceState(row[13]),
        first_seen=row[14],
        last_seen=row[15],
        is_new=bool(row[16]),
        possible_duplicate_of=row[17],
        protocols=protocols,
        endpoints=endpoints,
    )


def set_endpoints(
    conn: sqlite3.Connection, device_id: str, endpoints: Iterable[ServiceEndpoint], ts: float
) -> None:
    """Remember where the device answers these services now (one per service)."""
    conn.executemany(
        "INSERT INTO device_endpoints (device_id, service, port, path, last_seen)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id, service) DO UPDATE SET"
        " port = excluded.port, path = excluded.path, last_seen = excluded.last_seen",
        [(device_id, e.service, e.port, e.path, ts) for e in endpoints],
    )


def _endpoints_by_device(
    conn: sqlite3.Connection, device_id: str | None = None
) -> dict[str, tuple[ServiceEndpoint, ...]]:
    query = "SELECT device_id, service, port, path FROM device_endpoints"
    if device_id is not None:
        rows = conn.execute(query + " WHERE device_id = ? ORDER BY service", (device_id,))
    else:
        rows = conn.execute(query + " ORDER BY service")
    out: dict[str, list[ServiceEndpoint]] = {}
    for owner, service, port, path in rows:
        out.setdefault(owner, []).append(ServiceEndpoint(str(service), int(port), str(path)))
    return {k: tuple(v) for k, v in out.items()}


def _protocols_by_device(conn: sqlite3.Connection) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for device_id, protocol, ts in conn.execute(
        "SELECT device_id, protocol, last_seen FROM device_protocols"
    ):
        out.setdefault(device_id, {})[protocol] = ts
    return out


def get_device(conn: sqlite3.Connection, device_id: str) -> Device | None:
    row = conn.execute(
        f"SELECT {_DEVICE_COLUMNS} FROM devices AS d WHERE d.id = ? AND d.deleted = 0",
        (device_id,),
    ).fetchone()
    if row is None:
        return None
    protocols = {
        p: ts
        for p, ts in conn.execute(
            "SELECT protocol, last_seen FROM device_protocols WHERE device_id = ?", (device_id,)
        )
    }
    endpoints = _endpoints_by_device(conn, device_id).get(device_id, ())
    return _device_from_row(row, protocols, endpoints)


def list_overview(conn: sqlite3.Connection) -> list[DeviceOverview]:
    protocols = _protocols_by_device(conn)
    endpoints = _endpoints_by_device(conn)
    rows = conn.execute(
        f"SELECT {_DEVICE_COLUMNS}, s.payload FROM devices AS d"
        " LEFT JOIN device_status AS s ON s.device_id = d.id"
        " WHERE d.deleted = 0 ORDER BY d.name, d.id"
    ).fetchall()
    return [
        DeviceOverview(
            device=_device_from_row(row, protocols.get(row[0], {}), endpoints.get(row[0], ())),
            status=status_from_json(row[18]) if row[18] else None,
        )
        for row in rows
    ]


def list_devices(conn: sqlite3.Connection) -> list[Device]:
    protocols = _protocols_by_device(conn)
    endpoints = _endpoints_by_device(conn)
    rows = conn.execute(
        f"SELECT {_DEVICE_COLUMNS} FROM devices AS d WHERE d.deleted = 0"
    ).fetchall()
    return [
        _device_from_row(row, protocols.get(row[0], {}), endpoints.get(row[0], ())) for row in rows
    ]


def address_history(conn: sqlite3.Connection, device_id: str) -> list[tuple[str, float, float]]:
    return [
        (str(a), float(f), float(last))
        for a, f, last in conn.execute(
            "SELECT address, first_seen, last_seen FROM device_addresses WHERE device_id = ?"
            " ORDER BY last_seen DESC",
            (device_id,),
        )
    ]


def absorb_device(conn: sqlite3.Connection, target_id: str, absorbed_id: str) -> None:
    """Move everything known of ``absorbed_id`` onto ``target_id`` and tombstone it."""
    conn.execute(
        "UPDATE device_identities SET device_id = ? WHERE device_id = ?", (target_id, absorbed_id)
    )
    conn.execute(
        "INSERT INTO device_addresses (device_id, address, first_seen, last_seen)"
        " SELECT ?, address, first_seen, last_seen FROM device_addresses WHERE device_id = ?"
        " ON CONFLICT (device_id, address) DO UPDATE SET"
        " first_seen = min(first_seen, excluded.first_seen),"
        " last_seen = max(last_seen, excluded.last_seen)",
        (target_id, absorbed_id),
    )
    conn.execute(
        "INSERT INTO device_protocols (device_id, protocol, last_seen, gone_since)"
        " SELECT ?, protocol, last_seen, gone_since FROM device_protocols WHERE device_id = ?"
        " ON CONFLICT (device_id, protocol) DO UPDATE SET"
        " last_seen = max(last_seen, excluded.last_seen),"
        # Still seen through either record: still seen.
        " gone_since = CASE WHEN gone_since IS NULL OR excluded.gone_since IS NULL THEN NULL"
        " ELSE max(gone_since, excluded.gone_since) END",
        (target_id, absorbed_id),
    )
    conn.execute(
        "INSERT OR IGNORE INTO device_endpoints (device_id, service, port, path, last_seen)"
        " SELECT ?, service, port, path, last_seen FROM device_endpoints WHERE device_id = ?",
        (target_id, absorbed_id),
    )
    for table in ("samples", "rollups_5m", "rollups_1d", "alerts"):
        conn.execute(
            f"UPDATE OR IGNORE {table} SET device_id = ? WHERE device_id = ?",
            (target_id, absorbed_id),
        )
    conn.execute(
        "INSERT OR IGNORE INTO device_status (device_id, polled_at, state, payload)"
        " SELECT ?, polled_at, state, payload FROM device_status WHERE device_id = ?",
        (target_id, absorbed_id),
    )
    for table in (
        "device_addresses", "device_protocols", "device_status", "samples", "device_endpoints"
    ):  # fmt: skip
        conn.execute(f"DELETE FROM {table} WHERE device_id = ?", (absorbed_id,))
    conn.execute("UPDATE devices SET deleted = 1 WHERE id = ?", (absorbed_id,))


def mark_protocol_gone(conn: sqlite3.Connection, device_id: str, protocol: str, ts: float) -> bool:
    """Note that ``protocol`` stopped seeing the device at ``ts`` (kept until it is seen
    again, which ``touch`` clears). False when it was not seen that way, or already gone."""
    cursor = conn.execute(
        "UPDATE device_protocols SET gone_since = ?"
        " WHERE device_id = ? AND protocol = ? AND gone_since IS NULL",
        (ts, device_id, protocol),
    )
    return cursor.rowcount > 0


def protocol_presence(
    conn: sqlite3.Connection, device_id: str
) -> dict[str, tuple[float, float | None]]:
    """protocol -> (last seen, gone since or None while still seen)."""
    return {
        str(p): (float(seen), None if gone is None else float(gone))
        for p, seen, gone in conn.execute(
            "SELECT protocol, last_seen, gone_since FROM device_protocols WHERE device_id = ?",
            (device_id,),
        )
    }


def device_for_keys(conn: sqlite3.Connection, keys: Iterable[IdentityKey]) -> str | None:
    """The live device the first known key (callers pass strongest first) points at."""
    for key in keys:
        row = conn.execute(
            "SELECT i.device_id FROM device_identities AS i JOIN devices AS d"
            " ON d.id = i.device_id WHERE i.kind = ? AND i.value = ? AND d.deleted = 0",
            (key.kind.value, key.value),
        ).fetchone()
        if row:
            return str(row[0])
    return None

"""Applying changes pulled from the hub (SQL and merge rules; the caller owns the transaction).

- Own changes are recognised by op_id (they are in the outbox) and skipped.
- Every other change is applied once, by op_id (``remote_changes``).
- Inventory fields: last-writer-wins per field by hlc (the encoded text sorts like the
  timestamp); the losing value goes into ``conflicts``.
- Deletes are tombstones, and final: an older or newer edit of a deleted device updates
  its fields but never revives it, so any order of arrival ends in the same state.
- Append-only kinds keep their payload; diagnostic requests are queued to run once.
- The local clock observes every remote timestamp, so later local edits order after it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from wardfleet.domain.change import APPEND_ONLY, Change, ChangeKind
from wardfleet.domain.hlc import HybridLogicalClock, Timestamp
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind
from wardfleet.store import inventory, profiles

CURSOR_KEY = "pull_cursor"
_HLC_KEY = "hlc_last"  # the outbox's high-water mark of this node's clock
_KINDS = {k.value for k in DeviceKind}


@dataclass(frozen=True, slots=True)
class RemoteApplied:
    applied: int  # changes applied by this call
    own: int  # this desktop's own changes, recognised by op_id
    duplicates: int  # applied before (a page fetched twice)
    conflicts: int  # losing values recorded
    device_ids: tuple[str, ...]  # devices whose inventory changed, for the UI
    diagnostics: int  # diagnostic requests queued


@dataclass(slots=True)
class _Tally:
    applied: int = 0
    own: int = 0
    duplicates: int = 0
    conflicts: int = 0
    diagnostics: int = 0
    devices: dict[str, None] = field(default_factory=dict)  # ordered set


@dataclass(frozen=True, slots=True)
class DiagnosticRequest:
    op_id: str
    device_id: str
    action: str
    note: str | None
    requested_by: str
    received_at: float


def read_cursor(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (CURSOR_KEY,)).fetchone()
    return int(row[0]) if row else 0


def apply(
    conn: sqlite3.Connection,
    clock: HybridLogicalClock,
    changes: Sequence[Change],
    cursor: int,
) -> RemoteApplied:
    """Apply one pulled page and store ``cursor`` with it, in the caller's transaction:
    a crash before the commit loses both, so the page is simply pulled again."""
    now = time.time()
    op_ids = [c.op_id for c in changes]
    own = _existing(conn, "SELECT op_id FROM outbox WHERE op_id IN ({})", op_ids)
    seen = _existing(conn, "SELECT op_id FROM remote_changes WHERE op_id IN ({})", op_ids)
    tally = _Tally()
    for change in changes:
        if change.op_id in own:
            tally.own += 1
            continue
        if change.op_id in seen:
            tally.duplicates += 1
            continue
        seen.add(change.op_id)
        try:
            clock.observe(Timestamp.decode(change.hlc))
        except ValueError:
            continue  # the hub checks hlcs; a malformed one cannot be ordered, so skip it
        _apply_one(conn, change, now, tally)
        keep = change.kind in APPEND_ONLY
        conn.execute(
            "INSERT INTO remote_changes (op_id, node_id, hlc, kind, entity, payload, applied_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                change.op_id,
                change.node_id,
                change.hlc,
                change.kind.value,
                change.entity,
                json.dumps(change.payload, sort_keys=True) if keep else None,
                now,
            ),
        )
        tally.applied += 1
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)",
        [(_HLC_KEY, clock.last.encode())],
    )
    conn.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (CURSOR_KEY, str(cursor)),
    )
    return RemoteApplied(
        applied=tally.applied,
        own=tally.own,
        duplicates=tally.duplicates,
        conflicts=tally.conflicts,
        device_ids=tuple(tally.devices),
        diagnostics=tally.diagnostics,
    )


def _existing(conn: sqlite3.Connection, query: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), 500):  # stay under SQLite's variable limit
        chunk = values[start : start + 500]
        found.update(r[0] for r in conn.execute(query.format(",".join("?" * len(chunk))), chunk))
    return found


def _apply_one(conn: sqlite3.Connection, change: Change, now: float, tally: _Tally) -> None:
    if change.kind is ChangeKind.DEVICE_UPSERT:
        fields = change.payload.get("fields")
        if isinstance(fields, dict):
            tally.conflicts += _upsert(conn, change.entity, fields, change.hlc, now)
            tally.devices[change.entity] = None
    elif change.kind is ChangeKind.DEVICE_DELETE:
        merged_into = change.payload.get("merged_into")
        _delete(conn, change.entity, merged_into if isinstance(merged_into, str) else None)
        tally.devices[change.entity] = None
    elif change.kind in (ChangeKind.PROFILE_UPSERT, ChangeKind.PROFILE_ASSIGN):
        profiles.apply_remote(conn, change)
    elif change.kind is ChangeKind.DIAGNOSTIC_REQUEST:
        note = change.payload.get("note")
        conn.execute(
            "INSERT OR IGNORE INTO diagnostic_requests"
            " (op_id, device_id, action, note, requested_by, hlc, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                change.op_id,
                change.entity,
                str(change.payload.get("action", "")),
                note if isinstance(note, str) else None,
                change.node_id,
                change.hlc,
                now,
            ),
        )
        tally.diagnostics += 1


def _upsert(
    conn: sqlite3.Connection, device_id: str, raw: dict[str, Any], hlc: str, now: float
) -> int:
    """Merge remote fields into one device; returns how many losing values were kept."""
    fields = {k: v for k, v in raw.items() if k in inventory.SYNCED_FIELDS}
    if "kind" in fields and fields["kind"] not in _KINDS:
        fields["kind"] = DeviceKind.OTHER.value  # a kind from a newer desktop
    columns = ", ".join(inventory.SYNCED_FIELDS)
    row = conn.execute(
        f"SELECT field_hlc, {columns} FROM devices WHERE id = ?", (device_id,)
    ).fetchone()
    if row is None:
        values = {"name": "", "kind": DeviceKind.OTHER.value, **fields}
        names = ", ".join(values)
        conn.execute(
            f"INSERT INTO devices (id, {names}, field_hlc, is_new)"
            f" VALUES (:id, {', '.join(':' + n for n in values)}, :field_hlc, 1)",
            {**values, "id": device_id, "field_hlc": json.dumps(dict.fromkeys(fields, hlc))},
        )
        _link(conn, device_id, values)
        return 0
    stamps: dict[str, str] = json.loads(row[0])
    current = dict(zip(inventory.SYNCED_FIELDS, row[1:], strict=True))
    winners: dict[str, Any] = {}
    losers: list[tuple[str, Any, str, str]] = []
    for name, value in fields.items():
        held = stamps.get(name, "")
        if hlc > held:
            if held and current[name] not in (None, "", value):
                losers.append((name, current[name], held, hlc))
            winners[name] = value
            stamps[name] = hlc
        elif value not in (None, "", current[name]):  # an empty value loses nothing
            losers.append((name, value, hlc, held))
    if winners:
        assignments = ", ".join(f"{n} = :{n}" for n in winners)
        conn.execute(
            f"UPDATE devices SET {assignments}, field_hlc = :field_hlc WHERE id = :id",
            {**winners, "field_hlc": json.dumps(stamps), "id": device_id},
        )
        _link(conn, device_id, {**current, **winners})
    conn.executemany(
        "INSERT INTO conflicts (entity, field, losing_value, losing_hlc, winning_hlc,"
        " recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(device_id, n, json.dumps(v), lose, win, now) for n, v, lose, win in losers],
    )
    return len(losers)


def _link(conn: sqlite3.Connection, device_id: str, values: dict[str, Any]) -> None:
    """Let local discovery re-find a device another desktop reported (strong keys only:
    an address proves nothing, and an existing link is never taken over)."""
    identity = Identity.of(
        serial=values.get("serial"),
        vendor=values.get("vendor"),
        mac=values.get("mac"),
        uuid=values.get("uuid"),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO device_identities (kind, value, device_id) VALUES (?, ?, ?)",
        [(k.kind.value, k.value, device_id) for k in identity.strong_keys()],
    )


def _delete(conn: sqlite3.Connection, device_id: str, merged_into: str | None) -> None:
    row = conn.execute("SELECT deleted FROM devices WHERE id = ?", (device_id,)).fetchone()
    if row is None:
        # A tombstone for a device not seen yet: its creation may still arrive and must
        # land on a deleted record.
        conn.execute(
            "INSERT INTO devices (id, name, kind, deleted, is_new) VALUES (?, '', ?, 1, 0)",
            (device_id, DeviceKind.OTHER.value),
        )
        return
    if row[0]:
        return
    target = (
        conn.execute(
            "SELECT 1 FROM devices WHERE id = ? AND deleted = 0", (merged_into,)
        ).fetchone()
        if merged_into and merged_into != device_id
        else None
    )
    if target is not None:
        assert merged_into is not None
        # Another desktop proved the two one device: move what this desktop knows too.
        inventory.absorb_device(conn, merged_into, device_id)
    else:
        conn.execute("UPDATE devices SET deleted = 1 WHERE id = ?", (device_id,))


def pending_diagnostics(conn: sqlite3.Connection) -> list[DiagnosticRequest]:
    return [
        DiagnosticRequest(*row)
        for row in conn.execute(
            "SELECT op_id, device_id, action, note, requested_by, received_at"
            " FROM diagnostic_requests WHERE started_at IS NULL ORDER BY received_at, op_id"
        )
    ]


def claim_diagnostic(conn: sqlite3.Connection, op_id: str) -> bool:
    """Mark a request started; False if it already was (it runs at most once)."""
    cur = conn.execute(
        "UPDATE diagnostic_requests SET started_at = ? WHERE op_id = ? AND started_at IS NULL",
        (time.time(), op_id),
    )
    return cur.rowcount == 1


def finish_diagnostic(conn: sqlite3.Connection, op_id: str, result: str) -> None:
    conn.execute(
        "UPDATE diagnostic_requests SET finished_at = ?, result = ? WHERE op_id = ?",
        (time.time(), result, op_id),
    )


def requeue_from(conn: sqlite3.Connection, seq: int) -> int:
    """Send again every change from ``seq`` on (after a hub was restored from a backup and
    asks for a seq this desktop already saw acknowledged). Returns rows requeued."""
    return conn.execute(
        "UPDATE outbox SET sent_at = NULL WHERE seq >= ? AND sent_at IS NOT NULL", (seq,)
    ).rowcount


@dataclass(frozen=True, slots=True)
class Conflict:
    entity: str
    field: str
    losing_value: Any
    losing_hlc: str
    winning_hlc: str
    recorded_at: float


def list_conflicts(conn: sqlite3.Connection, limit: int = 200) -> list[Conflict]:
    return [
        Conflict(entity, name, json.loads(value) if value is not None else None, lose, win, ts)
        for entity, name, value, lose, win, ts in conn.execute(
            "SELECT entity, field, losing_value, losing_hlc, winning_hlc, recorded_at"
            " FROM conflicts ORDER BY id DESC LIMIT ?",
            (limit,),
        )
    ]


def remote_payloads(
    conn: sqlite3.Connection, kinds: Iterable[ChangeKind]
) -> list[tuple[str, ChangeKind, dict[str, Any]]]:
    """Append-only changes pulled from other desktops: (entity, kind, payload)."""
    wanted = [k.value for k in kinds]
    rows = conn.execute(
        f"SELECT entity, kind, payload FROM remote_changes WHERE payload IS NOT NULL"
        f" AND kind IN ({','.join('?' * len(wanted))}) ORDER BY rowid",
        wanted,
    )
    return [(e, ChangeKind(k), json.loads(p)) for e, k, p in rows]

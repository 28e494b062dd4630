"""Configuration profiles: named sets of desired settings, and who follows which.

A profile's settings are ``(key, value)`` pairs in the order they are applied; keys are
``services.deploy`` setting keys (``name``, ``location``, ``contact``, ``ipp:location``,
``ipp:info``) or ``expert`` with an ``OID = type:value`` entry as the value. The store
keeps them as data; ``services.profiles`` gives them meaning.

Profiles and assignments are synced: each write emits its outbox row in the same
transaction, and a pulled one is applied last-writer-wins by ``hlc`` (``apply_remote``).
An assignment targets ``device:<id>`` or ``ward:<name>``; a device's own assignment wins
over its ward's.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wardfleet.domain.change import Change, ChangeKind
from wardfleet.domain.device import Device

if TYPE_CHECKING:  # store.store imports remote, which applies pulled profiles from here
    from wardfleet.store.store import Store, Tx


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    name: str
    device_kind: str | None  # DeviceKind value; None: any kind
    settings: tuple[tuple[str, str], ...]


def device_target(device_id: str) -> str:
    return f"device:{device_id}"


def ward_target(ward: str) -> str:
    return f"ward:{ward}"


def _payload(profile: Profile, deleted: bool = False) -> dict[str, Any]:
    return {
        "id": profile.id,
        "name": profile.name,
        "device_kind": profile.device_kind,
        "settings": [list(pair) for pair in profile.settings],
        "deleted": deleted,
    }


def _write_profile(conn: sqlite3.Connection, payload: dict[str, Any], hlc: str) -> bool:
    row = conn.execute("SELECT hlc FROM profiles WHERE id = ?", (payload["id"],)).fetchone()
    if row is not None and row[0] >= hlc:
        return False  # ours is newer (or the same change again)
    conn.execute(
        "INSERT INTO profiles (id, name, device_kind, settings, hlc, deleted)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
        " device_kind = excluded.device_kind, settings = excluded.settings,"
        " hlc = excluded.hlc, deleted = excluded.deleted",
        (
            payload["id"],
            str(payload["name"]),
            payload.get("device_kind"),
            json.dumps(payload["settings"], ensure_ascii=False),
            hlc,
            int(bool(payload.get("deleted"))),
        ),
    )
    return True


def _write_assignment(conn: sqlite3.Connection, target: str, profile_id: Any, hlc: str) -> bool:
    row = conn.execute("SELECT hlc FROM profile_assignments WHERE target = ?", (target,)).fetchone()
    if row is not None and row[0] >= hlc:
        return False
    conn.execute(
        "INSERT INTO profile_assignments (target, profile_id, hlc) VALUES (?, ?, ?)"
        " ON CONFLICT (target) DO UPDATE SET profile_id = excluded.profile_id,"
        " hlc = excluded.hlc",
        (target, profile_id if isinstance(profile_id, str) else None, hlc),
    )
    return True


def save(tx: Tx, profile: Profile, *, deleted: bool = False) -> Change:
    payload = _payload(profile, deleted)
    change = tx.emit(ChangeKind.PROFILE_UPSERT, f"profile:{profile.id}", payload)
    _write_profile(tx.conn, payload, change.hlc)
    return change


def new_profile(
    name: str, settings: list[tuple[str, str]], device_kind: str | None = None
) -> Profile:
    return Profile(str(uuid.uuid4()), name, device_kind, tuple(settings))


def assign(tx: Tx, target: str, profile_id: str | None) -> Change:
    """Make ``target`` (``device_target``/``ward_target``) follow a profile (None: none)."""
    change = tx.emit(
        ChangeKind.PROFILE_ASSIGN, f"assign:{target}", {"target": target, "profile_id": profile_id}
    )
    _write_assignment(tx.conn, target, profile_id, change.hlc)
    return change


def apply_remote(conn: sqlite3.Connection, change: Change) -> bool:
    """A pulled profile change, last-writer-wins by hlc; False when ours is newer."""
    payload = change.payload
    if change.kind is ChangeKind.PROFILE_UPSERT:
        if not isinstance(payload.get("id"), str) or not isinstance(payload.get("settings"), list):
            return False
        return _write_profile(conn, payload, change.hlc)
    if change.kind is ChangeKind.PROFILE_ASSIGN and isinstance(payload.get("target"), str):
        return _write_assignment(conn, payload["target"], payload.get("profile_id"), change.hlc)
    return False


def _row(row: sqlite3.Row | tuple[Any, ...]) -> Profile:
    settings = json.loads(row[3])
    return Profile(str(row[0]), str(row[1]), row[2], tuple((str(k), str(v)) for k, v in settings))


def list_profiles(store: Store) -> list[Profile]:
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT id, name, device_kind, settings FROM profiles WHERE deleted = 0 ORDER BY name"
        ).fetchall()
    return [_row(r) for r in rows]


def get_profile(store: Store, profile_id: str) -> Profile | None:
    with store.reading() as conn:
        row = conn.execute(
            "SELECT id, name, device_kind, settings FROM profiles WHERE id = ? AND deleted = 0",
            (profile_id,),
        ).fetchone()
    return _row(row) if row else None


def profile_for(store: Store, device: Device) -> Profile | None:
    """The profile ``device`` follows: its own assignment, else its ward's; only when the
    profile is for the device's kind (or any kind)."""
    targets = [device_target(device.id)]
    if device.ward:
        targets.append(ward_target(device.ward))
    with store.reading() as conn:
        for target in targets:
            row = conn.execute(
                "SELECT profile_id FROM profile_assignments WHERE target = ?", (target,)
            ).fetchone()
            if row is None:
                continue
            if row[0] is None:
                return None  # explicitly unassigned: the ward's does not apply
            found = conn.execute(
                "SELECT id, name, device_kind, settings FROM profiles WHERE id = ? AND deleted = 0",
                (row[0],),
            ).fetchone()
            if found is None:
                return None
            profile = _row(found)
            if profile.device_kind in (None, device.kind.value):
                return profile
            return None
    return None

"""Configuration profiles: named sets of desired settings, and who follows which.

A profile's settings are ``(key, value)`` pairs in the order they are applied; keys are
``services.deploy`` setting keys (``name``, ``location``, ``contact``, ``ipp:location``,
``ipp:info``) or ``expert`` with an ``OID = type:value`` entry as the value. The store
keeps them as data; ``services.profiles`` gives them meaning.

Profiles and assignments are synced: each write emits its outbox row in the same
transaction, and a pulled one is applied last-writer-wins by ``hlc`` (``apply_remote``).
An assignment targets ``device:<id>`` or ``ward:<name>``; a device's own assignment wins
over its ward's.

``print_queue`` asks each workstation to set up a print queue for the profile's printers.
Payloads from before the flag existed have no ``print_queue`` key and read as False.

Local edits given an ``actor`` also write a ``profile.*`` audit entry in the same
transaction (create, change, delete, assign); pulled changes are not audited again here:
their author's audit entry arrives by sync.
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
    print_queue: bool = False  # deploy a print queue on each workstation


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
        "print_queue": profile.print_queue,
        "deleted": deleted,
    }


def _write_profile(conn: sqlite3.Connection, payload: dict[str, Any], hlc: str) -> bool:
    row = conn.execute("SELECT hlc FROM profiles WHERE id = ?", (payload["id"],)).fetchone()
    if row is not None and row[0] >= hlc:
        return False  # ours is newer (or the same change again)
    conn.execute(
        "INSERT INTO profiles (id, name, device_kind, settings, hlc, deleted, print_queue)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
        " device_kind = excluded.device_kind, settings = excluded.settings,"
        " hlc = excluded.hlc, deleted = excluded.deleted, print_queue = excluded.print_queue",
        (
            payload["id"],
            str(payload["name"]),
            payload.get("device_kind"),
            json.dumps(payload["settings"], ensure_ascii=False),
            hlc,
            int(bool(payload.get("deleted"))),
            int(payload.get("print_queue") is True),
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


_DONE = {"profile.create": "created", "profile.change": "changed", "profile.delete": "deleted"}


def _summary(profile: Profile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "name": profile.name,
        "device_kind": profile.device_kind,
        "settings": [list(pair) for pair in profile.settings],
        "print_queue": profile.print_queue,
    }


def save(tx: Tx, profile: Profile, *, deleted: bool = False, actor: str | None = None) -> Change:
    """Write ``profile`` (or its tombstone); with ``actor``, audit it in the same tx."""
    before = _read(tx.conn, profile.id) if actor is not None else None
    payload = _payload(profile, deleted)
    change = tx.emit(ChangeKind.PROFILE_UPSERT, f"profile:{profile.id}", payload)
    _write_profile(tx.conn, payload, change.hlc)
    if actor is not None:
        action = "profile.delete" if deleted else "profile.change" if before else "profile.create"
        tx.audit(
            actor=actor,
            action=action,
            device_id=None,
            before=_summary(before),
            after=None if deleted else _summary(profile),
            result=f"{_DONE[action]} {profile.name!r}",
        )
    return change


def new_profile(
    name: str,
    settings: list[tuple[str, str]],
    device_kind: str | None = None,
    *,
    print_queue: bool = False,
) -> Profile:
    return Profile(str(uuid.uuid4()), name, device_kind, tuple(settings), print_queue)


def assign(tx: Tx, target: str, profile_id: str | None, *, actor: str | None = None) -> Change:
    """Make ``target`` (``device_target``/``ward_target``) follow a profile (None: none);
    with ``actor``, audit it in the same transaction."""
    old = tx.conn.execute(
        "SELECT profile_id FROM profile_assignments WHERE target = ?", (target,)
    ).fetchone()
    change = tx.emit(
        ChangeKind.PROFILE_ASSIGN, f"assign:{target}", {"target": target, "profile_id": profile_id}
    )
    _write_assignment(tx.conn, target, profile_id, change.hlc)
    if actor is not None:
        profile = _read(tx.conn, profile_id) if profile_id else None
        tx.audit(
            actor=actor,
            action="profile.assign",
            device_id=target.removeprefix("device:") if target.startswith("device:") else None,
            before={"target": target, "profile_id": old[0] if old else None},
            after={"target": target, "profile_id": profile_id},
            result=f"{target} follows {profile.name!r}" if profile else f"{target} follows none",
        )
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


_COLUMNS = "id, name, device_kind, settings, print_queue"


def _row(row: sqlite3.Row | tuple[Any, ...]) -> Profile:
    settings = json.loads(row[3])
    pairs = tuple((str(k), str(v)) for k, v in settings)
    return Profile(str(row[0]), str(row[1]), row[2], pairs, bool(row[4]))


def _read(conn: sqlite3.Connection, profile_id: str) -> Profile | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM profiles WHERE id = ? AND deleted = 0", (profile_id,)
    ).fetchone()
    return _row(row) if row else None


def list_profiles(store: Store) -> list[Profile]:
    with store.reading() as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM profiles WHERE deleted = 0 ORDER BY name"
        ).fetchall()
    return [_row(r) for r in rows]


def get_profile(store: Store, profile_id: str) -> Profile | None:
    with store.reading() as conn:
        return _read(conn, profile_id)


def find_profile(store: Store, name: str) -> Profile | None:
    """The live profile called ``name`` (names are what people and the CLI use)."""
    with store.reading() as conn:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM profiles WHERE name = ? AND deleted = 0 ORDER BY id",
            (name,),
        ).fetchone()
    return _row(row) if row else None


def assignments(store: Store) -> dict[str, str]:
    """Every target that follows a profile: target → profile id (unassigned left out)."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT target, profile_id FROM profile_assignments"
            " WHERE profile_id IS NOT NULL ORDER BY target"
        ).fetchall()
    return {str(t): str(p) for t, p in rows}


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
            profile = _read(conn, row[0])
            if profile is None:
                return None
            if profile.device_kind in (None, device.kind.value):
                return profile
            return None
    return None

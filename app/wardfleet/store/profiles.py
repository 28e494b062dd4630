"""Configuration profiles: named sets of desired settings, and who follows which.

A profile's settings are ``(key, value)`` pairs in the order they are applied; keys are
``services.deploy`` setting keys (``name``, ``location``, ``contact``, ``ipp:location``,
``ipp:info``) or ``expert`` with an ``OID = type:value`` entry as the value. The store
keeps them as data; ``services.profiles`` gives them meaning.

Profiles and assignments are synced: each write emits its outbox row in the same
transaction, and a pulled one is applied last-writer-wins by ``hlc`` (``apply_remote``).
An assignment targets ``device:<id>`` or ``ward:<name>`` and says one of three things:
- a profile id: the target follows that profile (a device's own beats its ward's);
- ``None`` (``assign(..., None)``): explicitly no profile, even if the ward has one;
- removed (``inherit``): no assignment of its own, so a device follows its ward again.
  It travels as a tombstone (``"deleted": true`` with ``profile_id`` null) and is kept
  with its hlc, so an older assignment pulled later loses. Desktops from before it read
  the payload as ``None`` (no profile): they enforce nothing, the safe side.
An assignment whose profile is deleted (or not known here) has lapsed: it counts as
removed, so the device follows its ward again, in every order of arrival.

``print_queue`` asks each workstation to set up a print queue for the profile's printers.
Payloads from before the flag existed have no ``print_queue`` key and read as False.

Local edits given an ``actor`` also write a ``profile.*`` audit entry in the same
transaction (create, change, delete, assign); pulled changes are not audited again here:
their author's audit entry arrives by sync.
"""

from __future__ import annotations

import enum
import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

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


class Inherit(enum.Enum):
    """A target with no assignment of its own: a device follows its ward's profile."""

    INHERIT = "inherit"


INHERIT = Inherit.INHERIT
# What a target's own assignment says: a profile id, None (explicitly none) or INHERIT.
Own = str | None | Literal[Inherit.INHERIT]


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


def _write_assignment(
    conn: sqlite3.Connection, target: str, profile_id: Any, hlc: str, deleted: bool = False
) -> bool:
    row = conn.execute("SELECT hlc FROM profile_assignments WHERE target = ?", (target,)).fetchone()
    if row is not None and row[0] >= hlc:
        return False
    conn.execute(
        "INSERT INTO profile_assignments (target, profile_id, hlc, deleted) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (target) DO UPDATE SET profile_id = excluded.profile_id,"
        " hlc = excluded.hlc, deleted = excluded.deleted",
        (target, None if deleted or not isinstance(profile_id, str) else profile_id, hlc,
         int(deleted)),
    )  # fmt: skip
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
    """Write ``profile`` (or its tombstone); with ``actor``, audit it in the same tx.
    Deleting a profile lets its assignments lapse (devices follow their ward again): the
    audit entry names them; they are not rewritten, so assignments to it that arrive
    later lapse the same way."""
    before = _read(tx.conn, profile.id) if actor is not None else None
    payload = _payload(profile, deleted)
    change = tx.emit(ChangeKind.PROFILE_UPSERT, f"profile:{profile.id}", payload)
    _write_profile(tx.conn, payload, change.hlc)
    if actor is not None:
        action = "profile.delete" if deleted else "profile.change" if before else "profile.create"
        lapsed = _targets_of(tx.conn, profile.id) if deleted else []
        tx.audit(
            actor=actor,
            action=action,
            device_id=None,
            before=_summary(before),
            after=({"lapsed": lapsed} if lapsed else None) if deleted else _summary(profile),
            result=f"{_DONE[action]} {profile.name!r}"
            + (f"; {len(lapsed)} assignment(s) lapse" if lapsed else ""),
        )
    return change


def _targets_of(conn: sqlite3.Connection, profile_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT target FROM profile_assignments WHERE profile_id = ? AND deleted = 0"
        " ORDER BY target",
        (profile_id,),
    ).fetchall()
    return [str(r[0]) for r in rows]


def new_profile(
    name: str,
    settings: list[tuple[str, str]],
    device_kind: str | None = None,
    *,
    print_queue: bool = False,
) -> Profile:
    return Profile(str(uuid.uuid4()), name, device_kind, tuple(settings), print_queue)


def assign(tx: Tx, target: str, profile_id: str | None, *, actor: str | None = None) -> Change:
    """Make ``target`` (``device_target``/``ward_target``) follow a profile; None opts it
    out explicitly (a device then ignores its ward's; to follow the ward use ``inherit``).
    With ``actor``, audit it in the same transaction."""
    old = _assignment_row(tx.conn, target)
    change = tx.emit(
        ChangeKind.PROFILE_ASSIGN, f"assign:{target}", {"target": target, "profile_id": profile_id}
    )
    _write_assignment(tx.conn, target, profile_id, change.hlc)
    if actor is not None:
        profile = _read(tx.conn, profile_id) if profile_id else None
        tx.audit(
            actor=actor,
            action="profile.assign",
            device_id=_device_of(target),
            before=_state(target, old),
            after={"target": target, "profile_id": profile_id},
            result=f"{target} follows {profile.name!r}" if profile else f"{target} follows none",
        )
    return change


def _assignment_row(conn: sqlite3.Connection, target: str) -> tuple[Any, ...] | None:
    """``target``'s own assignment row: (profile_id, deleted), or None."""
    row = conn.execute(
        "SELECT profile_id, deleted FROM profile_assignments WHERE target = ?", (target,)
    ).fetchone()
    return None if row is None else tuple(row)


def _device_of(target: str) -> str | None:
    """The device id of a ``device:<id>`` target (the audit log's device column)."""
    return target.removeprefix("device:") if target.startswith("device:") else None


def _state(target: str, row: tuple[Any, ...] | None) -> dict[str, Any]:
    """An assignment row (profile_id, deleted) for the audit log; none or removed is
    marked ``inherit``."""
    if row is None or row[1]:
        return {"target": target, "profile_id": None, "inherit": True}
    return {"target": target, "profile_id": row[0]}


def inherit(tx: Tx, target: str, *, actor: str | None = None) -> Change:
    """Remove ``target``'s own assignment (a synced tombstone): a device follows its
    ward's profile again. Not the same as ``assign(tx, target, None)``, which opts out.
    With ``actor``, audit it in the same transaction."""
    old = _assignment_row(tx.conn, target)
    change = tx.emit(
        ChangeKind.PROFILE_ASSIGN,
        f"assign:{target}",
        {"target": target, "profile_id": None, "deleted": True},
    )
    _write_assignment(tx.conn, target, None, change.hlc, deleted=True)
    if actor is not None:
        tx.audit(
            actor=actor,
            action="profile.assign",
            device_id=_device_of(target),
            before=_state(target, old),
            after=_state(target, None),
            result=f"{target} follows its ward"
            if target.startswith("device:")
            else f"{target}: assignment removed",
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
        deleted = payload.get("deleted") is True  # absent in payloads from before V9
        return _write_assignment(
            conn, payload["target"], payload.get("profile_id"), change.hlc, deleted
        )
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
    """Every target that follows a live profile: target → profile id (explicit "none",
    removed and lapsed assignments left out)."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT a.target, a.profile_id FROM profile_assignments AS a"
            " JOIN profiles AS p ON p.id = a.profile_id AND p.deleted = 0"
            " WHERE a.deleted = 0 ORDER BY a.target"
        ).fetchall()
    return {str(t): str(p) for t, p in rows}


def opted_out(store: Store) -> set[str]:
    """Targets explicitly assigned no profile (a device here ignores its ward's)."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT target FROM profile_assignments WHERE profile_id IS NULL AND deleted = 0"
        ).fetchall()
    return {str(r[0]) for r in rows}


def _own(conn: sqlite3.Connection, target: str) -> tuple[Own, Profile | None]:
    row = _assignment_row(conn, target)
    if row is None or row[1]:
        return INHERIT, None  # none of its own, or removed
    if row[0] is None:
        return None, None  # explicitly none
    profile = _read(conn, row[0])
    if profile is None:
        return INHERIT, None  # its profile was deleted (or is unknown): it lapsed
    return profile.id, profile


def assignment_of(store: Store, target: str) -> Own:
    """What ``target``'s own assignment says: a live profile's id, None (explicitly none)
    or INHERIT (none of its own, removed, or lapsed with its deleted profile)."""
    with store.reading() as conn:
        return _own(conn, target)[0]


def profile_for(store: Store, device: Device) -> Profile | None:
    """The profile ``device`` follows: its own assignment, else (none of its own, removed
    or lapsed) its ward's; only when the profile is for the device's kind (or any kind).
    An explicit "none" of its own hides the ward's."""
    targets = [device_target(device.id)]
    if device.ward:
        targets.append(ward_target(device.ward))
    with store.reading() as conn:
        for target in targets:
            own, profile = _own(conn, target)
            if own is INHERIT:
                continue
            if profile is not None and profile.device_kind in (None, device.kind.value):
                return profile
            return None  # explicitly none, or a profile for another kind
    return None

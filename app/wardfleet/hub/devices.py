"""The hub's device table, materialised from applied changes with the desktops' rules:
last-writer-wins per field by hlc, the losing value kept as a conflict, tombstones final."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from wardfleet.domain.change import ChangeKind
from wardfleet.hub import schema
from wardfleet.sync.wire import PushedChange


@dataclass(slots=True)
class Device:
    id: str
    ward: str
    fields: dict[str, Any] = field(default_factory=dict)
    field_hlc: dict[str, str] = field(default_factory=dict)
    deleted: bool = False
    exists: bool = False  # a row in the table already
    updated_server_seq: int = 0
    dirty: bool = False


class TouchedDevices:
    """The devices one push touches: read once, merged in memory, written once."""

    def __init__(self, conn: Connection, ids: set[str]) -> None:
        self._devices: dict[str, Device] = {}
        self._conflicts: list[dict[str, Any]] = []
        if ids:
            rows = conn.execute(select(schema.devices).where(schema.devices.c.id.in_(sorted(ids))))
            for r in rows:
                self._devices[r.id] = Device(
                    id=r.id,
                    ward=r.ward,
                    fields=json.loads(r.fields),
                    field_hlc=json.loads(r.field_hlc),
                    deleted=bool(r.deleted),
                    exists=True,
                    updated_server_seq=int(r.updated_server_seq),
                )

    def ward_of(self, device_id: str) -> str | None:
        device = self._devices.get(device_id)
        return device.ward if device else None

    def apply(self, change: PushedChange, ward: str, server_seq: int) -> None:
        """Merge one validated ``device.upsert`` or ``device.delete``. A later edit of a
        deleted device updates its fields, not its deletion, so every order of arrival
        ends in the same state."""
        device = self._devices.setdefault(change.entity, Device(id=change.entity, ward=ward))
        device.dirty = True
        device.updated_server_seq = server_seq
        if change.kind is ChangeKind.DEVICE_DELETE:
            device.deleted = True
            return
        for name, value in change.payload["fields"].items():
            held = device.field_hlc.get(name, "")
            if change.hlc > held:
                loser, losing_hlc, winning_hlc = device.fields.get(name), held, change.hlc
                device.fields[name] = value
                device.field_hlc[name] = change.hlc
            else:
                loser, losing_hlc, winning_hlc = value, change.hlc, held
            if losing_hlc and loser not in (None, "", device.fields[name]):  # empty loses nothing
                self._conflicts.append(
                    {
                        "device_id": device.id,
                        "ward": device.ward,
                        "field": name,
                        "losing_value": json.dumps(loser, ensure_ascii=False),
                        "losing_hlc": losing_hlc,
                        "winning_hlc": winning_hlc,
                        "server_seq": server_seq,
                    }
                )

    def write(self, conn: Connection) -> None:
        if self._conflicts:
            conn.execute(schema.conflicts.insert(), self._conflicts)
        dirty = [d for d in self._devices.values() if d.dirty]
        rows = [
            {
                "b_id": d.id,
                "fields": json.dumps(d.fields, ensure_ascii=False, sort_keys=True),
                "field_hlc": json.dumps(d.field_hlc, sort_keys=True),
                "deleted": d.deleted,
                "updated_server_seq": d.updated_server_seq,
            }
            for d in dirty
        ]
        new = [(row, d) for row, d in zip(rows, dirty, strict=True) if not d.exists]
        if new:
            conn.execute(
                schema.devices.insert(),
                [
                    {**{k: v for k, v in row.items() if k != "b_id"}, "id": d.id, "ward": d.ward}
                    for row, d in new
                ],
            )
        old = [row for row, d in zip(rows, dirty, strict=True) if d.exists]
        if old:
            conn.execute(
                update(schema.devices)
                .where(schema.devices.c.id == bindparam("b_id"))
                .values(
                    fields=bindparam("fields"),
                    field_hlc=bindparam("field_hlc"),
                    deleted=bindparam("deleted"),
                    updated_server_seq=bindparam("updated_server_seq"),
                ),
                old,
            )

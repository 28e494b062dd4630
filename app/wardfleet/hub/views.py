"""Reads: the change log since a cursor, devices, conflicts, each within the caller's wards."""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _q  # the C string encoder json.dumps uses

from sqlalchemy import Connection, select

from wardfleet.hub import schema
from wardfleet.hub.accounts import Caller
from wardfleet.sync.wire import (
    ConflictView,
    DevicePage,
    DeviceView,
)


def pull(conn: Connection, caller: Caller, since: int, limit: int) -> bytes:
    """Changes after ``since`` in server_seq order, one page (``limit``), as PullReply JSON.

    Pushes commit in server_seq order (push.py), so everything at or below the newest
    server_seq a reader sees is final: the cursor can never skip a change committed later.

    The JSON is written here rather than through the model: payloads are stored as the JSON
    text the hub validated, and parsing and re-encoding them would be most of a pull's cost.
    """
    c = schema.changes.c
    query = select(
        c.server_seq, c.node_id, c.seq, c.op_id, c.hlc, c.kind, c.entity, c.payload, c.ward
    ).where(c.server_seq > since)
    if not caller.reads_all:
        query = query.where(c.ward.in_(sorted(caller.wards)))
    rows = conn.execute(query.order_by(c.server_seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = ",".join(
        f'{{"server_seq":{r.server_seq},"node_id":{_q(r.node_id)},"seq":{r.seq},'
        f'"op_id":{_q(r.op_id)},"hlc":{_q(r.hlc)},"kind":{_q(r.kind)},'
        f'"entity":{_q(r.entity)},"payload":{r.payload},'
        f'"ward":{"null" if r.ward is None else _q(r.ward)}}}'
        for r in rows
    )
    cursor = rows[-1].server_seq if rows else since
    return (
        f'{{"changes":[{items}],"next_cursor":{cursor},"more":{"true" if more else "false"}}}'
    ).encode()


def devices(
    conn: Connection,
    caller: Caller,
    *,
    ward: str | None,
    after: str | None,
    limit: int,
    include_deleted: bool,
) -> DevicePage:
    c = schema.devices.c
    query = select(schema.devices).order_by(c.id)
    if not caller.reads_all:
        query = query.where(c.ward.in_(sorted(caller.wards)))
    if ward is not None:
        query = query.where(c.ward == ward)
    if after is not None:
        query = query.where(c.id > after)
    if not include_deleted:
        query = query.where(c.deleted.is_(False))
    rows = conn.execute(query.limit(limit + 1)).all()
    page = rows[:limit]
    return DevicePage(
        devices=[
            DeviceView(
                id=r.id,
                ward=r.ward,
                fields=json.loads(r.fields),
                field_hlc=json.loads(r.field_hlc),
                deleted=bool(r.deleted),
                updated_server_seq=r.updated_server_seq,
            )
            for r in page
        ],
        next_after=page[-1].id if len(rows) > limit else None,
    )


def conflicts(
    conn: Connection, caller: Caller, *, ward: str | None, limit: int
) -> list[ConflictView]:
    """The newest losing values first (what the helpdesk reviews)."""
    c = schema.conflicts.c
    query = select(schema.conflicts).order_by(c.id.desc())
    if not caller.reads_all:
        query = query.where(c.ward.in_(sorted(caller.wards)))
    if ward is not None:
        query = query.where(c.ward == ward)
    return [
        ConflictView(
            device_id=r.device_id,
            ward=r.ward,
            field=r.field,
            losing_value=json.loads(r.losing_value),
            losing_hlc=r.losing_hlc,
            winning_hlc=r.winning_hlc,
            server_seq=r.server_seq,
        )
        for r in conn.execute(query.limit(limit))
    ]

"""Applying a pushed batch, in the one transaction the caller opened (DESIGN.md, Push).

Per node the hub keeps ``last_seq``: a change at or below it is a duplicate and skipped
(after checking it is the same op), a change above ``last_seq + 1`` is a gap and refused
(409, nothing applied). The rest is checked change by change and applied in order until
the first bad one, which is reported; nothing after it is applied, so the node's stream
stays gapless. Every applied change gets the next ``server_seq``: the hub's own order,
never a desktop's clock.
"""

from __future__ import annotations

import json
import time
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Row, select, update

from wardfleet.domain.change import ChangeKind
from wardfleet.domain.hlc import Timestamp
from wardfleet.hub import schema
from wardfleet.hub.accounts import Caller
from wardfleet.hub.devices import TouchedDevices
from wardfleet.sync.wire import (
    DeviceDelete,
    DeviceUpsert,
    DiagnosticRequest,
    Problem,
    PushedChange,
    PushReply,
    PushRequest,
    Rejection,
    Role,
    Rollup,
)

# Changes whose entity is a device id: their ward is the device's ward once the hub knows it.
DEVICE_BOUND = frozenset(
    {ChangeKind.DEVICE_UPSERT, ChangeKind.DEVICE_DELETE, ChangeKind.DIAGNOSTIC_REQUEST}
)
_PAYLOAD_MODELS: dict[ChangeKind, type[BaseModel]] = {
    ChangeKind.DEVICE_UPSERT: DeviceUpsert,
    ChangeKind.DEVICE_DELETE: DeviceDelete,
    ChangeKind.DIAGNOSTIC_REQUEST: DiagnosticRequest,
    ChangeKind.ROLLUP: Rollup,
}


class PushRefused(Exception):
    """The whole batch is refused; nothing of it is applied."""

    def __init__(self, status: int, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.status = status
        self.problem = problem


def _forbidden(detail: str, code: str = "forbidden") -> PushRefused:
    return PushRefused(403, Problem(detail=detail, code=code))


def push(conn: Connection, caller: Caller, request: PushRequest) -> PushReply:
    now = time.time()
    # Lock first: pushes are serialised, so server_seq values commit in order.
    server_seq = conn.execute(
        select(schema.counters.c.value)
        .where(schema.counters.c.name == "server_seq")
        .with_for_update()
    ).scalar_one()
    node = conn.execute(
        select(schema.nodes).where(schema.nodes.c.node_id == request.node_id)
    ).first()
    node_ward = _authorize_node(caller, request, node)
    last_seq = int(node.last_seq) if node is not None else 0

    duplicates = [c for c in request.changes if c.seq <= last_seq]
    _check_duplicates(conn, request.node_id, duplicates)
    fresh = [c for c in request.changes if c.seq > last_seq]
    expected = last_seq + 1
    for change in fresh:
        if change.seq != expected:
            raise PushRefused(
                409,
                Problem(
                    detail=f"gap: the hub has this node up to seq {last_seq}; "
                    f"send seq {last_seq + 1} next",
                    code="gap",
                    expected_seq=last_seq + 1,
                    last_seq=last_seq,
                ),
            )
        expected += 1
    for change in fresh:  # role by kind first: a forbidden batch is refused whole
        if not _kind_allowed(caller, change.kind):
            raise _forbidden(f"a {caller.role} may not push {change.kind} changes")

    devices = TouchedDevices(conn, {c.entity for c in fresh if c.kind in DEVICE_BOUND})
    taken = set(
        conn.scalars(
            select(schema.changes.c.op_id).where(
                schema.changes.c.op_id.in_([c.op_id for c in fresh])
            )
        )
    )
    rows: list[dict[str, Any]] = []
    rejection: Rejection | None = None
    for change in fresh:
        ward = _ward_of(change, node_ward, devices)
        if ward is not None and not caller.may_push(change.kind, ward):
            raise _forbidden(f"{caller.name} may not push changes for ward {ward!r}")
        if rejection is not None:
            continue  # past the bad change: only checked for a 403, never applied
        reason = _content_error(change, ward, request.node_id, devices, taken)
        if reason is not None or ward is None:
            rejection = Rejection(seq=change.seq, op_id=change.op_id, reason=reason or "no ward")
            continue
        server_seq += 1
        rows.append(_row(change, request.node_id, ward, server_seq, caller.name, now))
        if change.kind in (ChangeKind.DEVICE_UPSERT, ChangeKind.DEVICE_DELETE):
            devices.apply(change, ward, server_seq)

    applied = len(rows)
    new_last = last_seq + applied
    if rows:
        conn.execute(schema.changes.insert(), rows)
        conn.execute(
            update(schema.counters)
            .where(schema.counters.c.name == "server_seq")
            .values(value=server_seq)
        )
    devices.write(conn)
    _save_node(conn, request.node_id, node, node_ward, caller.name, new_last, now)
    return PushReply(
        last_seq=new_last, applied=applied, duplicates=len(duplicates), rejected=rejection
    )


def _authorize_node(caller: Caller, request: PushRequest, node: Row[Any] | None) -> str | None:
    """The ward the node is (or is now) registered to; refuses a caller who may not use it."""
    if caller.role is Role.ADMIN:
        raise _forbidden("admins manage the hub; changes come from ward desktops")
    if node is None:
        if caller.role is Role.HELPDESK:
            return None  # a helpdesk console belongs to no ward
        if request.ward is None:
            raise PushRefused(
                422, Problem(detail="a ward desktop must push with its ward", code="no-ward")
            )
        if request.ward not in caller.wards:
            raise _forbidden(f"{caller.name} may not push for ward {request.ward!r}")
        return request.ward
    ward: str | None = node.ward
    if ward is None:
        if node.registered_by != caller.name:
            raise _forbidden("this node is registered to another user", "node-owner")
        return None
    if caller.role is not Role.WARD_LEAD or ward not in caller.wards:
        raise _forbidden(f"this node belongs to ward {ward!r}", "node-ward")
    if request.ward is not None and request.ward != ward:
        raise _forbidden(f"this node is registered to ward {ward!r}", "node-ward")
    return ward


def _kind_allowed(caller: Caller, kind: ChangeKind) -> bool:
    if caller.role is Role.WARD_LEAD:
        return True
    return caller.role is Role.HELPDESK and kind is ChangeKind.DIAGNOSTIC_REQUEST


def _check_duplicates(conn: Connection, node_id: str, duplicates: list[PushedChange]) -> None:
    """A seq the hub has must carry the op it had: a desktop restored from an old backup
    would otherwise have its new changes silently taken for old ones."""
    if not duplicates:
        return
    rows = conn.execute(
        select(schema.changes.c.seq, schema.changes.c.op_id).where(
            schema.changes.c.node_id == node_id,
            schema.changes.c.seq.in_([c.seq for c in duplicates]),
        )
    )
    stored = {row.seq: row.op_id for row in rows}
    for change in duplicates:
        if stored.get(change.seq, change.op_id) != change.op_id:
            raise PushRefused(
                409,
                Problem(
                    detail=f"seq {change.seq} was already used by another change of this node",
                    code="seq-reused",
                ),
            )


def _ward_of(change: PushedChange, node_ward: str | None, devices: TouchedDevices) -> str | None:
    # A device stays in the ward that first reported it: claiming another ward in a
    # change cannot move it out of its owners' reach.
    known = devices.ward_of(change.entity) if change.kind in DEVICE_BOUND else None
    return known or change.ward or node_ward


def _content_error(
    change: PushedChange,
    ward: str | None,
    node_id: str,
    devices: TouchedDevices,
    taken: set[str],
) -> str | None:
    try:
        stamp = Timestamp.decode(change.hlc)
    except ValueError:
        return "hlc is not a hybrid logical clock timestamp"
    if stamp.node != node_id:
        return "hlc was not issued by the pushing node"
    if change.op_id in taken:
        return "op_id is already in the hub's log under another change"
    if ward is None:
        if change.kind is ChangeKind.DIAGNOSTIC_REQUEST:
            return f"unknown device {change.entity!r}"
        return "no ward: the batch or the change must name one"
    model = _PAYLOAD_MODELS.get(change.kind)
    if model is not None:
        try:
            model.model_validate(change.payload)
        except ValidationError as exc:
            return "payload: " + "; ".join(
                f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:3]
            )
    if change.kind is ChangeKind.DIAGNOSTIC_REQUEST and devices.ward_of(change.entity) is None:
        # A device deleted meanwhile is still known: its desktop simply skips the request.
        return f"unknown device {change.entity!r}"
    return None


def _row(
    change: PushedChange, node_id: str, ward: str, server_seq: int, user: str, now: float
) -> dict[str, Any]:
    return {
        "server_seq": server_seq,
        "node_id": node_id,
        "seq": change.seq,
        "op_id": change.op_id,
        "hlc": change.hlc,
        "kind": change.kind.value,
        "entity": change.entity,
        "ward": ward,
        "payload": json.dumps(change.payload, ensure_ascii=False, separators=(",", ":")),
        "pushed_by": user,
        "received_at": now,
    }


def _save_node(
    conn: Connection,
    node_id: str,
    node: Row[Any] | None,
    ward: str | None,
    user: str,
    last_seq: int,
    now: float,
) -> None:
    if node is None:
        conn.execute(
            schema.nodes.insert().values(
                node_id=node_id,
                ward=ward,
                registered_by=user,
                last_seq=last_seq,
                first_seen=now,
                last_seen=now,
            )
        )
    else:
        conn.execute(
            update(schema.nodes)
            .where(schema.nodes.c.node_id == node_id)
            .values(last_seq=last_seq, last_seen=now)
        )

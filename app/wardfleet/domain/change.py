"""A change to sync: one outbox row, one entry in the hub's log."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ChangeKind(StrEnum):
    DEVICE_UPSERT = "device.upsert"  # inventory fields, last-writer-wins per field
    DEVICE_DELETE = "device.delete"  # tombstone
    ROLLUP = "sample.rollup"  # 5-min rollups, append-only
    ALERT = "alert.event"  # append-only
    AUDIT = "audit.entry"  # append-only
    DEPLOY_RESULT = "deploy.result"  # append-only
    DIAGNOSTIC_REQUEST = "diagnostic.request"  # helpdesk asks a ward desktop to act
    PROFILE_UPSERT = "profile.upsert"  # a named set of desired settings, last-writer-wins
    PROFILE_ASSIGN = "profile.assign"  # which profile a device or ward follows, LWW


APPEND_ONLY = frozenset(
    {ChangeKind.ROLLUP, ChangeKind.ALERT, ChangeKind.AUDIT, ChangeKind.DEPLOY_RESULT}
)


@dataclass(frozen=True, slots=True)
class Change:
    node_id: str
    seq: int
    op_id: str
    hlc: str
    kind: ChangeKind
    entity: str
    payload: dict[str, Any]

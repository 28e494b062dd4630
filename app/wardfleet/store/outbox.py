"""The outbox: every local change, in order, until the hub has acknowledged it."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from typing import Any

from wardfleet.domain.change import Change, ChangeKind
from wardfleet.domain.hlc import HybridLogicalClock

_NEXT_SEQ_KEY = "outbox_next_seq"
_HLC_KEY = "hlc_last"


def append(
    conn: sqlite3.Connection,
    clock: HybridLogicalClock,
    kind: ChangeKind,
    entity: str,
    payload: dict[str, Any],
) -> Change:
    """Write one change. Call inside the transaction that makes the change itself.

    The seq counter and the clock's high-water mark are written in the same transaction,
    so seq stays gapless and the HLC never repeats across a crash.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_NEXT_SEQ_KEY,)).fetchone()
    seq = int(row[0]) if row else 1
    stamp = clock.now()
    change = Change(
        node_id=clock.node,
        seq=seq,
        op_id=str(uuid.uuid4()),
        hlc=stamp.encode(),
        kind=kind,
        entity=entity,
        payload=payload,
    )
    conn.execute(
        "INSERT INTO outbox (seq, node_id, op_id, hlc, kind, entity, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            change.seq,
            change.node_id,
            change.op_id,
            change.hlc,
            change.kind.value,
            change.entity,
            json.dumps(payload, sort_keys=True, separators=(",", ":")),
            time.time(),
        ),
    )
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [(_NEXT_SEQ_KEY, str(seq + 1)), (_HLC_KEY, change.hlc)],
    )
    return change


def pending(conn: sqlite3.Connection, limit: int = 500) -> list[Change]:
    rows = conn.execute(
        "SELECT node_id, seq, op_id, hlc, kind, entity, payload FROM outbox"
        " WHERE sent_at IS NULL ORDER BY seq LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        Change(
            node_id=r[0],
            seq=r[1],
            op_id=r[2],
            hlc=r[3],
            kind=ChangeKind(r[4]),
            entity=r[5],
            payload=json.loads(r[6]),
        )
        for r in rows
    ]


def pending_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0])


def mark_sent(conn: sqlite3.Connection, up_to_seq: int) -> int:
    """The hub acknowledged everything up to ``up_to_seq``; returns rows newly marked."""
    cur = conn.execute(
        "UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND seq <= ?",
        (time.time(), up_to_seq),
    )
    return cur.rowcount


def last_hlc(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_HLC_KEY,)).fetchone()
    return str(row[0]) if row else None

"""Append-only audit log whose entries are hash-chained.

Each entry's hash covers its content and the previous entry's hash, so editing,
deleting or reordering any row breaks the chain from that row on.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    ts: float
    actor: str
    action: str
    device_id: str | None
    before: Any
    after: Any
    result: str
    op_id: str
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str,
    ts: float,
    actor: str,
    action: str,
    device_id: str | None,
    before: str | None,
    after: str | None,
    result: str,
    op_id: str,
) -> str:
    body = json.dumps(
        [prev_hash, repr(ts), actor, action, device_id, before, after, result, op_id],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def append(
    conn: sqlite3.Connection,
    *,
    ts: float,
    actor: str,
    action: str,
    device_id: str | None,
    before: Any,
    after: Any,
    result: str,
    op_id: str,
) -> AuditEntry:
    row = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    before_s, after_s = _dump(before), _dump(after)
    digest = entry_hash(prev, ts, actor, action, device_id, before_s, after_s, result, op_id)
    cur = conn.execute(
        "INSERT INTO audit (ts, actor, action, device_id, before, after, result, op_id,"
        " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ts, actor, action, device_id, before_s, after_s, result, op_id, prev, digest),
    )
    entry_id = int(cur.lastrowid or 0)
    # The head anchors the chain's end, so deleting the newest entry is caught too.
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (f"{entry_id}:{digest}",),
    )
    return AuditEntry(
        entry_id, ts, actor, action, device_id, before, after, result, op_id, prev, digest
    )


@dataclass(frozen=True, slots=True)
class ChainBreak:
    entry_id: int
    reason: str


def verify(conn: sqlite3.Connection) -> ChainBreak | None:
    """None when the chain is whole; otherwise the first entry that does not fit."""
    prev = GENESIS
    expected_id: int | None = None
    for row in conn.execute(
        "SELECT id, ts, actor, action, device_id, before, after, result, op_id, prev_hash, hash"
        " FROM audit ORDER BY id"
    ):
        entry_id = int(row[0])
        if expected_id is not None and entry_id != expected_id:
            return ChainBreak(expected_id, "entry missing (deleted)")
        if row[9] != prev:
            return ChainBreak(entry_id, "previous-hash link broken (deleted or reordered entry)")
        if entry_hash(prev, *row[1:9]) != row[10]:
            return ChainBreak(entry_id, "content does not match its hash (edited entry)")
        prev = row[10]
        expected_id = entry_id + 1
    head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if head is not None:
        head_id, head_hash = str(head[0]).split(":", 1)
        if head_hash != prev:
            return ChainBreak(int(head_id), "newest entry missing or replaced")
    return None


def _load(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:  # an edited row: show what is there (verify names it)
        return text


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def entries(conn: sqlite3.Connection, *, limit: int | None = None) -> list[AuditEntry]:
    """Entries oldest first (``limit``: the newest that many)."""
    sql = (
        "SELECT id, ts, actor, action, device_id, before, after, result, op_id, prev_hash, hash"
        " FROM audit"
    )
    if limit is not None:
        sql += f" WHERE id > (SELECT COALESCE(MAX(id), 0) FROM audit) - {int(limit)}"
    rows = conn.execute(sql + " ORDER BY id").fetchall()
    return [
        AuditEntry(int(r[0]), float(r[1]), r[2], r[3], r[4], _load(r[5]), _load(r[6]), *r[7:11])
        for r in rows
    ]


CSV_COLUMNS = ("id", "time", "actor", "action", "device_id", "before", "after", "result",
               "op_id", "hash")  # fmt: skip


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def csv_row(entry: AuditEntry) -> list[str]:
    when = datetime.fromtimestamp(entry.ts, UTC).isoformat(timespec="seconds")
    return [
        str(entry.id), when, entry.actor, entry.action, _cell(entry.device_id),
        _cell(entry.before), _cell(entry.after), entry.result, entry.op_id, entry.hash,
    ]  # fmt: skip


def write_csv(entries: Sequence[AuditEntry], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(e) for e in entries)

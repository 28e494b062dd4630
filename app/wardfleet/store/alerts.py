"""The ``alerts`` table: raised, cleared, acknowledged and snoozed alerts.

The ``rule`` column holds the alert key (``supply-low:1``, ``unreachable``): the rule and
its subject, which is what identifies one alert on one device.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from wardfleet.domain.alerts import Alert
from wardfleet.domain.status import Severity

_COLUMNS = (
    "id, device_id, rule, severity, message, raised_at, cleared_at, "
    "acknowledged_at, acknowledged_by, snoozed_until"
)


def _alert(row: sqlite3.Row | tuple[object, ...]) -> Alert:
    (aid, device_id, key, severity, message, raised, cleared, acked, by, snoozed) = tuple(row)
    return Alert(
        id=str(aid),
        device_id=str(device_id),
        key=str(key),
        severity=Severity(str(severity)),
        message=str(message),
        raised_at=float(raised),
        cleared_at=None if cleared is None else float(cleared),
        acknowledged_at=None if acked is None else float(acked),
        acknowledged_by=None if by is None else str(by),
        snoozed_until=None if snoozed is None else float(snoozed),
    )


def insert(conn: sqlite3.Connection, alert: Alert) -> None:
    conn.execute(
        f"INSERT INTO alerts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            alert.id,
            alert.device_id,
            alert.key,
            alert.severity.value,
            alert.message,
            alert.raised_at,
            alert.cleared_at,
            alert.acknowledged_at,
            alert.acknowledged_by,
            alert.snoozed_until,
        ),
    )


def get(conn: sqlite3.Connection, alert_id: str) -> Alert | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM alerts WHERE id = ?", (alert_id,)).fetchone()
    return _alert(row) if row else None


def open_alert(conn: sqlite3.Connection, device_id: str, key: str) -> Alert | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM alerts WHERE device_id = ? AND rule = ? AND cleared_at IS NULL"
        " ORDER BY raised_at DESC LIMIT 1",
        (device_id, key),
    ).fetchone()
    return _alert(row) if row else None


def close(conn: sqlite3.Connection, alert_id: str, at: float) -> None:
    conn.execute("UPDATE alerts SET cleared_at = ? WHERE id = ?", (at, alert_id))


def acknowledge(conn: sqlite3.Connection, alert_id: str, at: float, by: str) -> bool:
    cur = conn.execute(
        "UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ?"
        " WHERE id = ? AND acknowledged_at IS NULL",
        (at, by, alert_id),
    )
    return cur.rowcount > 0


def snooze(conn: sqlite3.Connection, alert_id: str, until: float) -> bool:
    cur = conn.execute("UPDATE alerts SET snoozed_until = ? WHERE id = ?", (until, alert_id))
    return cur.rowcount > 0


def list_open(conn: sqlite3.Connection, device_ids: Iterable[str] | None = None) -> list[Alert]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM alerts WHERE cleared_at IS NULL ORDER BY raised_at"
    ).fetchall()
    alerts = [_alert(r) for r in rows]
    if device_ids is None:
        return alerts
    wanted = set(device_ids)
    return [a for a in alerts if a.device_id in wanted]


def history(conn: sqlite3.Connection, device_id: str | None, limit: int) -> list[Alert]:
    if device_id is None:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM alerts ORDER BY raised_at DESC LIMIT ?", (limit,)
        ).fetchall()
    else:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM alerts WHERE device_id = ? ORDER BY raised_at DESC LIMIT ?",
            (device_id, limit),
        ).fetchall()
    return [_alert(r) for r in rows]

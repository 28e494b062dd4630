"""Samples and their rollups: raw 48 h, 5-minute buckets 90 days, daily buckets 5 years.

5-minute rollups are updated at write time (n/sum/min/max/last per bucket). When a
5-minute bucket closes it is folded into its day, so daily rollups never rescan raw data
and each poll pays for one rollup upsert, not two.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from wardfleet.domain.status import DeviceStatus

FIVE_MIN = 300
DAY = 86_400
RAW_KEEP_S = 48 * 3600
FIVE_MIN_KEEP_S = 90 * DAY
DAILY_KEEP_S = 5 * 365 * DAY

_UPSERT = """
INSERT INTO {table} (device_id, metric, bucket, n, sum, min, max, last, last_ts)
VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)
ON CONFLICT (device_id, metric, bucket) DO UPDATE SET
    n = n + 1, sum = sum + excluded.sum,
    min = min(min, excluded.min), max = max(max, excluded.max),
    last = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last ELSE last END,
    last_ts = max(last_ts, excluded.last_ts)
"""
_UPSERT_5M = _UPSERT.format(table="rollups_5m")


def metrics_of(status: DeviceStatus) -> Iterator[tuple[str, float]]:
    """The numbers worth graphing from one status, as (metric, value)."""
    yield "reachable", 1.0 if status.reachable else 0.0
    yield "urgency", float(status.state.urgency)
    if status.latency_ms is not None:
        yield "latency_ms", status.latency_ms
    if status.page_count is not None:
        yield "page_count", float(status.page_count)
    for supply in status.supplies:
        if supply.percent is not None:
            yield f"supply:{supply.index}", supply.percent
    for tray in status.trays:
        if tray.percent is not None:
            yield f"tray:{tray.index}", tray.percent


def write(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, float, float]]) -> int:
    """Insert raw samples ``(device_id, metric, ts, value)`` and fold them into rollups."""
    batch = list(rows)
    conn.executemany(
        "INSERT OR REPLACE INTO samples (device_id, metric, ts, value) VALUES (?, ?, ?, ?)", batch
    )
    conn.executemany(
        _UPSERT_5M,
        [(d, m, int(ts // FIVE_MIN) * FIVE_MIN, v, v, v, v, ts) for d, m, ts, v in batch],
    )
    return len(batch)


_FOLD_INTO_DAY = """
INSERT INTO rollups_1d (device_id, metric, bucket, n, sum, min, max, last, last_ts)
SELECT device_id, metric, bucket / 86400 * 86400, n, sum, min, max, last, last_ts
FROM rollups_5m WHERE synced = 0 AND bucket < ? ORDER BY bucket
ON CONFLICT (device_id, metric, bucket) DO UPDATE SET
    n = n + excluded.n, sum = sum + excluded.sum,
    min = min(min, excluded.min), max = max(max, excluded.max),
    last = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last ELSE last END,
    last_ts = max(last_ts, excluded.last_ts)
"""


def fold_closed_into_daily(conn: sqlite3.Connection, before_bucket: int) -> None:
    """Add every closed, not yet closed-out 5-minute bucket to its daily rollup.

    Call in the same transaction that marks those buckets synced, so none is added twice.
    """
    conn.execute(_FOLD_INTO_DAY, (before_bucket,))


def prune(conn: sqlite3.Connection, now: float) -> tuple[int, int, int]:
    """Drop what is past its retention; returns rows removed per tier."""
    raw = conn.execute("DELETE FROM samples WHERE ts < ?", (now - RAW_KEEP_S,)).rowcount
    five = conn.execute(
        "DELETE FROM rollups_5m WHERE bucket < ? AND synced = 1", (now - FIVE_MIN_KEEP_S,)
    ).rowcount
    daily = conn.execute("DELETE FROM rollups_1d WHERE bucket < ?", (now - DAILY_KEEP_S,)).rowcount
    return raw, five, daily


@dataclass(frozen=True, slots=True)
class RollupPoint:
    bucket: int
    n: int
    min: float
    avg: float
    max: float
    last: float


def rollup_series(
    conn: sqlite3.Connection,
    device_id: str,
    metric: str,
    since: float,
    until: float,
    *,
    daily: bool = False,
) -> list[RollupPoint]:
    table = "rollups_1d" if daily else "rollups_5m"
    return [
        RollupPoint(int(b), int(n), mn, s / n, mx, last)
        for b, n, s, mn, mx, last in conn.execute(
            f"SELECT bucket, n, sum, min, max, last FROM {table}"
            " WHERE device_id = ? AND metric = ? AND bucket >= ? AND bucket < ? ORDER BY bucket",
            (device_id, metric, int(since), until),
        )
    ]


def closed_unsynced_5m(
    conn: sqlite3.Connection, before_bucket: int
) -> list[tuple[str, str, int, int, float, float, float, float]]:
    """5-minute buckets that can no longer change and have not been queued for the hub."""
    return [
        (str(d), str(m), int(b), int(n), float(s), float(mn), float(mx), float(last))
        for d, m, b, n, s, mn, mx, last in conn.execute(
            "SELECT device_id, metric, bucket, n, sum, min, max, last FROM rollups_5m"
            " WHERE synced = 0 AND bucket < ? ORDER BY bucket, device_id, metric",
            (before_bucket,),
        )
    ]


def mark_5m_synced(conn: sqlite3.Connection, keys: Iterable[tuple[str, str, int]]) -> None:
    conn.executemany(
        "UPDATE rollups_5m SET synced = 1 WHERE device_id = ? AND metric = ? AND bucket = ?",
        list(keys),
    )

"""Read-only summaries over rollups for the ward dashboard."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence


def availability(
    conn: sqlite3.Connection, device_ids: Iterable[str], since: float, until: float
) -> dict[str, float | None]:
    """Share of polls that reached each device (0–1), from the "reachable" 5-min rollups.

    One primary-key range read per device; None for a device with no polls in the range.
    """
    out: dict[str, float | None] = {}
    for device_id in device_ids:
        total, n = conn.execute(
            "SELECT sum(sum), sum(n) FROM rollups_5m"
            " WHERE device_id = ? AND metric = 'reachable' AND bucket >= ? AND bucket < ?",
            (device_id, int(since), until),
        ).fetchone()
        out[device_id] = float(total) / float(n) if n else None
    return out


def binned_series(
    conn: sqlite3.Connection,
    device_id: str,
    metrics: Sequence[str],
    since: float,
    until: float,
    step: int,
    *,
    daily: bool = False,
    banded: Sequence[str] = (),
) -> dict[str, list[tuple[int, float, float, float, float]]]:
    """Several metrics' rollups at one point per ``step`` seconds: (bin, avg, min, max, last).

    Graphs never need more points than pixels, so a 30-day range reads ~1,500 points a
    line instead of 8,640. Metrics in ``banded`` are aggregated per bin (their min/max
    band is drawn); the others are sampled at each bin's first bucket, which costs a
    third as much and loses nothing visible on a slow line such as a toner level.
    """
    table = "rollups_1d" if daily else "rollups_5m"
    out: dict[str, list[tuple[int, float, float, float, float]]] = {}
    for metric in metrics:
        if metric in banded:
            # A bare column next to max() takes its value from that max's row (SQLite).
            rows = conn.execute(
                f"SELECT bucket / ? * ?, sum(sum) / sum(n), min(min), max(max), last,"
                f" max(last_ts) FROM {table}"
                " WHERE device_id = ? AND metric = ? AND bucket >= ? AND bucket < ?"
                " GROUP BY bucket / ?",
                (step, step, device_id, metric, int(since), until, step),
            ).fetchall()
            out[metric] = [(int(b), avg, mn, mx, last) for b, avg, mn, mx, last, _ in rows]
        else:
            rows = conn.execute(
                f"SELECT bucket, last FROM {table}"
                " WHERE device_id = ? AND metric = ? AND bucket >= ? AND bucket < ?"
                " AND bucket % ? = 0",
                (device_id, metric, int(since), until, step),
            ).fetchall()
            out[metric] = [(int(b), last, last, last, last) for b, last in rows]
    return out

"""Made-up but plausible history for the demo ward, so graphs have something to show.

Used by screenshots (and tests, benchmarks): toner used mostly in the daytime and
replaced when nearly empty, page counters that climb on weekdays, response times with
noise, and a printer switched off at night. Rows are written straight into the 5-minute
and daily rollups, marked as already sent: made-up history never goes to a hub.
"""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Iterable, Iterator

from wardfleet.domain.status import DeviceStatus
from wardfleet.store import Store

FIVE_MIN = 300
DAY = 86_400


def _daytime(ts: float) -> float:
    """0 at night, up to 1 in the early afternoon (UTC is close enough for a demo)."""
    hour = (ts % DAY) / 3600
    return max(0.0, math.sin((hour - 7) / 12 * math.pi)) if 7 <= hour <= 19 else 0.0


def device_history(
    device_id: str,
    status: DeviceStatus,
    days: float,
    now: float,
    rng: random.Random,
    *,
    off_at_night: bool = False,
) -> Iterator[tuple[str, str, int, float, float, float, float]]:
    """``(device_id, metric, bucket, avg, min, max, last)`` rows, oldest first."""
    end = int(now // FIVE_MIN) * FIVE_MIN
    start = end - int(days * DAY)
    buckets = range(start, end, FIVE_MIN)
    weights = [_daytime(b) for b in buckets]
    day_weight = sum(weights) / max(days, 1e-9) or 1.0
    # Supplies: walk back from today's level; a level above 100 means "before a refill".
    for supply in status.supplies:
        pct = supply.percent
        if pct is None:
            continue
        per_day = rng.uniform(0.8, 4.0) if not supply.is_receptacle else -rng.uniform(0.3, 1.0)
        level = pct
        rows = []
        for b, w in zip(reversed(buckets), reversed(weights), strict=True):
            rows.append((b, level))
            level += per_day * w / day_weight
            if level > 100:
                level = rng.uniform(2, 8)  # going back past a refill: nearly empty before
            if level < 0:
                level = rng.uniform(90, 100)  # a receptacle emptied
        for b, v in reversed(rows):
            yield device_id, f"supply:{supply.index}", b, v, v, v, v
    if status.page_count is not None:
        count = float(status.page_count)
        rows2 = []
        per_day = rng.uniform(60, 600)
        for b, w in zip(reversed(buckets), reversed(weights), strict=True):
            rows2.append((b, count))
            weekday = (b // DAY + 3) % 7 < 5  # 1970-01-01 was a Thursday
            count = max(0.0, count - per_day * w / 6 * (1.0 if weekday else 0.2))
        for b, v in reversed(rows2):
            yield device_id, "page_count", b, v, v, v, v
    base = status.latency_ms or rng.uniform(3, 20)
    for b, w in zip(buckets, weights, strict=True):
        off = off_at_night and w == 0.0 and (b % DAY) / 3600 < 6
        yield (
            device_id,
            "reachable",
            b,
            0.0 if off else 1.0,
            0.0 if off else 1.0,
            0.0 if off else 1.0,
            0.0 if off else 1.0,
        )
        if off:
            continue
        avg = base * (1 + 0.6 * w) * rng.uniform(0.85, 1.2)
        yield (
            device_id,
            "latency_ms",
            b,
            avg,
            avg * rng.uniform(0.5, 0.9),
            avg * rng.uniform(1.2, 2.5),
            avg,
        )


def _write(
    conn: sqlite3.Connection, rows: Iterable[tuple[str, str, int, float, float, float, float]]
) -> int:
    n = 0
    daily: dict[tuple[str, str, int], list[float]] = {}
    batch: list[tuple[object, ...]] = []
    for device_id, metric, bucket, avg, mn, mx, last in rows:
        batch.append((device_id, metric, bucket, 1, avg, mn, mx, last, bucket + FIVE_MIN - 1))
        d = daily.setdefault((device_id, metric, bucket // DAY * DAY), [0, 0.0, mn, mx, last, 0])
        d[0] += 1
        d[1] += avg
        d[2], d[3] = min(d[2], mn), max(d[3], mx)
        d[4], d[5] = last, bucket + FIVE_MIN - 1
        if len(batch) >= 50_000:
            n += _flush(conn, batch)
    n += _flush(conn, batch)
    conn.executemany(
        "INSERT OR REPLACE INTO rollups_1d (device_id, metric, bucket, n, sum, min, max, last,"
        " last_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(k[0], k[1], k[2], *v) for k, v in daily.items()],
    )
    return n


def _flush(conn: sqlite3.Connection, batch: list[tuple[object, ...]]) -> int:
    conn.executemany(
        "INSERT OR IGNORE INTO rollups_5m (device_id, metric, bucket, n, sum, min, max, last,"
        " last_ts, synced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        batch,
    )
    n = len(batch)
    batch.clear()
    return n


def seed_history(store: Store, days: float = 30.0, now: float | None = None, seed: int = 6) -> int:
    """History for every device with a status; returns 5-minute rows written.

    The newest bucket (the one polls are filling now) is left alone.
    """
    import time

    when = time.time() if now is None else now
    rng = random.Random(seed)
    overviews = [o for o in store.list_overview() if o.status is not None and o.status.reachable]
    with store.transaction_raw() as conn:
        total = 0
        for i, overview in enumerate(overviews):
            assert overview.status is not None
            total += _write(
                conn,
                device_history(
                    overview.device.id, overview.status, days, when, rng, off_at_night=i % 4 == 1
                ),
            )
    return total

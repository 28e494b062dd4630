"""The 30-day graph query for one device in a big store. Target ≤ 50 ms.

The store holds 90 days of 5-minute rollups: the graphed device has all its metrics (four
supplies, page count, latency, reachable); the other devices each have the "reachable"
metric (``WARDFLEET_BENCH_GRAPH_DEVICES``, default 1,000 devices; the filler is what
makes the B-tree as deep as a real ward's). Baseline: a bare ``SELECT count(*)`` over the
same rows, same connection. Also reports the store's size on disk.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.bench_store import _status, seeded_store
from bench.report import line, timed
from wardfleet.store import Store
from wardfleet.store.samples import FIVE_MIN, metrics_of
from wardfleet.ui.graph_data import GraphRange, load_graph_data

DAYS = 90
DEVICES = int(os.environ.get("WARDFLEET_BENCH_GRAPH_DEVICES", "1000"))


def _fill(store: Store, now: float) -> int:
    end = int(now // FIVE_MIN) * FIVE_MIN
    buckets = range(end - DAYS * 86_400, end, FIVE_MIN)
    total = 0
    status = _status(now, 0)
    metrics = [m for m, _ in metrics_of(status)]
    with store.transaction_raw() as conn:
        sql = (
            "INSERT INTO rollups_5m (device_id, metric, bucket, n, sum, min, max, last,"
            " last_ts, synced) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, 1)"
        )
        for metric in metrics:  # the graphed device: everything
            rows = [("dev-0", metric, b, 50.0, 50.0, 50.0, 50.0, b) for b in buckets]
            conn.executemany(sql, rows)
            total += len(rows)
        for n in range(1, DEVICES):
            rows = [(f"dev-{n}", "reachable", b, 1.0, 1.0, 1.0, 1.0, b) for b in buckets]
            conn.executemany(sql, rows)
            total += len(rows)
    return total


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = seeded_store(folder)
        now = time.time()
        start = time.perf_counter()
        rows = _fill(store, now)
        fill_s = time.perf_counter() - start
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        status = _status(now, 0)
        since = now - GraphRange.MONTH.seconds

        def ours() -> None:
            data = load_graph_data(store, "dev-0", status, GraphRange.MONTH, now)
            assert len(data.supplies) == 4 and len(data.supplies[0].xs) >= 1400

        metrics = [m for m, _ in metrics_of(status) if m != "reachable" and m != "urgency"]
        marks = ",".join("?" * len(metrics))

        def baseline() -> None:
            with store.reading() as conn:
                conn.execute(
                    f"SELECT count(*) FROM rollups_5m WHERE device_id = ? AND metric IN ({marks})"
                    " AND bucket >= ? AND bucket < ?",
                    ("dev-0", *metrics, int(since), now + 1),
                ).fetchone()

        ours()
        baseline()
        mine = timed(ours, 9)
        base = timed(baseline, 9)
        size = sum(p.stat().st_size for p in folder.glob("bench.sqlite3*"))
        store.close()
    return [
        line(f"graphs: 30-day query, 1 of {DEVICES:,} devices × {DAYS} d", mine, base, target=50),
        f"{'graphs: store size':<48} {size / 1e6:8.1f} MB for {rows:,} 5-min rollup rows "
        f"({size / rows:.0f} B/row; filled in {fill_s:.1f} s)",
    ]

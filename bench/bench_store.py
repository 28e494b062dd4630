"""Writing one poll cycle (1,000 devices × 10 metrics) in one transaction. Target ≤ 100 ms.

Baseline: the same 10,000 rows inserted bare (no status, no rollups) into a table of
the same shape, same SQLite settings, same run.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from bench.report import line, timed
from wardfleet.domain.device import Device
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import DeviceStatus, Supply, Tray
from wardfleet.store import Store
from wardfleet.store.samples import metrics_of

DEVICES = 1000


def _status(ts: float, n: int) -> DeviceStatus:
    colours = ("black", "cyan", "magenta", "yellow")
    return DeviceStatus(
        state=DeviceState.OK,
        polled_at=ts,
        latency_ms=3.0 + n % 7,
        supplies=tuple(
            Supply(
                f"1.{i + 1}",
                f"{c} toner",
                type="toner",
                colour=c,
                level=(n + i * 13) % 100,
                capacity=100,
            )
            for i, c in enumerate(colours)
        ),
        trays=(Tray("1.1", "Tray 1", 200, 500), Tray("1.2", "Tray 2", 350, 500)),
        page_count=10_000 + n,
    )


def seeded_store(folder: Path) -> Store:
    store = Store.open(folder / "bench.sqlite3")
    with store.transaction() as tx:
        for n in range(DEVICES):
            tx.create_device(
                Device(
                    id=f"dev-{n}",
                    name=f"Printer {n}",
                    kind=DeviceKind.PRINTER,
                    identity=Identity.of(serial=f"SN{n:06d}", vendor="HP"),
                    vendor="HP",
                    address=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
                )
            )
    return store


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = seeded_store(folder)
        assert sum(1 for _ in metrics_of(_status(0, 0))) == 10
        # Statuses are built before timing: the benchmark is about writing them.
        rounds = [
            [(f"dev-{n}", _status(time.time() + 60 * r, n)) for n in range(DEVICES)]
            for r in range(8)
        ]

        def ours() -> None:
            store.write_poll_cycle(rounds.pop())

        conn = sqlite3.connect(folder / "baseline.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(
            "CREATE TABLE samples (device_id TEXT, metric TEXT, ts REAL, value REAL,"
            " PRIMARY KEY (device_id, metric, ts)) WITHOUT ROWID"
        )
        rows_ts = [time.time()]

        def baseline() -> None:
            rows_ts[0] += 60
            rows = [
                (f"dev-{n}", m, rows_ts[0], v)
                for n in range(DEVICES)
                for m, v in metrics_of(_status(rows_ts[0], n))
            ]
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO samples VALUES (?, ?, ?, ?)", rows)
            conn.execute("COMMIT")

        ours()  # warm caches and the rollup rows' first insert
        baseline()
        mine = timed(ours, 7)
        base = timed(baseline, 7)
        conn.close()
        store.close()
    return [line("store: poll cycle 1,000 devices × 10 metrics", mine, base, target=100)]

"""UI heartbeat while 1,000 device polls run inside qasync. Target: p99 gap ≤ 50 ms.

A 10 ms QTimer in an offscreen window records the gaps between its ticks while the app's
SNMP polls (against snmpsim's real recordings) and their store writes run on the same
loop. Baseline: the same timer on an idle loop, same run.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from tests.peers._proc import free_port
from tests.peers.snmp import SNMPREC_DIR, start_snmpsim

from bench.bench_snmp import POLLS, _plans
from bench.bench_store import seeded_store
from wardfleet.protocols.snmp import close_engine
from wardfleet.protocols.snmp_poll import poll
from wardfleet.store import Store

PARALLEL = 16


def _p99(gaps: list[float]) -> float:
    return statistics.quantiles(gaps, n=100)[98] * 1000


async def _heartbeat_during(work: asyncio.Future[Any] | None, seconds: float) -> list[float]:
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    try:
        if work is not None:
            await work
        else:
            await asyncio.sleep(seconds)
    finally:
        timer.stop()
    return gaps


async def _scenario(port: int, store: Store) -> tuple[list[float], list[float], float]:
    try:
        devices = await _plans("127.0.0.1", port)
        gate = asyncio.Semaphore(PARALLEL)

        async def one(i: int) -> None:
            _, session, plan = devices[i % len(devices)]
            async with gate:
                result = await poll(session, plan)
            await asyncio.to_thread(store.write_poll_cycle, [(f"dev-{i % 1000}", result.status)])

        start = time.perf_counter()
        work = asyncio.ensure_future(asyncio.gather(*(one(i) for i in range(POLLS))))
        busy = await _heartbeat_during(work, 0)
        elapsed = time.perf_counter() - start
        idle = await _heartbeat_during(None, min(elapsed, 5.0))
        return busy, idle, elapsed
    finally:
        close_engine()


def run() -> list[str]:
    app = QApplication.instance() or QApplication([])
    window = QLabel("heartbeat")
    window.show()
    with tempfile.TemporaryDirectory() as tmp:
        store = seeded_store(Path(tmp))  # 1,000 devices, as the monitor would write for
        port = free_port("udp")
        with start_snmpsim(SNMPREC_DIR, [("127.0.0.1", port)], Path(tmp) / "sim"):
            busy, idle, elapsed = qasync.run(_scenario(port, store))
        store.close()
    window.close()
    del app
    return [
        f"{'ui heartbeat: p99 gap, 1,000 polls in qasync':<48} {_p99(busy):8.1f} ms  "
        f"baseline idle {_p99(idle):6.1f} ms  ratio {_p99(busy) / _p99(idle):5.2f}x  "
        f"target ≤ 50 ms  ({_p99(busy) / 50:4.2f} of target; polls took {elapsed:.1f} s)"
    ]

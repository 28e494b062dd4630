"""Resident memory with 1,000 devices and the dashboard open. Target ≤ 300 MB.

The store holds 1,000 devices (``tests.ui.seed.seed_many``: realistic states and
supplies), ``WARDFLEET_BENCH_MEMORY_DAYS`` days of 5-minute and daily rollups for every
reachable one (``demo.history``, default 7: the dashboard's availability window) and the
alerts their statuses raise. The app then runs in a fresh process, so no other
benchmark's memory counts: offscreen, with ``--no-network``'s PassiveRuntime (it never
touches the network) extended to drive the window.
Once the rows are loaded it opens the Ward dashboard (and waits for its refresh), the
Graphs (7 days of one printer) and the Alerts, shows the dashboard again and refreshes
rows and dashboard a dozen times as poll rounds would (RSS creeps up ~1 MB a round for
about ten rounds, then stays flat), then reads ``VmRSS`` and ``VmHWM`` (the peak) from
``/proc/self/status``.

Baseline, same run: a process that imports PySide6 + pyqtgraph and shows an empty
QMainWindow offscreen. ``WARDFLEET_BENCH_MEMORY_PROFILE=1`` adds one more app run under
tracemalloc and prints its top 15 lines and Qt object counts (tracemalloc itself costs
memory, so that run is not one of the measured ones).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.report import line

DEVICES = 1000
DAYS = float(os.environ.get("WARDFLEET_BENCH_MEMORY_DAYS", "7"))
PROFILE_ENV = "WARDFLEET_BENCH_MEMORY_PROFILE"
PROFILE = os.environ.get(PROFILE_ENV) == "1"
RUNS = 3
TARGET_MB = 300.0
REFRESH_ROUNDS = 12  # RSS settles after about ten (allocator and Qt caches), then stays flat
STEP_TIMEOUT_S = 60.0
MARK = "BENCH_MEMORY "  # prefixes the child's one JSON line on stdout


def proc_memory() -> dict[str, float]:
    """This process's VmRSS and VmHWM (peak RSS), in MB."""
    out: dict[str, float] = {}
    for text in Path("/proc/self/status").read_text().splitlines():
        key, _, value = text.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024  # kB
    return out


# Seeding (parent process) -----------------------------------------------------------------
def seed(data_dir: Path) -> dict[str, int]:
    """1,000 devices, their rollup history and the alerts their statuses raise."""
    from tests.ui.seed import seed_many

    from wardfleet.demo.history import seed_history
    from wardfleet.domain.alerts import AlertDamper, AlertPolicy
    from wardfleet.store import Store

    store = Store.open(data_dir / "wardfleet.sqlite3")
    try:
        now = time.time()
        seed_many(store, DEVICES, now)
        rows = seed_history(store, DAYS, now)
        # The app's own rules, raising at the first bad poll (the seed has one poll each).
        damper = AlertDamper(AlertPolicy(raise_after=1, unreachable_after=1))
        events = [
            event
            for o in store.list_overview()
            if o.status is not None
            for event in damper.feed(o.device.id, o.status, now)
        ]
        store.apply_alert_events(events)
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return {"rollup_rows": rows, "alerts": len(events)}


# The app (child process) -----------------------------------------------------------------
async def _until(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"bench_memory: timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def _awaited(task: Any) -> None:
    if isinstance(task, asyncio.Future):
        await task


async def drive(window: Any, result: dict[str, Any]) -> None:
    """Rows loaded → dashboard → graphs → alerts → refresh rounds → measure."""
    from wardfleet.ui.graph_data import GraphRange

    await _until(lambda: window.model.rowCount() >= DEVICES, "the device rows")
    stages = result["stages"] = {"rows": proc_memory()["VmRSS"]}
    docks = window.insights
    docks.dashboard_dock.show()
    docks.dashboard_dock.raise_()
    dashboard = docks.ensure_dashboard()
    await _until(lambda: dashboard.availability.rowCount() >= DEVICES, "the dashboard")
    await _awaited(dashboard.refresh())
    stages["dashboard"] = proc_memory()["VmRSS"]

    printer = next(o for o in window.model.overviews() if o.status and o.status.supplies)
    docks.graphs_dock.raise_()
    graphs = docks.ensure_graphs()
    # Range first, then the device: one read, so no slower read of another range lands last.
    graphs.range_box.setCurrentIndex(list(GraphRange).index(GraphRange.WEEK))
    window.select_device(printer.device.id)

    def week_shown() -> bool:
        data = graphs.data
        return (
            data is not None
            and data.device_id == printer.device.id
            and data.until - data.since == GraphRange.WEEK.seconds
        )

    await _until(week_shown, "the 7-day graphs")
    stages["graphs"] = proc_memory()["VmRSS"]

    window.alerts.bring_forward()
    panel = window.alerts.ensure_panel()
    await _awaited(panel.reload())
    await _until(lambda: panel.open_model.rowCount() > 0, "the alerts")
    stages["alerts"] = proc_memory()["VmRSS"]

    docks.dashboard_dock.raise_()
    for _ in range(REFRESH_ROUNDS):  # as poll rounds would: rows, then the dashboard
        wanted = window.loader.load_count + 1
        window.loader.refresh_now()
        # The lambda reads `wanted` only within this round, so late binding is harmless.
        await _until(lambda: window.loader.load_count >= wanted, "a row reload")  # noqa: B023
        await _awaited(dashboard.refresh())
    await asyncio.sleep(0.5)  # let the views repaint
    result.update(proc_memory())
    stages[f"{REFRESH_ROUNDS} refreshes"] = result["VmRSS"]
    result["devices"] = window.model.rowCount()
    result["graph_points"] = sum(len(s.xs) for s in graphs.data.supplies) if graphs.data else 0
    result["alerts_open"] = panel.open_model.rowCount()
    result["dashboard_rows"] = dashboard.availability.rowCount()
    if PROFILE:
        result["profile"] = _profile(window)


def _profile(window: Any) -> dict[str, Any]:
    import gc
    import tracemalloc

    from PySide6.QtCore import QObject

    top = tracemalloc.take_snapshot().statistics("lineno")[:15]
    qt = Counter(type(o).__name__ for o in window.findChildren(QObject))
    py = Counter(type(o).__name__ for o in gc.get_objects())
    return {
        "traced_mb": tracemalloc.get_traced_memory()[0] / 2**20,
        "tracemalloc_top": [f"{s.size / 2**20:7.2f} MB  {s.traceback}" for s in top],
        "qt_objects": sum(qt.values()),
        "qt_top": qt.most_common(10),
        "python_top": py.most_common(10),
    }


def app_child(data_dir: Path) -> int:
    """Run the real app on ``data_dir`` with a runtime that drives it, then close it."""
    if PROFILE:
        import tracemalloc

        tracemalloc.start()
    from PySide6.QtWidgets import QApplication

    from wardfleet.ui.app import run_gui
    from wardfleet.ui.main_window import MainWindow
    from wardfleet.ui.options import GuiOptions
    from wardfleet.ui.runtime_api import PassiveRuntime

    result: dict[str, Any] = {}

    class DrivingRuntime(PassiveRuntime):
        """PassiveRuntime (no network) whose start runs the scenario beside the app."""

        async def start(self) -> None:
            window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
            self.task = asyncio.ensure_future(self._drive(window))

        async def _drive(self, window: MainWindow) -> None:
            try:
                await drive(window, result)
            except Exception as exc:
                result["error"] = repr(exc)
            finally:
                asyncio.get_running_loop().call_soon(window.close)

    code = run_gui(
        GuiOptions(data_dir=data_dir, runtime_factory=DrivingRuntime, single_instance=False)
    )
    print(MARK + json.dumps(result), flush=True)
    return code if "error" not in result else 1


def baseline_child() -> int:
    """PySide6 + pyqtgraph imported and an empty QMainWindow shown, nothing of ours."""
    import pyqtgraph  # noqa: F401
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1280, 780)
    window.show()
    result: dict[str, float] = {}

    def measure() -> None:
        result.update(proc_memory())
        app.quit()

    QTimer.singleShot(500, measure)
    app.exec()
    print(MARK + json.dumps(result), flush=True)
    return 0


# Parent ------------------------------------------------------------------------------------
def _child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_memory", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out: dict[str, Any] = {}
    for text in proc.stdout.splitlines():
        if text.startswith(MARK):
            out = json.loads(text[len(MARK) :])
    if proc.returncode != 0 or "VmRSS" not in out:
        why = out.get("error") or proc.stderr[-2000:]
        raise RuntimeError(f"bench_memory {args[0]} run failed ({proc.returncode}): {why}")
    return out


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        start = time.perf_counter()
        seeded = seed(data)
        seed_s = time.perf_counter() - start
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WARDFLEET_DATA_DIR": str(data)}
        env.pop(PROFILE_ENV, None)  # tracemalloc would inflate the measured runs
        apps = [_child(["app", str(data)], env) for _ in range(RUNS)]
        bases = [_child(["baseline"], env) for _ in range(RUNS)]
        profiled = _child(["app", str(data)], {**env, PROFILE_ENV: "1"}) if PROFILE else None
    rss = [a["VmRSS"] for a in apps]
    hwm = [a["VmHWM"] for a in apps]
    seen = apps[0]
    lines = [
        line(
            "memory: RSS, 1,000 devices, dashboard open",
            rss,
            [b["VmRSS"] for b in bases],
            target=TARGET_MB,
            unit="MB",
        ),
        line("memory: peak RSS (VmHWM), same runs", hwm, target=TARGET_MB, unit="MB"),
        f"{'memory: scenario':<48} {seen['devices']:,} rows, {seen['dashboard_rows']:,} "
        f"dashboard rows, {seen['alerts_open']} open alerts, {seen['graph_points']:,} graph "
        f"points; {seeded['rollup_rows']:,} rollup rows ({DAYS:g} d) seeded in {seed_s:.0f} s; "
        f"RSS per run {', '.join(f'{r:.0f}' for r in rss)} MB",
        f"{'memory: RSS after each step (first run)':<48} "
        + ", ".join(f"{step} {mb:.0f}" for step, mb in seen["stages"].items())
        + " MB",
    ]
    if profiled is not None:
        lines += _profile_lines(profiled)
    return lines


def _profile_lines(result: dict[str, Any]) -> list[str]:
    profile = result.get("profile") or {}
    out = [f"memory profile: traced by Python {profile.get('traced_mb', 0):.1f} MB"]
    out += [f"  {entry}" for entry in profile.get("tracemalloc_top", [])]
    out.append(f"  Qt objects under the window: {profile.get('qt_objects')}")
    out.append(f"  Qt types: {profile.get('qt_top')}")
    out.append(f"  Python types: {profile.get('python_top')}")
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["app"] and len(argv) == 2:
        return app_child(Path(argv[1]))
    if argv[:1] == ["baseline"]:
        return baseline_child()
    for text in run():
        print(text, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

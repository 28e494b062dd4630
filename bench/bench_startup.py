"""Launch to first window with 1,000 devices in the store. Target ≤ 1.5 s median.

The app runs with ``--no-network``: a benchmark never browses a real network. Measured
as the whole process (start, window shown with rows loading, orderly close:
``--quit-after 0``), so it is an upper bound. Baseline: a process that only does
``import PySide6.QtWidgets``, in the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.ui.seed import seed_many

from bench.report import line
from wardfleet.store import Store

RUNS = 5


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=60)  # fmt: skip
    return time.perf_counter() - start


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        store = Store.open(data / "wardfleet.sqlite3")
        seed_many(store, 1000)
        store.close()
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WARDFLEET_DATA_DIR": str(data)}
        app = [
            sys.executable,
            "-m",
            "wardfleet",
            "--data-dir",
            str(data),
            "--no-network",
            "--quit-after",
            "0",
        ]
        bare = [sys.executable, "-c", "import PySide6.QtWidgets"]
        _wall(app, env)  # first run compiles bytecode and warms the page cache
        ours = [_wall(app, env) for _ in range(RUNS)]
        base = [_wall(bare, env) for _ in range(RUNS)]
    return [line("startup: launch → window, 1,000 devices", ours, base, target=1500)]

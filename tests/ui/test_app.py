"""run_gui end to end, in subprocesses so a hang or crash fails a test, not pytest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from wardfleet.store import Store

from .seed import seed_many, seed_ward

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("WARDFLEET_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def seeded(data_dir: Path, many: int = 0) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(data_dir / "wardfleet.sqlite3")
    try:
        seed_many(store, many) if many else seed_ward(store)
    finally:
        store.close()
    return data_dir


PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from wardfleet.services.events import HubState, SyncSnapshot
from wardfleet.ui.app import run_gui
from wardfleet.ui.options import GuiOptions

calls = []

class ProbeRuntime:
    def __init__(self, store):
        app = QApplication.instance()
        calls.append(["created", QCoreApplication.applicationName(),
                      QCoreApplication.organizationName(), app.style().name(),
                      not app.windowIcon().isNull(), app.quitOnLastWindowClosed()])
    async def start(self):
        calls.append(["start"])
        if sys.argv[2] == "no-keyring":
            from keyring.errors import NoKeyringError
            raise NoKeyringError("No recommended backend was available")
    async def stop(self):
        calls.append(["stop"])
    def subscribe(self, listener):
        calls.append(["subscribe", type(listener).__name__])
    async def poll_now(self, device_id):
        calls.append(["poll", device_id])
    async def rescan(self):
        return 0
    def sync_snapshot(self):
        calls.append(["snapshot"])
        return SyncSnapshot(HubState.ONLINE, 0, None)

code = run_gui(GuiOptions(data_dir=Path(sys.argv[1]), runtime_factory=ProbeRuntime,
                          quit_after=1.5, single_instance=False))
print(json.dumps({"code": code, "calls": calls}))
"""


def test_run_gui_drives_the_runtime_through_its_life(tmp_path: Path) -> None:
    data = seeded(tmp_path / "data")
    result = run_python(PROBE, str(data), "ok")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    names = [c[0] for c in report["calls"]]
    assert names == ["created", "subscribe", "snapshot", "start", "stop"]
    assert report["calls"][0] == ["created", "Wardfleet", "Wardfleet", "fusion", True, False]
    assert report["calls"][1] == ["subscribe", "RuntimeBridge"]
    log = (data / "logs" / "wardfleet.log").read_text(encoding="utf-8")
    assert "stopped" in log
    assert (data / "logs" / "faulthandler.log").exists()
    assert (data / "ui-settings.ini").exists()  # window layout saved on close


def test_missing_keyring_is_explained_and_the_app_goes_on(tmp_path: Path) -> None:
    pytest.importorskip("keyring")
    data = seeded(tmp_path / "data")
    result = run_python(PROBE, str(data), "no-keyring")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert [c[0] for c in report["calls"]][-2:] == ["start", "stop"]
    log = (data / "logs" / "wardfleet.log").read_text(encoding="utf-8")
    assert "no keyring backend" in log and "unexpected error" not in log


def test_screenshot_mode_saves_pngs_and_quits(tmp_path: Path) -> None:
    data = seeded(tmp_path / "data")
    shots = tmp_path / "shots"
    result = run_python(
        "import sys; from wardfleet.ui.screenshot import main; sys.exit(main(sys.argv[1:]))",
        str(shots),
        "--data-dir",
        str(data),
    )
    assert result.returncode == 0, result.stderr
    # No demo IPP printer in this store, so no print-tab.png; every other shot is taken.
    for name in ("main.png", "detail.png", "alerts.png", "profile-editor.png", "deploy-wizard.png"):
        image = QImage(str(shots / name))
        assert not image.isNull(), name
    assert QImage(str(shots / "main.png")).width() >= 1000
    assert not (shots / "print-tab.png").exists()


@pytest.mark.slow
def test_a_thousand_devices_open_and_are_captured(tmp_path: Path) -> None:
    """The whole process with 1,000 devices reaches a window with rows and saves it.

    How fast is `make bench`'s business (bench/bench_startup.py), never a timed assert."""
    data = seeded(tmp_path / "data", many=1000)
    result = run_python(
        "import sys; from wardfleet.ui.screenshot import main; sys.exit(main(sys.argv[1:]))",
        str(tmp_path / "shots"),
        "--data-dir",
        str(data),
    )
    assert result.returncode == 0, result.stderr
    shot = tmp_path / "shots" / "main.png"
    assert shot.stat().st_size > 10_000  # a real picture of a full table, not an empty frame


def test_pyqtgraph_and_network_stacks_are_not_imported_at_start(tmp_path: Path) -> None:
    result = run_python(
        """
        import sys
        import wardfleet.ui.app
        heavy = [m for m in ("pyqtgraph", "numpy", "pysnmp", "zeroconf", "httpx", "keyring")
                 if m in sys.modules]
        print(heavy)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_quit_after_with_an_empty_data_dir(tmp_path: Path) -> None:
    result = run_python(
        """
        import sys
        from pathlib import Path
        from wardfleet.ui.app import run_gui
        from wardfleet.ui.options import GuiOptions
        sys.exit(run_gui(GuiOptions(data_dir=Path(sys.argv[1]), quit_after=0.3)))
        """,
        str(tmp_path / "fresh"),
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "fresh" / "wardfleet.sqlite3").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_closes_through_the_normal_path(tmp_path: Path) -> None:
    result = run_python(
        """
        import os, signal, sys, threading
        from pathlib import Path
        from wardfleet.ui.app import run_gui
        from wardfleet.ui.options import GuiOptions
        threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()
        sys.exit(run_gui(GuiOptions(data_dir=Path(sys.argv[1]), quit_after=30)))
        """,
        str(tmp_path / "data"),
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    log = (tmp_path / "data" / "logs" / "wardfleet.log").read_text(encoding="utf-8")
    assert "shutting down" in log and "stopped" in log

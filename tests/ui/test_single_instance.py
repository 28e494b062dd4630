"""One window per user and data folder (wardfleet.ui.single_instance)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer

from wardfleet.ui.single_instance import InstanceServer, activate_running, server_name


def unique_name() -> str:
    return f"wardfleet-test-{uuid.uuid4().hex[:12]}"


def test_server_name_is_per_user_and_data_dir(tmp_path: Path) -> None:
    a = server_name(tmp_path / "a", user="alice")
    assert a == server_name(tmp_path / "a", user="alice")
    assert a != server_name(tmp_path / "b", user="alice")
    assert a != server_name(tmp_path / "a", user="bob")
    assert len(a) < 40  # Unix socket paths are short


def test_nobody_listening_means_start_normally(qapp: Any) -> None:
    assert activate_running(unique_name(), timeout_ms=300) is False


def test_second_start_activates_the_first(qtbot: Any) -> None:
    name = unique_name()
    first = InstanceServer(name)
    assert first.listen()
    try:
        with qtbot.waitSignal(first.activateRequested, timeout=3000):
            assert activate_running(name) is True
    finally:
        first.close()


@pytest.mark.skipif(sys.platform == "win32", reason="stale socket files are a Unix matter")
def test_stale_socket_from_a_crash_is_replaced(qtbot: Any) -> None:
    name = unique_name()
    path = str(Path(QDir.tempPath()) / name)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)  # bound, never listening, never unlinked: what a crash leaves
    stale.close()
    try:
        assert activate_running(name, timeout_ms=300) is False
        server = InstanceServer(name)
        assert server.listen()
        with qtbot.waitSignal(server.activateRequested, timeout=3000):
            assert activate_running(name)
        server.close()
    finally:
        QLocalServer.removeServer(name)


SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from wardfleet.ui.app import run_gui
    from wardfleet.ui.options import GuiOptions
    sys.exit(run_gui(GuiOptions(data_dir=Path(sys.argv[1]), quit_after=float(sys.argv[2]))))
    """
)


def wait_for_log(path: Path, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(encoding="utf-8"):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
def test_second_process_hands_over_and_exits_zero(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    log = tmp_path / "logs" / "wardfleet.log"
    first = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(tmp_path), "6"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for_log(log, "listening for later starts", 15), log.read_text()
        second = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(tmp_path), "30"],
            env=env,
            capture_output=True,
            timeout=30,
            check=False,
        )
        assert second.returncode == 0, second.stderr.decode()
        assert wait_for_log(log, "already open", 5)
        assert wait_for_log(log, "brought to the front", 5)
        assert first.wait(timeout=30) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()

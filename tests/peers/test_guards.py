"""The autouse leak guards in tests/conftest.py catch what a test leaves behind."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

INNER_TESTS = """
import asyncio
import subprocess
import threading

release = threading.Event()

def test_clean():
    thread = threading.Thread(target=lambda: None)
    thread.start()  # ends within the grace period
    threading.Thread(target=release.wait, daemon=True).start()  # daemon: tolerated
    subprocess.run(["true"], check=True)

def test_leaks_thread():
    threading.Thread(target=release.wait, args=(10,), name="leaky-worker").start()

def test_leaks_process():
    subprocess.Popen(["sleep", "30"])

def test_leaks_task():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.create_task(asyncio.sleep(10), name="leaky-task")

def test_z_release():
    release.set()
    asyncio.set_event_loop(None)
"""


def test_guards_report_leaks(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["tests.conftest"]')
    pytester.makepyfile(test_inner=INNER_TESTS)
    pytester._monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester._monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "ignore", timeout=60)
    result.assert_outcomes(passed=5, errors=3)
    result.stdout.fnmatch_lines_random(
        [
            "*non-daemon threads still running: <Thread(leaky-worker*",
            "*child processes still running (killed now): pid *: sleep*",  # or just its comm
            "*asyncio tasks still pending on the current event loop*leaky-task*",
        ]
    )


def test_guard_is_cheap() -> None:
    # A stand-in for the guard's per-test work when nothing leaked.
    from tests import conftest

    last = conftest._last_pid()
    subprocess.run(["true"], check=True)  # a pid allocated since `last`, already reaped
    start = time.perf_counter()
    for _ in range(100):
        assert conftest._child_processes(last) == {}
    assert (time.perf_counter() - start) / 100 < 0.001

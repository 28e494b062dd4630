"""``python -m wardfleet.demo`` as the desktop app runs it: a subprocess on a fast clock."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.peers._policy import require_peer
from wardfleet.demo.ward import DEFAULT_SEED, Ward

ENV = {**os.environ, "MIBS": ":"}
SPEED = 20.0
ERROR_STATE = "1.3.6.1.2.1.25.3.5.1.2.1"


@contextmanager
def demo(*args: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "wardfleet.demo", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def jammed(target: str) -> bool | None:
    """The jammed bit of hrPrinterDetectedErrorState, None if no answer."""
    done = subprocess.run(
        [
            "snmpget",
            "-v2c",
            "-c",
            "public",
            "-On",
            "-Ox",
            "-t",
            "0.5",
            "-r",
            "0",
            target,
            ERROR_STATE,
        ],
        capture_output=True,
        text=True,
        timeout=10,
        env=ENV,
    )
    if done.returncode != 0:
        return None
    first_octet = done.stdout.split("Hex-STRING: ")[1].split()[0]
    return bool(int(first_octet, 16) & 0x04)


def wait_for(target: str, want: bool, within: float) -> float:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if jammed(target) is want:
            return time.monotonic()
        time.sleep(0.05)
    raise AssertionError(f"jammed never became {want} within {within} s")


@pytest.mark.peer("net-snmp")
def test_json_ready_live_jam_and_clean_sigterm() -> None:
    require_peer("net-snmp tools", "snmpget")
    jam = Ward(DEFAULT_SEED).model("w7-nurses-laser").jam
    assert jam is not None
    start_at = jam.start(0) - 10  # half a real second before the first jam
    args = ("--json-ready", "--base-port", "0", "--speed", str(SPEED), "--start-at", str(start_at))
    with demo(*args) as process:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        assert [set(entry) for entry in ready] == [
            {"name", "address", "port", "community", "kind"}
        ] * len(ready)
        assert len(ready) >= 9
        assert {e["kind"] for e in ready} >= {
            "printer",
            "mfd",
            "label-printer",
            "scanner",
            "monitor",
            "ups",
        }
        assert all(e["address"].startswith("127.") and e["community"] == "public" for e in ready)
        laser = next(e for e in ready if e["name"] == "w7-nurses-laser")
        target = f"{laser['address']}:{laser['port']}"

        appeared = wait_for(target, True, within=10 / SPEED + 3)
        cleared = wait_for(target, False, within=jam.duration / SPEED + 3)
        assert cleared - appeared == pytest.approx(jam.duration / SPEED, abs=0.6)

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
        rest, errors = process.communicate(timeout=5)
        assert rest == ""  # exactly one line on stdout
        assert "Traceback" not in errors


def test_sigint_stops_it_cleanly() -> None:
    with demo("--json-ready", "--base-port", "0") as process:
        assert process.stdout is not None
        assert json.loads(process.stdout.readline())
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=5) == 0


def test_exits_when_its_parent_goes_away() -> None:
    # The parent holds the child's stdin pipe; when the parent dies the pipe closes.
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wardfleet.demo",
            "--json-ready",
            "--base-port",
            "0",
            "--exit-with-parent",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    ) as process:
        assert process.stdout is not None and process.stdin is not None
        assert json.loads(process.stdout.readline())
        process.stdin.close()
        assert process.wait(timeout=5) == 0


def test_a_taken_port_is_a_clear_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as squatter:
        squatter.bind(("127.0.77.1", 0))
        port = squatter.getsockname()[1]
        with demo("--json-ready", "--base-port", str(port)) as process:
            assert process.wait(timeout=10) == 1
            out, err = process.communicate(timeout=5)
    assert out == ""
    assert "cannot bind 127.0.77.1" in err


def test_timeline_lists_the_schedule() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wardfleet.demo", "--timeline", "4"],
        capture_output=True,
        text=True,
        timeout=30,
        env=ENV,
    )
    assert done.returncode == 0, done.stderr
    assert "w7-nurses-laser" in done.stdout and "Paper jam in tray 2" in done.stdout
    assert "w7-bayb-laser            offline" in done.stdout

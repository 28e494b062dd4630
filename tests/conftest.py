"""Suite-wide test setup: headless Qt, the peer fixtures, the CI skip rule, leak guards."""

import os

# Before anything can import Qt: every QApplication in the suite is offscreen unless the
# caller chose otherwise (e.g. QT_QPA_PLATFORM=xcb under xvfb-run for screenshots).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio
import signal
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .peers._policy import PeerUnavailable, ci_failure, ci_strict
from .peers._proc import PEER_PIDS

if TYPE_CHECKING:
    from .keyring_memory import MemoryKeyring

# pytester: the policy and guard tests run throwaway pytest sessions.
pytest_plugins = ["pytester", "tests.peers.plugin"]


# --- CI: a skipped peer test is a failure ------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if not report.skipped or hasattr(report, "wasxfail"):
        return report
    exc = call.excinfo.value if call.excinfo is not None else None
    if isinstance(exc, pytest.skip.Exception):
        reason = exc.msg or "skipped"
    else:  # a skip report made elsewhere: (path, lineno, "Skipped: reason")
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    if isinstance(exc, PeerUnavailable):
        # Report it like a plain skip, at the test rather than inside the helper that raised.
        path, lineno, _ = item.reportinfo()
        report.longrepr = (str(path), (lineno or 0) + 1, f"Skipped: {reason}")
    marker = item.get_closest_marker("peer")
    if ci_strict() and (marker is not None or isinstance(exc, PeerUnavailable)):
        peer = f"[{marker.args[0]}] " if marker is not None and marker.args else ""
        report.outcome = "failed"
        report.longrepr = ci_failure(peer + reason)
    return report


# --- Leak guards -------------------------------------------------------------------------

_THREAD_GRACE = 1.0  # seconds a finished test's threads get to wind down
_NS_LAST_PID = Path("/proc/sys/kernel/ns_last_pid")


def _last_pid() -> int | None:
    try:
        return int(_NS_LAST_PID.read_bytes())
    except (OSError, ValueError):
        return None  # not Linux, or no procfs


def _child_processes(newer_than: int | None) -> dict[int, str]:
    """Running (non-zombie) children of this process with pid > ``newer_than``, by pid.

    Pids grow until they wrap, so a child started during the test has a pid above the
    last one allocated before it: only those /proc entries are read, which keeps the
    check at tens of microseconds. (No /proc/PID/task/TID/children: not every kernel
    has CONFIG_PROC_CHILDREN.)
    """
    me = os.getpid()
    found = {}
    with os.scandir("/proc") as entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            if (newer_than is not None and pid <= newer_than) or pid in PEER_PIDS:
                continue
            try:
                stat = Path(entry.path, "stat").read_bytes()
                # comm may hold spaces and ")": the fields start after the last ")".
                state, ppid = stat[stat.rindex(b")") + 2 :].split(b" ", 2)[:2]
                if int(ppid) != me or state == b"Z":
                    continue
                cmdline = Path(entry.path, "cmdline").read_bytes()
            except OSError:
                continue  # exited meanwhile
            # cmdline reads empty while a process is being torn down (or its mm swapped):
            # fall back to the command name from stat, so the report still names it.
            comm = stat[stat.index(b"(") + 1 : stat.rindex(b")")]
            name = cmdline.replace(b"\0", b" ").strip() or comm
            found[pid] = name.decode(errors="replace")
    return found


def _current_loop() -> asyncio.AbstractEventLoop | None:
    # The loop set for this thread, without creating one as get_event_loop() might.
    local = getattr(asyncio.get_event_loop_policy(), "_local", None)
    loop: asyncio.AbstractEventLoop | None = getattr(local, "_loop", None)
    return loop


def _pending_tasks(loop: asyncio.AbstractEventLoop | None) -> set[asyncio.Task[object]]:
    if loop is None or loop.is_closed():
        return set()
    return {t for t in asyncio.all_tasks(loop) if not t.done()}


@pytest.fixture(autouse=True)
def _leak_guard() -> Iterator[None]:
    """Fail a test that leaves behind non-daemon threads, pending asyncio tasks on the
    current loop, or running child processes.

    Daemon threads are tolerated: they cannot keep the interpreter alive, and libraries
    start long-lived ones. Peer fixtures' processes are exempt (tests/peers/_proc.PEER_PIDS).
    Leaked children are killed after being reported, so one leak cannot cascade.
    """
    threads_before = set(threading.enumerate())
    tasks_before = _pending_tasks(_current_loop())
    last_pid = _last_pid()
    yield

    problems = []
    threads = [t for t in threading.enumerate() if t not in threads_before and not t.daemon]
    if threads:
        deadline = time.monotonic() + _THREAD_GRACE
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        threads = [t for t in threads if t.is_alive()]
        if threads:
            problems.append("non-daemon threads still running: " + ", ".join(map(repr, threads)))

    tasks = _pending_tasks(_current_loop()) - tasks_before
    if tasks:
        problems.append(
            "asyncio tasks still pending on the current event loop (cancel and await them): "
            + ", ".join(repr(t) for t in sorted(tasks, key=id)[:5])
        )

    if last_pid is not None:
        now = _last_pid()
        # If pids wrapped around during the test, read every entry.
        children = _child_processes(last_pid if now is not None and now >= last_pid else None)
        if children:
            problems.append(
                "child processes still running (killed now): "
                + "; ".join(f"pid {pid}: {cmd}" for pid, cmd in children.items())
            )
            _kill(children)

    if problems:
        pytest.fail("Test leaked resources:\n  " + "\n  ".join(problems), pytrace=False)


def _kill(pids: Iterable[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)  # the owner's Popen.wait() then reports returncode 0
        except (ProcessLookupError, ChildProcessError):
            pass


# --- Keyring -----------------------------------------------------------------------------


@pytest.fixture
def memory_keyring() -> Iterator["MemoryKeyring"]:
    """An empty in-memory keyring as the process's backend; the previous one comes back
    afterwards. ``memory_keyring.subprocess_env()`` hands a copy to a child process."""
    import keyring

    from .keyring_memory import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)

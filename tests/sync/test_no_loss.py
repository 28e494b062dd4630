"""No change is lost, and none arrives twice (DESIGN.md, "Tests that prove no loss").

Each test ends by counting at the hub: this node's seqs 1..N, each exactly once.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sync.desktops import Desktop, assert_exactly_once, hub_log
from tests.sync.faults import AfterFirstPushSent, FailFirst, FailingPages, LoseReplies, wait_for
from tests.sync.hubs import WARD, ProcessHub, ThreadHub, Tokens, thread_hub
from wardfleet.domain.change import ChangeKind
from wardfleet.hub.db import HubDatabase
from wardfleet.sync.backoff import Backoff
from wardfleet.sync.client import HubRefused, HubUnavailable
from wardfleet.sync.connectivity import LinkState, SyncLoop, SyncStatus

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def desktop_process() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.desktop_proc", *args],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _expect(proc: subprocess.Popen[str], word: str, timeout: float = 30.0) -> None:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            proc.kill()
            raise AssertionError(f"no {word!r} from the desktop process within {timeout} s")
    line = proc.stdout.readline().strip()
    if line != word:
        proc.kill()
        err = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"desktop process said {line!r}, not {word!r}\n{err[-2000:]}")


def _kill9(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(10) == -signal.SIGKILL


def test_a_kill_after_the_local_commit_loses_nothing(
    tmp_path: Path,
    desktop_process: Callable[..., subprocess.Popen[str]],
    make_desktop: Callable[..., Desktop],
    hub_db: HubDatabase,
) -> None:
    path = tmp_path / "a.sqlite3"
    proc = desktop_process("write", str(path), "40")
    _expect(proc, "committed")
    _kill9(proc)  # after the commit, before any push
    desktop = make_desktop("a")  # the same file, as the restarted app opens it
    assert desktop.store.outbox_count() == 40
    assert desktop.sync().pushed == 40
    assert_exactly_once(hub_db, desktop.node_id, 40)
    assert desktop.store.outbox_count() == 0


def test_a_kill_while_applying_a_pull_resumes_from_the_checkpoint(
    tmp_path: Path,
    desktop_process: Callable[..., subprocess.Popen[str]],
    make_desktop: Callable[..., Desktop],
    hub: ThreadHub,
    tokens: Tokens,
) -> None:
    source = make_desktop("source")
    source.create(*range(100))
    source.sync()
    path = tmp_path / "b.sqlite3"
    proc = desktop_process("pull", str(path), hub.url, tokens.lead2, WARD, "20", "3")
    _expect(proc, "mid-apply")  # pages 1-2 committed, page 3 written but not committed
    _kill9(proc)
    restarted = make_desktop("b", token=tokens.lead2)
    assert restarted.store.pull_cursor() == 40
    assert restarted.count("remote_changes") == 40
    pages = restarted.pull()
    assert sum(p.applied for p in pages) == 60 and sum(p.duplicates for p in pages) == 0
    assert restarted.count("remote_changes") == 100
    assert restarted.inventory() == source.inventory()


def test_resume_from_the_checkpoint_after_the_network_drops(
    make_desktop: Callable[..., Desktop], tokens: Tokens
) -> None:
    source = make_desktop("source")
    source.create(*range(50))
    source.sync()
    reader = make_desktop("reader", token=tokens.lead2, page_size=10)
    flaky = FailingPages(pages=3)
    with pytest.raises(HubUnavailable):
        reader.pull(transport=flaky)
    assert reader.store.pull_cursor() == 30
    again = FailingPages(pages=100)
    reader.pull(transport=again)
    assert again.sinces[0] == 30  # it asked from the checkpoint, not from the start
    assert reader.count("remote_changes") == 50
    assert reader.inventory() == source.inventory()


def test_a_reply_lost_after_the_hub_committed_is_not_applied_twice(
    make_desktop: Callable[..., Desktop], hub_db: HubDatabase
) -> None:
    desktop = make_desktop("a", batch_size=25)
    desktop.create(*range(60))
    lossy = LoseReplies(count=1)
    with pytest.raises(HubUnavailable):
        desktop.push(transport=lossy)
    assert lossy.lost == [200]  # the hub had applied the first batch ...
    assert desktop.store.outbox_count() == 60  # ... but the desktop never heard so
    assert_exactly_once(hub_db, desktop.node_id, 25)
    assert desktop.push() == 60
    assert_exactly_once(hub_db, desktop.node_id, 60)


def test_one_bad_change_in_a_batch_of_ten(
    make_desktop: Callable[..., Desktop], hub_db: HubDatabase
) -> None:
    desktop = make_desktop("a")
    desktop.create(1)
    for n in range(2, 11):
        if n == 5:  # a change the hub cannot take: no such inventory field
            with desktop.store.transaction() as tx:
                tx.emit(ChangeKind.DEVICE_UPSERT, "dev-1", {"fields": {"colour": "teal"}})
        else:
            desktop.edit("dev-1", notes=f"note {n}")
    with pytest.raises(HubRefused, match="rejected change 5"):
        desktop.push()
    assert_exactly_once(hub_db, desktop.node_id, 4)
    assert [c.seq for c in desktop.store.outbox_pending()] == list(range(5, 11))
    # The fix (here: the outbox row repaired, as an upgraded app would) delivers the rest.
    with desktop.store.transaction_raw() as conn:
        conn.execute(
            "UPDATE outbox SET payload = ? WHERE seq = 5", ('{"fields": {"notes": "fixed"}}',)
        )
    assert desktop.push() == 6
    assert_exactly_once(hub_db, desktop.node_id, 10)


def test_a_hub_killed_mid_batch_gets_the_batch_exactly_once(
    tmp_path: Path, hub_db_url: str, hub_db: HubDatabase, tokens: Tokens
) -> None:
    server = ProcessHub(hub_db_url, tmp_path)
    server.start()
    desktop = Desktop(tmp_path / "a.sqlite3", server.url, tokens.lead, WARD, batch_size=1000)
    try:
        for start in range(0, 1000, 250):
            desktop.create(*range(start, start + 250))
        killed: list[bool] = []

        def kill_soon() -> None:
            # The whole batch is on the wire; the hub is parsing or applying it.
            asyncio.get_running_loop().call_later(
                0.03, lambda: (server.kill(), killed.append(True))
            )

        with pytest.raises(HubUnavailable):
            desktop.push(transport=AfterFirstPushSent(kill_soon))
        assert killed
        committed_before_death = len(hub_log(hub_db, desktop.node_id))
        assert committed_before_death in (0, 1000)  # all of the batch or none of it
        server.start()  # same database, same port
        assert desktop.push() == 1000
        assert_exactly_once(hub_db, desktop.node_id, 1000)
    finally:
        desktop.close()
        server.stop()


def test_a_hub_that_fails_n_times_is_retried_with_backoff_until_it_recovers(
    make_desktop: Callable[..., Desktop], hub_db: HubDatabase
) -> None:
    failing: list[FailFirst] = []
    server = thread_hub(hub_db, wrap=lambda app: failing.append(FailFirst(app, 4)) or failing[0])
    desktop = make_desktop("a", url=server.url)
    desktop.create(*range(30))
    states: list[SyncStatus] = []

    async def scenario() -> None:
        loop = SyncLoop(
            desktop.store,
            desktop.settings,
            on_status=states.append,
            token_source=lambda _: desktop.token,
            backoff=Backoff(base_s=0.01, cap_s=0.05),
        )
        loop.start()
        try:
            await wait_for(lambda: loop.status.state is LinkState.ONLINE, 10, "online")
        finally:
            await loop.stop()

    try:
        asyncio.run(scenario())
    finally:
        server.stop()
    assert failing[0].failed == 4
    offline = [s for s in states if s.state is LinkState.OFFLINE]
    assert len(offline) == 4 and "503" in offline[0].message
    assert states[-1].state is LinkState.ONLINE and states[-1].queued == 0
    assert_exactly_once(hub_db, desktop.node_id, 30)
    assert len(hub_log(hub_db)) == 30

"""The desktop side against a real hub: sharing edits, clocks, what crosses the wire, and
the connectivity watch's states (offline start, refused, online)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.store.factories import status
from tests.sync.desktops import Desktop, hub_devices, hub_log
from tests.sync.faults import wait_for
from tests.sync.hubs import WARD, ThreadHub, Tokens
from wardfleet.domain.change import ChangeKind
from wardfleet.hub import schema
from wardfleet.hub.db import HubDatabase
from wardfleet.store.samples import FIVE_MIN
from wardfleet.sync.backoff import Backoff
from wardfleet.sync.client import HubRefused, SyncResult
from wardfleet.sync.connectivity import LinkState, SyncLoop, SyncStatus

HOUR_MS = 3_600_000


def test_two_desktops_of_a_ward_share_their_edits(
    make_desktop: Callable[..., Desktop], hub_db: HubDatabase, tokens: Tokens
) -> None:
    a = make_desktop("a")
    b = make_desktop("b", token=tokens.lead2)
    a.create(1, 2)
    a.edit("dev-1", location="Room 12")
    assert a.sync().pushed == 3
    got = b.sync()
    assert (got.pulled, set(got.device_ids)) == (3, {"dev-1", "dev-2"})
    b.edit("dev-2", notes="paper jam on Mondays")
    b.sync()
    back = a.sync()  # its own three changes come back too, and are recognised
    assert (back.pulled, back.device_ids) == (1, ("dev-2",))
    assert a.inventory() == b.inventory()
    assert hub_devices(hub_db)["dev-2"]["notes"] == "paper jam on Mondays"


def test_a_later_edit_wins_over_a_desktop_whose_clock_is_an_hour_fast(
    make_desktop: Callable[..., Desktop], tokens: Tokens
) -> None:
    a = make_desktop("a")
    fast = make_desktop(
        "fast", token=tokens.lead2, clock_ms=lambda: time.time_ns() // 1_000_000 + HOUR_MS
    )
    a.create(1)
    a.sync()
    fast.sync()
    fast.edit("dev-1", name="Set by the fast clock")
    fast.sync()
    a.sync()
    # A's wall clock is an hour behind that edit, but its HLC observed it: A's next edit
    # orders after it instead of losing to it for an hour.
    a.edit("dev-1", name="Set later by A")
    a.sync()
    fast.sync()
    assert a.inventory()["dev-1"]["name"] == fast.inventory()["dev-1"]["name"] == "Set later by A"


def test_only_rollups_cross_the_wire_never_raw_samples(
    make_desktop: Callable[..., Desktop], hub_db: HubDatabase
) -> None:
    a = make_desktop("a")
    a.create(1)
    start = (int(time.time()) // FIVE_MIN - 3) * FIVE_MIN
    for minute in range(10):  # two 5-minute buckets
        a.store.write_poll_cycle([("dev-1", status(start + 60 * minute, toner=90 - minute))])
    assert a.store.close_finished_buckets(start + 3 * FIVE_MIN) == 2
    assert a.count("samples") > 0
    a.sync()
    with hub_db.read() as conn:
        rows = conn.execute(schema.changes.select()).all()
    assert {r.kind for r in rows} == {ChangeKind.DEVICE_UPSERT.value, ChangeKind.ROLLUP.value}
    rollups = [r for r in rows if r.kind == ChangeKind.ROLLUP.value]
    assert len(rollups) == 2 and all('"metrics"' in r.payload for r in rollups)


def test_a_helpdesk_diagnostic_request_reaches_the_ward_desktop(
    make_desktop: Callable[..., Desktop], tokens: Tokens
) -> None:
    ward = make_desktop("ward")
    desk = make_desktop("desk", token=tokens.helpdesk, ward=None)
    ward.create(1)
    ward.sync()
    desk.sync()
    assert desk.store.get_device("dev-1") is not None  # the helpdesk sees every ward
    with desk.store.transaction() as tx:
        tx.emit(ChangeKind.DIAGNOSTIC_REQUEST, "dev-1", {"action": "test-page"})
    assert desk.sync().pushed == 1
    assert ward.sync().diagnostics == 1
    [request] = ward.store.pending_diagnostics()
    assert (request.device_id, request.action, request.requested_by) == (
        "dev-1",
        "test-page",
        desk.node_id,
    )


def test_a_gap_is_shown_and_requeueing_repairs_it(
    make_desktop: Callable[..., Desktop], hub_db: HubDatabase
) -> None:
    a = make_desktop("a")
    a.create(1, 2, 3)
    a.store.mark_sent(2)  # as if acknowledged by a hub that was then restored from backup
    with pytest.raises(HubRefused, match="expects change 1"):
        a.push()
    assert a.store.requeue_outbox(1) == 2
    assert a.push() == 3
    assert len(hub_log(hub_db, a.node_id)) == 3


# --- The connectivity watch ---------------------------------------------------------------


def _run_loop(
    desktop: Desktop,
    until: Callable[[SyncLoop], bool],
    *,
    token: str | None = "use-desktop",
    then: Callable[[SyncLoop], object] | None = None,
    timeout: float = 10.0,
    **options: object,
) -> tuple[list[SyncStatus], list[SyncResult]]:
    states: list[SyncStatus] = []
    results: list[SyncResult] = []

    async def scenario() -> None:
        loop = SyncLoop(
            desktop.store,
            desktop.settings,
            on_status=states.append,
            on_synced=results.append,
            token_source=lambda _: desktop.token if token == "use-desktop" else token,
            **options,  # type: ignore[arg-type]
        )
        started = time.monotonic()
        loop.start()
        assert time.monotonic() - started < 0.05  # start() never waits on the network
        try:
            await wait_for(lambda: until(loop), timeout, "the expected sync state")
            if then is not None:
                outcome = then(loop)
                if asyncio.iscoroutine(outcome):
                    await outcome
        finally:
            await loop.stop()

    asyncio.run(scenario())
    return states, results


def test_online_sync_reports_last_sync_and_changed_devices(
    make_desktop: Callable[..., Desktop], tokens: Tokens
) -> None:
    a = make_desktop("a")
    a.create(1)
    a.sync()
    b = make_desktop("b", token=tokens.lead2)
    states, results = _run_loop(b, lambda loop: loop.status.state is LinkState.ONLINE)
    assert [s.state for s in states] == [LinkState.SYNCING, LinkState.ONLINE]
    assert states[-1].last_sync is not None and states[-1].queued == 0
    assert results[0].device_ids == ("dev-1",)


def test_offline_start_works_and_sync_now_retries_at_once(tmp_path: Path) -> None:
    dead = Desktop(tmp_path / "a.sqlite3", "http://127.0.0.1:9", "token", WARD)  # nothing there
    dead.create(1, 2)
    states: list[SyncStatus] = []

    def offline() -> list[SyncStatus]:
        return [s for s in states if s.state is LinkState.OFFLINE]

    async def scenario() -> None:
        loop = SyncLoop(
            dead.store,
            dead.settings,
            on_status=states.append,
            token_source=lambda _: "token",
            backoff=Backoff(base_s=60, cap_s=60),  # the next automatic try is a minute away
        )
        started = time.monotonic()
        loop.start()
        assert time.monotonic() - started < 0.05  # start() never waits on the network
        try:
            await wait_for(lambda: len(offline()) == 1, 5, "offline")
            loop.sync_now()  # the user asks: no waiting out the backoff
            await wait_for(lambda: len(offline()) == 2, 2, "an immediate retry")
        finally:
            await loop.stop()

    try:
        asyncio.run(scenario())
        with dead.store.transaction() as tx:  # the app works fully while offline
            tx.update_device("dev-1", {"location": "Room 3"})
        assert dead.store.outbox_count() == 3
    finally:
        dead.close()
    assert offline()[0].queued == 2
    assert "unreachable" in offline()[0].message and "retrying in" in offline()[0].message


def test_a_refused_token_needs_a_person_not_a_retry(
    make_desktop: Callable[..., Desktop], tokens: Tokens
) -> None:
    a = make_desktop("a", token="wfh_000000000000_" + "A" * 43)
    calls: list[int] = []

    def counting(loop: SyncLoop) -> object:
        async def stays_refused() -> None:
            before = len(calls)
            await asyncio.sleep(0.3)  # a backoff would have retried by now
            assert len(calls) == before

        return stays_refused()

    class Counting(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            calls.append(1)
            return await super().handle_async_request(request)

    states, _ = _run_loop(
        a,
        lambda loop: loop.status.state is LinkState.REFUSED,
        then=counting,
        transport=Counting(),
        backoff=Backoff(base_s=0.01, cap_s=0.01),
    )
    assert "token" in states[-1].message and "revoked" in states[-1].message
    assert len(calls) == 1


def test_no_stored_token_is_refused_with_instructions(make_desktop: Callable[..., Desktop]) -> None:
    a = make_desktop("a")
    states, _ = _run_loop(a, lambda loop: loop.status.state is LinkState.REFUSED, token=None)
    assert "no hub token" in states[-1].message


def test_not_configured_is_a_state_not_an_error(make_desktop: Callable[..., Desktop]) -> None:
    a = make_desktop("a")

    async def scenario() -> SyncStatus:
        loop = SyncLoop(a.store, None)
        loop.start()
        await asyncio.sleep(0.05)
        await loop.stop()
        return loop.status

    assert asyncio.run(scenario()).state is LinkState.NOT_CONFIGURED


def test_a_change_too_big_to_send_is_refused_by_name_not_retried(tmp_path: Path) -> None:
    desktop = Desktop(tmp_path / "a.sqlite3", "http://127.0.0.1:9", "token", WARD)
    try:
        desktop.create(1)
        desktop.edit("dev-1", notes="x" * 70_000)  # over the 64 KiB payload limit
        with pytest.raises(HubRefused, match="change 2 cannot be sent"):
            desktop.push()
    finally:
        desktop.close()


def test_an_unreadable_ca_file_is_refused_and_a_broken_listener_does_not_stop_syncing(
    tmp_path: Path, make_desktop: Callable[..., Desktop], hub: ThreadHub
) -> None:
    bad_ca = tmp_path / "ca.pem"
    bad_ca.write_text("not a certificate")
    desktop = make_desktop("a")
    desktop.settings = type(desktop.settings)(url=hub.url, ward=WARD, ca_file=bad_ca)
    states, _ = _run_loop(desktop, lambda loop: loop.status.state is LinkState.REFUSED)
    assert "CA file" in states[-1].message

    good = make_desktop("b")
    good.create(1)

    def broken(_: object) -> None:
        raise RuntimeError("listener bug")

    async def scenario() -> None:
        loop = SyncLoop(
            good.store,
            good.settings,
            on_status=broken,
            on_synced=broken,
            token_source=lambda _: good.token,
        )
        loop.start()
        try:
            await wait_for(lambda: loop.status.state is LinkState.ONLINE, 10, "online")
            good.edit("dev-1", notes="after a listener failed")
            loop.sync_now()
            await wait_for(lambda: good.store.outbox_count() == 0, 10, "the next sync")
        finally:
            await loop.stop()

    asyncio.run(scenario())

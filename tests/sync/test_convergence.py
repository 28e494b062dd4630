"""Two ward desktops and a helpdesk, editing offline and syncing in random orders, end with
identical inventories, and the same as the hub's (DESIGN.md: convergence, a clock one hour
fast)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sync.desktops import Desktop, hub_devices
from tests.sync.hubs import ThreadHub, Tokens, add_user
from wardfleet.domain.change import ChangeKind
from wardfleet.hub import accounts
from wardfleet.hub.db import HubDatabase
from wardfleet.store.inventory import SYNCED_FIELDS
from wardfleet.sync.wire import Role, WardCreate

DEVICES = 3
FIELDS = ("name", "location", "notes")
VALUES = ("", "Ward 3 desk", "Room 12", "Printer Süd", "x")

edits = st.tuples(
    st.just("edit"),
    st.sampled_from("ab"),
    st.integers(0, DEVICES - 1),
    st.sampled_from(FIELDS),
    st.sampled_from(VALUES),
)
syncs = st.tuples(st.just("sync"), st.sampled_from("abh"))
diagnostics = st.tuples(st.just("diag"), st.integers(0, DEVICES - 1))
merges = st.tuples(
    st.just("merge"),
    st.sampled_from("ab"),
    st.integers(0, DEVICES - 1),
    st.integers(0, DEVICES - 1),
)
operations = st.lists(
    st.one_of(edits, edits, syncs, syncs, diagnostics, merges), min_size=1, max_size=25
)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _apply(desktops: dict[str, Desktop], op: tuple[Any, ...], ids: list[str]) -> None:
    kind = op[0]
    if kind == "sync":
        desktops[op[1]].sync()
    elif kind == "edit":
        _, who, n, name, value = op
        if desktops[who].store.get_device(ids[n]) is not None:  # not deleted here
            desktops[who].edit(ids[n], **{name: value})
    elif kind == "diag":
        helpdesk = desktops["h"]
        if helpdesk.store.get_device(ids[op[1]]) is not None:
            with helpdesk.store.transaction() as tx:
                tx.emit(ChangeKind.DIAGNOSTIC_REQUEST, ids[op[1]], {"action": "repoll"})
    else:
        _, who, target, absorbed = op
        store = desktops[who].store
        if target != absorbed and store.get_device(ids[target]) and store.get_device(ids[absorbed]):
            with store.transaction() as tx:
                tx.absorb_device(ids[target], ids[absorbed])


def _check_converges(
    hub: ThreadHub, hub_db: HubDatabase, tmp: Path, ops: list[tuple[Any, ...]], fast: bool
) -> None:
    ward = f"W-{uuid.uuid4().hex[:8]}"
    with hub_db.write() as conn:
        accounts.add_ward(conn, WardCreate(name=ward), time.time())
    folder = tmp / ward
    clock_b: Callable[[], int] = (lambda: _now_ms() + 3_600_000) if fast else _now_ms
    desktops = {
        "a": Desktop(folder / "a.sqlite3", hub.url, add_user(hub_db, Role.WARD_LEAD, ward), ward),
        "b": Desktop(
            folder / "b.sqlite3",
            hub.url,
            add_user(hub_db, Role.WARD_LEAD, ward),
            ward,
            clock_ms=clock_b,
        ),
        "h": Desktop(folder / "h.sqlite3", hub.url, add_user(hub_db, Role.HELPDESK), None),
    }
    try:
        ids = desktops["a"].create(*range(DEVICES), prefix=ward)
        for who in "abh":
            desktops[who].sync()
        for op in ops:
            _apply(desktops, op, ids)
        for _ in range(2):  # everyone online again: two rounds carry every change everywhere
            for who in "abh":
                desktops[who].sync()
        views = {who: {i: d.inventory()[i] for i in ids} for who, d in desktops.items()}
        assert views["a"] == views["b"] == views["h"], ops
        at_hub = hub_devices(hub_db)
        for i in ids:
            assert {k: at_hub[i].get(k) for k in ("deleted", *SYNCED_FIELDS)} == views["a"][i]
        for desktop in desktops.values():
            assert desktop.store.outbox_count() == 0
    finally:
        for desktop in desktops.values():
            desktop.close()


def test_random_offline_edits_converge(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens, tmp_path: Path
) -> None:
    @settings(
        max_examples=int(os.environ.get("WARDFLEET_CONVERGENCE_EXAMPLES", "30")),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(ops=operations, fast=st.booleans())
    def converges(ops: list[tuple[Any, ...]], fast: bool) -> None:
        _check_converges(hub, hub_db, tmp_path, ops, fast)

    converges()


def test_a_clock_one_hour_fast_still_converges(
    hub: ThreadHub, hub_db: HubDatabase, tmp_path: Path
) -> None:
    # Both edit the same field while offline; the fast clock's edit wins everywhere.
    ops = [
        ("edit", "a", 0, "name", "Room 12"),
        ("edit", "b", 0, "name", "x"),
        ("sync", "a"),
        ("sync", "b"),
        ("edit", "a", 0, "name", "Printer Süd"),
    ]
    _check_converges(hub, hub_db, tmp_path, ops, fast=True)

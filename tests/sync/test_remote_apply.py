"""Applying pulled changes to a desktop's store (store/remote.py), without a hub."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.store.factories import device
from wardfleet.domain.change import Change, ChangeKind
from wardfleet.domain.hlc import Timestamp
from wardfleet.store import Store, remote
from wardfleet.store.migrations import LATEST_VERSION, schema_version

OTHER = "9d0c5f0e-other-node"


def _remote(
    seq: int, kind: ChangeKind, entity: str, payload: dict[str, Any], *, ms: int, node: str = OTHER
) -> Change:
    return Change(
        node_id=node,
        seq=seq,
        op_id=f"{node}-{seq}",
        hlc=Timestamp(ms, 0, node).encode(),
        kind=kind,
        entity=entity,
        payload=payload,
    )


def _upsert(seq: int, entity: str, ms: int, node: str = OTHER, **fields: Any) -> Change:
    return _remote(seq, ChangeKind.DEVICE_UPSERT, entity, {"fields": fields}, ms=ms, node=node)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "w.sqlite3", clock_ms=lambda: 1_000_000)
    yield s
    s.close()


def test_the_new_tables_come_with_a_migration_step(store: Store) -> None:
    assert schema_version(store.db.conn) == LATEST_VERSION
    tables = {r[0] for r in store.db.conn.execute("SELECT name FROM sqlite_master")}
    assert {"remote_changes", "diagnostic_requests"} <= tables


def test_a_remote_device_appears_with_its_fields_and_identity(store: Store) -> None:
    change = _upsert(1, "r-1", 2_000_000, name="Remote", kind="printer", serial="SN1", vendor="HP")
    result = store.apply_remote([change], cursor=5)
    assert (result.applied, result.device_ids) == (1, ("r-1",))
    got = store.get_device("r-1")
    assert got is not None and got.name == "Remote" and got.identity.serial == "SN1"
    with store.transaction() as tx:  # local discovery finds it by its serial
        assert set(tx.find_by_keys(got.identity.strong_keys()).values()) == {"r-1"}
    assert store.pull_cursor() == 5


def test_last_writer_wins_per_field_and_the_loser_is_kept(store: Store) -> None:
    with store.transaction() as tx:
        tx.create_device(device(1))  # local hlc at 1_000_000 ms
    older = _upsert(1, "dev-1", 500_000, name="Older", location="Old room")
    newer = _upsert(2, "dev-1", 3_000_000, location="New room")
    result = store.apply_remote([older, newer], cursor=2)
    got = store.get_device("dev-1")
    assert got is not None
    assert got.name == "Printer 1"  # the local value is newer than "Older"
    assert got.location == "New room"  # newer remote value wins
    assert result.conflicts == 2
    losers = {(c.field, c.losing_value) for c in store.list_conflicts()}
    assert losers == {("name", "Older"), ("location", "Old room")}


def test_order_of_arrival_does_not_matter(tmp_path: Path) -> None:
    changes = [
        _upsert(1, "d", 1_000, name="a", kind="printer"),
        _upsert(1, "d", 2_000, node="n2", name="b"),
        _upsert(2, "d", 1_500, location="x"),
        _remote(3, ChangeKind.DEVICE_DELETE, "d", {}, ms=1_200),
    ]
    results = []
    for n, order in enumerate([changes, changes[::-1], changes[1:] + changes[:1]]):
        s = Store.open(tmp_path / f"{n}.sqlite3")
        for i, change in enumerate(order):
            s.apply_remote([change], cursor=i + 1)
        with s.reading() as conn:
            results.append(conn.execute("SELECT name, location, deleted FROM devices").fetchall())
        s.close()
    assert results[0] == results[1] == results[2] == [("b", "x", 1)]


def test_own_changes_and_repeats_are_recognised_by_op_id(store: Store) -> None:
    with store.transaction() as tx:
        own = tx.create_device(device(1))
    mine = Change(own.node_id, own.seq, own.op_id, own.hlc, own.kind, own.entity, own.payload)
    other = _upsert(1, "r-1", 2_000_000, name="R", kind="printer")
    first = store.apply_remote([mine, other], cursor=2)
    again = store.apply_remote([mine, other], cursor=2)
    assert (first.own, first.applied) == (1, 1)
    assert (again.own, again.applied, again.duplicates) == (1, 0, 1)


def test_the_local_clock_moves_past_what_it_saw(store: Store) -> None:
    store.apply_remote([_upsert(1, "r-1", 9_000_000, name="R", kind="printer")], cursor=1)
    with store.transaction() as tx:
        change = tx.update_device("r-1", {"name": "Mine"})
    assert change is not None and change.hlc > Timestamp(9_000_000, 0, OTHER).encode()
    # ... and it survives a restart: the high-water mark was saved with the page.
    store.close()
    reopened = Store.open(store.db.path, clock_ms=lambda: 1_000_000)
    assert reopened.clock.now().physical_ms >= 9_000_000
    reopened.close()


def test_a_tombstone_is_final_whatever_comes_after(store: Store) -> None:
    delete = _remote(1, ChangeKind.DEVICE_DELETE, "r-1", {}, ms=1_000)
    later_edit = _upsert(2, "r-1", 5_000, name="Back?", kind="printer")
    store.apply_remote([delete, later_edit], cursor=2)
    assert store.get_device("r-1") is None


def test_a_remote_merge_moves_what_this_desktop_knows(store: Store) -> None:
    with store.transaction() as tx:
        tx.create_device(device(1))
        tx.create_device(device(2))
    merge = _remote(1, ChangeKind.DEVICE_DELETE, "dev-2", {"merged_into": "dev-1"}, ms=2_000_000)
    store.apply_remote([merge], cursor=1)
    assert store.get_device("dev-2") is None
    with store.reading() as conn:
        owners = {r[0] for r in conn.execute("SELECT device_id FROM device_identities")}
    assert owners == {"dev-1"}


def test_append_only_changes_are_kept_once(store: Store) -> None:
    rollup = _remote(1, ChangeKind.ROLLUP, "rollup:d:300", {"device_id": "d", "bucket": 300}, ms=1)
    audit = _remote(2, ChangeKind.AUDIT, "audit:x", {"actor": "lena"}, ms=2)
    store.apply_remote([rollup, audit], cursor=2)
    store.apply_remote([rollup, audit], cursor=2)
    with store.reading() as conn:
        kept = remote.remote_payloads(conn, [ChangeKind.ROLLUP, ChangeKind.AUDIT])
    assert [(e, k) for e, k, _ in kept] == [
        ("rollup:d:300", ChangeKind.ROLLUP),
        ("audit:x", ChangeKind.AUDIT),
    ]


def test_a_diagnostic_request_runs_at_most_once(store: Store) -> None:
    with store.transaction() as tx:
        tx.create_device(device(1))
    ask = _remote(1, ChangeKind.DIAGNOSTIC_REQUEST, "dev-1", {"action": "repoll"}, ms=2_000_000)
    assert store.apply_remote([ask, ask], cursor=1).diagnostics == 1
    [pending] = store.pending_diagnostics()
    assert (pending.device_id, pending.action) == ("dev-1", "repoll")
    assert store.claim_diagnostic(pending.op_id) is True
    assert store.claim_diagnostic(pending.op_id) is False
    result = store.finish_diagnostic(pending.op_id, "dev-1", "ok")
    assert result.kind is ChangeKind.DEPLOY_RESULT
    assert store.pending_diagnostics() == []


def test_a_failed_apply_keeps_neither_rows_nor_cursor(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.apply_remote([_upsert(1, "r-1", 2_000_000, name="R", kind="printer")], cursor=1)
    real = remote._apply_one
    calls = []

    def fail_on_second(*args: Any) -> None:
        calls.append(1)
        real(*args)
        if len(calls) == 2:
            raise sqlite3.OperationalError("injected: disk I/O error")

    monkeypatch.setattr(remote, "_apply_one", fail_on_second)
    page = [_upsert(i, f"r-{i}", 2_000_000 + i, name="R", kind="printer") for i in (2, 3, 4)]
    with pytest.raises(sqlite3.OperationalError):
        store.apply_remote(page, cursor=4)
    assert store.pull_cursor() == 1
    assert {d.id for d in store.list_devices()} == {"r-1"}


def test_requeue_sends_acknowledged_changes_again(store: Store) -> None:
    with store.transaction() as tx:
        for n in range(3):
            tx.create_device(device(n))
    store.mark_sent(3)
    assert store.requeue_outbox(2) == 2
    assert [c.seq for c in store.outbox_pending()] == [2, 3]

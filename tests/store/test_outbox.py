"""Every mutation writes its outbox row in the same transaction: both or neither."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store.factories import device
from wardfleet.domain.change import ChangeKind
from wardfleet.store import Store, inventory, outbox
from wardfleet.store.db import DiskFullError


def _counts(store: Store) -> tuple[int, int]:
    conn = store.db.conn
    return (
        conn.execute("SELECT count(*) FROM devices").fetchone()[0],
        conn.execute("SELECT count(*) FROM outbox").fetchone()[0],
    )


def test_create_and_update_each_write_one_change_with_gapless_seq(store: Store) -> None:
    with store.transaction() as tx:
        tx.create_device(device(1))
        tx.update_device("dev-1", {"location": "Ward 3"})
        assert tx.update_device("dev-1", {"location": "Ward 3"}) is None  # no-op, no change
    changes = store.outbox_pending()
    assert [c.seq for c in changes] == [1, 2]
    assert [c.kind for c in changes] == [ChangeKind.DEVICE_UPSERT] * 2
    assert changes[1].payload == {"fields": {"location": "Ward 3"}}
    assert changes[0].hlc < changes[1].hlc
    assert len({c.op_id for c in changes}) == 2


@pytest.mark.parametrize("where", ["outbox", "data"])
def test_failure_between_data_write_and_outbox_write_leaves_neither(
    store: Store, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    with store.transaction() as tx:
        tx.create_device(device(1))
    target = outbox if where == "outbox" else inventory
    name = "append" if where == "outbox" else "insert_device"
    real = getattr(target, name)

    def write_then_fail(*args: object, **kwargs: object) -> object:
        real(*args, **kwargs)  # the row is written ...
        raise sqlite3.OperationalError("injected: database or disk is full")  # ... then it dies

    monkeypatch.setattr(target, name, write_then_fail)
    with pytest.raises(DiskFullError), store.transaction() as tx:
        tx.create_device(device(2))
    monkeypatch.setattr(target, name, real)
    assert _counts(store) == (1, 1)
    assert store.get_device("dev-2") is None


def test_failure_after_the_outbox_row_but_before_commit_leaves_neither(store: Store) -> None:
    with pytest.raises(RuntimeError, match="crash"), store.transaction() as tx:
        tx.create_device(device(1))
        tx.update_device("dev-1", {"name": "Renamed"})
        raise RuntimeError("crash before commit")
    assert _counts(store) == (0, 0)
    # The seq counter rolled back too: the next change is still seq 1, no gap.
    with store.transaction() as tx:
        tx.create_device(device(1))
    assert [c.seq for c in store.outbox_pending()] == [1]


def test_mark_sent_acknowledges_up_to_a_seq_only(store: Store) -> None:
    with store.transaction() as tx:
        for n in range(5):
            tx.create_device(device(n))
    assert store.mark_sent(3) == 3
    assert [c.seq for c in store.outbox_pending()] == [4, 5]
    assert store.outbox_count() == 2


def test_seq_and_hlc_continue_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    first = Store.open(path)
    with first.transaction() as tx:
        tx.create_device(device(1))
    last = first.outbox_pending()[-1]
    first.close()
    second = Store.open(path)
    with second.transaction() as tx:
        tx.update_device("dev-1", {"name": "Again"})
    newest = second.outbox_pending()[-1]
    assert newest.seq == last.seq + 1
    assert newest.hlc > last.hlc
    assert second.node_id == last.node_id
    second.close()

from __future__ import annotations

import pytest

from wardfleet.domain.change import ChangeKind
from wardfleet.store import Store


def _write(store: Store, n: int) -> None:
    for i in range(n):
        with store.transaction() as tx:
            tx.audit(
                actor="lead@ward7",
                action="configure",
                device_id=f"dev-{i}",
                before={"location": "old"},
                after={"location": f"new {i}"},
                result="applied",
            )


def test_intact_chain_verifies_and_every_entry_is_queued_for_the_hub(store: Store) -> None:
    _write(store, 5)
    assert store.verify_audit() is None
    audits = [c for c in store.outbox_pending() if c.kind is ChangeKind.AUDIT]
    assert len(audits) == 5
    assert audits[0].payload["after"] == {"location": "new 0"}


@pytest.mark.parametrize(
    ("tamper", "first_bad"),
    [
        ('UPDATE audit SET after = \'{"location": "forged"}\' WHERE id = 3', 3),
        ("UPDATE audit SET result = 'failed' WHERE id = 1", 1),
        ("DELETE FROM audit WHERE id = 2", 2),
        ("DELETE FROM audit WHERE id = 1", 2),
        ("DELETE FROM audit WHERE id = 5", 5),
        ("UPDATE audit SET id = id + 100 WHERE id = 4", 4),
    ],
)
def test_any_edit_delete_or_reorder_is_detected_at_the_first_bad_entry(
    store: Store, tamper: str, first_bad: int
) -> None:
    _write(store, 5)
    store.db.conn.execute(tamper)
    broken = store.verify_audit()
    assert broken is not None
    assert broken.entry_id == first_bad, broken.reason


def test_swapping_two_entries_contents_is_detected(store: Store) -> None:
    _write(store, 3)
    conn = store.db.conn
    rows = conn.execute("SELECT id, after, hash, prev_hash FROM audit ORDER BY id").fetchall()
    conn.execute("UPDATE audit SET after = ?, hash = ?, prev_hash = ? WHERE id = 1", rows[1][1:])
    conn.execute("UPDATE audit SET after = ?, hash = ?, prev_hash = ? WHERE id = 2", rows[0][1:])
    broken = store.verify_audit()
    assert broken is not None and broken.entry_id == 1

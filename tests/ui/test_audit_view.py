"""The audit log viewer: rows as plain text, filter, "Verify chain" naming a tampered
entry, CSV export, and the menu hook in the main window."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import qasync

from wardfleet.store import Store
from wardfleet.ui.audit_view import AuditView


def _seed(store: Store) -> None:
    for n, (actor, result) in enumerate(
        [("ann", "verified"), ("bob", "notWritable"), ("ann", "<b>rolled back</b>")]
    ):
        with store.transaction() as tx:
            tx.audit(
                actor=actor,
                action="deploy.apply",
                device_id=f"dev-{n}",
                before={"location": "a"},
                after={"location": f"b{n}"},
                result=result,
            )


def _open(qtbot: Any, store: Store) -> AuditView:
    view = AuditView(store)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.model.rowCount() == len(store.audit_entries()), timeout=5000)
    return view


def test_rows_filter_and_plain_text(qtbot: Any, qloop: qasync.QEventLoop, store: Store) -> None:
    _seed(store)
    view = _open(qtbot, store)
    assert view.model.item(2, 7).text() == "<b>rolled back</b>"  # shown literally
    assert view.model.item(0, 6).text() == '{"location": "b0"}'
    view.filter.setText("BOB")
    assert view.proxy.rowCount() == 1
    assert view.filter.accessibleName() and view.table.accessibleName()
    assert view.status.textFormat().name == "PlainText"


def test_verify_chain_names_the_edited_entry(
    qtbot: Any, qloop: qasync.QEventLoop, store: Store
) -> None:
    _seed(store)
    view = _open(qtbot, store)
    view.verify_button.click()
    qtbot.waitUntil(lambda: view.status.text().startswith("Chain intact"), timeout=5000)
    with store.transaction_raw() as raw:
        raw.execute("UPDATE audit SET result = 'verified' WHERE id = 2")
    view.verify_button.click()
    qtbot.waitUntil(lambda: "entry 2" in view.status.text(), timeout=5000)
    assert "edited" in view.status.text()
    assert view.table.selectionModel().selectedRows()[0].row() == 1


def test_export_csv(qtbot: Any, qloop: qasync.QEventLoop, store: Store, tmp_path: Path) -> None:
    _seed(store)
    view = _open(qtbot, store)
    out = tmp_path / "audit.csv"
    done: list[bool] = []
    task = view._spawn(view.export_to(out))
    task.add_done_callback(lambda t: done.append(t.result()))
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["actor"] for r in rows] == ["ann", "bob", "ann"]
    assert "Exported 3 entries" in view.status.text()

"""The profile editor: a bad expert line disables Save and says why; create, edit, assign
and delete each write an audit entry and an outbox row; everything has an accessible name
and the dialog works from the keyboard."""

from __future__ import annotations

from typing import Any

import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from tests.store.factories import device
from wardfleet.domain.change import ChangeKind
from wardfleet.domain.kinds import DeviceKind
from wardfleet.store import Store, profiles
from wardfleet.ui.profile_editor import ProfileEditor
from wardfleet.ui.profile_form import TARGET_ROLE, checked_targets


def _seed(store: Store) -> None:
    with store.transaction() as tx:
        tx.create_device(device(1, ward="Ward 4", name="<b>Reception</b> laser"))
        tx.create_device(device(2, ward="Ward 4"))
        tx.create_device(device(3, ward="Ward 5", kind=DeviceKind.SCANNER))


def _open(qtbot: Any, store: Store, **kwargs: Any) -> ProfileEditor:
    editor = ProfileEditor(store, "ui-tester", **kwargs)
    qtbot.addWidget(editor)
    qtbot.waitUntil(editor.load_task.done, timeout=5000)
    editor.show()
    return editor


def _tick(list_widget: Any, text_part: str) -> None:
    for i in range(list_widget.count()):
        if text_part in list_widget.item(i).text():
            list_widget.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"{text_part!r} not listed")


def test_invalid_expert_line_disables_save_and_says_why(
    qtbot: Any, qloop: qasync.QEventLoop, store: Store
) -> None:
    _seed(store)
    editor = _open(qtbot, store)
    assert not editor.save_button.isEnabled()  # nothing to edit yet
    editor.new_button.click()
    editor.form.fields["location"].setText("Ward 4")
    assert editor.save_button.isEnabled()
    editor.form.expert_edit.setPlainText(
        "1.3.6.1.2.1.1.6.0 = s:fine\n1.3.6.1.4.1.11.2.4.3.5.2.0 = q:1\nnot an entry"
    )
    assert not editor.save_button.isEnabled()
    shown = editor.form.expert_errors.text()
    assert "Line 2: unknown type 'q'" in shown
    assert "Line 3: expected 'OID = type:value'" in shown
    assert "Line 1" not in shown
    assert "Expert line 2" in editor.problems.text()
    editor.form.expert_edit.setPlainText("1.3.6.1.4.1.11.2.4.3.5.2.0 = i:1")
    assert editor.save_button.isEnabled() and editor.form.expert_errors.text() == ""
    editor.form.name_edit.clear()
    assert not editor.save_button.isEnabled()
    assert "Give the profile a name." in editor.problems.text()


def test_edits_are_audited_and_queued_for_sync(
    qtbot: Any, qloop: qasync.QEventLoop, store: Store
) -> None:
    _seed(store)
    editor = _open(qtbot, store, preselect_devices=["dev-2"])
    editor.new_button.click()
    form = editor.form
    assert checked_targets(form.devices_list) == {"device:dev-2"}  # the window's selection
    assert "<b>Reception</b> laser — Printer — Ward 4" in [
        form.devices_list.item(i).text() for i in range(form.devices_list.count())
    ]  # device text shown as typed, never as markup
    form.name_edit.setText("Ward 4 printers")
    form.kind_combo.setCurrentIndex(form.kind_combo.findData("printer"))
    flagged = [form.devices_list.item(i).text() for i in range(form.devices_list.count())
               if "another kind" in form.devices_list.item(i).text()]  # fmt: skip
    assert flagged == ["Printer 3 — Scanner — Ward 5 — another kind: will not follow this profile"]
    form.fields["location"].setText("Ward 4")
    form.fields["ipp:info"].setText("Ward 4 laser")
    form.print_queue.setChecked(True)
    _tick(form.wards_list, "Ward 5")
    task = editor._spawn(editor.save())
    qtbot.waitUntil(task.done, timeout=5000)
    saved = task.result()
    assert saved is not None
    assert profiles.get_profile(store, saved.id) == profiles.Profile(
        saved.id, "Ward 4 printers", "printer",
        (("location", "Ward 4"), ("ipp:info", "Ward 4 laser")), True,
    )  # fmt: skip
    assert profiles.assignments(store) == {"device:dev-2": saved.id, "ward:Ward 5": saved.id}
    assert editor.table.rowCount() == 1
    assigned_to = editor.table.item(0, 3)
    assert assigned_to is not None and assigned_to.text() == "Printer 2, ward Ward 5"

    # Change it: untick the device, rename.
    form.devices_list.item(
        next(i for i in range(form.devices_list.count()) if "Printer 2" in
             form.devices_list.item(i).text())
    ).setCheckState(Qt.CheckState.Unchecked)  # fmt: skip
    editor.rename_button.click()
    assert form.name_edit.hasFocus()
    form.name_edit.setText("Ward 4 lasers")
    task = editor._spawn(editor.save())
    qtbot.waitUntil(task.done, timeout=5000)
    assert [p.name for p in profiles.list_profiles(store)] == ["Ward 4 lasers"]

    # Delete, confirmed in a window-modal box.
    box = editor.confirm_delete()
    assert box is not None and box.windowModality() != Qt.WindowModality.NonModal
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: editor.table.rowCount() == 0, timeout=5000)
    assert profiles.list_profiles(store) == []

    entries = store.audit_entries()
    assert [(e.action, e.actor) for e in entries] == [
        ("profile.create", "ui-tester"),
        ("profile.assign", "ui-tester"),
        ("profile.assign", "ui-tester"),
        ("profile.change", "ui-tester"),
        ("profile.assign", "ui-tester"),
        ("profile.delete", "ui-tester"),
    ]
    assert entries[3].before["name"] == "Ward 4 printers"
    assert entries[3].after["name"] == "Ward 4 lasers"
    # Unticked: its own assignment removed, so it follows its ward again (not "none").
    assert entries[4].after == {"target": "device:dev-2", "profile_id": None, "inherit": True}
    assert entries[4].result == "device:dev-2 follows its ward"
    assert store.verify_audit() is None
    pending = store.outbox_pending()
    kinds = [c.kind for c in pending if c.kind is not ChangeKind.AUDIT]
    assert kinds.count(ChangeKind.PROFILE_UPSERT) == 3
    assert kinds.count(ChangeKind.PROFILE_ASSIGN) == 3
    assert sum(c.kind is ChangeKind.AUDIT for c in pending) == len(entries)


def test_controls_are_named_and_keyboard_reachable(
    qtbot: Any, qloop: qasync.QEventLoop, store: Store
) -> None:
    _seed(store)
    editor = _open(qtbot, store)
    editor.new_button.click()
    unnamed = [
        w.metaObject().className()
        for w in editor.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and not w.accessibleName()
    ]
    assert unnamed == []
    # Tab from the name field reaches the expert box and leaves it again (no tab trap).
    editor.form.fields["contact"].setText("ward4@example.org")
    editor.form.name_edit.setFocus()
    seen = set()
    for _ in range(30):
        qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Tab)
        seen.add(editor.focusWidget())
    assert editor.form.expert_edit in seen and editor.form.print_queue in seen
    assert editor.save_button in seen


def test_a_ward_no_device_reports_stays_listed_and_saving_keeps_it(
    qtbot: Any, qloop: qasync.QEventLoop, store: Store
) -> None:
    profile = profiles.new_profile("Ward 9 printers", [("location", "Ward 9")], "printer")
    with store.transaction() as tx:
        tx.create_device(device(1, ward=None))  # no device says "Ward 9"
        profiles.save(tx, profile)
        profiles.assign(tx, profiles.ward_target("Ward 9"), profile.id)
    editor = _open(qtbot, store)
    editor.table.selectRow(0)
    wards = editor.form.wards_list
    assert [wards.item(i).text() for i in range(wards.count())] == ["Ward 9"]
    assert checked_targets(wards) == {profiles.ward_target("Ward 9")}
    assert not editor.form.no_wards.isVisible()
    editor.form.fields["contact"].setText("Ward 9 IT lead")
    saving = editor._spawn(editor.save())
    qtbot.waitUntil(saving.done, timeout=5000)
    assert saving.result() is not None
    assert profiles.assignments(store) == {profiles.ward_target("Ward 9"): profile.id}


def test_without_any_ward_the_form_says_so(
    qtbot: Any, qloop: qasync.QEventLoop, store: Store
) -> None:
    with store.transaction() as tx:
        tx.create_device(device(1, ward=None))
    editor = _open(qtbot, store)
    editor.new_button.click()
    assert editor.form.wards_list.count() == 0 and not editor.form.wards_list.isVisible()
    assert editor.form.no_wards.isVisible()
    assert "No wards yet" in editor.form.no_wards.text()


def _device_item(form: Any, device_id: str) -> Any:
    items = [form.devices_list.item(i) for i in range(form.devices_list.count())]
    return next(i for i in items if i.data(TARGET_ROLE) == profiles.device_target(device_id))


def _save(qtbot: Any, editor: ProfileEditor) -> None:
    saving = editor._spawn(editor.save())
    qtbot.waitUntil(saving.done, timeout=5000)
    assert saving.result() is not None


def test_unticking_follows_the_ward_and_half_ticking_ignores_it(
    qtbot: Any, qloop: qasync.QEventLoop, store: Store
) -> None:
    _seed(store)
    ward_wide = profiles.new_profile("Ward 4 default", [("location", "Ward 4")], None)
    own = profiles.new_profile("Reception", [("location", "Reception")], None)
    with store.transaction() as tx:
        profiles.save(tx, ward_wide)
        profiles.save(tx, own)
        profiles.assign(tx, profiles.ward_target("Ward 4"), ward_wide.id)
        profiles.assign(tx, profiles.device_target("dev-1"), own.id)

    def follows() -> str | None:
        dev = store.get_device("dev-1")
        assert dev is not None
        found = profiles.profile_for(store, dev)
        return found.name if found else None

    assert follows() == "Reception"
    editor = _open(qtbot, store)
    names = [p.name for p in editor.profiles]  # the table's rows, in order
    editor.table.selectRow(names.index("Reception"))
    item = _device_item(editor.form, "dev-1")
    assert item.checkState() == Qt.CheckState.Checked
    assert item.flags() & Qt.ItemFlag.ItemIsUserTristate
    assert "Half-ticked: no profile at all" in item.toolTip()

    item.setCheckState(Qt.CheckState.Unchecked)
    _save(qtbot, editor)
    assert follows() == "Ward 4 default"  # the ward's profile, not "none"
    assert profiles.opted_out(store) == set()

    item = _device_item(editor.form, "dev-1")
    item.setCheckState(Qt.CheckState.PartiallyChecked)
    _save(qtbot, editor)
    assert follows() is None
    assert profiles.opted_out(store) == {"device:dev-1"}
    # Shown half-ticked (loaded from the store) in every profile's list.
    editor.table.selectRow(names.index("Ward 4 default"))
    item = _device_item(editor.form, "dev-1")
    assert item.checkState() == Qt.CheckState.PartiallyChecked
    assert _device_item(editor.form, "dev-2").checkState() == Qt.CheckState.Unchecked

    item.setCheckState(Qt.CheckState.Unchecked)  # back to following the ward
    _save(qtbot, editor)
    assert follows() == "Ward 4 default"
    assert profiles.opted_out(store) == set()
    assert profiles.assignments(store) == {"ward:Ward 4": ward_wide.id}  # the ward untouched
    results = [e.result for e in store.audit_entries() if e.action == "profile.assign"]
    assert results == [
        "device:dev-1 follows its ward", "device:dev-1 follows none",
        "device:dev-1 follows its ward",
    ]  # fmt: skip

"""Menu hooks for changing devices: Change settings… (the Deploy dialog for the selected
device) and Audit log…; the deploy path itself is tested against snmpd in
test_deploy_dialog.py."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from wardfleet.store import Store
from wardfleet.ui.audit_view import AuditView
from wardfleet.ui.deploy_dialog import CHOOSE, SETTINGS, DeployDialog
from wardfleet.ui.profile_editor import ProfileEditor
from wardfleet.ui.profile_form import checked_targets

from .test_main_window import select, unnamed_controls


def test_change_settings_needs_a_selection_and_credentials(window: Any, qtbot: Any) -> None:
    window.table.clearSelection()
    window._update_actions()
    assert not window.commands.deploy.isEnabled()
    assert window.show_deploy_dialog() is None
    select(window, "W3-NURSES-LJ")
    assert window.commands.deploy.isEnabled()
    dialog = window.show_deploy_dialog()
    assert isinstance(dialog, DeployDialog)
    assert dialog.pages.currentIndex() == CHOOSE
    assert [d.name for d in dialog.choose.chosen()] == ["W3-NURSES-LJ"]
    qtbot.waitExposed(dialog)
    assert unnamed_controls(dialog) == []
    assert dialog.focusWidget() is dialog.choose.profile_combo  # keyboard users start here
    dialog.next_button.click()
    assert unnamed_controls(dialog) == []
    assert dialog.focusWidget() is dialog.name_edit
    dialog.location_edit.setText("Ward 3")
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: "credential sets" in dialog.message.text(), timeout=5000)
    assert dialog.pages.currentIndex() == SETTINGS  # nothing planned, nothing sent
    dialog.close()


def test_helpdesk_role_from_sync_settings(window: Any, qtbot: Any, seeded_store: Store) -> None:
    seeded_store.set_sync_value("role", "helpdesk")
    select(window, "W3-NURSES-LJ")
    dialog = window.show_deploy_dialog()
    assert dialog.deployer.role == "helpdesk"
    dialog.close()


def test_audit_log_menu(window: Any, qtbot: Any) -> None:
    action = window.commands.audit_log
    assert action.text() and action.statusTip()
    assert action in window.menuBar().actions()[3].menu().actions()
    dialog = window.show_audit_log()
    assert isinstance(dialog, AuditView)
    qtbot.waitUntil(lambda: dialog.status.text() != "", timeout=5000)
    dialog.close()


def test_profiles_menu_opens_the_editor_with_the_selection(window: Any, qtbot: Any) -> None:
    action = window.commands.profiles
    assert action.text() == "Device p&rofiles…" and action.statusTip()
    assert action in window.menuBar().actions()[3].menu().actions()
    select(window, "W3-NURSES-LJ")
    dialog = window.show_profile_editor()
    assert isinstance(dialog, ProfileEditor)
    qtbot.waitUntil(dialog.load_task.done, timeout=5000)
    assert dialog.windowModality() != Qt.WindowModality.NonModal  # opened window-modal
    dialog.new_button.click()
    ticked = [d.name for d in window.store.list_devices()
              if f"device:{d.id}" in checked_targets(dialog.form.devices_list)]  # fmt: skip
    assert ticked == ["W3-NURSES-LJ"]
    dialog.close()

"""Preferences for the scheduled conformance check, and the hub role in the status bar."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLineEdit

from wardfleet.services import conformance
from wardfleet.services.events import HubState, SyncSnapshot
from wardfleet.store import Store
from wardfleet.sync.settings import HubIdentity
from wardfleet.ui.conformance_prefs import ConformancePrefs
from wardfleet.ui.dialogs import PreferencesDialog
from wardfleet.ui.status_bar import SyncStatus


def test_preferences_set_the_interval_and_reapply_and_reschedule(
    qtbot: Any, qloop: Any, store: Store, settings: QSettings
) -> None:
    rescheduled: list[int] = []
    section = ConformancePrefs(store, lambda: rescheduled.append(1))
    dialog = PreferencesDialog(settings, None, None, conformance=section)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(section.loading.done, timeout=3000)
    assert section.isEnabled()
    assert (section.hours.value(), section.reapply.isChecked()) == (6, False)  # the defaults
    assert section.hours.accessibleName() and section.reapply.accessibleName()
    assert all(w.accessibleName() for w in section.findChildren(QLineEdit))  # spin's editor

    # By keyboard: focus the interval, type a new value, tick re-apply with the space bar.
    dialog.show()
    section.hours.setFocus()
    section.hours.selectAll()
    qtbot.keyClicks(section.hours, "2")
    qtbot.keyClick(section.reapply, Qt.Key.Key_Space)
    assert (section.hours.value(), section.reapply.isChecked()) == (2, True)
    dialog.accept()
    assert section.saving is not None
    qtbot.waitUntil(section.saving.done, timeout=3000)
    assert rescheduled == [1]
    assert conformance.interval_hours(store) == 2.0 and conformance.reapply_enabled(store)


def test_untouched_preferences_write_nothing(qtbot: Any, qloop: Any, store: Store) -> None:
    section = ConformancePrefs(store)
    qtbot.addWidget(section)
    qtbot.waitUntil(section.loading.done, timeout=3000)
    assert section.save() is None
    assert conformance.reapply_enabled(store) is False


def test_the_status_bar_tooltip_names_the_role_as_plain_text(qtbot: Any) -> None:
    widget = SyncStatus()
    qtbot.addWidget(widget)
    lena = HubIdentity("lena", "ward-lead", ("<b>Ward 3</b>",))
    widget.show_snapshot(SyncSnapshot(HubState.ONLINE, 0, None, identity=lena))
    tip = widget.text.toolTip()
    assert "Signed in as lena · role: ward lead · &lt;b&gt;Ward 3&lt;/b&gt;" in tip
    assert widget.accessibleDescription().endswith("role: ward lead · <b>Ward 3</b>")
    widget.show_snapshot(SyncSnapshot(HubState.REFUSED, 0, None, identity=HubIdentity("", "")))
    assert "none (the hub refused the token)" in widget.text.toolTip()
    widget.show_snapshot(SyncSnapshot(HubState.NOT_CONFIGURED, 0, None))
    assert "not known yet" in widget.text.toolTip()

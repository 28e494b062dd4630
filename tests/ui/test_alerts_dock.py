"""Alerts dock: acknowledge/snooze write the store and the outbox; keyboard; plain text."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.alerts_seed import HOSTILE, Rounds, healthy
from wardfleet.domain.change import ChangeKind
from wardfleet.store import Store
from wardfleet.ui.alerts_model import ALERT_ID_ROLE
from wardfleet.ui.alerts_panel import AlertsPanel


@pytest.fixture
def panel(qtbot: Any, qloop: Any, alert_store: Store, rounds: Rounds) -> AlertsPanel:
    made = AlertsPanel(alert_store, user="nurse.jones", clock=rounds.clock)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    task = made.reload()
    qtbot.waitUntil(task.done, timeout=5000)
    assert made.open_model.rowCount() == 3
    return made


def select(panel: AlertsPanel, key: str) -> str:
    for row in range(panel.open_model.rowCount()):
        found = panel.open_model.row_at(row)
        assert found is not None
        if found.alert.key == key:
            index = panel.open_model.index(row, 0)
            panel.view.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            return found.alert.id
    raise AssertionError(key)


def alert_changes(store: Store, alert_id: str) -> list[dict[str, Any]]:
    return [
        c.payload
        for c in store.outbox_pending()
        if c.kind is ChangeKind.ALERT and c.payload["id"] == alert_id
    ]


def wait_status(qtbot: Any, panel: AlertsPanel, alert_id: str, text: str) -> None:
    def shown() -> bool:
        for row in range(panel.open_model.rowCount()):
            index = panel.open_model.index(row, 0)
            if index.data(ALERT_ID_ROLE) == alert_id:
                return bool(panel.open_model.index(row, 6).data() == text)
        return False

    qtbot.waitUntil(shown, timeout=5000)


def test_acknowledge_button_writes_store_and_outbox(
    qtbot: Any, panel: AlertsPanel, alert_store: Store
) -> None:
    alert_id = select(panel, "jam")
    assert panel.ack_button.isEnabled() and not panel.unsnooze_button.isEnabled()
    with qtbot.waitSignal(panel.alertsChanged, timeout=5000):
        QTest.mouseClick(panel.ack_button, Qt.MouseButton.LeftButton)
    stored = next(a for a in alert_store.list_alerts() if a.id == alert_id)
    assert stored.acknowledged_by == "nurse.jones"
    assert stored.acknowledged_at == panel._clock()
    events = [p["event"] for p in alert_changes(alert_store, alert_id)]
    assert events == ["raised", "acknowledged"]
    assert alert_changes(alert_store, alert_id)[1]["by"] == "nurse.jones"
    wait_status(qtbot, panel, alert_id, "Acknowledged by nurse.jones")
    assert panel.view.currentIndex().data(ALERT_ID_ROLE) == alert_id  # kept across reload
    assert not panel.ack_button.isEnabled()  # already acknowledged


def test_snooze_menu_and_unsnooze_by_keyboard(
    qtbot: Any, panel: AlertsPanel, alert_store: Store
) -> None:
    alert_id = select(panel, "unreachable")
    now = panel._clock()
    panel.view.setFocus()
    qtbot.waitUntil(panel.view.hasFocus, timeout=2000)
    with qtbot.waitSignal(panel.alertsChanged, timeout=5000):
        QTest.keyClick(panel.view, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    stored = next(a for a in alert_store.list_alerts() if a.id == alert_id)
    assert stored.snoozed_until == now + 4 * 3600
    assert [p["event"] for p in alert_changes(alert_store, alert_id)] == ["raised", "snoozed"]
    qtbot.waitUntil(panel.unsnooze_button.isEnabled, timeout=5000)
    # The menu carries the same three choices, shortcut beside each.
    menu = [(a.text(), a.shortcut().toString()) for a in panel.snooze_menu.actions()]
    assert menu == [
        ("For &1 hour", "Ctrl+1"),
        ("For &4 hours", "Ctrl+4"),
        ("Until tomorrow &morning (08:00)", "Ctrl+8"),
    ]
    with qtbot.waitSignal(panel.alertsChanged, timeout=5000):
        QTest.keyClick(panel.view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    stored = next(a for a in alert_store.list_alerts() if a.id == alert_id)
    assert stored.snoozed_until == now and not stored.is_snoozed(now)
    changes = alert_changes(alert_store, alert_id)
    assert [p["event"] for p in changes] == ["raised", "snoozed", "snoozed"]
    assert changes[-1]["until"] == now
    wait_status(qtbot, panel, alert_id, "Needs attention")


def test_snooze_menu_action_snoozes_every_selected(
    qtbot: Any, panel: AlertsPanel, alert_store: Store
) -> None:
    panel.view.selectAll()
    panel.snooze_menu.actions()[0].trigger()
    now = panel._clock()
    qtbot.waitUntil(
        lambda: all(a.snoozed_until == now + 3600 for a in alert_store.list_alerts()),
        timeout=5000,
    )
    qtbot.waitUntil(lambda: panel.summary.text().endswith("needing attention: 0"), timeout=5000)


def test_tab_reaches_table_and_buttons(qtbot: Any, panel: AlertsPanel) -> None:
    select(panel, "jam")
    panel.activateWindow()
    panel.view.setFocus()
    qtbot.waitUntil(panel.view.hasFocus, timeout=2000)
    assert not panel.unsnooze_button.isEnabled()  # nothing snoozed: skipped by Tab
    reached: list[QWidget | None] = []
    for _ in range(3):
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == [panel.ack_button, panel.snooze_button, panel.show_button]
    for widget in (panel.view, panel.ack_button, panel.snooze_button, panel.device_filter):
        assert widget.accessibleName()


def test_enter_and_show_device_emit_the_device(
    qtbot: Any, panel: AlertsPanel, ward: dict[str, str]
) -> None:
    select(panel, "jam")
    with qtbot.waitSignal(panel.deviceActivated, timeout=2000) as signal:
        panel.show_button.click()
    assert signal.args == [ward["jam"]]
    panel.view.setFocus()
    with qtbot.waitSignal(panel.deviceActivated, timeout=2000) as signal:
        QTest.keyClick(panel.view, Qt.Key.Key_Return)
    assert signal.args == [ward["jam"]]


def test_history_tab_filters_by_device(
    qtbot: Any, panel: AlertsPanel, alert_store: Store, ward: dict[str, str], rounds: Rounds
) -> None:
    rounds.run({ward["jam"]: healthy, ward["gone"]: healthy}, times=2)
    task = panel.reload()
    qtbot.waitUntil(task.done, timeout=5000)
    assert panel.open_model.rowCount() == 1
    assert {r.alert.key for r in panel.history_model.rows()} == {"jam", "unreachable"}
    names = [panel.device_filter.itemText(i) for i in range(panel.device_filter.count())]
    assert names[0] == "All devices" and HOSTILE in names  # plain text in the combo
    panel.device_filter.setCurrentIndex(panel.device_filter.findData(ward["gone"]))
    qtbot.waitUntil(lambda: panel.history_model.rowCount() == 1, timeout=5000)
    assert panel.history_model.rows()[0].alert.key == "unreachable"


def test_refresh_is_coalesced(qtbot: Any, panel: AlertsPanel, monkeypatch: Any) -> None:
    reads: list[float] = []
    original = panel._read

    def counting(now: float, device_id: str | None) -> Any:
        reads.append(now)
        return original(now, device_id)

    monkeypatch.setattr(panel, "_read", counting)
    for _ in range(50):
        panel.refresh()
    qtbot.waitUntil(lambda: len(reads) == 1, timeout=5000)
    qtbot.wait(400)
    assert len(reads) == 1


def test_hostile_names_are_plain_text(panel: AlertsPanel) -> None:
    row = next(
        r
        for r in range(panel.open_model.rowCount())
        if panel.open_model.index(r, 1).data() == HOSTILE
    )
    # The default delegate draws DisplayRole literally; no rich-text delegate is set.
    assert panel.view.itemDelegateForColumn(1) is None
    assert panel.open_model.index(row, 1).data(Qt.ItemDataRole.AccessibleTextRole) == HOSTILE


def test_window_shortcut_raises_dock_and_focuses_table(
    make_window: Any, qtbot: Any, alert_store: Store, rounds: Rounds
) -> None:
    window = make_window(alert_store, rows=4)
    alerts = window.alerts
    assert alerts.show_action.shortcut() == QKeySequence("Ctrl+Shift+L")
    clashes = [
        a.text()
        for a in window.findChildren(type(alerts.show_action))
        if a is not alerts.show_action and a.shortcut() == alerts.show_action.shortcut()
    ]
    assert not clashes
    view_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&View")
    assert alerts.show_action in view_menu.actions()
    window.activateWindow()
    QTest.keyClick(
        window,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: alerts.panel is not None, timeout=5000)
    qtbot.waitUntil(lambda: alerts.panel.open_model.rowCount() == 3, timeout=5000)
    qtbot.waitUntil(lambda: alerts.panel.view.hasFocus(), timeout=5000)
    assert alerts.dock.isVisible()
    # Show device selects it in the main table.
    jam_id = select(alerts.panel, "jam")
    alerts.panel.show_device()
    assert window.current_overview() is not None
    jam_device = next(a for a in alert_store.list_alerts() if a.id == jam_id).device_id
    assert window.current_overview().device.id == jam_device

"""The main window over a real seeded store and a fake runtime."""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QModelIndex, QPoint, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from wardfleet.domain.device import Device
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.services.events import ActivityEvent, HubState, SyncSnapshot
from wardfleet.store import Store
from wardfleet.ui.device_filter import StateFilter
from wardfleet.ui.device_model import Column, Role
from wardfleet.ui.layout import fit_widths
from wardfleet.ui.main_window import MainWindow
from wardfleet.ui.scan_dialog import ScanDialog

from .conftest import NOW, FakeRuntime
from .seed import device_id_for

HOSTILE = "<b>x</b> <img src=x>"


def row_of_name(window: MainWindow, name: str) -> int:
    for row in range(window.proxy.rowCount()):
        if window.proxy.index(row, Column.NAME).data() == name:
            return row
    raise AssertionError(f"{name} not shown")


def cell(window: MainWindow, name: str, column: Column) -> Any:
    return window.proxy.index(row_of_name(window, name), column).data()


def select(window: MainWindow, name: str) -> None:
    row = row_of_name(window, name)
    window.table.setCurrentIndex(window.proxy.index(row, 0))
    window.table.selectRow(row)


def add_hostile(store: Store) -> str:
    with store.transaction() as tx:
        tx.create_device(
            Device(
                id="hostile",
                name=HOSTILE,
                kind=DeviceKind.PRINTER,
                identity=Identity.of(address="10.9.9.9"),
                address="10.9.9.9",
                vendor="<i>Evil</i>",
                model="<script>m</script>",
                location="<u>Basement</u>",
                state=DeviceState.OK,
                last_seen=NOW,
            )
        )
    return "hostile"


# Showing devices ---------------------------------------------------------------------


def test_window_shows_the_seeded_ward(window: MainWindow) -> None:
    assert window.model.rowCount() == 10
    assert window.proxy.rowCount() == 10
    assert cell(window, "W3-NURSES-LJ", Column.ADDRESS) == "10.20.3.21"
    assert cell(window, "W3-NURSES-LJ", Column.STATE) == "Warning"
    assert cell(window, "W3-NURSES-LJ", Column.SUPPLIES) == "Black 12\u00a0%"
    assert cell(window, "W3-PHARMACY-LABEL", Column.STATE) == "Error"
    assert cell(window, "W4-ADMIN-KYOCERA", Column.STATE) == "Unreachable"
    assert cell(window, "W4-DISCHARGE-MFC", Column.SUPPLIES) == "Black: OK, level not reported"
    assert cell(window, "W5-CORRIDOR-MFD", Column.SUPPLIES).endswith("Waste 82\u00a0% full")
    assert cell(window, "W3-NURSES-LJ", Column.PLACE) == "Ward 3 · Nurses' station"
    assert window.counts_label.text() == (
        "Devices: 10 · Need attention: 4 · Unreachable: 1 · New: 1"
    )
    assert window.sync_status.text.text() == "Offline — changes are queued"
    assert window.sync_status.queued.text() == "Queued changes: 3"


def test_selecting_a_device_fills_the_detail_pane(window: MainWindow, qtbot: Any) -> None:
    select(window, "W3-NURSES-LJ")
    detail = window.detail
    assert detail.name_label.text() == "W3-NURSES-LJ"
    assert detail.state_label.text() == "Warning — Toner low"
    values = detail.identity.values
    assert values["address"].text() == "10.20.3.21"
    assert values["mac"].text() == "a0:d3:c1:4b:22:10"
    assert values["serial"].text() == "PHBQC12345"
    assert values["location"].text() == "Nurses' station"
    assert values["address"].accessibleName() == "IP address: 10.20.3.21"
    assert "SNMP" in values["protocols"].text() and "IPP" in values["protocols"].text()
    assert detail.status_form.values["problems"].text() == "Toner low"
    assert detail.status_form.values["pages"].text() == window.locale().toString(48213)
    assert "Tray 1: 40\u00a0%" in detail.trays.lines.text()
    assert "Black cartridge low" in detail.alerts.lines.text()
    # The address history arrives from the store off the UI thread.
    qtbot.waitUntil(lambda: "10.20.3.40" in values["history"].text(), timeout=3000)


def test_ip_mac_serial_location_rows_exist_even_when_unreported(
    make_window: Any, store: Store
) -> None:
    with store.transaction() as tx:
        tx.create_device(Device(id="bare", name="Bare", kind=DeviceKind.OTHER, identity=Identity()))
    window = make_window(store, rows=1)
    select(window, "Bare")
    values = window.detail.identity.values
    for key in ("address", "mac", "serial", "location"):
        assert values[key].isVisibleTo(window.detail)
        assert values[key].text() == "Not reported"


def test_hostile_text_is_shown_literally(make_window: Any, seeded_store: Store) -> None:
    add_hostile(seeded_store)
    window = make_window(seeded_store, rows=11)
    assert cell(window, HOSTILE, Column.NAME) == HOSTILE
    assert cell(window, HOSTILE, Column.MODEL) == "<i>Evil</i> <script>m</script>"
    select(window, HOSTILE)
    detail = window.detail
    assert detail.name_label.textFormat() == Qt.TextFormat.PlainText
    assert detail.name_label.text() == HOSTILE
    assert detail.identity.values["location"].text() == "<u>Basement</u>"
    for label in detail.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    tooltip = window.proxy.index(row_of_name(window, HOSTILE), Column.NAME).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in tooltip and "<b>" not in tooltip


# Search and filters ------------------------------------------------------------------


def test_search_box_filters_and_escape_clears(window: MainWindow, qtbot: Any) -> None:
    window.activateWindow()
    QTest.keySequence(window, window.commands.find.shortcuts()[0])
    qtbot.waitUntil(window.search.hasFocus, timeout=2000)
    QTest.keyClicks(window.search, "pharmacy")
    assert window.proxy.rowCount() == 1
    assert window.proxy.index(0, Column.NAME).data() == "W3-PHARMACY-LABEL"
    window.search.setText("10.20.4.")
    assert window.proxy.rowCount() == 2
    window.search.setText("3c:2a:f4")  # MAC
    assert window.proxy.rowCount() == 1
    QTest.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.proxy.rowCount() == 10


def test_state_filter_combo(window: MainWindow) -> None:
    combo = window.state_filter
    combo.setCurrentIndex(combo.findData(StateFilter.NEEDS_ATTENTION.name))
    assert window.proxy.rowCount() == 4
    combo.setCurrentIndex(combo.findData(StateFilter.UNREACHABLE.name))
    assert [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())] == [
        "W4-ADMIN-KYOCERA"
    ]


# Commands ----------------------------------------------------------------------------


def test_poll_now_calls_the_runtime(window: MainWindow, runtime: FakeRuntime, qtbot: Any) -> None:
    select(window, "W3-NURSES-LJ")
    assert window.commands.poll_now.isEnabled()
    window.detail.poll_button.click()
    qtbot.waitUntil(lambda: runtime.polled == [device_id_for("PHBQC12345")], timeout=3000)
    qtbot.waitUntil(lambda: window.detail.poll_button.isEnabled(), timeout=3000)
    assert "Asked W3-NURSES-LJ for its status" in window.statusBar().currentMessage()


def test_failed_poll_is_a_status_message_not_a_crash(
    window: MainWindow, runtime: FakeRuntime, qtbot: Any
) -> None:
    runtime.poll_error = TimeoutError("no answer")
    select(window, "W3-NURSES-LJ")
    window.commands.poll_now.trigger()
    qtbot.waitUntil(lambda: "Could not poll" in window.statusBar().currentMessage(), timeout=3000)


def test_mark_as_reviewed_clears_new(window: MainWindow, seeded_store: Store, qtbot: Any) -> None:
    select(window, "NPI3F2A1C")
    assert window.detail.ack_button.isVisibleTo(window.detail)
    assert window.commands.acknowledge.isEnabled()
    window.detail.ack_button.click()
    device_id = device_id_for("PHCCB09876")
    qtbot.waitUntil(
        lambda: not window.model.overview_of(device_id).device.is_new,  # type: ignore[union-attr]
        timeout=3000,
    )
    stored = seeded_store.get_device(device_id)
    assert stored is not None and not stored.is_new
    assert not window.detail.ack_button.isVisibleTo(window.detail)
    assert "New:" not in window.counts_label.text()


def test_enter_on_a_row_opens_details(window: MainWindow, qtbot: Any) -> None:
    window.commands.toggle_detail.setChecked(False)
    assert not window.detail.isVisible()
    window.table.setFocus()
    select(window, "W3-COMMS-UPS")
    QTest.keyClick(window.table.viewport(), Qt.Key.Key_Return)
    QTest.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(window.detail.isVisible, timeout=2000)
    assert window.detail.name_label.text() == "W3-COMMS-UPS"


def test_copy_selected_rows(window: MainWindow) -> None:
    select(window, "W3-COMMS-UPS")
    window.commands.copy_rows.trigger()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("W3-COMMS-UPS\tUPS\tWard 3 · Comms cupboard\t10.20.3.5\t")


def test_export_csv_writes_visible_rows_safely(
    make_window: Any, seeded_store: Store, tmp_path: Path, qtbot: Any
) -> None:
    with seeded_store.transaction() as tx:
        tx.create_device(
            Device(id="f", name="=HYPERLINK(1)", kind=DeviceKind.OTHER, identity=Identity())
        )
    window = make_window(seeded_store, rows=11)
    window.search.setText("w3-")
    target = tmp_path / "out.csv"
    task = window.spawn(window.export_csv_to(target))
    qtbot.waitUntil(task.done, timeout=3000)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["Name", "Kind", "Ward"]
    assert len(rows) == 1 + 6  # header + the six W3 devices
    window.search.setText("hyperlink")
    task = window.spawn(window.export_csv_to(target))
    qtbot.waitUntil(task.done, timeout=3000)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1][0] == "'=HYPERLINK(1)"


def test_scan_dialog_refuses_bad_targets_before_sending(
    window: MainWindow, runtime: FakeRuntime, qtbot: Any
) -> None:
    dialog = window.show_scan_dialog()
    assert isinstance(dialog, ScanDialog)
    dialog.targets.setText("10.0.0.9-10.0.0.1")
    dialog.start_button.click()
    assert dialog.task is None
    assert dialog.target_error.isVisible()
    assert "ends before it starts" in dialog.target_error.text()
    dialog.close()


# Runtime events ----------------------------------------------------------------------


def test_status_change_from_another_thread_refreshes_rows(
    window: MainWindow, seeded_store: Store, runtime: FakeRuntime, qtbot: Any
) -> None:
    device_id = device_id_for("D4J213300123")
    from wardfleet.domain.status import DeviceStatus

    seeded_store.write_poll_cycle([(device_id, DeviceStatus(DeviceState.OK, polled_at=NOW + 5))])
    thread = threading.Thread(target=runtime.emit_status, args=([device_id],))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: cell(window, "W3-PHARMACY-LABEL", Column.STATE) == "OK", timeout=3000)


def test_activity_and_sync_events_show(
    window: MainWindow, runtime: FakeRuntime, qtbot: Any
) -> None:
    runtime.emit_activity(ActivityEvent(time.time(), "discovered", "x", HOSTILE))
    qtbot.waitUntil(lambda: window.activity_model.rowCount() == 1, timeout=2000)
    assert window.activity_model.index(0).data().endswith(f"New device — {HOSTILE}")
    runtime.emit_sync(SyncSnapshot(HubState.SYNCING, queued_changes=7, last_sync=time.time()))
    qtbot.waitUntil(lambda: window.sync_status.text.text() == "Syncing…", timeout=2000)
    assert window.sync_status.queued.text() == "Queued changes: 7"
    assert window.sync_status.last_sync.text() == "Last sync: Just now"


def test_activity_line_selects_its_device(
    window: MainWindow, runtime: FakeRuntime, qtbot: Any
) -> None:
    device_id = device_id_for("X5JN004512")
    runtime.emit_activity(ActivityEvent(time.time(), "recovered", device_id, "Scanner is back"))
    qtbot.waitUntil(lambda: window.activity_model.rowCount() == 1, timeout=2000)
    window.activity.view.activated.emit(window.activity_model.index(0))
    assert window.detail.device_id == device_id


# Actions, keyboard and accessibility -------------------------------------------------


def test_every_action_has_text_and_status_tip(window: MainWindow) -> None:
    for action in window.commands.all():
        assert action.text(), action.objectName()
        assert action.statusTip(), action.text()
    assert window.commands.find.shortcuts()
    assert window.commands.quit.shortcut().toString() == "Ctrl+Q"
    assert window.commands.refresh.shortcut().toString() == "F5"
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Devices", "&Help"]


INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QScrollArea, QDockWidget)


def test_every_visible_control_has_an_accessible_name(window: MainWindow) -> None:
    select(window, "NPI3F2A1C")  # shows the optional "Mark as reviewed" button too
    window.search.setText("n")  # shows the line edit's clear button
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, INTERACTIVE):
            continue
        if not widget.accessibleName().strip():
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    for index in range(window.splitter.count()):
        pane = window.splitter.widget(index)
        if pane is None or not pane.accessibleName().strip():
            unnamed.append(f"splitter pane {type(pane).__name__}")
    assert not unnamed, unnamed


def test_tab_order_walks_search_filter_table_details(window: MainWindow) -> None:
    wanted: list[QWidget] = [
        window.search,
        window.state_filter,
        window.table,
        window.detail.poll_button,
        window.activity.view,
    ]
    chain: list[QWidget] = []
    widget: QWidget | None = window.search
    while widget is not None and len(chain) < 200:
        chain.append(widget)
        widget = widget.nextInFocusChain()
        if widget is window.search:
            break
    positions = [chain.index(w) for w in wanted]
    assert positions == sorted(positions)


# Settings ----------------------------------------------------------------------------


def test_settings_restore_geometry_layout_and_sort(
    make_window: Any, seeded_store: Store, settings: QSettings, qtbot: Any
) -> None:
    first = make_window(seeded_store, rows=10)
    first.resize(QSize(700, 500))  # within the offscreen screen (800 x 600)
    first.move(QPoint(40, 30))
    first.table.sortByColumn(Column.ADDRESS, Qt.SortOrder.DescendingOrder)
    first.table.setColumnWidth(Column.NAME, 222)
    first.commands.toggle_detail.setChecked(False)
    first.state_filter.setCurrentIndex(first.state_filter.findData(StateFilter.ERRORS.name))
    first.close()
    assert isinstance(settings.value("window/geometry"), QByteArray)

    second = make_window(seeded_store, rows=10, restore=True)
    assert second.restored
    assert second.size() == QSize(700, 500)
    header = second.table.horizontalHeader()
    assert header.sortIndicatorSection() == Column.ADDRESS
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert second.table.columnWidth(Column.NAME) == 222
    assert not second.commands.toggle_detail.isChecked()
    assert second.proxy.state_filter is StateFilter.ERRORS
    assert second.proxy.index(0, 0).data() == "W3-PHARMACY-LABEL"


def test_first_start_fits_columns_to_the_pane(window: MainWindow, qtbot: Any) -> None:
    window.set_window_size(QSize(1280, 780))  # a laptop; the offscreen screen is 800 x 600
    qtbot.waitUntil(lambda: window.table.viewport().width() > 800, timeout=2000)
    window.fit_columns()
    total = sum(window.table.columnWidth(c) for c in Column)
    assert total <= window.table.viewport().width() + window.table.columnWidth(Column.LAST_SEEN)


def test_fit_widths_shrinks_by_weight_but_not_below_minimum() -> None:
    ideal = dict.fromkeys(Column, 100)
    minimum = dict.fromkeys(Column, 60)
    widths = fit_widths(ideal, minimum, available=700)
    assert sum(widths.values()) == 700
    assert widths[Column.NAME] == 100  # names never give way
    assert widths[Column.MODEL] < widths[Column.PLACE]  # vendor/model gives way first
    assert all(widths[c] >= 60 for c in Column)
    assert fit_widths(ideal, minimum, available=10)[Column.MODEL] == 60


def test_current_overview_is_none_without_selection(window: MainWindow) -> None:
    window.table.setCurrentIndex(QModelIndex())
    window.table.clearSelection()
    assert window.current_overview() is None
    assert not window.commands.poll_now.isEnabled()


@pytest.mark.parametrize("state_name", ["Warning"])
def test_state_is_icon_and_text(window: MainWindow, state_name: str) -> None:
    row = row_of_name(window, "W3-NURSES-LJ")
    index = window.proxy.index(row, Column.STATE)
    assert index.data() == state_name
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert index.data(Role.SORT) == DeviceState.WARNING.urgency


def test_painting_badges_and_bars_in_light_and_dark(window: MainWindow, qapp: Any) -> None:
    from wardfleet.ui.theme import ThemeChoice, apply_theme

    select(window, "W5-CORRIDOR-MFD")
    try:
        for choice in (ThemeChoice.LIGHT, ThemeChoice.DARK):
            apply_theme(qapp, choice)
            image = window.grab().toImage()
            assert not image.isNull()
            assert window.detail.grab().width() > 0
    finally:
        apply_theme(qapp, ThemeChoice.SYSTEM)


def unnamed_controls(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in root.findChildren(QWidget)
        if w.isVisible() and isinstance(w, INTERACTIVE) and not w.accessibleName().strip()
    ]


def test_dialogs_name_their_controls(window: MainWindow, qtbot: Any) -> None:
    scan = window.show_scan_dialog()
    preferences = window.show_preferences()
    about = window.show_about()
    for dialog in (scan, preferences, about):
        qtbot.waitExposed(dialog)
        assert dialog.accessibleName() or dialog.windowTitle()
    assert unnamed_controls(scan) == []
    assert unnamed_controls(preferences) == []
    assert "Wardfleet 0.1.0" in about.text()
    for dialog in (scan, preferences, about):
        dialog.close()


def test_preferences_store_the_colour_scheme(
    window: MainWindow, settings: QSettings, qtbot: Any
) -> None:
    from wardfleet.ui.theme import ThemeChoice

    dialog = window.show_preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData(ThemeChoice.DARK.value))
    dialog.accept()
    try:
        assert settings.value("ui/theme") == "dark"
        assert window.theme_setting is ThemeChoice.DARK
        qtbot.waitUntil(
            lambda: window.palette().color(window.backgroundRole()).lightness() < 128,
            timeout=2000,
        )
    finally:
        window._apply_theme(ThemeChoice.SYSTEM)

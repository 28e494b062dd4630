"""The alerts panel: open alerts by urgency with acknowledge/snooze, and their history.

It reads the store off the UI thread and reloads at most once per ``COALESCE_MS``
however many poll rounds arrive. Acknowledgements and snoozes go through the store,
which writes an outbox row for each, so the hub hears of them.
"""

from __future__ import annotations

import asyncio
import getpass
import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wardfleet.store import Store
from wardfleet.ui import texts
from wardfleet.ui.alerts_model import (
    ALERT_ID_ROLE,
    AlertRow,
    AlertsModel,
    SnoozeChoice,
    load_history,
    load_open,
    snooze_until,
)
from wardfleet.ui.widgets import plain_label

COALESCE_MS = 300
translate = QCoreApplication.translate


def desktop_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _table(model: AlertsModel, name: str, description: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setAccessibleDescription(description)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move inside
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view


class AlertsPanel(QWidget):
    """Open alerts with their actions on one tab, the history on the other."""

    deviceActivated = Signal(str)
    alertsChanged = Signal()  # after an acknowledgement or snooze was written

    def __init__(
        self,
        store: Store,
        spawn: Callable[[Any], Any] | None = None,
        parent: QWidget | None = None,
        *,
        user: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alertsPanel")
        self.setAccessibleName(translate("AlertsPanel", "Alerts"))
        self.store = store
        self.user = user or desktop_user()
        self._spawn = spawn or asyncio.ensure_future
        self._clock = clock
        self._loading = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.reload)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(translate("AlertsPanel", "Alert lists"))
        layout.addWidget(self.tabs)
        self.open_model = AlertsModel(parent=self)
        self.history_model = AlertsModel(history=True, parent=self)
        self.tabs.addTab(self._build_open_page(), translate("AlertsPanel", "O&pen alerts"))
        self.tabs.addTab(self._build_history_page(), translate("AlertsPanel", "Histor&y"))
        self._update_buttons()

    # Construction ----------------------------------------------------------------------
    def _build_open_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = plain_label(translate("AlertsPanel", "Loading…"))
        layout.addWidget(self.summary)
        self.view = _table(
            self.open_model,
            translate("AlertsPanel", "Open alerts"),
            translate(
                "AlertsPanel", "Most urgent first. Enter shows the device; Ctrl+K acknowledges."
            ),
        )
        self.view.setObjectName("openAlertsView")
        self.view.activated.connect(lambda _index: self.show_device())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.view, 1)

        buttons = QHBoxLayout()
        self.ack_button = self._button(
            translate("AlertsPanel", "&Acknowledge"), "Ctrl+K", self.acknowledge_selected
        )
        self.snooze_button = QPushButton(translate("AlertsPanel", "S&nooze"))
        self.snooze_button.setAccessibleName(translate("AlertsPanel", "Snooze"))
        self.snooze_menu = QMenu(self.snooze_button)
        self.snooze_menu.setAccessibleName(translate("AlertsPanel", "Snooze for"))
        for choice, words, keys in (
            (SnoozeChoice.ONE_HOUR, translate("AlertsPanel", "For &1 hour"), "Ctrl+1"),
            (SnoozeChoice.FOUR_HOURS, translate("AlertsPanel", "For &4 hours"), "Ctrl+4"),
            (
                SnoozeChoice.MORNING,
                translate("AlertsPanel", "Until tomorrow &morning (08:00)"),
                "Ctrl+8",
            ),
        ):
            action = self._action(words, keys)
            action.triggered.connect(lambda _=False, c=choice: self.snooze_selected(c))
            self.snooze_menu.addAction(action)
        self.snooze_button.setMenu(self.snooze_menu)
        self.unsnooze_button = self._button(
            translate("AlertsPanel", "&Un-snooze"), "Ctrl+U", self.unsnooze_selected
        )
        self.show_button = self._button(
            translate("AlertsPanel", "Show devi&ce"), "Ctrl+Return", self.show_device
        )
        for button in (self.ack_button, self.snooze_button, self.unsnooze_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_button)
        layout.addLayout(buttons)
        return page

    def _build_history_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.device_filter = QComboBox()
        self.device_filter.setObjectName("alertHistoryDevice")
        self.device_filter.setAccessibleName(translate("AlertsPanel", "Show history of device"))
        self.device_filter.addItem(translate("AlertsPanel", "All devices"), None)
        label = QLabel(translate("AlertsPanel", "Dev&ice:"))
        label.setBuddy(self.device_filter)
        self.device_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        bar.addWidget(label)
        bar.addWidget(self.device_filter)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.history_view = _table(
            self.history_model,
            translate("AlertsPanel", "Alert history"),
            translate("AlertsPanel", "Cleared and acknowledged alerts, newest first."),
        )
        self.history_view.setObjectName("alertHistoryView")
        self.history_view.activated.connect(self._history_activated)
        layout.addWidget(self.history_view, 1)
        self.device_filter.currentIndexChanged.connect(lambda _i: self.reload())
        return page

    def _action(self, text: str, keys: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        # Only while the focus is in this panel: the keys stay free elsewhere.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _button(self, text: str, keys: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        shortcut = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{text.replace('&', '')} ({shortcut})")
        button.clicked.connect(lambda _=False: slot())
        self._action(text, keys).triggered.connect(lambda _=False: slot())
        return button

    # Loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask for a reload; many asks within ``COALESCE_MS`` give one read."""
        if not self._timer.isActive():
            self._timer.start()

    def reload(self) -> Any:
        """Read now in the background; a reload asked for while reading runs once after."""
        if self._loading:
            self._again = True
            return None
        self._loading = True
        return self._spawn(self._load())

    async def _load(self) -> None:
        try:
            while True:
                self._again = False
                now = self._clock()
                device_id = self.history_device()
                open_rows, history, devices = await asyncio.to_thread(self._read, now, device_id)
                self.show_rows(open_rows, history, devices, now)
                if not self._again:
                    break
        finally:
            self._loading = False

    def _read(
        self, now: float, device_id: str | None
    ) -> tuple[list[AlertRow], list[AlertRow], dict[str, str]]:
        open_rows = load_open(self.store, now)
        everything = load_history(self.store, None)
        history = everything if device_id is None else load_history(self.store, device_id)
        devices = {r.alert.device_id: r.device_name for r in (*everything, *open_rows)}
        return open_rows, history, devices

    def history_device(self) -> str | None:
        data = self.device_filter.currentData()
        return None if data is None else str(data)

    def show_rows(
        self,
        open_rows: Sequence[AlertRow],
        history: Sequence[AlertRow],
        devices: dict[str, str],
        now: float,
    ) -> None:
        chosen = set(self.selected_ids())
        current = self.view.currentIndex().data(ALERT_ID_ROLE)
        self.open_model.set_rows(open_rows, now)
        self.history_model.set_rows(history, now)
        self._restore_selection(chosen, current)
        known = {self.device_filter.itemData(i) for i in range(1, self.device_filter.count())}
        for device_id, name in sorted(devices.items(), key=lambda kv: kv[1].casefold()):
            if device_id not in known:
                self.device_filter.addItem(name, device_id)  # combo items are plain text
        attention = sum(1 for r in open_rows if not r.handled(now))
        if not open_rows:
            self.summary.setText(translate("AlertsPanel", "No open alerts."))
        else:
            self.summary.setText(
                texts.fill(
                    translate("AlertsPanel", "Open alerts: %1 · needing attention: %2"),
                    len(open_rows),
                    attention,
                )
            )
        self._update_buttons()

    def _restore_selection(self, chosen: set[str], current: object) -> None:
        selection = self.view.selectionModel()
        for row in range(self.open_model.rowCount()):
            index = self.open_model.index(row, 0)
            alert_id = index.data(ALERT_ID_ROLE)
            if alert_id == current:
                self.view.setCurrentIndex(index)
            if alert_id in chosen:
                selection.select(
                    index,
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )

    # Selection and actions -------------------------------------------------------------
    def selected_rows(self) -> list[AlertRow]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [r for r in (self.open_model.row_at(n) for n in rows) if r is not None]

    def selected_ids(self) -> list[str]:
        return [r.alert.id for r in self.selected_rows()]

    def _update_buttons(self) -> None:
        rows = self.selected_rows()
        now = self._clock()
        self.ack_button.setEnabled(any(r.alert.acknowledged_at is None for r in rows))
        self.snooze_button.setEnabled(bool(rows))
        self.unsnooze_button.setEnabled(any(r.alert.is_snoozed(now) for r in rows))
        self.show_button.setEnabled(len({r.alert.device_id for r in rows}) == 1)

    def acknowledge_selected(self) -> Any:
        ids = [r.alert.id for r in self.selected_rows() if r.alert.acknowledged_at is None]
        if not ids:
            return None
        user, now = self.user, self._clock()
        return self._write(lambda: [self.store.acknowledge_alert(i, by=user, at=now) for i in ids])

    def snooze_selected(self, choice: SnoozeChoice) -> Any:
        ids = self.selected_ids()
        if not ids:
            return None
        now = self._clock()
        until = snooze_until(choice, now)
        return self._write(lambda: [self.store.snooze_alert(i, until, at=now) for i in ids])

    def unsnooze_selected(self) -> Any:
        now = self._clock()
        ids = [r.alert.id for r in self.selected_rows() if r.alert.is_snoozed(now)]
        if not ids:
            return None
        # A snooze that ends now: written like any snooze, so the hub hears of it too.
        return self._write(lambda: [self.store.snooze_alert(i, now, at=now) for i in ids])

    def _write(self, work: Callable[[], list[bool]]) -> Any:
        async def run() -> None:
            await asyncio.to_thread(work)
            self.alertsChanged.emit()
            task = self.reload()
            if task is not None:
                await task

        return self._spawn(run())

    def show_device(self) -> None:
        devices = {r.alert.device_id for r in self.selected_rows()}
        if not devices:
            index = self.view.currentIndex()
            row = self.open_model.row_at(index.row()) if index.isValid() else None
            devices = {row.alert.device_id} if row is not None else set()
        if len(devices) == 1:
            self.deviceActivated.emit(devices.pop())

    def _history_activated(self, index: QModelIndex) -> None:
        row = self.history_model.row_at(index.row())
        if row is not None:
            self.deviceActivated.emit(row.alert.device_id)

    def focus_list(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.view.currentIndex().isValid() and self.open_model.rowCount():
            self.view.setCurrentIndex(self.open_model.index(0, 0))

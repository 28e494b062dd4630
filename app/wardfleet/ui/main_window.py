"""The main window: device table with search, details on the right, activity below."""

from __future__ import annotations

import asyncio
import itertools
import logging
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wardfleet.domain.device import Device, DeviceOverview
from wardfleet.services.events import ActivityEvent, SyncSnapshot
from wardfleet.store import Store
from wardfleet.store.db import DiskFullError
from wardfleet.ui import export, texts
from wardfleet.ui.actions import MainActions, build_actions, build_menus
from wardfleet.ui.activity import ActivityModel, ActivityPanel
from wardfleet.ui.alerts_dock import AlertsDock
from wardfleet.ui.bridge import RuntimeBridge
from wardfleet.ui.crash import disk_full_message
from wardfleet.ui.delegates import NameDelegate, SuppliesDelegate
from wardfleet.ui.detail_pane import DetailPane
from wardfleet.ui.detail_tabs import TabClients, show_job_names
from wardfleet.ui.device_filter import DeviceFilterProxy, StateFilter
from wardfleet.ui.device_model import Column, DeviceTableModel, Role
from wardfleet.ui.dialogs import (
    THEME_KEY,
    PreferencesDialog,
    about_html,
    user_guide_path,
)
from wardfleet.ui.file_dialogs import ask_save_path
from wardfleet.ui.insight_docks import InsightDocks
from wardfleet.ui.layout import (
    DETAIL_WIDTH,
    WIDTH_LIMITS,
    SettingsKey,
    first_start_size,
    fit_widths,
)
from wardfleet.ui.loader import OverviewLoader
from wardfleet.ui.notifier import Notifier
from wardfleet.ui.resources import app_icon
from wardfleet.ui.runtime_api import PassiveRuntime, UiRuntime
from wardfleet.ui.scan_dialog import ScanDialog
from wardfleet.ui.status_bar import DeviceCounts, add_sync_button, install
from wardfleet.ui.theme import ThemeChoice, apply_theme
from wardfleet.ui.widgets import select_row_only

log = logging.getLogger(__name__)
DIALOG_STOP_GRACE_S = 10.0  # a dialog's rollback on quit (one SET + verify per setting)


class MainWindow(QMainWindow):
    """Owns the models and panes; talks to the store off-thread and to the runtime."""

    closed = Signal()
    TIME_REFRESH_MS = 30_000

    def __init__(
        self,
        store: Store,
        runtime: UiRuntime,
        settings: QSettings,
        *,
        demo: bool = False,
        data_dir: Path | None = None,
        log_path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runtime = runtime
        self.settings = settings
        self.data_dir = data_dir
        self.log_path = log_path
        self._tasks: set[asyncio.Task[Any]] = set()
        self._polling: set[str] = set()
        self._dialogs: list[QDialog] = []
        self._started = False
        self._columns_fitted = False

        self.setObjectName("mainWindow")
        title = self.tr("Wardfleet — demo ward") if demo else self.tr("Wardfleet")
        self.setWindowTitle(title)
        self.setWindowIcon(app_icon())
        self.setAccessibleName(title)

        self.model = DeviceTableModel(self)
        self.proxy = DeviceFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.loader = OverviewLoader(store, self.model, parent=self)
        self.bridge = RuntimeBridge(self)
        self.activity_model = ActivityModel(parent=self)

        self._build_central()
        self._build_activity_dock()
        self.sync_status, self.counts_label = install(self.statusBar())
        self.statusBar().setAccessibleName(self.tr("Status bar"))
        self.commands = build_actions(self, self.activity_dock.toggleViewAction())
        build_menus(self, self.commands)
        self.sync_button = add_sync_button(self.statusBar(), self.commands.sync_now)
        self._connect()
        self.insights = InsightDocks(self)  # graphs and ward dashboard, built on first show
        self.alerts = AlertsDock(self)  # open alerts and history, built on first show
        self.notifier = Notifier.for_window(self)  # tray message, or a banner without tray
        self._set_tab_order()
        self._apply_default_layout()
        self._update_actions()

        self._clock = QTimer(self)
        self._clock.setInterval(self.TIME_REFRESH_MS)
        self._clock.timeout.connect(self._tick)

    # Construction --------------------------------------------------------------------
    def _build_central(self) -> None:
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setAccessibleName(self.tr("Devices and details"))

        left = QWidget(self.splitter)
        left.setObjectName("devicesPane")
        left.setAccessibleName(self.tr("Device list"))
        layout = QVBoxLayout(left)
        layout.setContentsMargins(8, 8, 4, 0)
        layout.setSpacing(6)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Name, IP, location, model, serial or MAC"))
        self.search.setClearButtonEnabled(True)
        for button in self.search.findChildren(QToolButton):  # Qt's own clear button
            button.setAccessibleName(self.tr("Clear search"))
        self.search.setAccessibleName(self.tr("Search devices"))
        self.search.setAccessibleDescription(
            self.tr("Filters the list by name, IP, location, model, serial or MAC. Esc clears.")
        )
        search_label = QLabel(self.tr("&Search:"))
        search_label.setBuddy(self.search)
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("stateFilter")
        self.state_filter.setAccessibleName(self.tr("Show devices"))
        for state_filter in StateFilter:
            self.state_filter.addItem(state_filter.label, state_filter.name)
        filter_label = QLabel(self.tr("Sho&w:"))
        filter_label.setBuddy(self.state_filter)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addSpacing(8)
        bar.addWidget(filter_label)
        bar.addWidget(self.state_filter)
        layout.addLayout(bar)

        self.table = QTableView()
        self.table.setObjectName("deviceTable")
        self.table.setAccessibleName(self.tr("Devices"))
        self.table.setAccessibleDescription(
            self.tr("One row per device. Press Enter to show its details.")
        )
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        row_height = self.fontMetrics().height() + 12
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Columns"))
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItemDelegateForColumn(Column.NAME, NameDelegate(self.table))
        self.table.setItemDelegateForColumn(Column.SUPPLIES, SuppliesDelegate(self.table))
        layout.addWidget(self.table, 1)

        self.detail = DetailPane(self.splitter)
        self.detail.setMinimumWidth(300)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)

    def _build_activity_dock(self) -> None:
        self.activity_dock = QDockWidget(self.tr("Activity"), self)
        self.activity_dock.setObjectName("activityDock")
        self.activity_dock.setAccessibleName(self.tr("Activity"))
        self.activity = ActivityPanel(self.activity_model, self.activity_dock)
        self.activity_dock.setWidget(self.activity)
        self.activity_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.activity_dock)

    def _connect(self) -> None:
        a: MainActions = self.commands
        a.export_csv.triggered.connect(self.export_csv)
        a.quit.triggered.connect(self.close)
        a.find.triggered.connect(self.focus_search)
        a.copy_rows.triggered.connect(self.copy_selected_rows)
        a.preferences.triggered.connect(self.show_preferences)
        a.refresh.triggered.connect(self.loader.refresh_now)
        a.toggle_detail.toggled.connect(self.detail.setVisible)
        a.full_screen.toggled.connect(self._set_full_screen)
        a.poll_now.triggered.connect(self.poll_selected)
        a.scan.triggered.connect(self.show_scan_dialog)
        a.acknowledge.triggered.connect(self.acknowledge_selected)
        a.open_details.triggered.connect(self.open_details)
        a.user_guide.triggered.connect(self.show_user_guide)
        a.about.triggered.connect(self.show_about)
        a.about_qt.triggered.connect(lambda: QMessageBox.aboutQt(self))
        a.sync_now.triggered.connect(self.sync_now)
        a.hub_settings.triggered.connect(self.show_hub_dialog)
        a.credentials.triggered.connect(self.show_credentials_dialog)
        a.audit_log.triggered.connect(self.show_audit_log)
        a.deploy.triggered.connect(self.show_deploy_dialog)
        a.profiles.triggered.connect(self.show_profile_editor)
        for action in a.all():
            self.addAction(action)  # shortcuts work even with the menu bar hidden

        self.search.textChanged.connect(self.proxy.set_search)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.search.clear)
        self.state_filter.currentIndexChanged.connect(self._on_state_filter)

        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_current_changed)
        selection.selectionChanged.connect(lambda *_: self._update_actions())
        self.table.activated.connect(lambda _index: self.open_details())

        self.detail.pollRequested.connect(self.poll_device)
        self.detail.acknowledgeRequested.connect(self.acknowledge_device)
        self.activity.deviceActivated.connect(self.select_device)

        self.loader.loaded.connect(self._on_rows_loaded)
        self.loader.failed.connect(self._on_load_failed)
        self.bridge.inventoryChanged.connect(lambda _ids: self.loader.request())
        self.bridge.statusChanged.connect(lambda _ids: self.loader.request())
        self.bridge.activityReceived.connect(self._on_activity)
        self.bridge.syncChanged.connect(self._on_sync)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.search,
            self.state_filter,
            self.table,
            self.detail.poll_button,
            self.detail.ack_button,
            self.activity.view,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _apply_default_layout(self) -> None:
        char = self.fontMetrics().averageCharWidth()
        for column, (narrowest, _widest) in WIDTH_LIMITS.items():
            self.table.setColumnWidth(column, narrowest * char + 16)
        self.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.set_window_size(first_start_size(self.screen().availableGeometry().size()))
        self.resizeDocks([self.activity_dock], [120], Qt.Orientation.Vertical)
        self.commands.toggle_detail.setChecked(True)

    def set_window_size(self, size: QSize) -> None:
        """Size for a first start (or a screenshot): the details pane keeps its width."""
        self.resize(size)
        self.splitter.setSizes([size.width() - DETAIL_WIDTH, DETAIL_WIDTH])

    def fit_columns(self) -> None:
        """Widths from the rows' content, shrunk to fit the pane (first start only)."""
        char = self.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        ideal: dict[Column, int] = {}
        minimum: dict[Column, int] = {}
        for column, (narrowest, widest) in WIDTH_LIMITS.items():
            content = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            minimum[column] = max(narrowest * char + 16, header.sectionSizeHint(column))
            ideal[column] = max(minimum[column], min(widest * char + 16, content + 8))
        available = self.table.viewport().width() - 2
        for column, width in fit_widths(ideal, minimum, available).items():
            self.table.setColumnWidth(column, width)
        self._columns_fitted = True

    # Life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        """Call once shown: subscribe to the runtime and load rows in the background."""
        if self._started:
            return
        self._started = True
        self.runtime.subscribe(self.bridge)
        self._on_sync(self.runtime.sync_snapshot())
        self.loader.refresh_now()
        self.notifier.start()  # alerts open now are counted, not announced
        self._clock.start()
        if not isinstance(self.runtime, PassiveRuntime):  # --no-network: no Print tab
            self.detail.set_tab_clients(TabClients(self.store), self.settings)

    async def shutdown(self) -> None:
        """Stop our own work (not the runtime's); safe to call twice."""
        self._clock.stop()
        self.loader.close()
        await self.detail.shutdown()  # the Print/Scanner tabs' tasks and clients
        # A Deploy mid-apply rolls back now, while the store is still open for its audit.
        for dialog in list(self._dialogs):
            stop = getattr(dialog, "shutdown", None)
            if stop is not None:
                await stop(DIALOG_STOP_GRACE_S)
        tasks = [t for t in self._tasks if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        for dialog in list(self._dialogs):
            dialog.close()
        super().closeEvent(event)
        self.closed.emit()

    def bring_to_front(self) -> None:
        """Another start asked us to come forward (single instance)."""
        log.info("a second start asked for this window: brought to the front")
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # Settings ------------------------------------------------------------------------
    def save_settings(self) -> None:
        s = self.settings
        s.setValue(SettingsKey.GEOMETRY, self.saveGeometry())
        s.setValue(SettingsKey.STATE, self.saveState())
        s.setValue(SettingsKey.SPLITTER, self.splitter.saveState())
        s.setValue(SettingsKey.HEADER, self.table.horizontalHeader().saveState())
        s.setValue(SettingsKey.DETAIL_VISIBLE, self.commands.toggle_detail.isChecked())
        s.setValue(SettingsKey.STATE_FILTER, self.proxy.state_filter.name)
        s.sync()

    def restore_settings(self) -> bool:
        """Restore what the last session saved; False on a first start."""
        s = self.settings
        restored = False
        geometry = s.value(SettingsKey.GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            restored = self.restoreGeometry(geometry)
        state = s.value(SettingsKey.STATE)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = s.value(SettingsKey.SPLITTER)
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        header_state = s.value(SettingsKey.HEADER)
        if isinstance(header_state, QByteArray):
            header = self.table.horizontalHeader()
            if header.restoreState(header_state):
                self._columns_fitted = True  # the user's widths win over ours
                self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        detail_visible = s.value(SettingsKey.DETAIL_VISIBLE)
        if detail_visible is not None:
            self.commands.toggle_detail.setChecked(str(detail_visible).lower() == "true")
        filter_name = s.value(SettingsKey.STATE_FILTER)
        if isinstance(filter_name, str) and filter_name in StateFilter.__members__:
            self.state_filter.setCurrentIndex(self.state_filter.findData(filter_name))
        return restored

    # Selection and details -----------------------------------------------------------
    def current_overview(self) -> DeviceOverview | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        value = index.data(Role.OVERVIEW)
        return value if isinstance(value, DeviceOverview) else None

    def select_device(self, device_id: str) -> bool:
        row = self.model.row_of(device_id)
        if row is None:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid():  # hidden by the filter: show everything
            self.search.clear()
            self.state_filter.setCurrentIndex(0)
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        select_row_only(self.table, proxy_index)
        return True

    def open_details(self) -> None:
        self.commands.toggle_detail.setChecked(True)
        if self.current_overview() is not None:
            self.detail.poll_button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        overview = current.data(Role.OVERVIEW) if current.isValid() else None
        self._show_detail(overview if isinstance(overview, DeviceOverview) else None)
        self._update_actions()

    def _show_detail(self, overview: DeviceOverview | None) -> None:
        changed_device = overview is None or overview.device.id != self.detail.device_id
        self.detail.show_overview(overview)
        self.detail.set_polling(overview is not None and overview.device.id in self._polling)
        if overview is not None and changed_device:
            self.spawn(self._load_history(overview.device.id))

    async def _load_history(self, device_id: str) -> None:
        history = await asyncio.to_thread(self.store.address_history, device_id)
        self.detail.set_address_history(device_id, history)

    def _on_rows_loaded(self) -> None:
        if not self._columns_fitted and self.model.rowCount():
            self.fit_columns()
        device_id = self.detail.device_id
        if device_id is not None:
            self._show_detail(self.model.overview_of(device_id))
        self.counts_label.show_counts(DeviceCounts.of(self.model.overviews()))
        self._update_actions()

    def _on_load_failed(self, exc: BaseException) -> None:
        self.statusBar().showMessage(
            texts.fill(self.tr("Could not read the device list: %1"), exc), 10_000
        )

    def _on_state_filter(self, row: int) -> None:
        name = self.state_filter.itemData(row)
        if isinstance(name, str):
            self.proxy.set_state_filter(StateFilter[name])

    def _update_actions(self) -> None:
        overview = self.current_overview()
        has = overview is not None
        self.commands.poll_now.setEnabled(has)
        self.commands.deploy.setEnabled(self.table.selectionModel().hasSelection())
        self.commands.open_details.setEnabled(has)
        self.commands.acknowledge.setEnabled(
            has and overview is not None and overview.device.is_new
        )
        self.commands.copy_rows.setEnabled(self.table.selectionModel().hasSelection())

    def _tick(self) -> None:
        self.model.refresh_times()
        self.detail.refresh()

    # Runtime events ------------------------------------------------------------------
    def _on_activity(self, event: ActivityEvent) -> None:
        self.activity_model.add(event)

    def _on_sync(self, snapshot: SyncSnapshot) -> None:
        self.sync_status.show_snapshot(snapshot)

    # Commands ------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a coroutine, keep a reference, and report unexpected failures."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if isinstance(exc, DiskFullError):
            self._show_dialog(disk_full_message(self))
        elif exc is not None:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def poll_selected(self) -> None:
        overview = self.current_overview()
        if overview is not None:
            self.poll_device(overview.device.id)

    def poll_device(self, device_id: str) -> None:
        if device_id in self._polling:
            return
        self._polling.add(device_id)
        if self.detail.device_id == device_id:
            self.detail.set_polling(True)
        self.spawn(self._poll(device_id))

    async def _poll(self, device_id: str) -> None:
        overview = self.model.overview_of(device_id)
        name = overview.device.display_name if overview else device_id
        self.statusBar().showMessage(texts.fill(self.tr("Polling %1…"), name))
        try:
            await self.runtime.poll_now(device_id)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - an unanswered poll is news, not a crash
            log.warning("poll of %s failed: %s", device_id, exc)
            self.statusBar().showMessage(
                texts.fill(self.tr("Could not poll %1: %2"), name, exc), 10_000
            )
        else:
            # The runtime may only queue the poll; the row updates when the answer lands.
            self.statusBar().showMessage(
                texts.fill(self.tr("Asked %1 for its status"), name), 5_000
            )
        finally:
            self._polling.discard(device_id)
            if self.detail.device_id == device_id:
                self.detail.set_polling(False)
        self.loader.request()

    def acknowledge_selected(self) -> None:
        overview = self.current_overview()
        if overview is not None and overview.device.is_new:
            self.acknowledge_device(overview.device.id)

    def acknowledge_device(self, device_id: str) -> asyncio.Task[Any]:
        return self.spawn(self._acknowledge(device_id))

    async def _acknowledge(self, device_id: str) -> None:
        await asyncio.to_thread(self.store.acknowledge_new, device_id)
        self.loader.refresh_now()

    def copy_selected_rows(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        header = self.table.horizontalHeader()
        columns = [
            header.logicalIndex(v)
            for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))
        ]
        lines = [
            [str(self.proxy.index(row, column).data() or "") for column in columns] for row in rows
        ]
        if lines:
            QGuiApplication.clipboard().setText(export.tsv_text(lines))
            self.statusBar().showMessage(texts.fill(self.tr("Copied %1 rows"), len(lines)), 4_000)

    def visible_overviews(self) -> list[DeviceOverview]:
        out = []
        for row in range(self.proxy.rowCount()):
            value = self.proxy.index(row, 0).data(Role.OVERVIEW)
            if isinstance(value, DeviceOverview):
                out.append(value)
        return out

    def export_csv(self) -> None:
        default = str(Path.home() / "wardfleet-devices.csv")
        ask_save_path(
            self,
            self.tr("Export device list"),
            default,
            self.tr("CSV files (*.csv)"),
            lambda path: self.spawn(self.export_csv_to(path)),
        )

    async def export_csv_to(self, path: Path) -> None:
        overviews = self.visible_overviews()
        content = export.csv_text(overviews)  # cheap; only the file write leaves the thread
        try:
            await asyncio.to_thread(export.write_csv, path, content)
        except OSError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Export failed"),
                texts.fill(self.tr("Could not write %1: %2"), path, exc.strerror or exc),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            self._show_dialog(box)
            return
        self.statusBar().showMessage(
            texts.fill(self.tr("Exported %1 devices to %2"), len(overviews), path), 8_000
        )

    def show_scan_dialog(self) -> ScanDialog:
        dialog = ScanDialog(self.store, self.runtime, self.settings, self)
        dialog.devicesFound.connect(lambda _ids: self.loader.request())
        self._show_dialog(dialog)
        return dialog

    def selected_devices(self) -> list[Device]:
        """Every selected row's device, in table order (the table allows many)."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        values = [index.data(Role.OVERVIEW) for index in rows]
        return [v.device for v in values if isinstance(v, DeviceOverview)]

    def show_deploy_dialog(self) -> QDialog | None:
        from wardfleet.ui.deploy_wizard import deploy_wizard

        devices = self.selected_devices()
        if not devices:
            return None
        role = self.store.sync_value("role")  # known only when the hub settings say
        dialog = deploy_wizard(self.store, devices, actor=_desktop_user(), role=role, parent=self)
        self._show_dialog(dialog)
        return dialog

    def show_profile_editor(self) -> QDialog:
        from wardfleet.ui.profile_editor import ProfileEditor

        chosen = [d.id for d in self.selected_devices()]
        dialog = ProfileEditor(self.store, _desktop_user(), self, preselect_devices=chosen)
        self._show_dialog(dialog)
        return dialog

    def show_audit_log(self) -> QDialog:
        from wardfleet.ui.audit_view import AuditView

        dialog = AuditView(self.store, self)
        self._show_dialog(dialog)
        return dialog

    def show_credentials_dialog(self) -> QDialog:
        from wardfleet.ui.credentials_dialog import CredentialsDialog  # loads keyring late

        dialog = CredentialsDialog(self.store, self)
        self._show_dialog(dialog)
        return dialog

    def show_hub_dialog(self) -> QDialog:
        from wardfleet.ui.hub_dialog import HubDialog  # loads keyring and httpx late

        dialog = HubDialog(self.store, self.runtime, self)
        self._show_dialog(dialog)
        return dialog

    def sync_now(self) -> None:
        self.runtime.sync_now()
        self.statusBar().showMessage(self.tr("Asked the hub to sync now"), 4_000)

    def show_preferences(self) -> PreferencesDialog:
        from wardfleet.ui.conformance_prefs import ConformancePrefs

        watch = getattr(self.runtime, "conformance", None)  # WardRuntime's scheduled check
        conformance = ConformancePrefs(self.store, getattr(watch, "reschedule", None))
        dialog = PreferencesDialog(
            self.settings, self.data_dir, self.log_path, self, conformance=conformance
        )
        dialog.accepted.connect(lambda: self._apply_theme(dialog.chosen_theme()))
        dialog.accepted.connect(
            lambda: self.detail.set_show_job_names(show_job_names(self.settings))
        )
        self._show_dialog(dialog)
        return dialog

    def _apply_theme(self, choice: ThemeChoice) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, choice)

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About Wardfleet"))
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(about_html(self.data_dir, self.log_path))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        self._show_dialog(box)
        return box

    def show_user_guide(self) -> None:
        guide = user_guide_path()
        if guide is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide))):
            return
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("User guide"),
            self.tr(
                "The user guide is the file docs/user-guide.md in the Wardfleet sources, "
                "and is installed with Wardfleet's documentation."
            ),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        self._show_dialog(box)

    def _show_dialog(self, dialog: QDialog) -> None:
        """Window-modal and non-blocking: no nested event loop under qasync."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.open()

    def _forget_dialog(self, dialog: QDialog) -> None:
        if dialog in self._dialogs:
            self._dialogs.remove(dialog)

    def _set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    @property
    def theme_setting(self) -> ThemeChoice:
        value = str(self.settings.value(THEME_KEY, ThemeChoice.SYSTEM.value))
        try:
            return ThemeChoice(value)
        except ValueError:
            return ThemeChoice.SYSTEM


def _desktop_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"

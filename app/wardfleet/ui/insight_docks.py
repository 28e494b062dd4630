"""The "Graphs" and "Ward dashboard" docks, tabbed with Activity at the bottom.

Both are built on first show, so pyqtgraph is imported only when someone looks at a
graph and startup stays fast. They follow the main window's selection and rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QWidget

from wardfleet.domain.device import DeviceOverview
from wardfleet.ui.device_model import Role
from wardfleet.ui.widgets import plain_label

if TYPE_CHECKING:
    from wardfleet.ui.dashboard import WardDashboard
    from wardfleet.ui.graphs import DeviceGraphs
    from wardfleet.ui.main_window import MainWindow


class InsightDocks:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.graphs: DeviceGraphs | None = None
        self.dashboard: WardDashboard | None = None
        self.graphs_dock = self._dock(
            "graphsDock", QCoreApplication.translate("InsightDocks", "Graphs")
        )
        self.dashboard_dock = self._dock(
            "dashboardDock", QCoreApplication.translate("InsightDocks", "Ward dashboard")
        )
        window.tabifyDockWidget(window.activity_dock, self.graphs_dock)
        window.tabifyDockWidget(self.graphs_dock, self.dashboard_dock)
        window.activity_dock.raise_()
        self.graphs_dock.visibilityChanged.connect(self._on_graphs_visible)
        self.dashboard_dock.visibilityChanged.connect(self._on_dashboard_visible)
        # Keyboard: bring a dock forward and put the focus in it.
        self.show_graphs = self._action(
            QCoreApplication.translate("InsightDocks", "Show &graphs"),
            "Ctrl+Shift+G",
            self.graphs_dock,
        )
        self.show_dashboard = self._action(
            QCoreApplication.translate("InsightDocks", "Show ward &dashboard"),
            "Ctrl+Shift+W",
            self.dashboard_dock,
        )
        window.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        window.loader.loaded.connect(self._on_rows_loaded)

    def _dock(self, name: str, title: str) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        placeholder = plain_label(QCoreApplication.translate("InsightDocks", "Loading…"))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        dock.setWidget(placeholder)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def _action(self, text: str, keys: str, dock: QDockWidget) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(keys))

        def bring_forward() -> None:
            dock.show()
            dock.raise_()
            widget = dock.widget()
            if widget is not None:
                widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                widget.focusNextChild()

        action.triggered.connect(bring_forward)
        self.window.addAction(action)
        return action

    # Graphs ----------------------------------------------------------------------------
    def ensure_graphs(self) -> DeviceGraphs:
        if self.graphs is None:
            from wardfleet.ui.graphs import DeviceGraphs  # pyqtgraph: only when needed

            self.graphs = DeviceGraphs(self.window.store, self.window.spawn)
            self.graphs_dock.setWidget(self.graphs)
            self._follow(self.window.current_overview())
        return self.graphs

    def _on_graphs_visible(self, visible: bool) -> None:
        if visible:
            self.ensure_graphs()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        overview = current.data(Role.OVERVIEW) if current.isValid() else None
        self._follow(overview if isinstance(overview, DeviceOverview) else None)

    def _follow(self, overview: DeviceOverview | None) -> None:
        if self.graphs is None:
            return
        if overview is None:
            self.graphs.set_device(None)
        else:
            self.graphs.set_device(
                overview.device.id, overview.device.display_name, overview.status
            )

    def _on_rows_loaded(self) -> None:
        if self.graphs is not None and self.graphs.device_id is not None:
            overview = self.window.model.overview_of(self.graphs.device_id)
            if overview is not None and overview.status is not None:
                self.graphs.append_status(overview.device.id, overview.status)
        if self.dashboard is not None and self.dashboard.isVisible():
            self.dashboard.refresh()  # hidden: nothing read until shown again

    # Dashboard -------------------------------------------------------------------------
    def ensure_dashboard(self) -> WardDashboard:
        if self.dashboard is None:
            from wardfleet.ui.dashboard import WardDashboard

            self.dashboard = WardDashboard(self.window.store, self.window.spawn)
            self.dashboard.deviceActivated.connect(self.window.select_device)
            self.dashboard_dock.setWidget(self.dashboard)
            self.dashboard.refresh()
        return self.dashboard

    def _on_dashboard_visible(self, visible: bool) -> None:
        if visible:
            self.ensure_dashboard().refresh()

    def widgets(self) -> list[QWidget | Any]:
        return [w for w in (self.graphs, self.dashboard) if w is not None]

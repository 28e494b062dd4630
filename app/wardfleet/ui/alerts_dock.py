"""The "Alerts" dock (tabbed with Activity, Graphs and the dashboard) and its action.

The panel inside is built on first show, so its module loads only then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from wardfleet.services.events import ActivityEvent
from wardfleet.ui.widgets import plain_label

if TYPE_CHECKING:
    from wardfleet.ui.alerts_panel import AlertsPanel
    from wardfleet.ui.main_window import MainWindow

ALERT_KINDS = frozenset({"alert", "alert-cleared"})
translate = QCoreApplication.translate


class AlertsDock(QObject):
    """The dock, its "Show alerts" action, and the wiring to the main window."""

    alertsChanged = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel: AlertsPanel | None = None
        title = translate("AlertsPanel", "Alerts")
        self.dock = QDockWidget(title, window)
        self.dock.setObjectName("alertsDock")
        self.dock.setAccessibleName(title)
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        placeholder = plain_label(translate("AlertsPanel", "Loading…"))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dock.setWidget(placeholder)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.insights.dashboard_dock, self.dock)
        window.activity_dock.raise_()
        self.dock.visibilityChanged.connect(self._on_visible)

        # Ctrl+Shift+A already shows Activity; L as in "aLerts".
        self.show_action = QAction(translate("AlertsPanel", "Show a&lerts"), window)
        self.show_action.setObjectName("showAlerts")
        self.show_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.show_action.setStatusTip(
            translate("AlertsPanel", "Show open alerts and put the focus in their list")
        )
        self.show_action.triggered.connect(self.bring_forward)
        window.addAction(self.show_action)
        view_menu = _menu_holding(window.commands.toggle_activity)
        if view_menu is not None:
            view_menu.addAction(self.show_action)

        window.bridge.statusChanged.connect(lambda _ids: self._refresh_if_shown())
        window.bridge.activityReceived.connect(self._on_activity)

    def ensure_panel(self) -> AlertsPanel:
        if self.panel is None:
            from wardfleet.ui.alerts_panel import AlertsPanel

            self.panel = AlertsPanel(self.window.store, self.window.spawn)
            self.panel.deviceActivated.connect(self.window.select_device)
            self.panel.alertsChanged.connect(self.alertsChanged)
            self.dock.setWidget(self.panel)
            self.panel.reload()
        return self.panel

    def bring_forward(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.ensure_panel().focus_list()

    def _on_visible(self, visible: bool) -> None:
        if visible and self.panel is not None:
            self.panel.refresh()
        elif visible:
            self.ensure_panel()  # reads at once

    def _refresh_if_shown(self) -> None:
        if self.panel is not None and self.panel.isVisible():
            self.panel.refresh()  # hidden: nothing read until shown again

    def _on_activity(self, event: ActivityEvent) -> None:
        if event.kind in ALERT_KINDS:
            self._refresh_if_shown()


def _menu_holding(action: QAction) -> QMenu | None:
    for holder in action.associatedObjects():
        if isinstance(holder, QMenu):
            return holder
    return None

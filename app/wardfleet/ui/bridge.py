"""Runtime callbacks → Qt signals, so any thread may report and the UI thread reacts."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from wardfleet.services.events import ActivityEvent, SyncSnapshot


class RuntimeBridge(QObject):
    """A ``RuntimeListener``. It lives in the UI thread; emitting from another thread
    queues the signal (AutoConnection), so slots always run in the UI thread."""

    inventoryChanged = Signal(list)
    statusChanged = Signal(list)
    activityReceived = Signal(object)
    syncChanged = Signal(object)

    def inventory_changed(self, device_ids: list[str]) -> None:
        self.inventoryChanged.emit(list(device_ids))

    def status_changed(self, device_ids: list[str]) -> None:
        self.statusChanged.emit(list(device_ids))

    def activity(self, event: ActivityEvent) -> None:
        self.activityReceived.emit(event)

    def sync_changed(self, snapshot: SyncSnapshot) -> None:
        self.syncChanged.emit(snapshot)

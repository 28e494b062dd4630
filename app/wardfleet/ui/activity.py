"""Recent activity (discoveries, state changes, scans), newest first, plain text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QListView, QVBoxLayout, QWidget

from wardfleet.services.events import ActivityEvent
from wardfleet.ui import texts
from wardfleet.ui.resources import icon
from wardfleet.ui.texts import QT_TRANSLATE_NOOP

ModelIndex = QModelIndex | QPersistentModelIndex

DEVICE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_KIND_ICONS = {
    "discovered": "state-busy",
    "updated": "state-busy",
    "state": "state-warning",
    "recovered": "state-ok",
    "unreachable": "state-unreachable",
    "error": "state-error",
    "scan": "state-busy",
    "alert": "state-error",
    "alert-cleared": "state-ok",
    "drift": "state-warning",
    "conformance": "state-ok",
}

# The kind in words too: the icon alone would leave "unreachable" to shape and colour.
_KIND_WORDS = {
    "discovered": QT_TRANSLATE_NOOP("ActivityModel", "New device"),
    "updated": QT_TRANSLATE_NOOP("ActivityModel", "Updated"),
    "state": QT_TRANSLATE_NOOP("ActivityModel", "State changed"),
    "recovered": QT_TRANSLATE_NOOP("ActivityModel", "Reachable again"),
    "unreachable": QT_TRANSLATE_NOOP("ActivityModel", "Unreachable"),
    "error": QT_TRANSLATE_NOOP("ActivityModel", "Problem"),
    "scan": QT_TRANSLATE_NOOP("ActivityModel", "Scan"),
    "alert": QT_TRANSLATE_NOOP("ActivityModel", "Alert"),
    "alert-cleared": QT_TRANSLATE_NOOP("ActivityModel", "Alert cleared"),
    "drift": QT_TRANSLATE_NOOP("ActivityModel", "Profile drift"),
    "conformance": QT_TRANSLATE_NOOP("ActivityModel", "Profile check"),
}


def event_text(event: ActivityEvent) -> str:
    words = _KIND_WORDS.get(event.kind)
    label = QCoreApplication.translate("ActivityModel", words) if words else event.kind
    return f"{label} — {event.text}" if label else event.text


class ActivityModel(QAbstractListModel):
    """A bounded list: the newest event is row 0; the oldest falls off the end."""

    def __init__(self, limit: int = 500, parent: Any = None) -> None:
        super().__init__(parent)
        self._limit = limit
        self._events: list[ActivityEvent] = []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def event_at(self, row: int) -> ActivityEvent:
        return self._events[row]

    def add(self, event: ActivityEvent) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._events.insert(0, event)
        self.endInsertRows()
        if len(self._events) > self._limit:
            self.beginRemoveRows(QModelIndex(), self._limit, len(self._events) - 1)
            del self._events[self._limit :]
            self.endRemoveRows()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._events):
            return None
        event = self._events[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            when = QDateTime.fromMSecsSinceEpoch(int(event.ts * 1000)).toString("HH:mm:ss")
            return f"{when}  {event_text(event)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return texts.plain_tooltip(f"{texts.absolute_time(event.ts)}\n{event_text(event)}")
        if role == Qt.ItemDataRole.DecorationRole:
            return icon(_KIND_ICONS.get(event.kind, "state-unknown"))
        if role == DEVICE_ID_ROLE:
            return event.device_id
        return None


class ActivityView(QListView):
    """A list that says what will appear in it while it is still empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = self.tr(
            "Nothing yet. Discoveries, state changes and scans will appear here."
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            rect = self.viewport().rect().adjusted(8, 6, -8, -6)
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
            painter.drawText(rect, int(flags) | int(Qt.TextFlag.TextWordWrap), self.placeholder)
            painter.end()


class ActivityPanel(QWidget):
    """The list view; activating a line that names a device selects that device."""

    deviceActivated = Signal(str)

    def __init__(self, model: ActivityModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Activity"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = ActivityView(self)
        self.view.setModel(model)
        self.view.setObjectName("activityView")
        self.view.setAccessibleName(self.tr("Recent activity"))
        self.view.setAccessibleDescription(
            self.tr("Newest first. Press Enter on a line to show its device.")
        )
        self.view.setUniformItemSizes(True)
        self.view.setIconSize(QSize(16, 16))
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(self._on_activated)
        layout.addWidget(self.view)

    def _on_activated(self, index: QModelIndex) -> None:
        device_id = index.data(DEVICE_ID_ROLE)
        if isinstance(device_id, str) and device_id:
            self.deviceActivated.emit(device_id)

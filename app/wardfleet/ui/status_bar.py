"""Permanent status-bar widgets: hub state (icon + words), queued changes, counts."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStatusBar, QToolButton, QWidget

from wardfleet.domain.device import DeviceOverview
from wardfleet.domain.kinds import DeviceState
from wardfleet.services.events import SyncSnapshot
from wardfleet.sync.settings import HubIdentity
from wardfleet.ui import texts
from wardfleet.ui.device_filter import needs_attention
from wardfleet.ui.resources import hub_icon
from wardfleet.ui.widgets import plain_label


@dataclass(frozen=True, slots=True)
class DeviceCounts:
    total: int = 0
    attention: int = 0
    unreachable: int = 0
    new: int = 0

    @classmethod
    def of(cls, overviews: list[DeviceOverview]) -> DeviceCounts:
        return cls(
            total=len(overviews),
            attention=sum(1 for o in overviews if needs_attention(o)),
            unreachable=sum(1 for o in overviews if o.device.state is DeviceState.UNREACHABLE),
            new=sum(1 for o in overviews if o.device.is_new),
        )


class SyncStatus(QWidget):
    """Icon and words for the hub: never colour alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(5)
        self._icon = plain_label(parent=self)
        self._icon.setFixedSize(QSize(16, 16))
        self.text = plain_label(parent=self)
        self.text.setObjectName("hubState")
        self.queued = plain_label(parent=self)
        self.queued.setObjectName("queuedChanges")
        self.last_sync = plain_label(parent=self)
        self.last_sync.setObjectName("lastSync")
        layout.addWidget(self._icon)
        layout.addWidget(self.text)
        layout.addSpacing(10)
        layout.addWidget(self.queued)
        layout.addSpacing(10)
        layout.addWidget(self.last_sync)
        self.setAccessibleName(self.tr("Hub connection"))

    def show_snapshot(self, snapshot: SyncSnapshot) -> None:
        self._icon.setPixmap(hub_icon(snapshot.hub).pixmap(QSize(16, 16)))
        self.text.setText(texts.hub_text(snapshot))
        self.queued.setText(texts.fill(self.tr("Queued changes: %1"), snapshot.queued_changes))
        self.last_sync.setText(
            texts.fill(self.tr("Last sync: %1"), texts.relative_time(snapshot.last_sync))
            if snapshot.last_sync is not None
            else ""
        )
        self.last_sync.setToolTip(texts.absolute_time(snapshot.last_sync))
        self.last_sync.setVisible(snapshot.last_sync is not None)
        # Escaped inside <p>: a ward name from the hub must never render as markup.
        self.text.setToolTip(f"<p>{html.escape(identity_text(snapshot.identity))}</p>")
        summary = " · ".join(
            w.text() for w in (self.text, self.queued, self.last_sync) if w.isVisibleTo(self)
        )
        # The role is in the tooltip for the mouse; screen readers get it here.
        self.setAccessibleDescription(f"{summary} · {identity_text(snapshot.identity)}")


def role_words(role: str) -> str:
    """A hub role as people say it ("" means the hub refused the token)."""
    words = {
        "ward-lead": QCoreApplication.translate("HubDialog", "ward lead"),
        "helpdesk": QCoreApplication.translate("HubDialog", "helpdesk"),
        "admin": QCoreApplication.translate("HubDialog", "admin"),
        "": QCoreApplication.translate("HubDialog", "none (the hub refused the token)"),
    }
    return words.get(role, role)


def identity_text(identity: HubIdentity | None) -> str:
    """Who this desktop is at the hub, in one line (the user name comes from the hub:
    callers show it as plain text)."""
    if identity is None:
        return QCoreApplication.translate("HubDialog", "Role at the hub: not known yet")
    if not identity.role:
        return texts.fill(
            QCoreApplication.translate("HubDialog", "Role at the hub: %1"), role_words("")
        )
    wards = ", ".join(identity.wards) or QCoreApplication.translate("HubDialog", "all wards")
    return texts.fill(
        QCoreApplication.translate("HubDialog", "Signed in as %1 · role: %2 · %3"),
        identity.user,
        role_words(identity.role),
        wards,
    )


class CountsLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceCounts")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.show_counts(DeviceCounts())

    def show_counts(self, counts: DeviceCounts) -> None:
        parts = [texts.fill(self.tr("Devices: %1"), counts.total)]
        if counts.attention:
            parts.append(texts.fill(self.tr("Need attention: %1"), counts.attention))
        if counts.unreachable:
            parts.append(texts.fill(self.tr("Unreachable: %1"), counts.unreachable))
        if counts.new:
            parts.append(texts.fill(self.tr("New: %1"), counts.new))
        self.setText(" · ".join(parts))
        self.setAccessibleName(self.text())


def install(status_bar: QStatusBar) -> tuple[SyncStatus, CountsLabel]:
    counts = CountsLabel()
    sync = SyncStatus()
    status_bar.addPermanentWidget(counts)
    status_bar.addPermanentWidget(sync)
    return sync, counts


def add_sync_button(status_bar: QStatusBar, action: QAction) -> QToolButton:
    """A "Sync now" button at the end of the status bar, driven by the window's action."""
    button = QToolButton(status_bar)
    button.setObjectName("syncNowButton")
    button.setDefaultAction(action)
    button.setAutoRaise(True)
    button.setAccessibleName(QCoreApplication.translate("SyncStatus", "Sync now"))
    status_bar.addPermanentWidget(button)
    return button

"""Alerts as table rows: open alerts by urgency, and the history of closed or handled ones.

Rows are read off the UI thread (``load_open`` / ``load_history``) with the device's
name, place and IP beside each alert, because a list that leaves those out sends people
hunting. Every cell is plain text (alert messages and names may come from a device);
state is an icon *and* words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QIcon

from wardfleet.domain.alerts import Alert, AlertRule
from wardfleet.domain.device import Device
from wardfleet.domain.status import Severity
from wardfleet.store import Store
from wardfleet.ui import texts
from wardfleet.ui.device_model import ModelIndex
from wardfleet.ui.resources import icon
from wardfleet.ui.texts import QT_TRANSLATE_NOOP

translate = QCoreApplication.translate
ALERT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DEVICE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
HISTORY_LIMIT = 500
MORNING_HOUR = 8

_SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
_SEVERITY_WORDS = {
    Severity.CRITICAL: QT_TRANSLATE_NOOP("AlertsModel", "Critical"),
    Severity.WARNING: QT_TRANSLATE_NOOP("AlertsModel", "Warning"),
    Severity.INFO: QT_TRANSLATE_NOOP("AlertsModel", "Note"),
}
# Icon file stems (resources/icons): error for critical, warning triangle, "i" for a note.
SEVERITY_ICONS = {
    Severity.CRITICAL: "state-error",
    Severity.WARNING: "state-warning",
    Severity.INFO: "severity-info",
}
_RULE_WORDS = {
    AlertRule.SUPPLY_LOW: QT_TRANSLATE_NOOP("AlertsModel", "Supply low"),
    AlertRule.RECEPTACLE_FULL: QT_TRANSLATE_NOOP("AlertsModel", "Waste container nearly full"),
    AlertRule.UNREACHABLE: QT_TRANSLATE_NOOP("AlertsModel", "Not reachable"),
    AlertRule.JAM: QT_TRANSLATE_NOOP("AlertsModel", "Paper jam"),
    AlertRule.DOOR_OPEN: QT_TRANSLATE_NOOP("AlertsModel", "Door open"),
    AlertRule.NO_PAPER: QT_TRANSLATE_NOOP("AlertsModel", "Out of paper"),
    AlertRule.ERROR_STATE: QT_TRANSLATE_NOOP("AlertsModel", "Device in error"),
    AlertRule.RUN_OUT: QT_TRANSLATE_NOOP("AlertsModel", "Supply runs out soon"),
}
# The damper's English message for rules without a subject; anything else says more.
_PLAIN_MESSAGES = {
    "Device not reachable",
    "Paper jam",
    "Door open",
    "Out of paper",
    "Device in error",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("AlertsModel", text)


@dataclass(frozen=True, slots=True)
class AlertRow:
    """One alert with the device facts shown beside it."""

    alert: Alert
    device_name: str
    place: str
    address: str

    def handled(self, now: float) -> bool:
        """Acknowledged or snoozed: someone has seen it."""
        return self.alert.acknowledged_at is not None or self.alert.is_snoozed(now)


def urgency_key(row: AlertRow, now: float) -> tuple[bool, int, float]:
    """Unhandled first, then by severity, then the longest-waiting first."""
    return (row.handled(now), _SEVERITY_RANK.get(row.alert.severity, 3), row.alert.raised_at)


def alert_rows(store: Store, alerts: Sequence[Alert]) -> list[AlertRow]:
    """``alerts`` with their device's name, place and address (each device read once)."""
    devices: dict[str, Device | None] = {}
    rows = []
    for alert in alerts:
        if alert.device_id not in devices:
            devices[alert.device_id] = store.get_device(alert.device_id)
        device = devices[alert.device_id]
        if device is None:  # removed since: the alert still deserves a line
            rows.append(AlertRow(alert, alert.device_id, "", ""))
        else:
            rows.append(
                AlertRow(alert, device.display_name, texts.place_text(device), device.address or "")
            )
    return rows


def load_open(store: Store, now: float) -> list[AlertRow]:
    """Open alerts (acknowledged and snoozed too), most urgent first. Off the UI thread."""
    rows = alert_rows(store, store.list_alerts())
    rows.sort(key=lambda r: urgency_key(r, now))
    return rows


def load_history(store: Store, device_id: str | None) -> list[AlertRow]:
    """Cleared or acknowledged alerts, newest first; ``device_id`` None: every device."""
    alerts = [
        a
        for a in store.alert_history(device_id, HISTORY_LIMIT)
        if a.cleared_at is not None or a.acknowledged_at is not None
    ]
    return alert_rows(store, alerts)


def problem_text(alert: Alert) -> str:
    """What happened, in words: the rule, plus the detail when the message has one."""
    words = _RULE_WORDS.get(alert.rule)
    label = _tr(words) if words else alert.key
    if not alert.message or alert.message in _PLAIN_MESSAGES:
        return label
    return f"{label} — {alert.message}"


def severity_text(severity: Severity) -> str:
    return _tr(_SEVERITY_WORDS.get(severity, severity.value))


def severity_icon(severity: Severity) -> QIcon:
    return icon(SEVERITY_ICONS.get(severity, "state-unknown"))


def _clock_text(ts: float, now: float) -> str:
    moment = dt.datetime.fromtimestamp(ts)
    if moment.date() == dt.datetime.fromtimestamp(now).date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def status_text(alert: Alert, now: float) -> str:
    if alert.cleared_at is not None:
        return texts.fill(
            translate("AlertsModel", "Cleared %1"), _clock_text(alert.cleared_at, now)
        )
    if alert.acknowledged_at is not None:
        return texts.fill(
            translate("AlertsModel", "Acknowledged by %1"), alert.acknowledged_by or "?"
        )
    if alert.snoozed_until is not None and alert.is_snoozed(now):
        return texts.fill(
            translate("AlertsModel", "Snoozed until %1"), _clock_text(alert.snoozed_until, now)
        )
    return translate("AlertsModel", "Needs attention")


def status_icon(alert: Alert, now: float) -> QIcon:
    """Handled: a tick or the snooze clock; still open: the icon of its severity."""
    if alert.cleared_at is not None or alert.acknowledged_at is not None:
        return icon("state-ok")
    if alert.is_snoozed(now):
        return icon("state-busy")
    return severity_icon(alert.severity)


class SnoozeChoice(Enum):
    ONE_HOUR = "1h"
    FOUR_HOURS = "4h"
    MORNING = "morning"


def snooze_until(choice: SnoozeChoice, now: float) -> float:
    """When a snooze ends: in 1 h, in 4 h, or at the next 08:00 local time."""
    if choice is SnoozeChoice.ONE_HOUR:
        return now + 3600.0
    if choice is SnoozeChoice.FOUR_HOURS:
        return now + 4 * 3600.0
    moment = dt.datetime.fromtimestamp(now).astimezone()
    morning = moment.replace(hour=MORNING_HOUR, minute=0, second=0, microsecond=0)
    if morning <= moment:
        morning += dt.timedelta(days=1)
    return morning.timestamp()


class AlertsModel(QAbstractTableModel):
    """Open alerts (``history=False``) or the history; replaced whole on each load."""

    OPEN_HEADERS = (
        QT_TRANSLATE_NOOP("AlertsModel", "Severity"),
        QT_TRANSLATE_NOOP("AlertsModel", "Device"),
        QT_TRANSLATE_NOOP("AlertsModel", "Place"),
        QT_TRANSLATE_NOOP("AlertsModel", "IP address"),
        QT_TRANSLATE_NOOP("AlertsModel", "Problem"),
        QT_TRANSLATE_NOOP("AlertsModel", "Since"),
        QT_TRANSLATE_NOOP("AlertsModel", "Status"),
    )
    HISTORY_HEADERS = (
        *OPEN_HEADERS[:5],
        QT_TRANSLATE_NOOP("AlertsModel", "Raised"),
        QT_TRANSLATE_NOOP("AlertsModel", "Outcome"),
    )
    SEVERITY, DEVICE, PLACE, ADDRESS, PROBLEM, SINCE, STATUS = range(7)

    def __init__(self, *, history: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.history = history
        self._rows: list[AlertRow] = []
        self._now = 0.0

    def set_rows(self, rows: Sequence[AlertRow], now: float) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._now = now
        self.endResetModel()

    def row_at(self, row: int) -> AlertRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[AlertRow]:
        return list(self._rows)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.OPEN_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = self.HISTORY_HEADERS if self.history else self.OPEN_HEADERS
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(headers)
        ):
            return _tr(headers[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == self.SEVERITY:
                return severity_icon(row.alert.severity)
            if column == self.STATUS:
                return status_icon(row.alert, self._now)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.SINCE, self.PROBLEM):
            detail = self._text(row, column)
            if column == self.SINCE:
                detail = texts.absolute_time(row.alert.raised_at)
            return texts.plain_tooltip(detail)
        if role == ALERT_ID_ROLE:
            return row.alert.id
        if role == DEVICE_ID_ROLE:
            return row.alert.device_id
        return None

    def _text(self, row: AlertRow, column: int) -> str:
        alert = row.alert
        if column == self.SEVERITY:
            return severity_text(alert.severity)
        if column == self.DEVICE:
            return row.device_name
        if column == self.PLACE:
            return row.place
        if column == self.ADDRESS:
            return row.address
        if column == self.PROBLEM:
            return problem_text(alert)
        if column == self.SINCE:
            if self.history:
                return texts.absolute_time(alert.raised_at)
            return texts.when_text(alert.raised_at, self._now)
        if column == self.STATUS:
            return self._outcome(alert) if self.history else status_text(alert, self._now)
        return ""

    def _outcome(self, alert: Alert) -> str:
        parts = []
        if alert.acknowledged_at is not None:
            parts.append(
                texts.fill(
                    translate("AlertsModel", "Acknowledged by %1"), alert.acknowledged_by or "?"
                )
            )
        if alert.cleared_at is not None:
            parts.append(
                texts.fill(
                    translate("AlertsModel", "Cleared %1"), _clock_text(alert.cleared_at, self._now)
                )
            )
        else:
            parts.append(translate("AlertsModel", "Still open"))
        return "; ".join(parts)

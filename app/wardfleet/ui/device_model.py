"""The device table: a thin Qt model over ``DeviceOverview`` rows from the store.

Rows are replaced by ``set_rows`` with an incremental diff by device id (remove, change,
insert), never a reset, so selection, scroll position and sorting survive every poll.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from wardfleet.domain.device import DeviceOverview
from wardfleet.ui import texts
from wardfleet.ui.resources import kind_icon, state_icon
from wardfleet.ui.texts import QT_TRANSLATE_NOOP

ModelIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    KIND = 1
    PLACE = 2
    ADDRESS = 3
    MODEL = 4
    STATE = 5
    SUPPLIES = 6
    LAST_SEEN = 7


_HEADERS = {
    Column.NAME: QT_TRANSLATE_NOOP("DeviceTableModel", "Name"),
    Column.KIND: QT_TRANSLATE_NOOP("DeviceTableModel", "Kind"),
    Column.PLACE: QT_TRANSLATE_NOOP("DeviceTableModel", "Ward / location"),
    Column.ADDRESS: QT_TRANSLATE_NOOP("DeviceTableModel", "IP address"),
    Column.MODEL: QT_TRANSLATE_NOOP("DeviceTableModel", "Vendor / model"),
    Column.STATE: QT_TRANSLATE_NOOP("DeviceTableModel", "State"),
    Column.SUPPLIES: QT_TRANSLATE_NOOP("DeviceTableModel", "Supplies"),
    Column.LAST_SEEN: QT_TRANSLATE_NOOP("DeviceTableModel", "Last seen"),
}


class Role(IntEnum):
    SORT = Qt.ItemDataRole.UserRole + 1
    DEVICE_ID = Qt.ItemDataRole.UserRole + 2
    OVERVIEW = Qt.ItemDataRole.UserRole + 3
    IS_NEW = Qt.ItemDataRole.UserRole + 4


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as inclusive (first, last) runs: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out


def search_text(overview: DeviceOverview) -> str:
    """What the search box matches: name, IP, place, vendor/model, serial, MAC."""
    d = overview.device
    fields = (
        d.display_name,
        d.address,
        d.ward,
        d.location,
        d.vendor,
        d.model,
        d.identity.serial,
        d.identity.mac,
    )
    return "\n".join(f for f in fields if f).casefold()


class DeviceTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DeviceOverview] = []
        self._search: list[str] = []
        self._row_of: dict[str, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # Reading -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def overview_at(self, row: int) -> DeviceOverview:
        return self._rows[row]

    def search_text_at(self, row: int) -> str:
        return self._search[row]

    def row_of(self, device_id: str) -> int | None:
        return self._row_of.get(device_id)

    def overview_of(self, device_id: str) -> DeviceOverview | None:
        row = self._row_of.get(device_id)
        return None if row is None else self._rows[row]

    def overviews(self) -> list[DeviceOverview]:
        return list(self._rows)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return QCoreApplication.translate("DeviceTableModel", _HEADERS[Column(section)])
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        overview = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self._display(overview, column)
            is_new_name = column is Column.NAME and overview.device.is_new
            if role == Qt.ItemDataRole.AccessibleTextRole and is_new_name:
                text = texts.fill(self.tr("%1 (new)"), text)
            return text
        if role == Qt.ItemDataRole.DecorationRole:
            if column is Column.KIND:
                return kind_icon(overview.device.kind)
            if column is Column.STATE:
                return state_icon(overview.device.state)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return texts.plain_tooltip(self._tooltip(overview, column))
        if role == Role.SORT:
            return self._sort_value(overview, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if overview.device.is_new and column is Column.NAME else None
        if role == Role.DEVICE_ID:
            return overview.device.id
        if role == Role.OVERVIEW:
            return overview
        if role == Role.IS_NEW:
            return overview.device.is_new
        return None

    def _display(self, overview: DeviceOverview, column: Column) -> str:
        device = overview.device
        if column is Column.NAME:
            return device.display_name
        if column is Column.KIND:
            return texts.kind_text(device.kind)
        if column is Column.PLACE:
            return texts.place_text(device)
        if column is Column.ADDRESS:
            return device.address or ""
        if column is Column.MODEL:
            return texts.vendor_model_text(device)
        if column is Column.STATE:
            return texts.state_text(device.state)
        if column is Column.SUPPLIES:
            return texts.supply_summary(overview.status)
        return texts.relative_time(device.last_seen)

    def _tooltip(self, overview: DeviceOverview, column: Column) -> str:
        device, status = overview.device, overview.status
        if column is Column.NAME and device.is_new:
            return "\n".join((device.display_name, self.tr("New device: not reviewed yet")))
        if column is Column.STATE and status is not None and status.error_bits:
            problems = ", ".join(texts.error_bit_text(b) for b in status.error_bits)
            return f"{texts.state_text(device.state)}: {problems}"
        if column is Column.SUPPLIES:
            return "\n".join(texts.supply_lines(status)) or self._display(overview, column)
        if column is Column.LAST_SEEN:
            return texts.absolute_time(device.last_seen)
        return self._display(overview, column)

    def _sort_value(self, overview: DeviceOverview, column: Column) -> Any:
        device = overview.device
        if column is Column.ADDRESS:
            return texts.address_sort_key(device.address)
        if column is Column.STATE:
            return device.state.urgency
        if column is Column.LAST_SEEN:
            return device.last_seen if device.last_seen is not None else -1.0
        if column is Column.SUPPLIES:
            status = overview.status
            lowest = status.lowest_consumable() if status is not None else None
            return lowest.percent if lowest is not None and lowest.percent is not None else 101.0
        return self._display(overview, column).casefold()

    # Writing -------------------------------------------------------------------------
    def set_rows(self, overviews: Sequence[DeviceOverview]) -> None:
        """Bring the rows in line with ``overviews``: remove, update, then append."""
        incoming = {o.device.id: o for o in overviews}

        gone = [row for row, o in enumerate(self._rows) if o.device.id not in incoming]
        for first, last in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            del self._search[first : last + 1]
            self.endRemoveRows()
        if gone:
            self._reindex()

        changed: list[int] = []
        for row, old in enumerate(self._rows):
            new = incoming[old.device.id]
            if new != old:
                self._rows[row] = new
                self._search[row] = search_text(new)
                changed.append(row)
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))

        added = [o for o_id, o in incoming.items() if o_id not in self._row_of]
        if added:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(added) - 1)
            self._rows.extend(added)
            self._search.extend(search_text(o) for o in added)
            for offset, overview in enumerate(added):
                self._row_of[overview.device.id] = start + offset
            self.endInsertRows()

    def refresh_times(self) -> None:
        """Relative times age: repaint the "Last seen" column without touching the rows."""
        if self._rows:
            column = Column.LAST_SEEN
            self.dataChanged.emit(
                self.index(0, column),
                self.index(len(self._rows) - 1, column),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole],
            )

    def _reindex(self) -> None:
        self._row_of = {o.device.id: row for row, o in enumerate(self._rows)}

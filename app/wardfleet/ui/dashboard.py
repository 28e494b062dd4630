"""The ward dashboard: how many devices are in each state, what needs attention, which
supplies run out soon, and how available each device was over the last 7 days.

The models are thin: rows are read off the UI thread (``load_dashboard``) and shown as
plain text. Device-supplied names never go through rich text.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wardfleet.domain.device import DeviceOverview
from wardfleet.domain.forecast import Forecast, ForecastKind, forecast_run_out
from wardfleet.domain.kinds import DeviceState
from wardfleet.store import Store
from wardfleet.ui import texts
from wardfleet.ui.resources import state_icon
from wardfleet.ui.texts import QT_TRANSLATE_NOOP
from wardfleet.ui.widgets import SectionTitle, plain_label, section_font

ModelIndex = QModelIndex | QPersistentModelIndex
DEVICE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

DAY_S = 86_400.0
NEARING_EMPTY_PCT = 25.0
FORECAST_WINDOW_S = 14 * DAY_S
AVAILABILITY_WINDOW_S = 7 * DAY_S

# Tiles: each counts one or more states; icon and words, never colour alone.
TILES: tuple[tuple[DeviceState, tuple[DeviceState, ...]], ...] = (
    (DeviceState.OK, (DeviceState.OK, DeviceState.BUSY)),
    (DeviceState.WARNING, (DeviceState.WARNING,)),
    (DeviceState.ERROR, (DeviceState.ERROR,)),
    (DeviceState.UNREACHABLE, (DeviceState.UNREACHABLE,)),
)


@dataclass(frozen=True, slots=True)
class SupplyOutlook:
    device_id: str
    device_name: str
    supply: str  # device-supplied description
    percent: float
    forecast: Forecast


@dataclass(slots=True)
class DashboardData:
    overviews: list[DeviceOverview]
    outlooks: list[SupplyOutlook] = field(default_factory=list)
    availability: dict[str, float | None] = field(default_factory=dict)
    wards: list[str] = field(default_factory=list)  # every ward, for the ward box


def load_dashboard(store: Store, ward: str | None, now: float | None = None) -> DashboardData:
    """Everything the dashboard shows for one ward (None: all), read in one go."""
    when = time.time() if now is None else now
    everything = store.list_overview()
    overviews = [o for o in everything if ward is None or (o.device.ward or "") == ward]
    outlooks: list[SupplyOutlook] = []
    for o in overviews:
        for supply in o.status.supplies if o.status is not None else ():
            left = supply.remaining_percent
            if left is None or left > NEARING_EMPTY_PCT:
                continue
            points = store.rollup_series(
                o.device.id, f"supply:{supply.index}", when - FORECAST_WINDOW_S, when + 1
            )
            forecast = forecast_run_out([(float(p.bucket), p.last) for p in points], when)
            outlooks.append(
                SupplyOutlook(
                    o.device.id, o.device.display_name, supply.description, left, forecast
                )
            )
    outlooks.sort(key=lambda s: (s.forecast.days_left is None, s.forecast.days_left, s.percent))
    ids = [o.device.id for o in overviews]
    return DashboardData(
        overviews,
        outlooks,
        store.availability(ids, when - AVAILABILITY_WINDOW_S, when),
        sorted({o.device.ward for o in everything if o.device.ward}),
    )


def forecast_text(forecast: Forecast) -> str:
    if forecast.kind is ForecastKind.EMPTY:
        return QCoreApplication.translate("WardDashboard", "empty now")
    if forecast.kind is ForecastKind.NOT_CONSUMING:
        return QCoreApplication.translate("WardDashboard", "not being used up")
    if forecast.days_left is None:
        return QCoreApplication.translate("WardDashboard", "not enough data")
    if forecast.days_left < 1:
        return QCoreApplication.translate("WardDashboard", "less than a day")
    return QCoreApplication.translate("WardDashboard", "~%1 days").replace(
        "%1", QLocale().toString(round(forecast.days_left))
    )


class RowsModel(QAbstractTableModel):
    """Rows of plain-text cells with a device id per row; read-only."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, list[str]]] = []

    def set_rows(self, rows: Sequence[tuple[str, list[str]]]) -> None:
        self.beginResetModel()
        self._rows = [(device_id, list(cells)) for device_id, cells in rows]
        self.endResetModel()

    def device_id(self, row: int) -> str | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return QCoreApplication.translate("WardDashboard", self.HEADERS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        device_id, cells = self._rows[index.row()]
        if not 0 <= index.column() < len(cells):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cells[index.column()]
        if role == DEVICE_ID_ROLE:
            return device_id
        return None


class AttentionModel(RowsModel):
    HEADERS = (
        QT_TRANSLATE_NOOP("WardDashboard", "Device"),
        QT_TRANSLATE_NOOP("WardDashboard", "State"),
        QT_TRANSLATE_NOOP("WardDashboard", "Problem"),
        QT_TRANSLATE_NOOP("WardDashboard", "Place"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._states: list[DeviceState] = []

    def set_overviews(self, overviews: Sequence[DeviceOverview]) -> None:
        needing = [o for o in overviews if o.device.state.urgency >= DeviceState.WARNING.urgency]
        needing.sort(key=lambda o: (-o.device.state.urgency, o.device.display_name.casefold()))
        self._states = [o.device.state for o in needing]
        self.set_rows([(o.device.id, self._cells(o)) for o in needing])

    @staticmethod
    def _cells(o: DeviceOverview) -> list[str]:
        status = o.status
        problem = ""
        if status is not None and status.error_bits:
            problem = ", ".join(texts.error_bit_text(b) for b in status.error_bits)
        elif status is not None:
            low = status.lowest_consumable()
            if low is not None and low.remaining_percent is not None:
                problem = (
                    f"{low.description}: {QLocale().toString(low.remaining_percent, 'f', 0)} %"
                )
        return [
            o.device.display_name,
            texts.state_text(o.device.state),
            problem,
            texts.place_text(o.device),
        ]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DecorationRole
            and index.isValid()
            and index.column() == 1
            and 0 <= index.row() < len(self._states)
        ):
            return state_icon(self._states[index.row()])
        return super().data(index, role)


class OutlookModel(RowsModel):
    HEADERS = (
        QT_TRANSLATE_NOOP("WardDashboard", "Device"),
        QT_TRANSLATE_NOOP("WardDashboard", "Supply"),
        QT_TRANSLATE_NOOP("WardDashboard", "Left"),
        QT_TRANSLATE_NOOP("WardDashboard", "Runs out"),
    )

    def set_outlooks(self, outlooks: Sequence[SupplyOutlook]) -> None:
        self.set_rows(
            [
                (
                    s.device_id,
                    [
                        s.device_name,
                        s.supply,
                        f"{QLocale().toString(s.percent, 'f', 0)} %",
                        forecast_text(s.forecast),
                    ],
                )
                for s in outlooks
            ]
        )


class AvailabilityModel(RowsModel):
    HEADERS = (
        QT_TRANSLATE_NOOP("WardDashboard", "Device"),
        QT_TRANSLATE_NOOP("WardDashboard", "Available (7 days)"),
    )

    def set_availability(
        self, overviews: Sequence[DeviceOverview], availability: dict[str, float | None]
    ) -> None:
        def key(o: DeviceOverview) -> tuple[float, str]:
            share = availability.get(o.device.id)
            return (2.0 if share is None else share, o.device.display_name.casefold())

        rows = []
        for o in sorted(overviews, key=key):
            share = availability.get(o.device.id)
            words = (
                QCoreApplication.translate("WardDashboard", "no polls yet")
                if share is None
                else f"{QLocale().toString(share * 100, 'f', 1)} %"
            )
            rows.append((o.device.id, [o.device.display_name, words]))
        self.set_rows(rows)


class StateTile(QFrame):
    """A count with its state's icon and words: "⚠ Warning: 3"."""

    def __init__(self, state: DeviceState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"tile-{state.value}")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.icon = QLabel()
        self.icon.setPixmap(state_icon(state).pixmap(28, 28))
        layout.addWidget(self.icon)
        column = QVBoxLayout()
        self.count = plain_label("0")
        self.count.setFont(section_font(self.count.font(), 1.8))
        self.words = plain_label(texts.state_text(state))
        column.addWidget(self.count)
        column.addWidget(self.words)
        layout.addLayout(column, 1)
        self.set_count(0)

    def set_count(self, n: int) -> None:
        self.count.setText(QLocale().toString(n))
        name = f"{texts.state_text(self.state)}: {QLocale().toString(n)}"
        self.setAccessibleName(name)
        self.setToolTip(name)


def _table(model: RowsModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class WardDashboard(QWidget):
    deviceActivated = Signal(str)

    def __init__(
        self,
        store: Store,
        spawn: Callable[[Any], Any] | None = None,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wardDashboard")
        self.setAccessibleName(QCoreApplication.translate("WardDashboard", "Ward dashboard"))
        self.store = store
        self._spawn = spawn or asyncio.ensure_future
        self._clock = clock
        self._loading = False
        self._again = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        bar = QHBoxLayout()
        self.tiles = [StateTile(state) for state, _ in TILES]
        for tile in self.tiles:
            bar.addWidget(tile)
        bar.addStretch(1)
        ward_label = QLabel(QCoreApplication.translate("WardDashboard", "&Ward:"))
        self.ward_box = QComboBox()
        self.ward_box.setAccessibleName(QCoreApplication.translate("WardDashboard", "Show ward"))
        self.ward_box.addItem(QCoreApplication.translate("WardDashboard", "All wards"), None)
        ward_label.setBuddy(self.ward_box)
        bar.addWidget(ward_label)
        bar.addWidget(self.ward_box)
        layout.addLayout(bar)

        self.attention = AttentionModel(self)
        self.outlook = OutlookModel(self)
        self.availability = AvailabilityModel(self)
        grid = QGridLayout()
        sections = (
            (QCoreApplication.translate("WardDashboard", "Needs attention"), self.attention),
            (QCoreApplication.translate("WardDashboard", "Supplies nearing empty"), self.outlook),
            (
                QCoreApplication.translate("WardDashboard", "Availability, last 7 days"),
                self.availability,
            ),
        )
        self.views: list[QTableView] = []
        for column, (title, model) in enumerate(sections):
            grid.addWidget(SectionTitle(title), 0, column)
            view = _table(model, title)
            view.activated.connect(lambda index, m=model: self._activate(m, index.row()))
            grid.addWidget(view, 1, column)
            grid.setColumnStretch(column, 1)
            self.views.append(view)
        layout.addLayout(grid, 1)
        self.ward_box.currentIndexChanged.connect(lambda _i: self.refresh())

    @property
    def ward(self) -> str | None:
        data = self.ward_box.currentData()
        return None if data is None else str(data)

    def _activate(self, model: RowsModel, row: int) -> None:
        device_id = model.device_id(row)
        if device_id is not None:
            self.deviceActivated.emit(device_id)

    def refresh(self) -> Any:
        """Reload in the background; a refresh asked for while loading runs once after."""
        if self._loading:
            self._again = True
            return None
        self._loading = True
        return self._spawn(self.load())

    async def load(self) -> None:
        try:
            while True:
                self._again = False
                now = self._clock() if self._clock is not None else None
                ward = self.ward
                data = await asyncio.to_thread(load_dashboard, self.store, ward, now)
                self.show_data(data, data.wards)
                if not self._again:
                    break
        finally:
            self._loading = False

    def show_data(self, data: DashboardData, wards: Sequence[str] = ()) -> None:
        known = {self.ward_box.itemData(i) for i in range(1, self.ward_box.count())}
        for ward in wards:
            if ward not in known:
                self.ward_box.addItem(ward, ward)  # combo items are plain text
        for tile, (_, states) in zip(self.tiles, TILES, strict=True):
            tile.set_count(sum(1 for o in data.overviews if o.device.state in states))
        self.attention.set_overviews(data.overviews)
        self.outlook.set_outlooks(data.outlooks)
        self.availability.set_availability(data.overviews, data.availability)

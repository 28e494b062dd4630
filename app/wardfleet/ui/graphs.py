"""Device graphs: supplies over time, pages per day, response time with its band.

Imported lazily (pyqtgraph costs ~0.3 s): the main window creates this only when the
graphs are first shown. Each graph has a table twin (a QTableView over the same series)
for screen readers and keyboard users; "Show as table" switches between them.
"""

from __future__ import annotations

import asyncio
import bisect
import csv
import io
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    Qt,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wardfleet.domain.status import DeviceStatus
from wardfleet.store import Store
from wardfleet.ui.export import safe_cell
from wardfleet.ui.file_dialogs import ask_save_path
from wardfleet.ui.graph_data import GraphData, GraphRange, Series, load_graph_data
from wardfleet.ui.texts import QT_TRANSLATE_NOOP
from wardfleet.ui.theme import is_dark, supply_colour
from wardfleet.ui.widgets import SectionTitle, plain_label

ModelIndex = QModelIndex | QPersistentModelIndex

_LATENCY_COLOUR = "#3b7dd8"
_PAGES_COLOUR = "#2e8b57"


def with_gaps(xs: list[float], *columns: list[float]) -> tuple[list[float], list[list[float]]]:
    """Break the line where polls stopped (a printer off at night): NaN after a long gap.

    A gap is more than three times the usual spacing; drawn with ``connect="finite"``.
    """
    if len(xs) < 3:
        return xs, [list(c) for c in columns]
    steps = sorted(b - a for a, b in itertools.pairwise(xs))
    limit = 3 * steps[len(steps) // 2]
    out_x: list[float] = [xs[0]]
    out_cols: list[list[float]] = [[c[0]] for c in columns]
    nan = float("nan")
    for i in range(1, len(xs)):
        if xs[i] - xs[i - 1] > limit:
            out_x.append((xs[i] + xs[i - 1]) / 2)
            for col in out_cols:
                col.append(nan)
        out_x.append(xs[i])
        for col, src in zip(out_cols, columns, strict=True):
            col.append(src[i])
    return out_x, out_cols


def _time_text(ts: float) -> str:
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(ts)), QLocale.FormatType.ShortFormat)


class SeriesTableModel(QAbstractTableModel):
    """The table twin of one graph: a Time column, then one column per series."""

    def __init__(self, unit: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._unit = unit
        self._series: list[Series] = []
        self._times: list[float] = []
        self._values: list[dict[float, float]] = []

    def set_series(self, series: list[Series]) -> None:
        self.beginResetModel()
        self._series = list(series)
        self._values = [dict(zip(s.xs, s.ys, strict=False)) for s in self._series]
        self._times = sorted({x for s in self._series for x in s.xs}, reverse=True)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._times)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self._series)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return self.tr("Time")
        if 0 < section <= len(self._series):
            label = self._series[section - 1].label
            return f"{label} ({self._unit})" if label else self._unit
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._times)) or not (0 <= column <= len(self._series)):
            return None
        ts = self._times[row]
        if column == 0:
            return _time_text(ts)
        value = self._values[column - 1].get(ts)
        return "" if value is None else QLocale().toString(value, "f", 1)

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        headers = [
            str(self.headerData(c, Qt.Orientation.Horizontal)) for c in range(self.columnCount())
        ]
        writer.writerow([safe_cell(h) for h in ["epoch_s", *headers]])
        for ts in sorted(self._times):
            row = [f"{ts:.0f}", _time_text(ts)]
            for values in self._values:
                value = values.get(ts)
                row.append("" if value is None else f"{value:.2f}")
            writer.writerow([safe_cell(c) for c in row])
        return out.getvalue()


class GraphPanel(QWidget):
    """One titled graph and its table twin, with a hover readout."""

    def __init__(self, title: str, unit: str, left_label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._unit = unit
        self._series: list[Series] = []
        self._curves: dict[str, pg.PlotDataItem] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.title = SectionTitle(title)
        head.addWidget(self.title, 1)
        self.readout = plain_label()
        self.readout.setAccessibleName(self.tr("Value under the pointer"))
        head.addWidget(self.readout)
        self.table_button = QPushButton(self.tr("Show as table"))
        self.table_button.setCheckable(True)
        self.table_button.setAccessibleName(self.tr("Show %1 as a table").replace("%1", title))
        head.addWidget(self.table_button)
        layout.addLayout(head)

        self.stack = QStackedWidget()
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setAccessibleName(title)
        self.plot.setAccessibleDescription(
            self.tr("Graph; use Show as table for the values as text.")
        )
        self.plot.setMinimumHeight(150)
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setLabel("left", left_label, units=None)
        self.plot.getPlotItem().setMouseEnabled(x=True, y=False)
        self.legend = self.plot.addLegend(offset=(-8, 4))  # top right, off the lines' start
        self._cursor = pg.InfiniteLine(angle=90, movable=False)
        self._cursor.setVisible(False)
        self.plot.addItem(self._cursor, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.stack.addWidget(self.plot)

        self.model = SeriesTableModel(unit, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("%1 as a table").replace("%1", title))
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.stack.addWidget(self.table)
        layout.addWidget(self.stack, 1)
        self.table_button.toggled.connect(lambda on: self.stack.setCurrentIndex(int(on)))
        self.apply_theme()

    # Drawing ---------------------------------------------------------------------------
    def apply_theme(self) -> None:
        palette = self.palette()
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))
        self._cursor.setPen(pg.mkPen(text, style=Qt.PenStyle.DashLine))
        self.legend.setLabelTextColor(text)
        background = QColor(palette.color(QPalette.ColorRole.Base))
        background.setAlpha(210)
        self.legend.setBrush(pg.mkBrush(background))

    def colour_of(self, series: Series) -> QColor:
        if series.supply is not None:
            return supply_colour(series.supply, is_dark(self.palette()))
        return QColor(_LATENCY_COLOUR if series.key == "latency_ms" else _PAGES_COLOUR)

    def set_series(self, series: list[Series], x_range: tuple[float, float]) -> None:
        """Replace everything (a new device or range)."""
        plot_item = self.plot.getPlotItem()
        for item in list(plot_item.items):
            if item is not self._cursor:
                plot_item.removeItem(item)
        legend = plot_item.legend
        if legend is not None:
            legend.clear()
        self._series = series
        self._curves = {}
        for s in series:
            pen = pg.mkPen(self.colour_of(s), width=2)
            if s.lo is not None and s.hi is not None and s.xs:
                band_colour = QColor(self.colour_of(s))
                band_colour.setAlpha(60)
                bx, (blo, bhi) = with_gaps(s.xs, s.lo, s.hi)
                lo = pg.PlotDataItem(bx, blo, pen=pg.mkPen(None), connect="finite")
                hi = pg.PlotDataItem(bx, bhi, pen=pg.mkPen(None), connect="finite")
                plot_item.addItem(lo)
                plot_item.addItem(hi)
                plot_item.addItem(pg.FillBetweenItem(lo, hi, brush=band_colour))
            gx, (gy,) = with_gaps(s.xs, s.ys)
            curve = self.plot.plot(gx, gy, pen=pen, name=s.label or None, connect="finite")
            self._curves[s.key] = curve
        self.plot.setXRange(*x_range, padding=0)
        self.model.set_series(series)

    def append(self, key: str, x: float, y: float) -> bool:
        """Live append to one line: only that curve's data is replaced, nothing redrawn else."""
        for s in self._series:
            if s.key == key and s.append(x, y):
                curve = self._curves.get(key)
                if curve is not None:
                    gx, (gy,) = with_gaps(s.xs, s.ys)
                    curve.setData(gx, gy, connect="finite")
                return True
        return False

    def readout_at(self, x: float) -> str:
        parts: list[str] = []
        for s in self._series:
            if not s.xs:
                continue
            j = bisect.bisect_left(s.xs, x)
            i = min((k for k in (j - 1, j) if 0 <= k < len(s.xs)), key=lambda k: abs(s.xs[k] - x))
            value = QLocale().toString(s.ys[i], "f", 1)
            parts.append(f"{s.label}: {value} {self._unit}" if s.label else f"{value} {self._unit}")
        return f"{_time_text(x)} · " + " · ".join(parts) if parts else ""

    def _on_mouse_moved(self, pos: QPointF) -> None:
        view = self.plot.getPlotItem().vb
        if not self.plot.sceneBoundingRect().contains(pos):
            self._cursor.setVisible(False)
            return
        x = view.mapSceneToView(pos).x()
        self._cursor.setPos(x)
        self._cursor.setVisible(True)
        self.readout.setText(self.readout_at(x))


class DeviceGraphs(QWidget):
    """Graphs for one device: a range picker, three graphs, PNG and CSV export."""

    RANGES = (
        (GraphRange.HOUR, QT_TRANSLATE_NOOP("DeviceGraphs", "1 h")),
        (GraphRange.DAY, QT_TRANSLATE_NOOP("DeviceGraphs", "24 h")),
        (GraphRange.WEEK, QT_TRANSLATE_NOOP("DeviceGraphs", "7 d")),
        (GraphRange.MONTH, QT_TRANSLATE_NOOP("DeviceGraphs", "30 d")),
        (GraphRange.QUARTER, QT_TRANSLATE_NOOP("DeviceGraphs", "90 d")),
    )

    def __init__(
        self,
        store: Store,
        spawn: Callable[[Any], Any] | None = None,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("deviceGraphs")
        self.setAccessibleName(self.tr("Device graphs"))
        self.store = store
        self._spawn = spawn or asyncio.ensure_future
        self._clock = clock
        self._device_id: str | None = None
        self._status: DeviceStatus | None = None
        self._generation = 0  # of the latest load: an older one finishing late is dropped
        self.data: GraphData | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        bar = QHBoxLayout()
        self.title = plain_label(self.tr("Select a device to see its graphs."))
        bar.addWidget(self.title, 1)
        range_label = QLabel(self.tr("&Range:"))
        self.range_box = QComboBox()
        self.range_box.setAccessibleName(self.tr("Time range"))
        for graph_range, words in self.RANGES:
            self.range_box.addItem(
                QCoreApplication.translate("DeviceGraphs", words), graph_range.name
            )
        self.range_box.setCurrentIndex(1)
        range_label.setBuddy(self.range_box)
        bar.addWidget(range_label)
        bar.addWidget(self.range_box)
        self.png_button = QPushButton(self.tr("Save &picture…"))
        self.png_button.setAccessibleName(self.tr("Save the graphs as a PNG picture"))
        self.csv_button = QPushButton(self.tr("Save &values…"))
        self.csv_button.setAccessibleName(self.tr("Save the graphs' values as CSV"))
        bar.addWidget(self.png_button)
        bar.addWidget(self.csv_button)
        layout.addLayout(bar)

        self.supplies = GraphPanel(self.tr("Supplies"), "%", self.tr("Left (%)"))
        self.pages = GraphPanel(
            self.tr("Pages per day"), self.tr("pages/day"), self.tr("Pages/day")
        )
        self.latency = GraphPanel(self.tr("Response time"), "ms", self.tr("Response (ms)"))
        self.supplies.plot.setYRange(0, 100, padding=0.02)
        for panel in self.panels():
            layout.addWidget(panel, 1)

        self.range_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.png_button.clicked.connect(self._ask_png)
        self.csv_button.clicked.connect(self._ask_csv)
        self._set_enabled(False)

    def panels(self) -> tuple[GraphPanel, GraphPanel, GraphPanel]:
        return (self.supplies, self.pages, self.latency)

    @property
    def device_id(self) -> str | None:
        return self._device_id

    @property
    def graph_range(self) -> GraphRange:
        return GraphRange[str(self.range_box.currentData())]

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.png_button, self.csv_button):
            widget.setEnabled(on)

    # Data ------------------------------------------------------------------------------
    def set_device(
        self, device_id: str | None, name: str = "", status: DeviceStatus | None = None
    ) -> None:
        """Follow the selection; device names are shown as plain text."""
        changed = device_id != self._device_id
        self._device_id, self._status = device_id, status
        if device_id is None:
            self.title.setText(self.tr("Select a device to see its graphs."))
            self._set_enabled(False)
            return
        self.title.setText(name)
        if changed:
            self.reload()

    def reload(self) -> Any:
        if self._device_id is None:
            return None
        return self._spawn(self.load(self._device_id, self._status, self.graph_range))

    async def load(
        self, device_id: str, status: DeviceStatus | None, graph_range: GraphRange
    ) -> None:
        self._generation += 1
        generation = self._generation
        now = self._clock() if self._clock is not None else None
        data = await asyncio.to_thread(
            load_graph_data, self.store, device_id, status, graph_range, now
        )
        if generation != self._generation or device_id != self._device_id:
            return  # the range or the selection moved on while we read: a newer load shows it
        self.show_data(data)

    def show_data(self, data: GraphData) -> None:
        self.data = data
        x_range = (data.since, data.until)
        self.supplies.set_series(data.supplies, x_range)
        self.pages.set_series([data.pages], x_range)
        self.latency.set_series([data.latency], x_range)
        self._set_enabled(True)

    def append_status(self, device_id: str, status: DeviceStatus) -> None:
        """A new poll of the shown device: extend the lines without reloading."""
        if device_id != self._device_id or self.data is None:
            return
        ts = status.polled_at
        for supply in status.supplies:
            if supply.percent is not None:
                self.supplies.append(f"supply:{supply.index}", ts, supply.percent)
        if status.latency_ms is not None:
            self.latency.append("latency_ms", ts, status.latency_ms)

    # Export ----------------------------------------------------------------------------
    def save_png(self, path: Path) -> bool:
        return bool(self.grab().save(str(path), "PNG"))

    def csv_text(self) -> str:
        return "\n".join(panel.model.csv_text() for panel in self.panels())

    def save_csv(self, path: Path) -> None:
        path.write_text(self.csv_text(), encoding="utf-8")

    def _ask_png(self) -> None:
        ask_save_path(
            self, self.tr("Save graphs"), "graphs.png", self.tr("PNG pictures (*.png)"),
            self.save_png,
        )  # fmt: skip

    def _ask_csv(self) -> None:
        ask_save_path(
            self, self.tr("Save graph values"), "graphs.csv", self.tr("CSV files (*.csv)"),
            self.save_csv,
        )  # fmt: skip

"""Device graphs: data from rollups, table twins, live append, export, plain text."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import NOW
from tests.ui.seed import seed_history
from wardfleet.domain.device import DeviceOverview
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, Supply
from wardfleet.store import Store
from wardfleet.ui.graph_data import GraphRange, load_graph_data, page_rate


def _printer(store: Store) -> DeviceOverview:
    return max(
        (o for o in store.list_overview() if o.status is not None),
        key=lambda o: len(o.status.supplies) if o.status else 0,
    )


def test_page_rate_skips_counter_resets() -> None:
    xs, ys = page_rate([0, 86_400, 172_800, 259_200], [100, 300, 50, 150])
    assert xs == [86_400, 259_200]
    assert ys == [200, 100]


def test_graph_data_ranges(seeded_store: Store) -> None:
    seed_history(seeded_store, days=8, now=NOW)
    printer = _printer(seeded_store)
    week = load_graph_data(seeded_store, printer.device.id, printer.status, GraphRange.WEEK, NOW)
    hour = load_graph_data(seeded_store, printer.device.id, printer.status, GraphRange.HOUR, NOW)
    assert len(week.supplies) == len(printer.status.supplies)  # type: ignore[union-attr]
    assert 1000 <= len(week.supplies[0].xs) <= 1010  # 10-minute bins: under 1,500 points
    assert len(hour.supplies[0].xs) <= 13
    assert week.latency.lo is not None and len(week.latency.lo) == len(week.latency.xs)
    assert all(y >= 0 for y in week.pages.ys)


def test_graphs_widget(
    qtbot: object, qloop: object, seeded_store: Store, tmp_path: Path, qtmodeltester: object
) -> None:
    from wardfleet.ui.graphs import DeviceGraphs

    seed_history(seeded_store, days=2, now=NOW)
    printer = _printer(seeded_store)
    graphs = DeviceGraphs(seeded_store, clock=lambda: NOW)
    qtbot.addWidget(graphs)  # type: ignore[attr-defined]
    graphs.resize(900, 700)
    graphs.show()
    task = asyncio.ensure_future(graphs.load(printer.device.id, printer.status, GraphRange.DAY))
    graphs._device_id = printer.device.id  # what set_device does, without its own reload
    qtbot.waitUntil(task.done, timeout=5000)  # type: ignore[attr-defined]
    assert graphs.data is not None
    model = graphs.supplies.model
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.columnCount() == 1 + len(printer.status.supplies)  # type: ignore[union-attr]
    assert model.rowCount() > 200

    # Live append: one more point on one line, the table twin follows on the next load.
    first = graphs.data.supplies[0]
    before = len(first.xs)
    supply = printer.status.supplies[0]  # type: ignore[union-attr]
    status = DeviceStatus(
        state=DeviceState.OK,
        polled_at=NOW + 600,
        latency_ms=5.0,
        supplies=(Supply(supply.index, supply.description, level=1, capacity=100),),
    )
    graphs.append_status(printer.device.id, status)
    assert len(first.xs) == before + 1
    graphs.append_status(printer.device.id, status)  # not newer: ignored
    assert len(first.xs) == before + 1

    readout = graphs.supplies.readout_at(first.xs[-1])
    assert "1.0 %" in readout or "1,0 %" in readout

    graphs.supplies.table_button.setChecked(True)
    assert graphs.supplies.stack.currentWidget() is graphs.supplies.table
    png, csv_path = tmp_path / "g.png", tmp_path / "g.csv"
    assert graphs.save_png(png) and png.stat().st_size > 1000
    graphs.save_csv(csv_path)
    assert csv_path.read_text().startswith("epoch_s,")
    for widget in (graphs.range_box, graphs.png_button, graphs.csv_button):
        assert widget.accessibleName()


@pytest.mark.parametrize("hostile", ["<img src=x>", "<b>Toner</b>"])
def test_device_text_is_plain(qtbot: object, qloop: object, store: Store, hostile: str) -> None:
    from wardfleet.ui.graph_data import GraphData, Series
    from wardfleet.ui.graphs import DeviceGraphs

    graphs = DeviceGraphs(store)
    qtbot.addWidget(graphs)  # type: ignore[attr-defined]
    graphs.set_device(None)
    graphs._device_id = "d"
    graphs.title.setText(hostile)
    assert graphs.title.textFormat().name == "PlainText"
    series = Series("supply:1", hostile, [NOW - 60, NOW], [50.0, 49.0])
    graphs.show_data(
        GraphData("d", NOW - 3600, NOW, [series], Series("pages", ""), Series("latency_ms", ""))
    )
    header = graphs.supplies.model.headerData(1, Qt.Orientation.Horizontal)
    assert header == f"{hostile} (%)"  # shown by a view as text, never parsed
    assert "epoch_s" in graphs.csv_text()


def test_window_graphs_dock_follows_selection(window: Any, qtbot: object) -> None:
    w = window
    docks = w.insights
    assert docks.graphs is None  # nothing built (or imported) until shown
    docks.graphs_dock.raise_()
    qtbot.waitUntil(lambda: docks.graphs is not None, timeout=5000)  # type: ignore[attr-defined]
    overview = w.model.overviews()[0]
    w.select_device(overview.device.id)
    graphs: Any = docks.graphs  # built by now (mypy still sees the None asserted above)
    assert graphs.device_id == overview.device.id
    assert graphs.title.text() == overview.device.display_name


def test_lines_break_where_polls_stopped() -> None:
    from wardfleet.ui.graphs import with_gaps

    xs, (ys,) = with_gaps([0, 300, 600, 900, 20_000, 20_300], [1, 2, 3, 4, 5, 6])
    assert len(xs) == 7 and ys[4] != ys[4]  # one NaN between 900 and 20,000
    assert with_gaps([0, 300], [1, 2]) == ([0, 300], [[1, 2]])


class SlowFirstRead:
    """A store whose first binned read waits for the test: a slow disk on demand."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.release = threading.Event()
        self.reads = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def binned_series(self, *args: Any, **kwargs: Any) -> Any:
        self.reads += 1
        if self.reads == 1 and not self.release.wait(10):
            raise TimeoutError("the test never released the first read")
        return self._store.binned_series(*args, **kwargs)


def test_a_slow_earlier_range_never_replaces_the_chosen_one(
    qtbot: object, qloop: object, seeded_store: Store
) -> None:
    """24 h is slow to read, the user picks 7 d meanwhile: 7 d stays shown when 24 h lands."""
    from wardfleet.ui.graphs import DeviceGraphs

    seed_history(seeded_store, days=8, now=NOW)
    printer = _printer(seeded_store)
    store = SlowFirstRead(seeded_store)
    tasks: list[asyncio.Future[Any]] = []
    graphs = DeviceGraphs(
        store,  # type: ignore[arg-type]
        lambda coro: tasks.append(asyncio.ensure_future(coro)),
        clock=lambda: NOW,
    )
    qtbot.addWidget(graphs)  # type: ignore[attr-defined]
    try:
        assert graphs.graph_range is GraphRange.DAY
        graphs.set_device(printer.device.id, "Printer", printer.status)
        qtbot.waitUntil(lambda: store.reads == 1, timeout=5000)  # type: ignore[attr-defined]
        graphs.range_box.setCurrentIndex(2)  # by keyboard or mouse: the selector says 7 d
        assert graphs.range_box.currentData() == GraphRange.WEEK.name and len(tasks) == 2
        qtbot.waitUntil(tasks[1].done, timeout=5000)  # type: ignore[attr-defined]
        week_rows = graphs.supplies.model.rowCount()
    finally:
        store.release.set()
    qtbot.waitUntil(tasks[0].done, timeout=5000)  # type: ignore[attr-defined]
    tasks[0].result()  # finished without an error, just not shown

    assert graphs.data is not None
    assert graphs.data.until - graphs.data.since == GraphRange.WEEK.seconds
    shown = graphs.supplies.plot.getPlotItem().vb.viewRange()[0]
    assert shown == pytest.approx([NOW - GraphRange.WEEK.seconds, NOW])
    assert graphs.supplies.model.rowCount() == week_rows > 1000  # 10-minute bins over 7 d

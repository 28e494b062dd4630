"""The device table model: model contract, incremental diff, roles, sort values."""

from __future__ import annotations

import dataclasses
import time

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon

from wardfleet.domain.device import Device, DeviceOverview
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import DeviceStatus
from wardfleet.ui.device_filter import DeviceFilterProxy
from wardfleet.ui.device_model import Column, DeviceTableModel, Role, _runs

from .seed import many_devices, toner

NOW = 1_800_000_000.0


def overview(
    device_id: str,
    name: str,
    *,
    address: str | None = "10.0.0.1",
    state: DeviceState = DeviceState.OK,
    last_seen: float | None = NOW,
    is_new: bool = False,
    status: DeviceStatus | None = None,
) -> DeviceOverview:
    return DeviceOverview(
        device=Device(
            id=device_id,
            name=name,
            kind=DeviceKind.PRINTER,
            identity=Identity.of(serial=f"S-{device_id}", mac=None, address=address),
            address=address,
            vendor="HP",
            model="LaserJet",
            ward="Ward 3",
            location="Office",
            state=state,
            last_seen=last_seen,
            is_new=is_new,
        ),
        status=status,
    )


def rows(n: int) -> list[DeviceOverview]:
    return [overview(f"d{i}", f"Device {i}", address=f"10.0.0.{i}") for i in range(n)]


class Recorder:
    def __init__(self, model: DeviceTableModel) -> None:
        self.events: list[tuple[str, int, int]] = []
        model.modelReset.connect(lambda: self.events.append(("reset", 0, 0)))
        model.rowsInserted.connect(lambda _p, a, b: self.events.append(("insert", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.events.append(("remove", a, b)))
        model.dataChanged.connect(
            lambda tl, br, _r=(): self.events.append(("change", tl.row(), br.row()))
        )


def test_runs() -> None:
    assert _runs([]) == []
    assert _runs([1, 2, 3, 7, 9, 10]) == [(1, 3), (7, 7), (9, 10)]


def test_model_contract_through_inserts_updates_removes(qtmodeltester: object) -> None:
    model = DeviceTableModel()
    model.set_rows(rows(5))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    changed = rows(8)
    changed[2] = dataclasses.replace(
        changed[2], device=dataclasses.replace(changed[2].device, name="Renamed")
    )
    model.set_rows([r for i, r in enumerate(changed) if i not in (1, 4)])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 6
    model.set_rows([])
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_proxy_contract_with_filter_and_sort(qtmodeltester: object) -> None:
    model = DeviceTableModel()
    proxy = DeviceFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows(12))
    proxy.sort(Column.ADDRESS, Qt.SortOrder.DescendingOrder)
    proxy.set_search("device 1")
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]
    model.set_rows(rows(20)[5:])
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]


def test_set_rows_is_incremental_never_a_reset() -> None:
    model = DeviceTableModel()
    model.set_rows(rows(6))
    recorder = Recorder(model)
    update = rows(8)
    update[3] = dataclasses.replace(update[3], status=DeviceStatus(DeviceState.OK, polled_at=NOW))
    del update[1]  # d1 leaves
    model.set_rows(update)
    assert ("reset", 0, 0) not in recorder.events
    # d1 removed; d3 (now row 2) changed; d6 and d7 appended.
    assert recorder.events == [("remove", 1, 1), ("change", 2, 2), ("insert", 5, 6)]
    assert [model.overview_at(r).device.id for r in range(model.rowCount())] == [
        "d0",
        "d2",
        "d3",
        "d4",
        "d5",
        "d6",
        "d7",
    ]
    assert model.row_of("d7") == 6 and model.row_of("d1") is None


def test_same_rows_emit_nothing() -> None:
    model = DeviceTableModel()
    model.set_rows(rows(4))
    recorder = Recorder(model)
    model.set_rows(rows(4))
    assert recorder.events == []


def test_contiguous_removals_are_one_signal_per_run() -> None:
    model = DeviceTableModel()
    model.set_rows(rows(10))
    recorder = Recorder(model)
    model.set_rows([r for i, r in enumerate(rows(10)) if i not in (2, 3, 4, 8)])
    assert recorder.events == [("remove", 8, 8), ("remove", 2, 4)]


def test_display_and_roles() -> None:
    model = DeviceTableModel()
    low = DeviceStatus(DeviceState.WARNING, polled_at=NOW, supplies=(toner("black", 12),))
    model.set_rows(
        [overview("a", "Ward printer", state=DeviceState.WARNING, status=low, is_new=True)]
    )

    def cell(column: Column, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return model.index(0, column).data(role)

    assert cell(Column.NAME) == "Ward printer"
    assert cell(Column.KIND) == "Printer"
    assert cell(Column.PLACE) == "Ward 3 · Office"
    assert cell(Column.MODEL) == "HP LaserJet"
    assert cell(Column.STATE) == "Warning"
    assert isinstance(cell(Column.STATE, Qt.ItemDataRole.DecorationRole), QIcon)
    assert cell(Column.SUPPLIES) == "Black 12\u00a0%"
    assert cell(Column.NAME, Qt.ItemDataRole.AccessibleTextRole) == "Ward printer (new)"
    assert cell(Column.NAME, Qt.ItemDataRole.FontRole).bold()  # type: ignore[attr-defined]
    assert cell(Column.NAME, Role.DEVICE_ID) == "a"
    assert cell(Column.NAME, Role.IS_NEW) is True
    assert "New device" in str(cell(Column.NAME, Qt.ItemDataRole.ToolTipRole))
    assert model.headerData(Column.PLACE, Qt.Orientation.Horizontal) == "Ward / location"
    assert model.data(QModelIndex()) is None


def test_hostile_names_stay_literal_in_display_and_escaped_in_tooltips() -> None:
    model = DeviceTableModel()
    model.set_rows([overview("x", "<b>x</b> <img src=x>")])
    index = model.index(0, Column.NAME)
    assert index.data() == "<b>x</b> <img src=x>"
    tooltip = str(index.data(Qt.ItemDataRole.ToolTipRole))
    assert "<b>x" not in tooltip and "&lt;b&gt;x&lt;/b&gt; &lt;img src=x&gt;" in tooltip


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (Column.ADDRESS, ["b", "c", "a"]),  # 10.0.0.2 < 10.0.0.10 < 192.168.1.1
        (Column.STATE, ["c", "a", "b"]),  # OK, warning, error (urgency)
        (Column.LAST_SEEN, ["b", "a", "c"]),  # oldest first
    ],
)
def test_sort_uses_real_values(column: Column, expected: list[str]) -> None:
    model = DeviceTableModel()
    model.set_rows(
        [
            overview("a", "A", address="192.168.1.1", state=DeviceState.WARNING, last_seen=NOW),
            overview("b", "B", address="10.0.0.2", state=DeviceState.ERROR, last_seen=NOW - 600),
            overview("c", "C", address="10.0.0.10", state=DeviceState.OK, last_seen=NOW + 5),
        ]
    )
    proxy = DeviceFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(column, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data(Role.DEVICE_ID) for r in range(3)] == expected


def test_refreshing_a_thousand_devices_is_fast() -> None:
    """A poll round touching 10 % of 1,000 rows must be a few ms, not a stutter."""
    first = [
        DeviceOverview(
            device=Device(
                id=f"id{i}",
                name=s.name,
                kind=s.kind,
                identity=Identity.of(serial=s.serial, mac=s.mac, address=s.address),
                address=s.address,
                state=s.status.state if s.status else DeviceState.UNKNOWN,
            ),
            status=s.status,
        )
        for i, s in enumerate(many_devices(1000, NOW))
    ]
    model = DeviceTableModel()
    proxy = DeviceFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.STATE, Qt.SortOrder.DescendingOrder)
    started = time.perf_counter()
    model.set_rows(first)
    initial = time.perf_counter() - started

    polled = [
        dataclasses.replace(o, status=DeviceStatus(DeviceState.WARNING, polled_at=NOW + 60))
        if i % 10 == 0
        else o
        for i, o in enumerate(first)
    ]
    recorder = Recorder(model)
    started = time.perf_counter()
    model.set_rows(polled)
    refresh = time.perf_counter() - started
    assert ("reset", 0, 0) not in recorder.events
    assert sum(1 for e in recorder.events if e[0] == "change") == 100
    assert initial < 1.0, initial
    assert refresh < 0.25, refresh

"""Ward dashboard: tiles, needs attention, supply outlook, availability, ward filter."""

from __future__ import annotations

import pytest

from tests.ui.conftest import NOW
from tests.ui.seed import seed_history
from wardfleet.domain.forecast import Forecast, ForecastKind
from wardfleet.domain.kinds import DeviceState
from wardfleet.store import Store
from wardfleet.ui.dashboard import (
    AttentionModel,
    AvailabilityModel,
    OutlookModel,
    SupplyOutlook,
    WardDashboard,
    forecast_text,
    load_dashboard,
)


def test_forecast_words() -> None:
    assert forecast_text(Forecast(ForecastKind.NOT_ENOUGH_DATA)) == "not enough data"
    assert forecast_text(Forecast(ForecastKind.ESTIMATE, 9.2, 1.0)) == "~9 days"
    assert forecast_text(Forecast(ForecastKind.ESTIMATE, 0.3, 1.0)) == "less than a day"


def test_load_dashboard(seeded_store: Store) -> None:
    seed_history(seeded_store, days=8, now=NOW)
    data = load_dashboard(seeded_store, None, NOW)
    assert len(data.overviews) == 10
    assert data.outlooks, "the seeded ward has low supplies"
    assert any(s.forecast.has_estimate for s in data.outlooks)
    shares = [v for v in data.availability.values() if v is not None]
    assert shares and all(0 <= v <= 1 for v in shares)
    assert any(v < 1 for v in shares)  # the printer switched off at night
    one_ward = next(o.device.ward for o in data.overviews if o.device.ward)
    assert all(
        o.device.ward == one_ward for o in load_dashboard(seeded_store, one_ward, NOW).overviews
    )


def test_models_pass_modeltester(seeded_store: Store, qtmodeltester: object) -> None:
    overviews = seeded_store.list_overview()
    attention = AttentionModel()
    attention.set_overviews(overviews)
    qtmodeltester.check(attention)  # type: ignore[attr-defined]
    urgencies = [
        next(o for o in overviews if o.device.id == attention.device_id(r)).device.state.urgency
        for r in range(attention.rowCount())
    ]
    assert urgencies == sorted(urgencies, reverse=True)
    assert min(urgencies) >= DeviceState.WARNING.urgency
    outlook = OutlookModel()
    outlook.set_outlooks(
        [
            SupplyOutlook(
                "d", "<b>Printer</b>", "<img src=x>", 5.0, Forecast(ForecastKind.ESTIMATE, 9, 1)
            )
        ]
    )
    qtmodeltester.check(outlook)  # type: ignore[attr-defined]
    assert outlook.index(0, 1).data() == "<img src=x>"
    assert outlook.index(0, 3).data() == "~9 days"
    availability = AvailabilityModel()
    availability.set_availability(overviews, {overviews[0].device.id: 0.5})
    qtmodeltester.check(availability)  # type: ignore[attr-defined]
    assert availability.index(0, 1).data() == "50.0 %"


def test_dashboard_widget(qtbot: object, qloop: object, seeded_store: Store) -> None:
    seed_history(seeded_store, days=8, now=NOW)
    dashboard = WardDashboard(seeded_store, clock=lambda: NOW)
    qtbot.addWidget(dashboard)  # type: ignore[attr-defined]
    task = dashboard.refresh()
    assert dashboard.refresh() is None  # while loading: queued, not doubled
    qtbot.waitUntil(task.done, timeout=5000)  # type: ignore[attr-defined]
    counts = {tile.state: tile.accessibleName() for tile in dashboard.tiles}
    assert all(":" in name for name in counts.values())  # words and number, not colour
    assert sum(int(t.count.text()) for t in dashboard.tiles) <= 10
    assert dashboard.ward_box.count() > 1
    assert dashboard.attention.rowCount() > 0
    for view in dashboard.views:
        assert view.accessibleName()
    activated: list[str] = []
    dashboard.deviceActivated.connect(activated.append)
    view = dashboard.views[0]
    view.activated.emit(dashboard.attention.index(0, 0))
    assert activated == [dashboard.attention.device_id(0)]
    dashboard.ward_box.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not dashboard._loading, timeout=5000)  # type: ignore[attr-defined]
    # Only the chosen ward is counted and listed now.
    ward = dashboard.ward_box.itemData(1)
    ward_of = {o.device.id: o.device.ward for o in seeded_store.list_overview()}
    assert sum(int(t.count.text()) for t in dashboard.tiles) == list(ward_of.values()).count(ward)
    rows = range(dashboard.attention.rowCount())
    assert {ward_of[dashboard.attention.device_id(r)] for r in rows} == {ward}


@pytest.mark.parametrize("hostile", ["<img src=x>", "<b>bold</b>"])
def test_ward_names_are_plain(qtbot: object, qloop: object, store: Store, hostile: str) -> None:
    dashboard = WardDashboard(store)
    qtbot.addWidget(dashboard)  # type: ignore[attr-defined]
    from wardfleet.ui.dashboard import DashboardData

    dashboard.show_data(DashboardData([]), [hostile])
    assert dashboard.ward_box.itemText(1) == hostile


def test_window_dashboard_dock(window: object, qtbot: object) -> None:
    docks = window.insights  # type: ignore[attr-defined]
    assert docks.dashboard is None
    docks.dashboard_dock.raise_()
    qtbot.waitUntil(lambda: docks.dashboard is not None, timeout=5000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: docks.dashboard.attention.rowCount() > 0, timeout=5000)  # type: ignore[attr-defined]
    device_id = docks.dashboard.attention.device_id(0)
    docks.dashboard.deviceActivated.emit(device_id)
    assert window.detail.device_id == device_id  # type: ignore[attr-defined]


def test_keyboard_brings_the_docks_forward(window: object, qtbot: object) -> None:
    docks = window.insights  # type: ignore[attr-defined]
    assert docks.show_dashboard.shortcut().toString() == "Ctrl+Shift+W"
    docks.show_dashboard.trigger()
    qtbot.waitUntil(lambda: docks.dashboard is not None, timeout=5000)  # type: ignore[attr-defined]
    docks.show_graphs.trigger()
    qtbot.waitUntil(lambda: docks.graphs is not None, timeout=5000)  # type: ignore[attr-defined]
    assert docks.graphs_dock.isVisible()

"""Alerts model: rows match what real AlertService rounds stored, by urgency, plain text.

The helpers here (``ward``, ``Rounds``, the status makers) are shared by the dock and
notifier tests: they drive the real damper and store, no mocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.store.factories import device
from tests.ui.seed import toner
from wardfleet.domain.alerts import AlertPolicy
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, Severity
from wardfleet.services.alerts import AlertService
from wardfleet.store import Store
from wardfleet.ui.alerts_model import (
    ALERT_ID_ROLE,
    AlertsModel,
    SnoozeChoice,
    load_history,
    load_open,
    snooze_until,
)

T0 = 1_800_000_000.0
HOSTILE = "<img src=x>"
BOLD = "<b>Ward 9</b>"


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def jam(ts: float) -> DeviceStatus:
    return DeviceStatus(DeviceState.ERROR, ts, error_bits=("jammed",))


def low_toner(ts: float) -> DeviceStatus:
    return DeviceStatus(DeviceState.WARNING, ts, supplies=(toner("black", 5),))


def healthy(ts: float) -> DeviceStatus:
    return DeviceStatus(DeviceState.OK, ts, supplies=(toner("black", 80),))


def gone(ts: float) -> DeviceStatus:
    return DeviceStatus.unreachable(ts, "no answer within 1.0 s")


class Rounds:
    """Poll rounds through the real AlertService (default policy: 3 in a row)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.clock = clock
        self.service = AlertService(store, AlertPolicy(), clock=clock)

    def run(self, statuses: dict[str, Any], times: int = 3) -> list[Any]:
        events = []
        for _ in range(times):
            self.clock.now += 60
            events += self.service.on_round(
                [(device_id, make(self.clock.now)) for device_id, make in statuses.items()]
            )
        return events


def add_ward(store: Store) -> dict[str, str]:
    """Four devices; one with a hostile name, one with a hostile location."""
    devices = {
        "jam": device(1, name=HOSTILE, ward="Ward 3", location="Nurses' station"),
        "toner": device(2, name="W3-OFFICE", ward="Ward 3", location=BOLD),
        "gone": device(3, name="W3-LABELS", ward="Ward 3", location="Pharmacy"),
        "fine": device(4, name="W3-SCAN", ward="Ward 3"),
    }
    with store.transaction() as tx:
        for d in devices.values():
            tx.create_device(d)
    return {role: d.id for role, d in devices.items()}


@pytest.fixture
def alert_store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "alerts.sqlite3")
    yield s
    s.close()


@pytest.fixture
def ward(alert_store: Store) -> dict[str, str]:
    return add_ward(alert_store)


def raise_three(store: Store, ward: dict[str, str]) -> Rounds:
    """A jam and a low toner in one round, an outage ten minutes later."""
    r = Rounds(store, Clock())
    events = r.run({ward["jam"]: jam, ward["toner"]: low_toner, ward["fine"]: healthy})
    assert sorted(e.key for e in events) == ["jam", "supply-low:1.black"]
    r.clock.now += 600  # the outage starts later: the jam is the older alert
    assert [e.key for e in r.run({ward["gone"]: gone})] == ["unreachable"]
    return r


@pytest.fixture
def rounds(alert_store: Store, ward: dict[str, str]) -> Rounds:
    return raise_three(alert_store, ward)


def test_open_rows_match_the_store_by_urgency(
    alert_store: Store, ward: dict[str, str], rounds: Rounds, qtmodeltester: Any
) -> None:
    now = rounds.clock.now
    model = AlertsModel()
    model.set_rows(load_open(alert_store, now), now)
    qtmodeltester.check(model)
    stored = {a.id: a for a in alert_store.list_alerts()}
    shown = [model.index(r, 0).data(ALERT_ID_ROLE) for r in range(model.rowCount())]
    assert sorted(shown) == sorted(stored)
    # Critical before warning; among the critical ones the longest-waiting first.
    assert [stored[i].key for i in shown] == ["jam", "unreachable", "supply-low:1.black"]
    cells = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert cells[0][:5] == [
        "Critical",
        HOSTILE,
        "Ward 3 · Nurses' station",
        "10.0.0.1",
        "Paper jam",
    ]
    assert cells[1][:5] == [
        "Critical",
        "W3-LABELS",
        "Ward 3 · Pharmacy",
        "10.0.0.3",
        "Not reachable",
    ]
    assert cells[2][1:4] == ["W3-OFFICE", f"Ward 3 · {BOLD}", "10.0.0.2"]
    assert cells[2][4] == "Supply low — Black Cartridge low (5 %)"
    assert all(row[6] == "Needs attention" for row in cells)
    assert all(model.index(r, 0).data(1) is not None for r in range(3))  # icon beside words


def test_acknowledged_and_snoozed_sink_and_say_so(
    alert_store: Store, rounds: Rounds, qtmodeltester: Any
) -> None:
    now = rounds.clock.now
    by_key = {a.key: a for a in alert_store.list_alerts()}
    assert alert_store.acknowledge_alert(by_key["jam"].id, by="nurse.jones", at=now)
    assert alert_store.snooze_alert(by_key["unreachable"].id, now + 3600, at=now)
    model = AlertsModel()
    model.set_rows(load_open(alert_store, now), now)
    qtmodeltester.check(model)
    rows = {model.row_at(r).alert.key: r for r in range(model.rowCount())}  # type: ignore[union-attr]
    assert rows["supply-low:1.black"] == 0  # the only one still needing attention
    assert model.index(rows["jam"], AlertsModel.STATUS).data() == "Acknowledged by nurse.jones"
    until = dt.datetime.fromtimestamp(now + 3600).strftime("%H:%M")
    snoozed = model.index(rows["unreachable"], AlertsModel.STATUS).data()
    assert snoozed == f"Snoozed until {until}"


def test_history_holds_cleared_and_acknowledged_with_device_filter(
    alert_store: Store, ward: dict[str, str], rounds: Rounds, qtmodeltester: Any
) -> None:
    cleared = rounds.run({ward["jam"]: healthy}, times=2)  # clear_after = 2
    assert [(e.transition.value, e.key) for e in cleared] == [("cleared", "jam")]
    toner_alert = next(a for a in alert_store.list_alerts() if a.key.startswith("supply"))
    alert_store.acknowledge_alert(toner_alert.id, by="nurse.jones", at=rounds.clock.now)
    history = load_history(alert_store, None)
    assert {r.alert.key for r in history} == {"jam", "supply-low:1.black"}  # not the open one
    model = AlertsModel(history=True)
    model.set_rows(history, rounds.clock.now)
    qtmodeltester.check(model)
    outcomes = {model.row_at(r).alert.key: model.index(r, 6).data() for r in range(2)}  # type: ignore[union-attr]
    assert outcomes["jam"].startswith("Cleared ")
    assert outcomes["supply-low:1.black"] == "Acknowledged by nurse.jones; Still open"
    only_jam = load_history(alert_store, ward["jam"])
    assert [r.alert.key for r in only_jam] == ["jam"]
    assert model.headerData(6, Qt.Orientation.Horizontal) == "Outcome"


def test_snooze_choices() -> None:
    now = dt.datetime(2026, 11, 23, 14, 30).timestamp()
    assert snooze_until(SnoozeChoice.ONE_HOUR, now) == now + 3600
    assert snooze_until(SnoozeChoice.FOUR_HOURS, now) == now + 4 * 3600
    morning = dt.datetime.fromtimestamp(snooze_until(SnoozeChoice.MORNING, now))
    assert (morning.date(), morning.hour, morning.minute) == (dt.date(2026, 11, 24), 8, 0)
    early = dt.datetime(2026, 11, 23, 5, 0).timestamp()
    assert dt.datetime.fromtimestamp(snooze_until(SnoozeChoice.MORNING, early)).day == 23


def test_severity_words_for_every_severity() -> None:
    from wardfleet.ui.alerts_model import severity_text

    assert [severity_text(s) for s in Severity] == ["Note", "Warning", "Critical"]

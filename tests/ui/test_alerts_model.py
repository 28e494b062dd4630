"""Alerts model: rows match what real AlertService rounds stored, by urgency, plain text.

The ward, its poll rounds and the status makers come from ``tests.ui.alerts_seed``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.alerts_seed import BOLD, HOSTILE, Rounds, healthy
from wardfleet.domain.status import Severity
from wardfleet.store import Store
from wardfleet.ui.alerts_model import (
    ALERT_ID_ROLE,
    AlertsModel,
    SnoozeChoice,
    load_history,
    load_open,
    snooze_until,
)


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

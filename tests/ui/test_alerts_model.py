"""Alerts model: rows match what real AlertService rounds stored, by urgency, plain text.

The ward, its poll rounds and the status makers come from ``tests.ui.alerts_seed``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.alerts_seed import BOLD, HOSTILE, Rounds, healthy
from wardfleet.domain.alerts import Alert
from wardfleet.domain.status import Severity
from wardfleet.store import Store
from wardfleet.ui.alerts_model import (
    ALERT_ID_ROLE,
    SEVERITY_ICONS,
    AlertRow,
    AlertsModel,
    SnoozeChoice,
    load_history,
    load_open,
    snooze_until,
)
from wardfleet.ui.resources import icon


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
    # The status icon is the severity's: the toner row is a warning, not a red error.
    status_icons = [
        model.index(r, AlertsModel.STATUS).data(Qt.ItemDataRole.DecorationRole).cacheKey()
        for r in range(3)
    ]
    error, warning = icon("state-error").cacheKey(), icon("state-warning").cacheKey()
    assert status_icons == [error, error, warning]


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


def test_each_open_alert_shows_its_severity_icon_and_words(qtmodeltester: Any) -> None:
    """Note, warning, critical: "i", triangle, error, in both the severity and status
    columns, always beside words; a snoozed one shows the snooze icon instead."""
    now = 1_000_000.0
    keys = {Severity.INFO: "run-out:1", Severity.WARNING: "supply-low:1",
            Severity.CRITICAL: "jam"}  # fmt: skip
    rows = [
        AlertRow(Alert(f"a{n}", "d1", keys[s], s, "m", now - 60), "P1", "", "10.0.0.9")
        for n, s in enumerate(Severity)
    ]
    snoozed = Alert("z", "d1", "door-open", Severity.CRITICAL, "m", now - 60,
                    snoozed_until=now + 600)  # fmt: skip
    model = AlertsModel()
    model.set_rows([*rows, AlertRow(snoozed, "P1", "", "")], now)
    qtmodeltester.check(model)
    deco = Qt.ItemDataRole.DecorationRole
    for r, severity in enumerate(Severity):
        want = icon(SEVERITY_ICONS[severity])
        assert not want.pixmap(16, 16).isNull()  # the file is there and draws
        assert model.index(r, AlertsModel.SEVERITY).data(deco).cacheKey() == want.cacheKey()
        assert model.index(r, AlertsModel.STATUS).data(deco).cacheKey() == want.cacheKey()
        assert model.index(r, AlertsModel.STATUS).data() == "Needs attention"
    assert [model.index(r, 0).data() for r in range(3)] == ["Note", "Warning", "Critical"]
    assert SEVERITY_ICONS == {Severity.INFO: "severity-info", Severity.WARNING: "state-warning",
                              Severity.CRITICAL: "state-error"}  # fmt: skip
    busy = model.index(3, AlertsModel.STATUS).data(deco).cacheKey()
    assert busy == icon("state-busy").cacheKey()

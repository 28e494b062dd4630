"""Issue #6 in the alert service: a supply whose level was not read is no news for its
run-out forecast (the real AlertService, store and rollups)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services.test_alerts import Clock
from tests.store.factories import device
from wardfleet.domain.alerts import AlertPolicy
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, Supply
from wardfleet.services.alerts import AlertService
from wardfleet.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "w.sqlite3")
    with s.transaction() as tx:
        tx.create_device(device(0))
    yield s
    s.close()


def test_an_unread_level_keeps_the_run_out_alert_open(store: Store) -> None:
    clock = Clock()
    service = AlertService(store, AlertPolicy(raise_after=2, clear_after=2), clock=clock)

    def status(level: int | None) -> DeviceStatus:
        # level None: the supply row is there, its level cell did not answer (-2 "unknown"
        # reads the same way).
        toner = Supply("1", "Black toner", level=level, capacity=100)
        return DeviceStatus(state=DeviceState.OK, polled_at=clock.now, supplies=(toner,))

    level = 30.0
    for _ in range(3 * 24 * 12):  # three days at 3 % a day: ~5 days left at the end
        clock.now += 300
        level -= 3.0 / 288
        store.write_poll_cycle([("dev-0", status(round(level)))])
    raised = [e.key for _ in range(2) for e in service.on_round([("dev-0", status(21))])]
    assert raised == ["run-out:1"]
    # Five polls whose level could not be read (nor the level's meaning: -2 is "unknown").
    for unread in (None, None, -2, None, -2):
        clock.now += 60
        assert service.on_round([("dev-0", status(unread))]) == []
    assert [a.key for a in store.list_alerts()] == ["run-out:1"]
    # A new cartridge really read: cleared after two polls.
    events = [e for _ in range(2) for e in service.on_round([("dev-0", status(100))])]
    assert [(e.transition.value, e.key) for e in events] == [("cleared", "run-out:1")]

"""Alerts seeding for the alerts model, dock and notifier tests: four devices on one ward
and poll rounds through the real AlertService damper and store, no mocks.

The fixtures ``alert_store``, ``ward`` and ``rounds`` are registered for tests/ui by
its conftest.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.store.factories import device
from tests.ui.seed import toner
from wardfleet.domain.alerts import AlertPolicy
from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus
from wardfleet.services.alerts import AlertService
from wardfleet.store import Store

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


def raise_three(store: Store, ward: dict[str, str]) -> Rounds:
    """A jam and a low toner in one round, an outage ten minutes later."""
    r = Rounds(store, Clock())
    events = r.run({ward["jam"]: jam, ward["toner"]: low_toner, ward["fine"]: healthy})
    assert sorted(e.key for e in events) == ["jam", "supply-low:1.black"]
    r.clock.now += 600  # the outage starts later: the jam is the older alert
    assert [e.key for e in r.run({ward["gone"]: gone})] == ["unreachable"]
    return r


@pytest.fixture
def alert_store(store: Store) -> Store:
    """The UI tests' empty store (tests/ui/conftest.py), before any ward is added."""
    return store


@pytest.fixture
def ward(alert_store: Store) -> dict[str, str]:
    return add_ward(alert_store)


@pytest.fixture
def rounds(alert_store: Store, ward: dict[str, str]) -> Rounds:
    return raise_three(alert_store, ward)

"""Search and state filter (wardfleet.ui.device_filter)."""

from __future__ import annotations

import pytest

from wardfleet.domain.device import Device, DeviceOverview
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.ui.device_filter import DeviceFilterProxy, StateFilter
from wardfleet.ui.device_model import DeviceTableModel, Role


def device(
    device_id: str,
    name: str,
    state: DeviceState = DeviceState.OK,
    *,
    is_new: bool = False,
    **fields: str,
) -> DeviceOverview:
    return DeviceOverview(
        device=Device(
            id=device_id,
            name=name,
            kind=DeviceKind.PRINTER,
            identity=Identity.of(
                serial=fields.get("serial"), mac=fields.get("mac"), vendor=fields.get("vendor")
            ),
            address=fields.get("address"),
            vendor=fields.get("vendor"),
            model=fields.get("model"),
            location=fields.get("location"),
            ward=fields.get("ward"),
            state=state,
            is_new=is_new,
        )
    )


@pytest.fixture
def proxy() -> DeviceFilterProxy:
    model = DeviceTableModel()
    model.set_rows(
        [
            device("a", "Nurses LJ", address="10.20.3.21", vendor="HP", model="LaserJet M404"),
            device("b", "Pharmacy label", DeviceState.ERROR, location="Pharmacy hatch"),
            device("c", "Office", DeviceState.UNREACHABLE, serial="vnb3k45678", ward="Ward 4"),
            device("d", "Lounge MFC", DeviceState.WARNING, mac="3C-2A-F4-BF-F5-1B", is_new=True),
        ]
    )
    proxy = DeviceFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def visible(proxy: DeviceFilterProxy) -> list[str]:
    return sorted(str(proxy.index(r, 0).data(Role.DEVICE_ID)) for r in range(proxy.rowCount()))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["a", "b", "c", "d"]),
        ("nurses", ["a"]),  # name
        ("10.20.3", ["a"]),  # IP
        ("PHARMACY HATCH", ["b"]),  # location, any case
        ("ward 4", ["c"]),  # ward
        ("laserjet", ["a"]),  # model
        ("hp", ["a"]),  # vendor
        ("VNB3K", ["c"]),  # serial
        ("3c:2a:f4", ["d"]),  # MAC (normalised)
        ("hp m404", ["a"]),  # every term must match
        ("hp pharmacy", []),
    ],
)
def test_search_matches_across_fields(
    proxy: DeviceFilterProxy, text: str, expected: list[str]
) -> None:
    proxy.set_search(text)
    assert visible(proxy) == expected


@pytest.mark.parametrize(
    ("state_filter", "expected"),
    [
        (StateFilter.ALL, ["a", "b", "c", "d"]),
        (StateFilter.NEEDS_ATTENTION, ["b", "c", "d"]),
        (StateFilter.ERRORS, ["b"]),
        (StateFilter.WARNINGS, ["d"]),
        (StateFilter.UNREACHABLE, ["c"]),
        (StateFilter.NEW, ["d"]),
    ],
)
def test_state_filter(
    proxy: DeviceFilterProxy, state_filter: StateFilter, expected: list[str]
) -> None:
    proxy.set_state_filter(state_filter)
    assert visible(proxy) == expected


def test_search_and_state_filter_combine(proxy: DeviceFilterProxy) -> None:
    proxy.set_state_filter(StateFilter.NEEDS_ATTENTION)
    proxy.set_search("office")
    assert visible(proxy) == ["c"]
    assert StateFilter.NEEDS_ATTENTION.label == "Needs attention"

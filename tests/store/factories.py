"""Small builders for store tests."""

from __future__ import annotations

import time

from wardfleet.domain.device import Device
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import DeviceStatus, Supply


def device(n: int, **overrides: object) -> Device:
    base: dict[str, object] = {
        "id": f"dev-{n}",
        "name": f"Printer {n}",
        "kind": DeviceKind.PRINTER,
        "identity": Identity.of(
            serial=f"SN{n:05d}", vendor="HP", mac=f"02:00:00:00:{n >> 8:02x}:{n & 255:02x}"
        ),
        "address": f"10.0.{n >> 8}.{n & 255}",
        "vendor": "HP",
        "first_seen": time.time(),
    }
    base.update(overrides)
    return Device(**base)  # type: ignore[arg-type]


def status(
    ts: float, *, toner: int = 50, pages: int = 1000, reachable: bool = True
) -> DeviceStatus:
    if not reachable:
        return DeviceStatus.unreachable(ts, "no answer")
    return DeviceStatus(
        state=DeviceState.OK,
        polled_at=ts,
        latency_ms=4.0,
        supplies=(
            Supply("1.1", "Black Toner", type="toner", colour="black", level=toner, capacity=100),
            Supply(
                "1.2",
                "Waste Toner Box",
                type="wasteToner",
                supply_class="receptacleThatIsFilled",
                level=20,
                capacity=100,
            ),
        ),
        page_count=pages,
    )

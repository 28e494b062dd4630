"""Seed a store with a realistic ward (or many devices) for UI tests, screenshots, benchmarks.

    python -m tests.ui.seed DATA_DIR            # ten devices of a ward
    python -m tests.ui.seed DATA_DIR --many 1000

Importable too: ``from tests.ui.seed import seed_ward, seed_many, seed_history``.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from wardfleet import paths
from wardfleet.domain.device import Device
from wardfleet.domain.identity import Identity
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import (
    DeviceAlert,
    DeviceStatus,
    Severity,
    Supply,
    TableError,
    Tray,
)
from wardfleet.store import Store

_NAMESPACE = uuid.UUID("6f1c2a52-8d0e-4c1b-9a57-2f0d7f2c9e10")
RECEPTACLE = "receptacleThatIsFilled"
CONSUMED = "supplyThatIsConsumed"


@dataclass(frozen=True)
class SeedDevice:
    name: str
    kind: DeviceKind
    vendor: str
    model: str
    serial: str
    mac: str
    address: str
    ward: str
    location: str
    status: DeviceStatus | None
    last_seen_ago: float = 60.0
    is_new: bool = False
    protocols: tuple[str, ...] = ("snmp",)
    old_addresses: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


def toner(colour: str, level: int, capacity: int = 100, *, type_: str = "tonerCartridge") -> Supply:
    return Supply(
        index=f"1.{colour}",
        description=f"{colour.capitalize()} Cartridge",
        type=type_,
        supply_class=CONSUMED,
        unit="percent",
        colour=colour,
        level=level,
        capacity=capacity,
    )


def ward_devices(now: float) -> list[SeedDevice]:
    """Ten devices of a believable ward, one of each trouble the UI must show."""
    return [
        SeedDevice(
            name="W3-NURSES-LJ",
            kind=DeviceKind.PRINTER,
            vendor="HP",
            model="LaserJet Pro M404dn",
            serial="PHBQC12345",
            mac="a0:d3:c1:4b:22:10",
            address="10.20.3.21",
            ward="Ward 3",
            location="Nurses' station",
            old_addresses=("10.20.3.40",),
            protocols=("snmp", "mdns", "ipp"),
            status=DeviceStatus(
                state=DeviceState.WARNING,
                polled_at=now - 40,
                latency_ms=4.2,
                device_status="warning",
                printer_status="idle",
                error_bits=("lowToner",),
                supplies=(
                    Supply(
                        "1.1",
                        "Black Cartridge HP 59A",
                        "tonerCartridge",
                        CONSUMED,
                        "percent",
                        "black",
                        12,
                        100,
                    ),
                ),
                trays=(Tray("1.1", "Tray 1", 40, 100), Tray("1.2", "Tray 2", 250, 250)),
                alerts=(DeviceAlert("lowToner", "Black cartridge low", Severity.WARNING),),
                page_count=48213,
                uptime_s=3 * 86400 + 5 * 3600,
            ),
            last_seen_ago=40,
        ),
        SeedDevice(
            name="W3-OFFICE-CLJ",
            kind=DeviceKind.PRINTER,
            vendor="HP",
            model="Color LaserJet Pro M454dw",
            serial="VNB3K45678",
            mac="a0:d3:c1:4b:30:02",
            address="10.20.3.22",
            ward="Ward 3",
            location="Ward office",
            protocols=("snmp", "ipp"),
            status=DeviceStatus(
                state=DeviceState.OK,
                polled_at=now - 75,
                latency_ms=3.1,
                printer_status="idle",
                supplies=(
                    toner("black", 78),
                    toner("cyan", 45),
                    toner("magenta", 62),
                    toner("yellow", 90),
                ),
                trays=(Tray("1.1", "Tray 2", 180, 250),),
                page_count=21877,
                uptime_s=12 * 86400,
            ),
            last_seen_ago=75,
        ),
        SeedDevice(
            name="W5-CORRIDOR-MFD",
            kind=DeviceKind.MFD,
            vendor="Ricoh",
            model="IM C3000",
            serial="3100R810123",
            mac="00:26:73:5e:81:aa",
            address="10.20.5.30",
            ward="Ward 5",
            location="Corridor by the lifts",
            protocols=("snmp", "mdns", "escl"),
            status=DeviceStatus(
                state=DeviceState.WARNING,
                polled_at=now - 20,
                latency_ms=7.8,
                printer_status="printing",
                supplies=(
                    toner("black", 55, type_="toner"),
                    toner("cyan", 33, type_="toner"),
                    toner("magenta", 41, type_="toner"),
                    toner("yellow", 27, type_="toner"),
                    Supply(
                        "1.5",
                        "Waste Toner Bottle",
                        "wasteToner",
                        RECEPTACLE,
                        "percent",
                        None,
                        82,
                        100,
                    ),
                ),
                trays=(
                    Tray("1.1", "Tray 1", -3, 500),
                    Tray("1.2", "Tray 2", 500, 500),
                    Tray("1.3", "Bypass tray", 0, 100),
                ),
                alerts=(DeviceAlert("wasteTonerNearFull", "Waste toner bottle nearly full"),),
                page_count=132904,
                uptime_s=41 * 86400,
            ),
            last_seen_ago=20,
        ),
        SeedDevice(
            name="W3-PHARMACY-LABEL",
            kind=DeviceKind.LABEL_PRINTER,
            vendor="Zebra",
            model="ZD621",
            serial="D4J213300123",
            mac="00:07:4d:9a:11:32",
            address="10.20.3.45",
            ward="Ward 3",
            location="Pharmacy hatch",
            status=DeviceStatus(
                state=DeviceState.ERROR,
                polled_at=now - 15,
                latency_ms=11.4,
                device_status="down",
                printer_status="other",
                error_bits=("noPaper", "offline"),
                supplies=(
                    Supply("1.1", "Labels 57 x 32 mm", "other", CONSUMED, None, None, 0, 1000),
                    Supply("1.2", "Ribbon", "ribbonWax", CONSUMED, None, None, -2, -2),
                ),
                alerts=(DeviceAlert("mediaOut", "Media out", Severity.CRITICAL),),
                page_count=88210,
                uptime_s=6 * 3600,
                errors=(TableError("prtMarkerSuppliesTable", "timeout reading column 9"),),
            ),
            last_seen_ago=15,
        ),
        SeedDevice(
            name="W3-RECEPTION-SCAN",
            kind=DeviceKind.SCANNER,
            vendor="Epson",
            model="WorkForce DS-860",
            serial="X5JN004512",
            mac="64:eb:8c:21:0a:f7",
            address="10.20.3.60",
            ward="Ward 3",
            location="Reception",
            protocols=("snmp", "escl"),
            status=DeviceStatus(
                state=DeviceState.OK,
                polled_at=now - 110,
                latency_ms=5.0,
                device_status="running",
                uptime_s=2 * 86400,
            ),
            last_seen_ago=110,
        ),
        SeedDevice(
            name="W3-BAY2-MONITOR",
            kind=DeviceKind.MONITOR,
            vendor="Philips",
            model="IntelliVue MX450",
            serial="DE71234567",
            mac="00:09:fb:33:4c:01",
            address="10.20.3.102",
            ward="Ward 3",
            location="Bay 2, bed 7",
            status=DeviceStatus(
                state=DeviceState.OK,
                polled_at=now - 30,
                latency_ms=2.4,
                device_status="running",
                uptime_s=17 * 86400,
            ),
            last_seen_ago=30,
        ),
        SeedDevice(
            name="W3-COMMS-UPS",
            kind=DeviceKind.UPS,
            vendor="APC",
            model="Smart-UPS 1500",
            serial="AS1835123456",
            mac="00:c0:b7:d2:44:19",
            address="10.20.3.5",
            ward="Ward 3",
            location="Comms cupboard",
            status=DeviceStatus(
                state=DeviceState.OK,
                polled_at=now - 50,
                latency_ms=1.9,
                device_status="running",
                uptime_s=120 * 86400,
            ),
            last_seen_ago=50,
        ),
        SeedDevice(
            name="W4-DISCHARGE-MFC",
            kind=DeviceKind.MFD,
            vendor="Brother",
            model="MFC-L2710DW",
            serial="E78123A5J431816",
            mac="3c:2a:f4:bf:f5:1b",
            address="10.20.4.33",
            ward="Ward 4",
            location="Discharge lounge",
            status=DeviceStatus(
                state=DeviceState.OK,
                polled_at=now - 90,
                latency_ms=6.3,
                device_status="running",
                supplies=(
                    Supply("1.1", "Black Toner Cartridge", "toner", None, None, "black", -3, -2),
                    Supply("1.2", "Drum Unit", "opc", None, None, None, 11501, 12000),
                ),
                trays=(Tray("1.1", "Tray 1", -3, 250), Tray("1.2", "Manual tray", -3, 1)),
                page_count=9412,
                uptime_s=4 * 86400,
            ),
            last_seen_ago=90,
        ),
        SeedDevice(
            name="W4-ADMIN-KYOCERA",
            kind=DeviceKind.PRINTER,
            vendor="Kyocera",
            model="ECOSYS P3145dn",
            serial="VCF9X01234",
            mac="00:17:c8:6a:02:9e",
            address="10.20.4.25",
            ward="Ward 4",
            location="Ward manager's office",
            status=DeviceStatus.unreachable(now - 45, "no answer to SNMP (timeout after 2 tries)"),
            last_seen_ago=3 * 3600 + 600,
        ),
        SeedDevice(
            name="NPI3F2A1C",
            kind=DeviceKind.PRINTER,
            vendor="HP",
            model="LaserJet Enterprise M507",
            serial="PHCCB09876",
            mac="10:e7:c6:3f:2a:1c",
            address="10.20.3.77",
            ward="",
            location="",
            is_new=True,
            protocols=("mdns", "snmp"),
            status=DeviceStatus(
                state=DeviceState.OK,
                polled_at=now - 300,
                latency_ms=3.7,
                supplies=(toner("black", 64),),
                trays=(Tray("1.1", "Tray 1", 120, 500),),
                page_count=310,
                uptime_s=3600,
            ),
            last_seen_ago=300,
        ),
    ]


def device_id_for(serial: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, serial))


def add_devices(store: Store, seeds: list[SeedDevice], now: float) -> list[str]:
    """Create the devices, their protocol/address history and newest status."""
    ids: list[str] = []
    with store.transaction() as tx:
        for s in seeds:
            device_id = device_id_for(s.serial)
            seen = now - s.last_seen_ago
            tx.create_device(
                Device(
                    id=device_id,
                    name=s.name,
                    kind=s.kind,
                    identity=Identity.of(
                        serial=s.serial, vendor=s.vendor, mac=s.mac, address=s.address
                    ),
                    address=s.address,
                    vendor=s.vendor,
                    model=s.model,
                    ward=s.ward or None,
                    location=s.location or None,
                    state=s.status.state if s.status else DeviceState.UNKNOWN,
                    first_seen=now - 40 * 86400 if not s.is_new else seen,
                    last_seen=seen,
                    is_new=s.is_new,
                )
            )
            for back, old in enumerate(s.old_addresses, start=1):
                tx.touch(device_id, address=old, protocol=s.protocols[0], ts=now - back * 86400)
            # Oldest first: the store keeps the newest touch as an address's last_seen.
            for offset, protocol in reversed(list(enumerate(s.protocols))):
                tx.touch(device_id, address=s.address, protocol=protocol, ts=seen - offset * 120)
            ids.append(device_id)
    store.write_poll_cycle(
        [(device_id_for(s.serial), s.status) for s in seeds if s.status is not None]
    )
    return ids


def seed_ward(store: Store, now: float | None = None) -> list[str]:
    when = time.time() if now is None else now
    return add_devices(store, ward_devices(when), when)


_MANY_MODELS = [
    (DeviceKind.PRINTER, "HP", "LaserJet Pro M404dn"),
    (DeviceKind.PRINTER, "HP", "Color LaserJet Pro M454dw"),
    (DeviceKind.MFD, "Ricoh", "IM C3000"),
    (DeviceKind.MFD, "Brother", "MFC-L2710DW"),
    (DeviceKind.LABEL_PRINTER, "Zebra", "ZD621"),
    (DeviceKind.SCANNER, "Epson", "WorkForce DS-860"),
    (DeviceKind.MONITOR, "Philips", "IntelliVue MX450"),
    (DeviceKind.UPS, "APC", "Smart-UPS 1500"),
]


def many_devices(n: int, now: float, rng_seed: int = 1) -> list[SeedDevice]:
    rng = random.Random(rng_seed)
    out: list[SeedDevice] = []
    for i in range(n):
        kind, vendor, model = _MANY_MODELS[i % len(_MANY_MODELS)]
        state = rng.choices(
            [DeviceState.OK, DeviceState.WARNING, DeviceState.ERROR, DeviceState.UNREACHABLE],
            weights=[80, 10, 4, 6],
        )[0]
        if state is DeviceState.UNREACHABLE:
            status = DeviceStatus.unreachable(now - rng.uniform(0, 60), "timeout")
        else:
            supplies: tuple[Supply, ...] = ()
            if kind in (DeviceKind.PRINTER, DeviceKind.MFD):
                colours = (
                    ("black", "cyan", "magenta", "yellow")
                    if "Color" in model or (vendor == "Ricoh")
                    else ("black",)
                )
                supplies = tuple(toner(c, rng.randint(1, 100)) for c in colours)
            status = DeviceStatus(
                state=state,
                polled_at=now - rng.uniform(0, 120),
                latency_ms=rng.uniform(1, 30),
                supplies=supplies,
                page_count=rng.randint(0, 500_000),
                uptime_s=rng.uniform(0, 90 * 86400),
            )
        out.append(
            SeedDevice(
                name=f"W{i % 40 + 1:02d}-{kind.value.upper()}-{i:04d}",
                kind=kind,
                vendor=vendor,
                model=model,
                serial=f"SN{i:08d}",
                mac=f"02:00:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}:01",
                address=f"10.{20 + i // 65536}.{i // 256 % 256}.{i % 256}",
                ward=f"Ward {i % 40 + 1}",
                location=rng.choice(["Nurses' station", "Office", "Corridor", "Reception"]),
                status=status,
                last_seen_ago=rng.uniform(5, 4000),
                is_new=i % 97 == 0,
            )
        )
    return out


def seed_many(store: Store, n: int = 1000, now: float | None = None) -> list[str]:
    when = time.time() if now is None else now
    return add_devices(store, many_devices(n, when), when)


def seed_history(store: Store, days: float = 30.0, now: float | None = None) -> int:
    """Rollup history for every reachable device already in the store (see demo.history)."""
    from wardfleet.demo.history import seed_history as write_history

    return write_history(store, days=days, now=now)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--many", type=int, default=0, help="seed N generated devices instead")
    args = parser.parse_args(argv)
    os.environ["WARDFLEET_DATA_DIR"] = str(args.data_dir)
    store = Store.open(paths.database_path())
    try:
        ids = seed_many(store, args.many) if args.many else seed_ward(store)
    finally:
        store.close()
    print(f"seeded {len(ids)} devices into {args.data_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

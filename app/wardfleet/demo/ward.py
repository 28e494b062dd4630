"""The demo ward: nine simulated devices and their deterministic life over time.

Identities borrow the shape of real recordings (fixtures/snmprec: HP Jetdirect,
Brother NC-8x00h, Ricoh, Zebra, Epson scan server, UPS-MIB). Serials and MACs
are made up; MACs use the vendors' OUIs except the monitor's, which is locally
administered. Times below are elapsed seconds at speed 1 ("~" = seeded jitter).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wardfleet.demo.mib import MibView
from wardfleet.demo.schedule import Recurring, Workload
from wardfleet.demo.specs import (
    HR_DEVICE_NETWORK,
    HR_DEVICE_OTHER,
    HR_DEVICE_PRINTER,
    HR_DEVICE_PROCESSOR,
    SOME_REMAINING,
    UNKNOWN,
    DeviceSpec,
    HrDevice,
    Jam,
    PrinterSpec,
    Supply,
    SupplyClass,
    SupplyType,
    Tray,
    Unit,
    UpsSpec,
)
from wardfleet.demo.state import DeviceModel, DeviceState
from wardfleet.demo.views import build_view
from wardfleet.domain.kinds import DeviceKind

DEFAULT_SEED = 7
HOURLY_TOP_UP = Recurring(first=2400, period=3600, duration=0, jitter=300)

W7_CONTACT = "Ward 7 IT liaison, ext. 4471"


def _hp_descr(serial: str, product: str) -> str:
    """sysDescr in the Jetdirect format of the recordings."""
    ids = f"SN:{serial},FN:{serial[-4:]}P2M,SVCID:27{serial[-3:]}"
    return f"HP ETHERNET MULTI-ENVIRONMENT,{ids},PID:{product}"


def _cmyk(
    names: str, levels: tuple[int, int, int, int], rates: tuple[float, ...]
) -> tuple[Supply, ...]:
    """Black, cyan, magenta and yellow toners; ``names`` has a {} for the colour."""
    colours = ("Black", "Cyan", "Magenta", "Yellow")
    return tuple(
        Supply(names.format(c), SupplyType.TONER, level, colour=c.lower(), pages_per_unit=rate)
        for c, level, rate in zip(colours, levels, rates, strict=True)
    )


DEVICES: tuple[DeviceSpec, ...] = (
    # 1. Mono laser at the nurses' station: jams in tray 2 for 30 s, first at ~75-95 s,
    #    then every 5 minutes.
    DeviceSpec(
        name="w7-nurses-laser",
        kind=DeviceKind.PRINTER,
        vendor="HP",
        model="HP LaserJet Pro M404dn",
        sys_descr=_hp_descr("PHBQK41234", "HP LaserJet Pro M404dn"),
        sys_object_id="1.3.6.1.4.1.11.2.3.9.1",
        sys_name="W7-NS-LJM404",
        location="Ward 7 – Nurses' station",
        contact=W7_CONTACT,
        serial="PHBQK41234",
        mac="3C:A8:2A:51:7E:04",
        uptime_at_start_s=9 * 86400 + 4113,
        hr_devices=(HrDevice(HR_DEVICE_PRINTER, "HP LaserJet Pro M404dn"),),
        printer=PrinterSpec(
            workload=Workload(ppm=40, slot_s=60, busy=0.4, max_pages=8),
            supplies=(
                Supply(
                    "Black Cartridge HP CF259X",
                    SupplyType.TONER,
                    47,
                    colour="black",
                    pages_per_unit=30,
                ),
            ),
            trays=(
                Tray("Tray 1", 100, 0, input_type=5),
                Tray("Tray 2", 250, 212, feeds=True),
            ),
            refill=HOURLY_TOP_UP,
            jam=Jam(Recurring(first=75, period=300, duration=30, jitter=20), tray=2),
            base_pages=48_211,
        ),
        base_octets=1_204_553_120,
    ),
    # 2. Colour laser in the ward manager's office: black is low (~1 min), "very low"
    #    (~7 min) and is replaced, back to 100 %, at ~9 min.
    DeviceSpec(
        name="w7-office-colour",
        kind=DeviceKind.PRINTER,
        vendor="HP",
        model="HP Color LaserJet Pro M454dn",
        sys_descr=_hp_descr("VNBRR45678", "HP Color LaserJet Pro M454dn"),
        sys_object_id="1.3.6.1.4.1.11.2.3.9.1",
        sys_name="W7-OFF-CLJM454",
        location="Ward 7 – Ward manager's office",
        contact=W7_CONTACT,
        serial="VNBRR45678",
        mac="3C:A8:2A:9D:12:C6",
        uptime_at_start_s=23 * 86400 + 611,
        hr_devices=(HrDevice(HR_DEVICE_PRINTER, "HP Color LaserJet Pro M454dn"),),
        printer=PrinterSpec(
            workload=Workload(ppm=27, slot_s=45, busy=0.55, max_pages=8),
            supplies=tuple(
                Supply(
                    f"{c} Cartridge HP W203{n}X",
                    SupplyType.TONER,
                    level,
                    colour=c.lower(),
                    pages_per_unit=rate,
                    hold_pages=hold,
                )
                for c, n, level, rate, hold in (
                    ("Black", 0, 12, 1.2, 12),
                    ("Cyan", 1, 62, 12, 0),
                    ("Magenta", 3, 55, 10, 0),
                    ("Yellow", 2, 71, 14, 0),
                )
            ),
            trays=(
                Tray("Tray 1", 50, 0, input_type=5),
                Tray("Tray 2", 250, 160, feeds=True),
            ),
            refill=HOURLY_TOP_UP,
            base_pages=17_954,
        ),
        base_octets=2_811_004_771,
    ),
    # 3. Colour MFD with scanner at reception: tray 1 runs low (~4 min) and empty
    #    (~6 min), printing falls back to tray 2; both are refilled at ~9 min, then
    #    every 30 min (tray 1 empties again shortly before each refill).
    DeviceSpec(
        name="w7-reception-mfd",
        kind=DeviceKind.MFD,
        vendor="Ricoh",
        model="RICOH IM C300F",
        sys_descr=(
            "RICOH IM C300F 1.02 / RICOH Network Printer C model / "
            "RICOH Network Scanner C model / RICOH Network Facsimile C model"
        ),
        sys_object_id="1.3.6.1.4.1.367.1.1",
        sys_name="W7-RCP-IMC300F",
        location="Ward 7 – Reception",
        contact=W7_CONTACT,
        serial="3100R812345",
        mac="00:26:73:B4:08:5A",
        uptime_at_start_s=41 * 86400 + 20_077,
        hr_devices=(
            HrDevice(HR_DEVICE_PRINTER, "RICOH IM C300F"),
            HrDevice(HR_DEVICE_OTHER, "RICOH IM C300F Scanner"),
            HrDevice(HR_DEVICE_OTHER, "RICOH IM C300F Facsimile"),
        ),
        printer=PrinterSpec(
            workload=Workload(ppm=30, slot_s=50, busy=0.75, max_pages=20),
            supplies=(
                *_cmyk("{} Toner", (58, 40, 33, 77), (25, 35, 35, 35)),
                Supply(
                    "Waste Toner",
                    SupplyType.WASTE_TONER,
                    SOME_REMAINING,
                    supply_class=SupplyClass.RECEPTACLE,
                ),
            ),
            trays=(
                Tray("Tray 1", 250, 60, feeds=True),
                Tray("Tray 2", 500, 320, feeds=True),
                Tray("Bypass Tray", 100, 0, input_type=5),
            ),
            refill=Recurring(first=540, period=1800, duration=0, jitter=30),
            base_pages=271_871,
        ),
        if_descr="RICOH Network Printer C model",
        vendor_oids=(("1.3.6.1.4.1.367.3.2.1.2.1.4.0", "3100R812345"),),
        base_octets=3_001_118_400,
    ),
    # 4. Second mono laser, Bay B. Toner reports -3 ("some remaining") of -2
    #    ("unknown"), like real Brothers. Switched off for 40 s every 5 min (first at
    #    ~150-180 s); it comes back freshly booted and warms up for 20 s.
    DeviceSpec(
        name="w7-bayb-laser",
        kind=DeviceKind.PRINTER,
        vendor="Brother",
        model="Brother HL-L5100DN",
        sys_descr="Brother NC-8700h, Firmware Ver.1.20  (19.07.10),MID 8CE-K20,FID 2",
        sys_object_id="1.3.6.1.4.1.2435.2.3.9.1",
        sys_name="W7-BAYB-HLL5100",
        location="Ward 7 – Bay B",
        contact=W7_CONTACT,
        serial="E78135B9N402117",
        mac="3C:2A:F4:6A:E1:93",
        uptime_at_start_s=2 * 86400 + 51_311,
        hr_devices=(HrDevice(HR_DEVICE_PRINTER, "Brother HL-L5100DN series"),),
        printer=PrinterSpec(
            workload=Workload(ppm=40, slot_s=60, busy=0.3, max_pages=6),
            supplies=(
                Supply(
                    "Black Toner Cartridge",
                    SupplyType.TONER,
                    SOME_REMAINING,
                    capacity=UNKNOWN,
                    unit=Unit.OTHER,
                    colour="black",
                ),
                Supply(
                    "Drum Unit",
                    SupplyType.OPC,
                    21_870,
                    capacity=30_000,
                    unit=Unit.IMPRESSIONS,
                    pages_per_unit=1,
                ),
            ),
            trays=(
                Tray("MP Tray", 50, SOME_REMAINING, input_type=5),
                Tray("Tray 1", 250, SOME_REMAINING),
            ),
            base_pages=8_130,
        ),
        outage=Recurring(first=150, period=300, duration=40, jitter=30),
        if_descr="NC-8700h",
        vendor_oids=(
            ("1.3.6.1.4.1.2435.2.3.9.4.2.1.5.5.1.0", "E78135B9N402117"),
            (
                "1.3.6.1.4.1.2435.2.3.9.1.1.7.0",
                "MFG:Brother;CMD:PJL,PCL,PCLXL,POSTSCRIPT;MDL:HL-L5100DN series;CLS:PRINTER;",
            ),
        ),
        base_octets=88_410_222,
    ),
    # 5. Label printer in the treatment room: the label roll runs low (~4 min) and out
    #    (~7 min: the printer is down), a new roll goes in at ~9 min, then every 45 min.
    DeviceSpec(
        name="w7-treatment-labels",
        kind=DeviceKind.LABEL_PRINTER,
        vendor="Zebra",
        model="Zebra ZD621",
        sys_descr="Zebra Technologies ZTC ZD621-203dpi ZPL",
        # Under Zebra's enterprise 10642; the product arc is illustrative.
        sys_object_id="1.3.6.1.4.1.10642.200.21",
        sys_name="W7-TRT-ZD621",
        location="Ward 7 – Treatment room",
        contact=W7_CONTACT,
        serial="D8J212801234",
        mac="00:07:4D:8E:33:10",
        uptime_at_start_s=12 * 86400 + 777,
        hr_devices=(HrDevice(HR_DEVICE_PRINTER, "Zebra ZD621"),),
        printer=PrinterSpec(
            workload=Workload(ppm=120, slot_s=30, busy=0.8, max_pages=30, first_page_s=2),
            supplies=(
                Supply(
                    "Ribbon",
                    SupplyType.RIBBON_WAX,
                    51,
                    capacity=74,
                    unit=Unit.METERS,
                    pages_per_unit=18,
                ),
            ),
            trays=(
                Tray(
                    "Label roll",
                    1000,
                    200,
                    feeds=True,
                    media="57x32mm labels",
                    unit=Unit.ITEMS,
                    input_type=6,
                ),
            ),
            refill=Recurring(first=540, period=2700, duration=0, jitter=30),
            mark_tech=16,  # thermalTransfer
            base_pages=402_377,
            bytes_per_page=900,
        ),
        if_descr="Wired PrintServer",
        vendor_oids=(
            ("1.3.6.1.4.1.10642.1.1.0", "ZTC ZD621-203dpi ZPL"),  # zbrGeneralModel
            ("1.3.6.1.4.1.10642.1.2.0", "V93.21.26Z"),  # zbrGeneralFirmwareVersion
            ("1.3.6.1.4.1.10642.1.4.0", "W7-TRT-ZD621"),  # zbrGeneralName
        ),
        base_octets=51_993_012,
    ),
    # 6. Document scanner at admissions (no Printer-MIB).
    DeviceSpec(
        name="w7-admissions-scanner",
        kind=DeviceKind.SCANNER,
        vendor="Epson",
        model="Epson DS-860",
        sys_descr="EPSON 10/100/1000 Ethernet USB Ext. Scan Server",
        sys_object_id=(
            "1.3.6.1.4.1.1248.1.1.2.1.3.22.78.101.116.119.111.114.107.32.73.110.116.101"
            ".114.102.97.99.101.32.85.110.105.116"
        ),
        sys_name="W7-ADM-DS860",
        location="Ward 7 – Admissions desk",
        contact=W7_CONTACT,
        serial="EP4B217EENSN08",  # Epson scan servers put it in the vendor OID below
        mac="AC:18:26:4B:21:7E",
        uptime_at_start_s=6 * 86400 + 3_020,
        hr_devices=(
            HrDevice(HR_DEVICE_OTHER, "DS-860", "1.3.6.1.4.1.1248.1.2.1.6.68.83.45.56.54.48"),
        ),
        entity_serial=True,
        if_descr="Network Interface Unit Hard Ver.1.00 Firm Ver.2.03",
        vendor_oids=(
            ("1.3.6.1.4.1.1248.1.1.3.1.1.1.0", "EP4B217EENSN08"),  # as epson-scanner_ds-860
            ("1.3.6.1.4.1.1248.1.1.3.1.21.1.1.2.1", "02.03"),
        ),
        base_octets=733_200_117,
    ),
    # 7. Bedside patient monitor: system group, hrDevice and ENTITY-MIB (the serial) only.
    DeviceSpec(
        name="w7-baya-bed4-monitor",
        kind=DeviceKind.MONITOR,
        vendor="Mindray",
        model="BeneVision N12",
        sys_descr="Mindray BeneVision N12 Patient Monitor, Software Version 04.03.00.00",
        # Mindray's IANA enterprise number (see domain.vendors); product arcs illustrative.
        sys_object_id="1.3.6.1.4.1.54260.1.2.12",
        sys_name="W7-BAYA-BED4-N12",
        location="Ward 7 – Bay A, bed 4",
        contact="Clinical engineering, ext. 3310",
        serial="FU-28003241",
        mac="02:4D:52:00:31:A4",
        uptime_at_start_s=17 * 86400 + 40_001,
        hr_devices=(
            HrDevice(HR_DEVICE_PROCESSOR, "Main board, ARM Cortex-A9 1 GHz"),
            HrDevice(HR_DEVICE_NETWORK, "eth0"),
        ),
        entity_serial=True,
        if_descr="eth0",
        base_octets=2_400_113_004,
    ),
    # 8. UPS in the comms cupboard: mains fails for 120 s at ~240-270 s, then every
    #    20 min; charge drops ~14 % and recharges over ~8 min.
    DeviceSpec(
        name="w7-comms-ups",
        kind=DeviceKind.UPS,
        vendor="APC",
        model="Smart-UPS 1500",
        sys_descr=(
            "APC Web/SNMP Management Card (MB:v4.2.5 PF:v2.4.1.1 PN:apc_hw21_aos_2.4.1.1.bin "
            "AF1:v2.4.1.1 AN1:apc_hw21_su_2.4.1.1.bin MN:AP9641 HR:06 SN: ZA2138012345 "
            "MD:09/22/2021)"
        ),
        sys_object_id="1.3.6.1.4.1.318.1.3.27",
        sys_name="W7-COMMS-UPS1",
        location="Ward 7 – Comms cupboard",
        contact="Estates electrical, ext. 2200",
        serial="AS2139123456",
        mac="00:C0:B7:D2:45:19",
        uptime_at_start_s=88 * 86400 + 12_345,
        ups=UpsSpec(
            manufacturer="American Power Conversion Corp.",
            model="Smart-UPS 1500",
            firmware="UPS 15.5 (ID1003)",
            agent_version="AP9641 v2.4.1.1",
            attached_devices="Ward 7 network switch, nurse-call gateway",
            mains_failures=Recurring(first=240, period=1200, duration=120, jitter=30),
            runtime_full_min=48,
            discharge_pct_per_s=0.12,
            recharge_pct_per_s=0.03,
            load_percent=31,
            output_watts=310,
        ),
        base_octets=1_777_001_230,
    ),
    # 9. Colour laser on Ward 8 with a waste toner bottle that fills: nearly full at
    #    ~2 min, full at ~10 min, swapped for an empty one ~10 pages later (~11 min).
    DeviceSpec(
        name="w8-nurses-colour",
        kind=DeviceKind.PRINTER,
        vendor="Lexmark",
        model="Lexmark CS622de",
        sys_descr="Lexmark CS622de version CXTZJ.081.025 kernel 4.11.12-yocto-standard All-N-1",
        sys_object_id="1.3.6.1.4.1.641.1",
        sys_name="W8-NS-CS622",
        location="Ward 8 – Nurses' station",
        contact="Ward 8 IT liaison, ext. 4480",
        serial="75277H4Z1K2M",
        mac="00:21:B7:6C:90:2F",
        uptime_at_start_s=5 * 86400 + 9_999,
        hr_devices=(HrDevice(HR_DEVICE_PRINTER, "Lexmark CS622de"),),
        printer=PrinterSpec(
            workload=Workload(ppm=38, slot_s=50, busy=0.55, max_pages=10),
            supplies=(
                *_cmyk("{} Toner Cartridge", (66, 48, 52, 39), (25, 30, 30, 30)),
                Supply(
                    "Waste Toner Bottle",
                    SupplyType.WASTE_TONER,
                    82,
                    supply_class=SupplyClass.RECEPTACLE,
                    pages_per_unit=1.5,
                    hold_pages=10,
                ),
                Supply("Black and Color Imaging Kit", SupplyType.OPC, 64, pages_per_unit=400),
            ),
            trays=(
                Tray("Tray 1", 250, 190, feeds=True),
                Tray("MP Feeder", 50, 0, input_type=5),
            ),
            refill=HOURLY_TOP_UP,
            base_pages=33_402,
        ),
        base_octets=905_111_384,
    ),
)


@dataclass(frozen=True)
class Event:
    t: float
    device: str
    text: str


class Ward:
    """The ward's devices bound to a seed. ``state_at`` / ``view_at`` are pure in t."""

    def __init__(self, seed: int = DEFAULT_SEED, devices: Sequence[DeviceSpec] = DEVICES) -> None:
        names = [spec.name for spec in devices]
        if len(set(names)) != len(names):
            raise ValueError("device names must be unique")
        self.seed = seed
        self.specs = {spec.name: spec for spec in devices}
        self._models = {spec.name: DeviceModel(spec, seed) for spec in devices}

    @property
    def names(self) -> list[str]:
        return list(self.specs)

    def model(self, name: str) -> DeviceModel:
        return self._models[name]

    def state_at(self, name: str, t: float) -> DeviceState:
        return self._models[name].state_at(t)

    def view_at(self, name: str, t: float) -> MibView | None:
        """The MIB the device serves at t, or None while it is offline."""
        state = self._models[name].state_at(t)
        return build_view(self.specs[name], state) if state.online else None

    def timeline(self, until: float, step: float = 1.0) -> list[Event]:
        """Noteworthy changes between 0 and ``until`` (sampled every ``step`` seconds)."""
        events: list[Event] = []
        for name in self.specs:
            previous = self.state_at(name, 0.0)
            t = step
            while t <= until:
                current = self.state_at(name, t)
                events.extend(Event(t, name, text) for text in _changes(previous, current))
                previous = current
                t += step
        return sorted(events, key=lambda e: (e.t, e.device))


def _changes(before: DeviceState, after: DeviceState) -> Iterable[str]:
    if before.online != after.online:
        yield "back online (rebooted)" if after.online else "offline"
        return
    if not after.online:
        return
    old = {a.index: a for a in before.alerts}
    new = {a.index: a for a in after.alerts}
    for index in sorted(new.keys() - old.keys()):
        yield f"alert: {new[index].description}"
    for index in sorted(old.keys() - new.keys()):
        yield f"cleared: {old[index].description}"
    if after.refills > before.refills:
        yield "trays refilled"
    for i, (a, b) in enumerate(zip(before.supply_swaps, after.supply_swaps, strict=True)):
        if b > a:
            yield f"supply {i + 1} replaced"
    if before.battery and after.battery and before.battery.on_battery != after.battery.on_battery:
        yield "mains failed: on battery" if after.battery.on_battery else "mains restored"

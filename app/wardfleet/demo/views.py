"""Render a device's spec and current state as the MIB view its agent serves."""

from __future__ import annotations

from wardfleet.demo.mib import (
    Counter32,
    Gauge32,
    Integer32,
    MibBuilder,
    MibView,
    ObjectIdentifier,
    OctetString,
    Oid,
    TimeTicks,
    parse_oid,
)
from wardfleet.demo.specs import (
    HR_DEVICE_PRINTER,
    DeviceSpec,
    PrinterSpec,
    Tray,
    UpsSpec,
    encode_error_state,
)
from wardfleet.demo.state import DeviceState

SYSTEM = (1, 3, 6, 1, 2, 1, 1)
IF_NUMBER = (1, 3, 6, 1, 2, 1, 2, 1)
IF_ENTRY = (1, 3, 6, 1, 2, 1, 2, 2, 1)
HR_SYSTEM_UPTIME = (1, 3, 6, 1, 2, 1, 25, 1, 1)
HR_DEVICE_ENTRY = (1, 3, 6, 1, 2, 1, 25, 3, 2, 1)
HR_PRINTER_ENTRY = (1, 3, 6, 1, 2, 1, 25, 3, 5, 1)
ENT_PHYSICAL_ENTRY = (1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1)
PRT = (1, 3, 6, 1, 2, 1, 43)
PRT_GENERAL_ENTRY = (*PRT, 5, 1, 1)
PRT_INPUT_ENTRY = (*PRT, 8, 2, 1)
PRT_MARKER_ENTRY = (*PRT, 10, 2, 1)
PRT_SUPPLIES_ENTRY = (*PRT, 11, 1, 1)
PRT_COLORANT_ENTRY = (*PRT, 12, 1, 1)
PRT_CONSOLE_BUFFER_ENTRY = (*PRT, 16, 5, 1)
PRT_ALERT_ENTRY = (*PRT, 18, 1, 1)
UPS = (1, 3, 6, 1, 2, 1, 33, 1)
UPS_ALARM_ON_BATTERY = "1.3.6.1.2.1.33.1.6.3.2"
APC_UPS = (1, 3, 6, 1, 4, 1, 318, 1, 1, 1)

SYS_SERVICES = 72  # application + end-to-end layers, what printers report
PRINTER_HR_INDEX = (1,)  # the printer is hrDevice 1 on every simulated device


def text(value: str) -> object:
    # Device strings go out as UTF-8 (pyasn1 would default to Latin-1 and choke on "–").
    return OctetString(value.encode("utf-8"))


def ticks(seconds: float) -> object:
    return TimeTicks(int(seconds * 100) % 2**32)


def build_view(spec: DeviceSpec, state: DeviceState) -> MibView:
    b = MibBuilder()
    uptime = ticks(state.uptime_s)
    _system(b, spec, uptime)
    _interfaces(b, spec, state)
    if spec.hr_devices:
        _host_resources(b, spec, state, uptime)
    if spec.entity_serial:
        _entity(b, spec)
    if spec.printer is not None:
        _printer_mib(b, spec, spec.printer, state)
    if spec.ups is not None:
        _ups_mib(b, spec, spec.ups, state)
    for dotted, value in spec.vendor_oids:
        oid = parse_oid(dotted)
        b.cell(oid[:-1], oid[-1:], text(value) if isinstance(value, str) else Integer32(value))
    return b.build()


def _system(b: MibBuilder, spec: DeviceSpec, uptime: object) -> None:
    for column, value in (
        (1, text(spec.sys_descr)),
        (2, ObjectIdentifier(spec.sys_object_id)),
        (3, uptime),
        (4, text(spec.contact)),
        (5, text(spec.sys_name)),
        (6, text(spec.location)),
        (7, Integer32(SYS_SERVICES)),
    ):
        b.scalar((*SYSTEM, column), value)


def _interfaces(b: MibBuilder, spec: DeviceSpec, state: DeviceState) -> None:
    b.scalar(IF_NUMBER, Integer32(2))
    b.columns(
        IF_ENTRY,
        (1,),
        {
            1: Integer32(1),
            2: text(spec.if_descr),
            3: Integer32(6),  # ethernetCsmacd
            4: Integer32(1500),
            5: Gauge32(100_000_000),
            6: OctetString(spec.mac_bytes),
            7: Integer32(1),
            8: Integer32(1),
            9: TimeTicks(0),
            10: Counter32(state.octets_in),
            11: Counter32(state.octets_in // 420 % 2**32),
            16: Counter32(state.octets_out),
            17: Counter32(state.octets_out // 180 % 2**32),
        },
    )
    b.columns(
        IF_ENTRY,
        (2,),
        {
            1: Integer32(2),
            2: text("lo"),
            3: Integer32(24),  # softwareLoopback
            4: Integer32(16436),
            5: Gauge32(0),
            6: OctetString(b""),
            7: Integer32(1),
            8: Integer32(1),
            9: TimeTicks(0),
            10: Counter32(0),
            11: Counter32(0),
            16: Counter32(0),
            17: Counter32(0),
        },
    )


def _host_resources(b: MibBuilder, spec: DeviceSpec, state: DeviceState, uptime: object) -> None:
    b.scalar(HR_SYSTEM_UPTIME, uptime)
    for number, device in enumerate(spec.hr_devices, start=1):
        is_printer = device.type_oid == HR_DEVICE_PRINTER
        b.columns(
            HR_DEVICE_ENTRY,
            (number,),
            {
                1: Integer32(number),
                2: ObjectIdentifier(device.type_oid),
                3: text(device.descr),
                4: ObjectIdentifier(device.device_id),
                5: Integer32(state.device_status if number == 1 else 2),
                6: Counter32(state.jams if is_printer else 0),
            },
        )
        if is_printer and state.printer_status is not None:
            b.columns(
                HR_PRINTER_ENTRY,
                (number,),
                {
                    1: Integer32(state.printer_status),
                    2: OctetString(encode_error_state(state.errors)),
                },
            )


def _entity(b: MibBuilder, spec: DeviceSpec) -> None:
    b.columns(
        ENT_PHYSICAL_ENTRY,
        (1,),
        {
            2: text(spec.model),
            5: Integer32(3),  # chassis
            7: text(spec.sys_name),
            11: text(spec.serial),
            12: text(spec.vendor),
            13: text(spec.model),
        },
    )


def _printer_mib(b: MibBuilder, spec: DeviceSpec, printer: PrinterSpec, state: DeviceState) -> None:
    hr = PRINTER_HR_INDEX
    b.columns(
        PRT_GENERAL_ENTRY,
        hr,
        {16: text(spec.sys_name), 17: text(spec.serial)},
    )
    for number, tray in enumerate(printer.trays, start=1):
        level = state.tray_levels[number - 1]
        b.columns(
            PRT_INPUT_ENTRY,
            (*hr, number),
            {
                2: Integer32(tray.input_type),
                8: Integer32(tray.unit),
                9: Integer32(tray.capacity),
                10: Integer32(level),
                11: Integer32(_tray_status(tray, level)),
                12: text(tray.media),
                13: text(tray.name),
                18: text(tray.name),
            },
        )
    b.columns(
        PRT_MARKER_ENTRY,
        (*hr, 1),
        {
            2: Integer32(printer.mark_tech),
            3: Integer32(printer.counter_unit),
            4: Counter32(state.pages % 2**32),
            5: Counter32(state.pages_since_boot % 2**32),
        },
    )
    colours = [s.colour for s in printer.supplies if s.colour is not None]
    for number, supply in enumerate(printer.supplies, start=1):
        colorant = colours.index(supply.colour) + 1 if supply.colour is not None else 0
        b.columns(
            PRT_SUPPLIES_ENTRY,
            (*hr, number),
            {
                2: Integer32(1),
                3: Integer32(colorant),
                4: Integer32(supply.supply_class),
                5: Integer32(supply.type),
                6: text(supply.description),
                7: Integer32(supply.unit),
                8: Integer32(supply.capacity),
                9: Integer32(state.supply_levels[number - 1]),
            },
        )
    for number, colour in enumerate(colours, start=1):
        b.columns(
            PRT_COLORANT_ENTRY,
            (*hr, number),
            {2: Integer32(1), 3: Integer32(3), 4: text(colour), 5: Integer32(256)},
        )
    b.cell((*PRT_CONSOLE_BUFFER_ENTRY, 2), (*hr, 1), text(state.console))
    # The alert table exists even when empty, so a GET there is noSuchInstance.
    b.declare(PRT_ALERT_ENTRY, range(2, 10))
    boot = state.t - state.uptime_s
    for alert in state.alerts:
        b.columns(
            PRT_ALERT_ENTRY,
            (*hr, alert.index),
            {
                2: Integer32(alert.severity),
                3: Integer32(3),  # untrained: a nurse can clear it
                4: Integer32(alert.group),
                5: Integer32(alert.group_index),
                6: Integer32(-2),  # location unknown
                7: Integer32(alert.code),
                8: text(alert.description),
                9: ticks(max(alert.since - boot, 0.0)),
            },
        )


def _tray_status(tray: Tray, level: int) -> int:
    """PrtSubUnitStatusTC: 0 available, +8 non-critical alert, +16 critical alert."""
    if not tray.feeds or level < 0:
        return 0
    if level == 0:
        return 16
    return 8 if level * 100 <= tray.low_percent * tray.capacity else 0


def _ups_mib(b: MibBuilder, spec: DeviceSpec, ups: UpsSpec, state: DeviceState) -> None:
    battery = state.battery
    assert battery is not None
    boot = state.t - state.uptime_s

    def scalar(suffix: Oid, value: object) -> None:
        b.scalar((*UPS, *suffix), value)

    scalar((1, 1), text(ups.manufacturer))
    scalar((1, 2), text(ups.model))
    scalar((1, 3), text(ups.firmware))
    scalar((1, 4), text(ups.agent_version))
    scalar((1, 5), text(spec.sys_name))
    scalar((1, 6), text(ups.attached_devices))
    scalar((2, 1), Integer32(battery.status))
    scalar((2, 2), Integer32(battery.seconds_on_battery))
    scalar((2, 3), Integer32(battery.minutes_remaining))
    scalar((2, 4), Integer32(battery.charge_percent))
    scalar((2, 5), Integer32(273 if not battery.on_battery else 240 + battery.charge_percent // 4))
    scalar((2, 7), Integer32(27))
    scalar((3, 1), Counter32(battery.mains_failures))
    scalar((3, 2), Integer32(1))
    b.columns((*UPS, 3, 3, 1), (1,), {2: Integer32(500), 3: Integer32(battery.input_volts)})
    scalar((4, 1), Integer32(battery.output_source))
    scalar((4, 2), Integer32(500))
    scalar((4, 3), Integer32(1))
    b.columns(
        (*UPS, 4, 4, 1),
        (1,),
        {
            2: Integer32(ups.nominal_volts),
            3: Integer32(ups.output_watts * 10 // ups.nominal_volts),
            4: Integer32(ups.output_watts),
            5: Integer32(ups.load_percent),
        },
    )
    b.declare((*UPS, 6, 2, 1), (2, 3))
    alarms = 0
    if battery.on_battery:
        alarms = 1
        since = state.t - battery.seconds_on_battery - boot
        b.columns(
            (*UPS, 6, 2, 1),
            (1,),
            {2: ObjectIdentifier(UPS_ALARM_ON_BATTERY), 3: ticks(max(since, 0.0))},
        )
    scalar((6, 1), Gauge32(alarms))
    if spec.enterprise == 318:  # APC PowerNet-MIB extras
        b.scalar((*APC_UPS, 1, 1, 1), text(ups.model))
        b.scalar((*APC_UPS, 1, 2, 3), text(spec.serial))
        b.scalar((*APC_UPS, 2, 2, 1), Gauge32(battery.charge_percent))
        b.scalar((*APC_UPS, 2, 2, 3), ticks(battery.minutes_remaining * 60))
        b.scalar((*APC_UPS, 4, 1, 1), Integer32(3 if battery.on_battery else 2))

"""The demo ward's life as a pure function of (seed, elapsed time): no sockets, no sleeping."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wardfleet.demo.schedule import PrintJobs, Recurring, Workload
from wardfleet.demo.specs import (
    HR_DEVICE_PRINTER,
    AlertCode,
    ErrorBit,
    HrDeviceStatus,
    HrPrinterStatus,
    SupplyClass,
    SupplyType,
    encode_error_state,
)
from wardfleet.demo.state import DeviceState
from wardfleet.demo.views import PRT_SUPPLIES_ENTRY
from wardfleet.demo.ward import DEFAULT_SEED, DEVICES, Ward
from wardfleet.domain.kinds import DeviceKind

JAMMING = "w7-nurses-laser"
FLAKY = "w7-bayb-laser"
COLOUR = "w7-office-colour"
MFD = "w7-reception-mfd"
WASTE = "w8-nurses-colour"
LABELS = "w7-treatment-labels"
UPS = "w7-comms-ups"


@pytest.fixture(scope="module")
def ward() -> Ward:
    return Ward(DEFAULT_SEED)


def _first(ward: Ward, name: str, until: float, predicate: Callable[[DeviceState], bool]) -> float:
    """The first whole second at which ``predicate(state)`` holds."""
    for t in range(int(until)):
        if predicate(ward.state_at(name, float(t))):
            return float(t)
    raise AssertionError(f"{name}: never happened before {until} s")


# --- the ward as a whole ---------------------------------------------------------------


def test_ward_has_distinct_physical_devices() -> None:
    assert len(DEVICES) >= 9
    for field in ("name", "serial", "mac", "sys_name"):
        values = [getattr(spec, field) for spec in DEVICES]
        assert len(set(values)) == len(values), field
    assert all(spec.location.startswith(("Ward 7 – ", "Ward 8 – ")) for spec in DEVICES)
    kinds = {spec.kind for spec in DEVICES}
    assert {
        DeviceKind.PRINTER,
        DeviceKind.MFD,
        DeviceKind.LABEL_PRINTER,
        DeviceKind.SCANNER,
        DeviceKind.MONITOR,
        DeviceKind.UPS,
    } <= kinds
    enterprises = {spec.vendor: spec.enterprise for spec in DEVICES}
    assert enterprises == {
        "HP": 11,
        "Ricoh": 367,
        "Brother": 2435,
        "Zebra": 10642,
        "Epson": 1248,
        "Mindray": 54260,
        "APC": 318,
        "Lexmark": 641,
    }


def test_same_seed_same_life_other_seed_other_times() -> None:
    a, b, c = Ward(1), Ward(1), Ward(2)
    times = [float(t) for t in range(0, 1800, 7)]
    for name in a.names:
        assert [a.state_at(name, t) for t in times] == [b.state_at(name, t) for t in times]
    jam_a, jam_c = a.model(JAMMING).jam, c.model(JAMMING).jam
    assert jam_a is not None and jam_c is not None
    assert [jam_a.start(k) for k in range(5)] != [jam_c.start(k) for k in range(5)]


def test_counters_never_go_backwards_and_levels_stay_in_range(ward: Ward) -> None:
    for name, spec in ward.specs.items():
        if spec.printer is None:
            continue
        previous = -1
        for t in range(0, 7200, 5):
            state = ward.state_at(name, float(t))
            if not state.online:
                continue
            assert state.pages >= previous, (name, t)
            previous = state.pages
            for supply, level in zip(spec.printer.supplies, state.supply_levels, strict=True):
                assert level in (-3, -2) or 0 <= level <= supply.capacity, (name, t, supply)
            for tray, level in zip(spec.printer.trays, state.tray_levels, strict=True):
                assert level in (-3, -2) or 0 <= level <= tray.capacity, (name, t, tray)


def test_printers_alternate_between_printing_and_idle(ward: Ward) -> None:
    for name, spec in ward.specs.items():
        if spec.printer is None:
            continue
        seen = {ward.state_at(name, float(t)).printer_status for t in range(0, 900, 2)}
        assert {HrPrinterStatus.PRINTING, HrPrinterStatus.IDLE} <= seen, name


# --- the paper jam ------------------------------------------------------------------------


def test_jam_appears_and_clears_on_schedule(ward: Ward) -> None:
    jam = ward.model(JAMMING).jam
    assert jam is not None
    assert jam.duration == 30
    for k in range(4):
        start = jam.start(k)
        before, during, after = (
            ward.state_at(JAMMING, t) for t in (start - 1, start + 15, start + jam.duration + 1)
        )
        assert not before.jammed and not after.jammed
        assert during.jammed
        assert ErrorBit.JAMMED in during.errors
        assert during.device_status is HrDeviceStatus.DOWN
        assert during.printer_status is HrPrinterStatus.OTHER
        assert during.console == "Paper jam in tray 2"
        (alert,) = [a for a in during.alerts if a.code is AlertCode.JAM]
        assert alert.description == "Paper jam in tray 2"
        assert alert.since == start
        assert ErrorBit.JAMMED not in after.errors
        assert all(a.code is not AlertCode.JAM for a in after.alerts)
        # A jammed printer prints nothing.
        assert ward.state_at(JAMMING, start + 1).pages == ward.state_at(JAMMING, start + 29).pages
    # "every few minutes", first one early in the demo
    assert 60 <= jam.start(0) <= 120
    assert jam.start(1) - jam.start(0) == pytest.approx(300, abs=jam.jitter)


def test_jam_alert_shows_in_the_mib(ward: Ward) -> None:
    jam = ward.model(JAMMING).jam
    assert jam is not None
    view = ward.view_at(JAMMING, jam.start(0) + 5)
    assert view is not None
    rows = {oid: value for oid, value in view if oid[:10] == (1, 3, 6, 1, 2, 1, 43, 18, 1, 1)}
    descriptions = [bytes(v).decode() for oid, v in rows.items() if oid[10] == 8]
    assert descriptions == ["Paper jam in tray 2"]
    error_state = view.get((1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1))
    assert bytes(error_state)[0] & 0x04  # jammed is bit 5
    assert int(view.get((1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 5, 1))) == HrDeviceStatus.DOWN


# --- the printer that goes offline --------------------------------------------------------


def test_offline_printer_drops_out_and_comes_back_rebooted(ward: Ward) -> None:
    model = ward.model(FLAKY)
    outage = model.outage
    assert outage is not None and outage.duration == 40
    for k in range(3):
        start = outage.start(k)
        end = start + outage.duration
        assert ward.state_at(FLAKY, start - 1).online
        assert not ward.state_at(FLAKY, start + 1).online
        assert ward.view_at(FLAKY, start + 20) is None
        assert not ward.state_at(FLAKY, end - 0.5).online
        back = ward.state_at(FLAKY, end + 2)
        assert back.online
        assert back.uptime_s == pytest.approx(2)
        assert back.printer_status is HrPrinterStatus.WARMUP
        assert ward.state_at(FLAKY, end + 30).printer_status is not HrPrinterStatus.WARMUP
    assert 150 <= outage.start(0) <= 180
    assert outage.period == 300


# --- supplies and trays -------------------------------------------------------------------


def test_toner_runs_out_and_is_replaced(ward: Ward) -> None:
    black = 0
    low = _first(ward, COLOUR, 600, lambda s: ErrorBit.LOW_TONER in s.errors)
    empty = _first(ward, COLOUR, 900, lambda s: s.supply_levels[black] == 0)
    replaced = _first(ward, COLOUR, 1200, lambda s: s.supply_swaps[black] == 1)
    assert low < empty < replaced < 900  # within 15 minutes at speed 1
    assert ErrorBit.NO_TONER in ward.state_at(COLOUR, empty).errors
    assert ward.state_at(COLOUR, replaced).supply_levels[black] == 100
    assert not ward.state_at(COLOUR, replaced).errors & {ErrorBit.LOW_TONER, ErrorBit.NO_TONER}


def test_tray_runs_low_then_empty_then_is_refilled(ward: Ward) -> None:
    tray1 = 0
    low = _first(ward, MFD, 900, lambda s: ErrorBit.LOW_PAPER in s.errors)
    empty = _first(ward, MFD, 900, lambda s: s.tray_levels[tray1] == 0)
    refilled = _first(ward, MFD, 1200, lambda s: s.refills == 1)
    assert low < empty < refilled
    at_empty = ward.state_at(MFD, empty)
    assert ErrorBit.INPUT_TRAY_EMPTY in at_empty.errors
    assert {a.description for a in at_empty.alerts} >= {"Tray 1 empty"}
    assert not at_empty.out_of_paper  # tray 2 takes over
    after = ward.state_at(MFD, refilled)
    assert after.tray_levels[tray1] == 250
    assert not after.errors & {ErrorBit.LOW_PAPER, ErrorBit.INPUT_TRAY_EMPTY}


def test_label_printer_stops_when_the_roll_runs_out(ward: Ward) -> None:
    out = _first(ward, LABELS, 900, lambda s: s.out_of_paper)
    state = ward.state_at(LABELS, out + 10)
    assert state.device_status is HrDeviceStatus.DOWN
    assert {ErrorBit.NO_PAPER, ErrorBit.INPUT_TRAY_EMPTY} <= state.errors
    assert state.pages == ward.state_at(LABELS, out + 60).pages  # no labels, no printing
    assert ward.specs[LABELS].printer is not None
    assert all(s.type is not SupplyType.TONER for s in ward.specs[LABELS].printer.supplies)


def test_waste_toner_box_fills_and_is_swapped(ward: Ward) -> None:
    spec = ward.specs[WASTE]
    assert spec.printer is not None
    (box,) = [
        i for i, s in enumerate(spec.printer.supplies) if s.supply_class is SupplyClass.RECEPTACLE
    ]
    assert spec.printer.supplies[box].type is SupplyType.WASTE_TONER
    levels = [ward.state_at(WASTE, float(t)).supply_levels[box] for t in range(0, 480, 10)]
    assert levels == sorted(levels) and levels[-1] > levels[0]  # rises while printing
    full = _first(ward, WASTE, 1200, lambda s: s.supply_levels[box] == 100)
    swapped = _first(ward, WASTE, 1800, lambda s: s.supply_swaps[box] == 1)
    assert full < swapped
    assert ward.state_at(WASTE, swapped).supply_levels[box] < 5
    view = ward.view_at(WASTE, 10.0)
    assert view is not None
    index = (1, box + 1)
    assert int(view.get((*PRT_SUPPLIES_ENTRY, 4, *index))) == 4  # receptacleThatIsFilled
    assert int(view.get((*PRT_SUPPLIES_ENTRY, 5, *index))) == 4  # wasteToner


def test_brother_reports_special_values(ward: Ward) -> None:
    view = ward.view_at(FLAKY, 10.0)
    assert view is not None
    assert int(view.get((*PRT_SUPPLIES_ENTRY, 8, 1, 1))) == -2  # capacity unknown
    assert int(view.get((*PRT_SUPPLIES_ENTRY, 9, 1, 1))) == -3  # some remaining
    drum_then = int(view.get((*PRT_SUPPLIES_ENTRY, 9, 1, 2)))
    later = ward.view_at(FLAKY, 1000.0)
    assert later is not None
    assert int(later.get((*PRT_SUPPLIES_ENTRY, 9, 1, 2))) < drum_then


def test_ups_goes_on_battery_and_recharges(ward: Ward) -> None:
    failures = ward.model(UPS).mains_failures
    assert failures is not None
    mains = failures.start(0)
    restored = mains + failures.duration
    before = ward.state_at(UPS, mains - 1).battery
    assert before is not None and not before.on_battery
    during = ward.state_at(UPS, mains + 100).battery
    assert during is not None and during.output_source == 5
    assert during.charge_percent < 100
    assert during.minutes_remaining < 48
    after = ward.state_at(UPS, restored + 1).battery
    assert after is not None and after.output_source == 3 and after.charge_percent < 100
    later = ward.state_at(UPS, restored + 900).battery
    assert later is not None and later.charge_percent == 100


# --- building blocks ----------------------------------------------------------------------


def test_error_state_bits_use_msb_first() -> None:
    assert encode_error_state(frozenset()) == b"\x00"
    assert encode_error_state(frozenset({ErrorBit.LOW_PAPER})) == b"\x80"
    assert encode_error_state(frozenset({ErrorBit.JAMMED})) == b"\x04"
    assert encode_error_state(frozenset({ErrorBit.INPUT_TRAY_EMPTY})) == b"\x00\x04"
    assert encode_error_state(frozenset({ErrorBit.LOW_TONER, ErrorBit.OVERDUE_PREVENT_MAINT})) == (
        b"\x20\x02"
    )


def test_recurring_windows() -> None:
    w = Recurring(first=100, period=300, duration=30)
    assert not w.active(99.9) and w.active(100) and w.active(129.9) and not w.active(130)
    assert w.started(99) == 0 and w.started(100) == 1 and w.started(401) == 2
    assert w.covered(100) == 0 and w.covered(115) == 15 and w.covered(500) == 60
    assert w.next_start(0) == 100 and w.next_start(100) == 400
    with pytest.raises(ValueError, match="overlap"):
        Recurring(first=0, period=30, duration=20, jitter=10)


def test_print_jobs_are_monotonic_and_periodic() -> None:
    jobs = PrintJobs(Workload(ppm=30, slot_s=40, busy=0.5, max_pages=10), seed=3, key="x")
    pages = [jobs.pages(t / 2) for t in range(0, 2 * 40 * 70)]
    assert pages == sorted(pages)
    cycle = PrintJobs.PATTERN * 40
    assert jobs.pages(cycle + 7) - jobs.pages(7) == jobs.pages(cycle)


def test_printer_hr_device_is_index_one() -> None:
    for spec in DEVICES:
        if spec.printer is not None:
            assert spec.hr_devices[0].type_oid == HR_DEVICE_PRINTER, spec.name

"""What a simulated device looks like at elapsed time t: a pure function of (spec, seed, t).

The model, in one paragraph: a printer's job pattern gives pages printed against a
"working clock" that stops while the printer is jammed or switched off. Paper comes
out of the feeding trays in order; when they are all empty, jobs are lost until the
next scheduled refill. Supplies fall (or waste boxes fill) with pages, and are
swapped a few pages after reaching empty (or full). Alerts, error bits and
statuses are derived from those levels, never stored.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from wardfleet.demo.schedule import PrintJobs, Recurring, unit
from wardfleet.demo.specs import (
    AlertCode,
    AlertGroup,
    AlertSeverity,
    DeviceSpec,
    ErrorBit,
    HrDeviceStatus,
    HrPrinterStatus,
    PrinterSpec,
    Supply,
    SupplyClass,
    SupplyType,
    UpsSpec,
)

WARMUP_S = 20.0  # a printer warms up this long after being switched back on
IDLE_IN_OCTETS_PER_S = 220  # ARP, mDNS, polls: a device is never quite silent
IDLE_OUT_OCTETS_PER_S = 90

_TONERS = frozenset({SupplyType.TONER, SupplyType.TONER_CARTRIDGE})


@dataclass(frozen=True)
class Alert:
    """A row of prtAlertTable while its condition lasts."""

    index: int
    severity: AlertSeverity
    group: AlertGroup
    group_index: int
    code: AlertCode
    description: str
    since: float  # elapsed seconds when the condition began


@dataclass(frozen=True)
class Battery:
    on_battery: bool
    seconds_on_battery: int
    charge_percent: int
    minutes_remaining: int
    status: int  # upsBatteryStatus: 2 normal, 3 low
    output_source: int  # upsOutputSource: 3 normal, 5 battery
    input_volts: int
    mains_failures: int  # upsInputLineBads


@dataclass(frozen=True)
class DeviceState:
    t: float
    online: bool
    uptime_s: float = 0.0
    device_status: HrDeviceStatus = HrDeviceStatus.RUNNING
    printer_status: HrPrinterStatus | None = None
    errors: frozenset[ErrorBit] = frozenset()
    jammed: bool = False
    out_of_paper: bool = False
    pages: int = 0  # prtMarkerLifeCount
    pages_since_boot: int = 0  # prtMarkerPowerOnCount
    supply_levels: tuple[int, ...] = ()
    supply_swaps: tuple[int, ...] = ()  # how many times each part has been replaced
    tray_levels: tuple[int, ...] = ()
    refills: int = 0
    jams: int = 0  # jams so far (hrDeviceErrors)
    alerts: tuple[Alert, ...] = ()
    console: str = ""
    battery: Battery | None = None
    octets_in: int = 0
    octets_out: int = 0


def supply_level(supply: Supply, pages: int) -> tuple[int, int]:
    """(level, swaps) after ``pages`` pages since the start of the demo."""
    if not supply.moves or supply.pages_per_unit is None:
        return supply.level, 0
    per_unit = supply.pages_per_unit
    cycle = supply.capacity * per_unit + supply.hold_pages
    consumed = supply.supply_class is SupplyClass.CONSUMED
    filled_at_start = supply.capacity - supply.level if consumed else supply.level
    swaps, position = divmod(filled_at_start * per_unit + pages, cycle)
    used = min(position / per_unit, supply.capacity)
    if consumed:
        return math.ceil(supply.capacity - used - 1e-9), int(swaps)
    return math.floor(used + 1e-9), int(swaps)


def _is_low(supply: Supply, level: int) -> bool:
    if supply.supply_class is SupplyClass.RECEPTACLE:
        return level * 100 >= (100 - supply.low_percent) * supply.capacity
    return level * 100 <= supply.low_percent * supply.capacity


def _is_out(supply: Supply, level: int) -> bool:
    if supply.supply_class is SupplyClass.RECEPTACLE:
        return level >= supply.capacity
    return level <= 0


class DeviceModel:
    """A device spec bound to a seed; ``state_at`` is pure and cheap (O(1) for most devices)."""

    def __init__(self, spec: DeviceSpec, seed: int) -> None:
        self.spec = spec
        self.seed = seed
        name = spec.name
        self.outage = spec.outage.seeded(seed, f"{name}/outage") if spec.outage else None
        self._printer = (
            _PrinterModel(spec.printer, seed, name, self.outage) if spec.printer else None
        )
        self._ups = _UpsModel(spec.ups, seed, name) if spec.ups else None

    @property
    def jam(self) -> Recurring | None:
        """When this printer jams (seeded)."""
        return self._printer.jam if self._printer is not None else None

    @property
    def refill(self) -> Recurring | None:
        """When someone refills its feeding trays (seeded)."""
        return self._printer.refill if self._printer is not None else None

    @property
    def mains_failures(self) -> Recurring | None:
        return self._ups.mains if self._ups is not None else None

    def online(self, t: float) -> bool:
        return self.outage is None or not self.outage.active(t)

    def boot_time(self, t: float) -> float:
        """Elapsed time of the last boot: negative if it was up before the demo started."""
        if self.outage is not None:
            outages = self.outage.started(t)
            if outages:
                return self.outage.start(outages - 1) + self.outage.duration
        return -float(self.spec.uptime_at_start_s)

    def state_at(self, t: float) -> DeviceState:
        if not self.online(t):
            return DeviceState(t=t, online=False, device_status=HrDeviceStatus.DOWN)
        boot = self.boot_time(t)
        up = t - max(boot, 0.0)
        octets_in = int(up * IDLE_IN_OCTETS_PER_S)
        octets_out = int(up * IDLE_OUT_OCTETS_PER_S)
        uptime_s = t - boot
        if self._printer is not None:
            state = self._printer.state_at(t, boot, uptime_s)
            octets_in += state.pages_since_boot * self._printer.spec.bytes_per_page
        elif self._ups is not None:
            state = DeviceState(t=t, online=True, battery=self._ups.battery_at(t))
        else:
            state = DeviceState(t=t, online=True)
        base = self.spec.base_octets if boot < 0 else 0
        return replace(
            state,
            uptime_s=uptime_s,
            octets_in=(base + octets_in) % 2**32,
            octets_out=(base // 3 + octets_out) % 2**32,
        )


class _PrinterModel:
    def __init__(self, spec: PrinterSpec, seed: int, name: str, outage: Recurring | None) -> None:
        self.spec = spec
        self.jobs = PrintJobs(spec.workload, seed, name)
        self.jam = spec.jam.windows.seeded(seed, f"{name}/jam") if spec.jam else None
        self.refill = spec.refill.seeded(seed, f"{name}/refill") if spec.refill else None
        self.outage = outage
        if self.jam is not None and outage is not None:
            raise ValueError(f"{name}: a jam and an outage could overlap; pick one")
        self.feeding = [i for i, tray in enumerate(spec.trays) if tray.feeds]
        if any(spec.trays[i].level < 0 for i in self.feeding):
            raise ValueError(f"{name}: feeding trays need real levels")
        if self.feeding and self.refill is None:
            raise ValueError(f"{name}: feeding trays need a refill schedule")
        self._lost_before: list[int] = [0]  # pages lost to empty trays before refill k

    # --- pages -------------------------------------------------------------------------

    def _paused(self, t: float) -> float:
        """Time the working clock stood still (jammed, or switched off) before t."""
        if self.jam is not None:
            return self.jam.covered(t)
        if self.outage is not None:
            return self.outage.covered(t)
        return 0.0

    def raw_pages(self, t: float) -> int:
        return self.jobs.pages(t - self._paused(t))

    def _cycle_bounds(self, k: int) -> tuple[float, float, int]:
        """(start, end, sheets loaded at start) of refill cycle k.

        Cycle 0 runs from the start of the demo to the first refill.
        """
        assert self.refill is not None
        trays = self.spec.trays
        if k == 0:
            return 0.0, self.refill.start(0), sum(trays[i].level for i in self.feeding)
        paper = sum(trays[i].capacity for i in self.feeding)
        return self.refill.start(k - 1), self.refill.start(k), paper

    def _lost_before_cycle(self, k: int) -> int:
        """Pages of jobs lost (no paper) in cycles before k; memoised, as cycles never change."""
        lost = self._lost_before
        while len(lost) <= k:
            start, end, paper = self._cycle_bounds(len(lost) - 1)
            wanted = self.raw_pages(end) - self.raw_pages(start)
            lost.append(lost[-1] + max(0, wanted - paper))
        return lost[k]

    def paper(self, t: float) -> tuple[int, int, int, bool]:
        """(pages since the start, refill cycle, sheets drawn in it, out of paper)."""
        raw = self.raw_pages(t)
        if self.refill is None:
            return raw, 0, 0, False
        k = self.refill.started(t)
        start, _, paper = self._cycle_bounds(k)
        wanted = raw - self.raw_pages(start)
        lost = self._lost_before_cycle(k) + max(0, wanted - paper)
        return raw - lost, k, min(wanted, paper), wanted >= paper

    def pages(self, t: float) -> int:
        return self.paper(t)[0]

    # --- levels ------------------------------------------------------------------------

    def tray_levels(self, t: float) -> tuple[tuple[int, ...], int]:
        levels = [tray.level for tray in self.spec.trays]
        _, k, drawn, _ = self.paper(t)
        for i in self.feeding:
            tray = self.spec.trays[i]
            full = tray.capacity if k else tray.level
            take = min(drawn, full)
            levels[i] = full - take
            drawn -= take
        return tuple(levels), k

    # --- state -------------------------------------------------------------------------

    def state_at(self, t: float, boot: float, uptime_s: float) -> DeviceState:
        spec = self.spec
        pages, _, _, out_of_paper = self.paper(t)
        supplies = [supply_level(s, pages) for s in spec.supplies]
        trays, refills = self.tray_levels(t)
        jam_k = self.jam.index_at(t) if self.jam is not None else None
        jammed = jam_k is not None
        busy = not jammed and not out_of_paper and self.jobs.busy(t - self._paused(t))

        alerts: list[Alert] = []
        errors: set[ErrorBit] = set()
        if jam_k is not None and self.jam is not None and spec.jam is not None:
            errors.add(ErrorBit.JAMMED)
            alerts.append(
                Alert(
                    index=_alert_index(jam_k + 1, 1),
                    severity=AlertSeverity.CRITICAL,
                    group=AlertGroup.INPUT,
                    group_index=spec.jam.tray,
                    code=AlertCode.JAM,
                    description=f"Paper jam in tray {spec.jam.tray}",
                    since=self.jam.start(jam_k),
                )
            )
        self._supply_alerts(t, supplies, alerts, errors)
        self._tray_alerts(t, trays, refills, out_of_paper, alerts, errors)

        critical = jammed or out_of_paper
        if critical:
            device_status, printer_status = HrDeviceStatus.DOWN, HrPrinterStatus.OTHER
        else:
            device_status = HrDeviceStatus.WARNING if alerts else HrDeviceStatus.RUNNING
            if boot >= 0 and uptime_s < WARMUP_S:
                printer_status = HrPrinterStatus.WARMUP
            else:
                printer_status = HrPrinterStatus.PRINTING if busy else HrPrinterStatus.IDLE
        return DeviceState(
            t=t,
            online=True,
            device_status=device_status,
            printer_status=printer_status,
            errors=frozenset(errors),
            jammed=jammed,
            out_of_paper=out_of_paper,
            pages=spec.base_pages + pages,
            pages_since_boot=self._pages_since_boot(pages, boot),
            supply_levels=tuple(level for level, _ in supplies),
            supply_swaps=tuple(swaps for _, swaps in supplies),
            tray_levels=trays,
            refills=refills,
            jams=self.jam.started(t) if self.jam is not None else 0,
            alerts=tuple(sorted(alerts, key=lambda a: a.index)),
            console=self._console(jam_k, out_of_paper, printer_status),
        )

    def _pages_since_boot(self, pages: int, boot: float) -> int:
        if boot > 0:
            return pages - self.pages(boot)
        return pages + self.spec.base_pages // 40  # it was on before the demo began

    def _supply_alerts(
        self,
        t: float,
        supplies: list[tuple[int, int]],
        alerts: list[Alert],
        errors: set[ErrorBit],
    ) -> None:
        for i, (level, swaps) in enumerate(supplies):
            supply = self.spec.supplies[i]
            if not supply.moves or not _is_low(supply, level):
                continue
            out = _is_out(supply, level)
            code, severity, text = _supply_alert(supply, out)
            if supply.type in _TONERS:
                errors.add(ErrorBit.NO_TONER if out else ErrorBit.LOW_TONER)
            if out and supply.type in (SupplyType.WASTE_TONER, SupplyType.OPC):
                errors.add(ErrorBit.SERVICE_REQUESTED)
            check = _is_out if out else _is_low

            def holds(
                when: float,
                supply: Supply = supply,
                swaps: int = swaps,
                check: Callable[[Supply, int], bool] = check,
            ) -> bool:
                level_then, swaps_then = supply_level(supply, self.pages(when))
                return swaps_then == swaps and check(supply, level_then)

            alerts.append(
                Alert(
                    index=_alert_index(swaps + 1, (16 if out else 8) + i),
                    severity=severity,
                    group=AlertGroup.MARKER_SUPPLIES,
                    group_index=i + 1,
                    code=code,
                    description=text,
                    since=_onset(t, holds),
                )
            )

    def _tray_alerts(
        self,
        t: float,
        trays: tuple[int, ...],
        refills: int,
        out_of_paper: bool,
        alerts: list[Alert],
        errors: set[ErrorBit],
    ) -> None:
        if out_of_paper:
            errors.add(ErrorBit.NO_PAPER)
        for i in self.feeding:
            tray = self.spec.trays[i]
            low_mark = tray.low_percent * tray.capacity
            if trays[i] * 100 > low_mark:
                continue
            empty = trays[i] <= 0
            errors.add(ErrorBit.INPUT_TRAY_EMPTY if empty else ErrorBit.LOW_PAPER)
            mark = 0 if empty else low_mark

            def holds(when: float, i: int = i, mark: int = mark) -> bool:
                levels, cycle = self.tray_levels(when)
                return cycle == refills and levels[i] * 100 <= mark

            alerts.append(
                Alert(
                    index=_alert_index(refills + 1, (32 if empty else 24) + i),
                    # An empty tray is critical only when no other tray can feed.
                    severity=AlertSeverity.CRITICAL if out_of_paper else AlertSeverity.WARNING,
                    group=AlertGroup.INPUT,
                    group_index=i + 1,
                    code=(
                        AlertCode.INPUT_MEDIA_SUPPLY_EMPTY
                        if empty
                        else AlertCode.INPUT_MEDIA_SUPPLY_LOW
                    ),
                    description=f"{tray.name} empty" if empty else f"{tray.name} low",
                    since=_onset(t, holds),
                )
            )

    def _console(self, jam_k: int | None, out_of_paper: bool, status: HrPrinterStatus) -> str:
        if jam_k is not None and self.spec.jam is not None:
            return f"Paper jam in tray {self.spec.jam.tray}"
        if out_of_paper:
            first = self.spec.trays[self.feeding[0]]
            return f"Load {first.name} [{first.media}]"
        return {
            HrPrinterStatus.WARMUP: "Warming up",
            HrPrinterStatus.PRINTING: "Printing...",
        }.get(status, "Ready")


def _supply_alert(supply: Supply, out: bool) -> tuple[AlertCode, AlertSeverity, str]:
    name = supply.description
    if supply.supply_class is SupplyClass.RECEPTACLE:
        if out:
            return AlertCode.MARKER_WASTE_TONER_FULL, AlertSeverity.CRITICAL, f"{name} full"
        return (
            AlertCode.MARKER_WASTE_TONER_ALMOST_FULL,
            AlertSeverity.WARNING,
            f"{name} nearly full",
        )
    if supply.type is SupplyType.RIBBON_WAX:
        if out:
            return AlertCode.MARKER_PRINT_RIBBON_EMPTY, AlertSeverity.CRITICAL, f"{name} out"
        return AlertCode.MARKER_PRINT_RIBBON_ALMOST_EMPTY, AlertSeverity.WARNING, f"{name} low"
    if supply.type is SupplyType.OPC:
        return (
            AlertCode.MARKER_OPC_LIFE_ALMOST_OVER,
            AlertSeverity.WARNING,
            f"{name} near end of life",
        )
    if out:
        # Lasers keep printing past "empty" (HP: "very low"), so this stays a warning.
        return AlertCode.MARKER_TONER_EMPTY, AlertSeverity.WARNING, f"{name} very low"
    return AlertCode.MARKER_TONER_ALMOST_EMPTY, AlertSeverity.WARNING, f"{name} low"


def _alert_index(occurrence: int, slot: int) -> int:
    """prtAlertIndex: stable while a condition lasts, new (and larger) for the next one."""
    return occurrence * 64 + slot


def _onset(t: float, holds: Callable[[float], bool], resolution: float = 0.25) -> float:
    """Earliest time <= t from which ``holds`` stayed true (it must be false-then-true)."""
    if holds(0.0):
        return 0.0
    low, high = 0.0, t
    while high - low > resolution:
        middle = (low + high) / 2
        if holds(middle):
            high = middle
        else:
            low = middle
    return high


class _UpsModel:
    def __init__(self, spec: UpsSpec, seed: int, name: str) -> None:
        self.spec = spec
        self.seed = seed
        self.name = name
        self.mains = spec.mains_failures.seeded(seed, f"{name}/mains")
        drained = spec.discharge_pct_per_s * self.mains.duration
        quiet = self.mains.period - self.mains.duration - self.mains.jitter
        if drained / spec.recharge_pct_per_s > quiet:
            raise ValueError(f"{name}: the battery would never recharge between failures")

    def battery_at(self, t: float) -> Battery:
        spec, mains = self.spec, self.mains
        k = mains.index_at(t)
        on_battery = 0.0
        if k is not None:
            on_battery = t - mains.start(k)
            charge = 100.0 - spec.discharge_pct_per_s * on_battery
        elif (failures := mains.started(t)) > 0:
            restored = mains.start(failures - 1) + mains.duration
            drained = spec.discharge_pct_per_s * mains.duration
            charge = min(100.0, 100.0 - drained + spec.recharge_pct_per_s * (t - restored))
        else:
            charge = 100.0
        minutes = round(spec.runtime_full_min * charge / 100)
        wobble = unit(self.seed, self.name, "volts", int(t // 10))
        return Battery(
            on_battery=k is not None,
            seconds_on_battery=int(on_battery),
            charge_percent=int(charge),
            minutes_remaining=minutes,
            status=3 if minutes < 10 else 2,
            output_source=5 if k is not None else 3,
            input_volts=0 if k is not None else spec.nominal_volts - 2 + int(wobble * 5),
            mains_failures=mains.started(t),
        )

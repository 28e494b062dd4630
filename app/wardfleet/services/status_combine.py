"""One status from SNMP's, IPP's and eSCL's answers about the same device.

The rule (docs/ipp.md): IPP's printer-state and state reasons are exact, so they decide
the state, the device's own message and its alerts; SNMP's Printer MIB has the counters
and the richer supply and tray tables, so those come from SNMP when it has them. What one
protocol lacks is filled from the other, and ``DeviceStatus.sources`` says who gave what.
A protocol that did not answer adds a read error, and the other one's answer stands.

eSCL speaks only for the scanner, so it is folded into the printing status, never
replacing it: the device's state is the more urgent of the two (an MFD that prints but
whose scanner is Down is in ERROR, with the alert "Scanner down"; a scanning MFD is
BUSY), the scanner's alerts and feeder error bits are added, and ``sources`` gets
``"scanner": "escl"`` (plus ``"state": "escl"`` when the scanner decided the state). A
scanner that answers nothing else gets eSCL's status as it is; an eSCL that did not
answer or could not be read adds a read error and changes nothing else.
"""

from __future__ import annotations

from dataclasses import replace

from wardfleet.domain.kinds import DeviceState
from wardfleet.domain.status import DeviceStatus, TableError

SNMP, IPP, ESCL = "snmp", "ipp", "escl"


def _tagged(status: DeviceStatus, source: str) -> DeviceStatus:
    """The alerts and read errors of ``status`` with their source filled in."""
    return replace(
        status,
        alerts=tuple(a if a.source else replace(a, source=source) for a in status.alerts),
        errors=tuple(e if e.source else replace(e, source=source) for e in status.errors),
    )


def _failure(status: DeviceStatus, source: str) -> tuple[TableError, ...]:
    reason = status.errors[0].message if status.errors else "no answer"
    return (TableError(source, reason, source),)


def combine(
    snmp: DeviceStatus | None, ipp: DeviceStatus | None, escl: DeviceStatus | None = None
) -> DeviceStatus:
    """The device's status from what each protocol said (None: not asked)."""
    if snmp is None and ipp is None:
        if escl is None:
            raise ValueError("nothing to combine")
        return escl
    printing = _combine_printing(snmp, ipp)
    if escl is None:
        return printing
    return fold_scanner(printing, escl, (SNMP if ipp is None else IPP if snmp is None else ""))


def _combine_printing(snmp: DeviceStatus | None, ipp: DeviceStatus | None) -> DeviceStatus:
    if snmp is None or ipp is None:
        only = snmp or ipp
        assert only is not None
        return only
    snmp, ipp = _tagged(snmp, SNMP), _tagged(ipp, IPP)
    if not ipp.reachable and not snmp.reachable:
        return replace(snmp, errors=(*snmp.errors, *ipp.errors), sources={"state": SNMP})
    if not ipp.reachable:
        return replace(snmp, errors=(*snmp.errors, *_failure(ipp, IPP)), sources={"state": SNMP})
    if not snmp.reachable:
        return replace(ipp, errors=(*ipp.errors, *_failure(snmp, SNMP)), sources={"state": IPP})

    sources = {"state": IPP, "device_status": IPP, "alerts": IPP}
    supplies, sources["supplies"] = (snmp.supplies, SNMP) if snmp.supplies else (ipp.supplies, IPP)
    trays, sources["trays"] = (snmp.trays, SNMP) if snmp.trays else (ipp.trays, IPP)
    pages, sources["page_count"] = (
        (snmp.page_count, SNMP) if snmp.page_count is not None else (ipp.page_count, IPP)
    )
    uptime, sources["uptime_s"] = (
        (snmp.uptime_s, SNMP) if snmp.uptime_s is not None else (ipp.uptime_s, IPP)
    )
    # Neither said: nobody is the source.
    for key, value in (("supplies", supplies), ("trays", trays), ("page_count", pages),
                       ("uptime_s", uptime)):  # fmt: skip
        if value in (None, ()):
            del sources[key]
    # SNMP's alert table often repeats IPP's reasons in other words: keep SNMP's only
    # when IPP reports none, so one jam is one alert.
    alerts = ipp.alerts or snmp.alerts
    if not ipp.alerts and snmp.alerts:
        sources["alerts"] = SNMP
    return DeviceStatus(
        state=ipp.state,
        polled_at=max(snmp.polled_at, ipp.polled_at),
        reachable=True,
        latency_ms=snmp.latency_ms if snmp.latency_ms is not None else ipp.latency_ms,
        device_status=ipp.device_status or snmp.device_status,
        printer_status=ipp.printer_status or snmp.printer_status,
        error_bits=snmp.error_bits,
        supplies=supplies,
        trays=trays,
        alerts=alerts,
        page_count=pages,
        uptime_s=uptime,
        errors=(*snmp.errors, *ipp.errors),
        sources=sources,
    )


def _fold_state(printing: DeviceState, scanner: DeviceState) -> DeviceState:
    """The more urgent of the two; a scanner in use makes an idle device busy, and a
    scanner whose state is unknown says nothing about the device."""
    if scanner in (DeviceState.WARNING, DeviceState.ERROR) and scanner.urgency > printing.urgency:
        return scanner
    if scanner is DeviceState.BUSY and printing is DeviceState.OK:
        return scanner
    return printing


def fold_scanner(printing: DeviceStatus, escl: DeviceStatus, printing_source: str) -> DeviceStatus:
    """``printing`` (SNMP and/or IPP) with eSCL's word on the scanner folded in.

    ``printing_source``: the one protocol ``printing`` came from, or "" when it was
    already combined (its ``sources`` then say who gave what).
    """
    escl = _tagged(escl, ESCL)
    sources = dict(printing.sources)
    if not sources and printing_source:
        # One protocol said everything so far; now that eSCL adds to it, name it.
        sources = {"state": printing_source}
        if printing.alerts:
            sources["alerts"] = printing_source
    if not escl.reachable or (escl.state is DeviceState.UNKNOWN and not escl.alerts):
        # No answer, or one we could not read: a read error, the rest stands.
        errors = escl.errors if escl.reachable else _failure(escl, ESCL)
        return replace(printing, errors=(*printing.errors, *errors), sources=sources)
    if not printing.reachable:
        # The scanner answered although printing did not: the device is there.
        return replace(
            escl,
            errors=(*printing.errors, *escl.errors),
            sources={"state": ESCL, "scanner": ESCL},
        )
    state = _fold_state(printing.state, escl.state)
    sources["scanner"] = ESCL
    if state is not printing.state:
        sources["state"] = ESCL
    if escl.alerts and not printing.alerts:
        sources["alerts"] = ESCL
    if printing.device_status is None and escl.device_status is not None:
        sources["device_status"] = ESCL
    bits = (*printing.error_bits, *(b for b in escl.error_bits if b not in printing.error_bits))
    return replace(
        printing,
        state=state,
        polled_at=max(printing.polled_at, escl.polled_at),
        device_status=printing.device_status or escl.device_status,
        error_bits=bits,
        alerts=(*printing.alerts, *escl.alerts),
        errors=(*printing.errors, *escl.errors),
        sources=sources,
    )

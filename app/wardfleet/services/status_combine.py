"""One status from SNMP's and IPP's answers about the same printer.

The rule (docs/ipp.md): IPP's printer-state and state reasons are exact, so they decide
the state, the device's own message and its alerts; SNMP's Printer MIB has the counters
and the richer supply and tray tables, so those come from SNMP when it has them. What one
protocol lacks is filled from the other, and ``DeviceStatus.sources`` says who gave what.
A protocol that did not answer adds a read error, and the other one's answer stands.
"""

from __future__ import annotations

from dataclasses import replace

from wardfleet.domain.status import DeviceStatus, TableError

SNMP, IPP = "snmp", "ipp"


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


def combine(snmp: DeviceStatus | None, ipp: DeviceStatus | None) -> DeviceStatus:
    """The device's status from what each protocol said (None: not asked)."""
    if snmp is None and ipp is None:
        raise ValueError("nothing to combine")
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

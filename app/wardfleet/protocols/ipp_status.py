"""Printer and job attributes → domain objects: DeviceStatus, Observation, jobs.

Pure functions over decoded attributes, so every rule is tested without a printer.

Supply levels: ``printer-supply`` follows Printer-MIB (RFC 3805), so its numbers pass
through unchanged. ``marker-levels`` has its own special values: -1 "unavailable" (not
Printer-MIB's "other/unlimited"!), -2 "unknown", -3 "some remaining". -1 therefore becomes
``level=None`` (shown as unknown), -2 and -3 keep their Printer-MIB meanings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from wardfleet.domain.identity import Identity, normalise_uuid
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.domain.status import DeviceAlert, DeviceStatus, Severity, Supply, TableError, Tray
from wardfleet.domain.vendors import ENTERPRISE_VENDORS
from wardfleet.protocols.ipp_codec import Attribute, DateTime, TextLang
from wardfleet.protocols.ipp_spec import (
    JOB_STATE_WORDS,
    JOB_STATES,
    PRINTER_STATES,
    overall_state,
    reason_words,
    split_reason,
)

SOURCE = "ipp"

STATUS_ATTRIBUTES = (
    "printer-state", "printer-state-reasons", "printer-state-message",
    "printer-is-accepting-jobs", "queued-job-count", "printer-up-time",
    "printer-uuid", "printer-device-id", "printer-make-and-model", "printer-name",
    "printer-location", "printer-info", "printer-supply", "printer-supply-description",
    "marker-names", "marker-levels", "marker-colors", "marker-types", "marker-low-levels",
    "marker-high-levels", "printer-input-tray", "document-format-supported",
    "operations-supported", "printer-impressions-completed", "media-default",
    "pwg-raster-document-resolution-supported", "pwg-raster-document-type-supported",
    "urf-supported", "printer-uri-supported",
)  # fmt: skip

JOB_ATTRIBUTES = (
    "job-id", "job-state", "job-state-reasons", "job-originating-user-name",
    "job-k-octets", "job-impressions-completed", "date-time-at-creation",
    "date-time-at-completed", "document-format",
)  # fmt: skip
# Asked for only when the desktop shows job names: they often hold patient names.
PRIVATE_JOB_ATTRIBUTES = ("job-name", "document-name", "document-name-supplied")

Attrs = Mapping[str, Attribute]


# --- small readers -------------------------------------------------------------------------


def text(attrs: Attrs, name: str) -> str | None:
    attr = attrs.get(name)
    if attr is None:
        return None
    value = attr.first
    if isinstance(value, TextLang):
        return value.text
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else None


def texts(attrs: Attrs, name: str) -> list[str]:
    attr = attrs.get(name)
    out: list[str] = []
    for value in attr.all() if attr else ():
        if isinstance(value, TextLang):
            out.append(value.text)
        elif isinstance(value, bytes):
            out.append(value.decode("utf-8", errors="replace"))
        elif isinstance(value, str):
            out.append(value)
    return out


def integer(attrs: Attrs, name: str) -> int | None:
    attr = attrs.get(name)
    value = attr.first if attr else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def integers(attrs: Attrs, name: str) -> list[int | None]:
    attr = attrs.get(name)
    return [
        v if isinstance(v, int) and not isinstance(v, bool) else None
        for v in (attr.all() if attr else ())
    ]


def boolean(attrs: Attrs, name: str) -> bool | None:
    attr = attrs.get(name)
    value = attr.first if attr else None
    return value if isinstance(value, bool) else None


def when(attrs: Attrs, name: str) -> datetime | None:
    attr = attrs.get(name)
    value = attr.first if attr else None
    return value.as_datetime() if isinstance(value, DateTime) else None


# --- IEEE 1284 device id -------------------------------------------------------------------


def parse_device_id(device_id: str | None) -> dict[str, str]:
    """``MFG:HP;MDL:LaserJet 4000;SN:ABC;`` → {"MFG": "HP", ...}; long keys folded in."""
    fields: dict[str, str] = {}
    for part in (device_id or "").split(";"):
        key, sep, value = part.partition(":")
        if sep and key.strip():
            fields[key.strip().upper()] = value.strip()
    aliases = {
        "MANUFACTURER": "MFG", "MODEL": "MDL", "SERIALNUMBER": "SN", "SERN": "SN",
        "COMMAND SET": "CMD", "COMMANDSET": "CMD", "DESCRIPTION": "DES",
    }  # fmt: skip
    for long_key, short in aliases.items():
        if long_key in fields and short not in fields:
            fields[short] = fields[long_key]
    return fields


_VENDOR_ALIASES = {
    "hewlett-packard": "HP",
    "hewlett packard": "HP",
    "kyocera mita": "Kyocera",
    "kyocera document solutions": "Kyocera",
    "fuji xerox": "Fujifilm",
    "fujifilm business innovation": "Fujifilm",
    "konica-minolta": "Konica Minolta",
    "oki data": "OKI",
    "okidata": "OKI",
    "seiko epson": "Epson",
}
_KNOWN_VENDORS = {name.casefold(): name for name in ENTERPRISE_VENDORS.values()}


def canonical_vendor(raw: str | None) -> str | None:
    """The same short maker name SNMP uses, so serial+vendor keys match across protocols."""
    if not raw or not raw.strip():
        return None
    folded = " ".join(raw.split()).casefold()
    return _VENDOR_ALIASES.get(folded) or _KNOWN_VENDORS.get(folded) or raw.strip()


def vendor_from_make_and_model(make_and_model: str | None) -> str | None:
    if not make_and_model:
        return None
    folded = make_and_model.casefold()
    for alias, name in sorted(_VENDOR_ALIASES.items(), key=lambda kv: -len(kv[0])):
        if folded.startswith(alias):
            return name
    for key, name in sorted(_KNOWN_VENDORS.items(), key=lambda kv: -len(kv[0])):
        if folded.startswith(key + " "):
            return name
    return None


# --- supplies and trays --------------------------------------------------------------------


def parse_keyvalues(raw: str) -> dict[str, str]:
    """``index=1;class=...;level=25;`` (printer-supply, printer-input-tray)."""
    out: dict[str, str] = {}
    for part in raw.split(";"):
        key, sep, value = part.partition("=")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


_HEX_COLOURS = {
    "#000000": "black",
    "#00ffff": "cyan",
    "#ff00ff": "magenta",
    "#ffff00": "yellow",
    "#ffffff": "white",
    "#808080": "gray",
}


def colour_name(raw: str | None) -> str | None:
    if not raw or raw.lower() in {"none", "unknown"}:
        return None
    return _HEX_COLOURS.get(raw.lower(), raw)


def _marker_level(raw: int | None) -> int | None:
    return None if raw is None or raw == -1 else raw


def supplies_from(attrs: Attrs) -> tuple[Supply, ...]:
    """printer-supply when the printer has it (richer: class, unit), else marker-*."""
    entries = texts(attrs, "printer-supply")
    descriptions = texts(attrs, "printer-supply-description")
    if entries:
        out = []
        for i, raw in enumerate(entries):
            kv = parse_keyvalues(raw)
            description = descriptions[i] if i < len(descriptions) else None
            out.append(
                Supply(
                    index=kv.get("index") or str(i + 1),
                    description=description or kv.get("type") or f"Supply {i + 1}",
                    type=kv.get("type"),
                    supply_class=kv.get("class"),
                    unit=kv.get("unit"),
                    colour=colour_name(kv.get("colorantname")),
                    level=_int(kv.get("level")),
                    capacity=_int(kv.get("maxcapacity")),
                    source=SOURCE,
                )
            )
        return tuple(out)
    names = texts(attrs, "marker-names")
    levels = integers(attrs, "marker-levels")
    colours = texts(attrs, "marker-colors")
    types = texts(attrs, "marker-types")
    return tuple(
        Supply(
            index=str(i + 1),
            description=name,
            type=types[i] if i < len(types) else None,
            unit="percent",
            colour=colour_name(colours[i] if i < len(colours) else None),
            level=_marker_level(levels[i] if i < len(levels) else None),
            capacity=100,
            source=SOURCE,
        )
        for i, name in enumerate(names)
    )


def supply_alerts(attrs: Attrs, supplies: Sequence[Supply]) -> list[DeviceAlert]:
    """marker-low-levels / marker-high-levels crossed (waste boxes fill up)."""
    if texts(attrs, "printer-supply"):
        return []
    lows, highs = integers(attrs, "marker-low-levels"), integers(attrs, "marker-high-levels")
    out = []
    for i, supply in enumerate(supplies):
        level = supply.percent
        if level is None:
            continue
        low = lows[i] if i < len(lows) else None
        high = highs[i] if i < len(highs) else None
        if supply.is_receptacle:
            if high is not None and high < 100 and level >= high:
                out.append(_supply_alert(supply, "almost full"))
        elif low is not None and level <= low:
            out.append(_supply_alert(supply, "low"))
    return out


def _supply_alert(supply: Supply, what: str) -> DeviceAlert:
    return DeviceAlert(
        code=f"marker-{what.replace(' ', '-')}:{supply.index}",
        description=f"{supply.description}: {what}",
        severity=Severity.WARNING,
        group="supply",
        source=SOURCE,
    )


def trays_from(attrs: Attrs) -> tuple[Tray, ...]:
    out = []
    for i, raw in enumerate(texts(attrs, "printer-input-tray")):
        kv = parse_keyvalues(raw)
        out.append(
            Tray(
                index=str(i + 1),
                name=kv.get("name") or kv.get("type") or f"Tray {i + 1}",
                level=_int(kv.get("level")),
                capacity=_int(kv.get("maxcapacity")),
                source=SOURCE,
            )
        )
    return tuple(out)


# --- the printer ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrinterReport:
    """What Get-Printer-Attributes told, in our terms, plus the domain status."""

    uri: str
    state: str  # idle / processing / stopped / unknown
    reasons: tuple[str, ...]
    message: str | None
    make_and_model: str | None
    uuid: str | None
    name: str | None
    location: str | None
    info: str | None
    accepting_jobs: bool | None
    queued_jobs: int | None
    uptime_s: int | None
    device_id: dict[str, str]
    vendor: str | None
    model: str | None
    serial: str | None
    document_formats: tuple[str, ...]
    operations: tuple[int, ...]
    status: DeviceStatus
    attributes: Mapping[str, Attribute] = field(repr=False, default_factory=dict)

    def reason_words(self) -> list[str]:
        return [reason_words(r) for r in self.reasons if r != "none"]

    def observation(self, address: str, port: int | None, seen_at: float) -> Observation:
        identity = Identity.of(
            serial=self.serial,
            vendor=self.vendor,
            uuid=self.uuid,
            address=address,
            hostname=urlsplit(self.uri).hostname,
        )
        attributes = {"ipp-uri": self.uri}
        if self.make_and_model:
            attributes["make-and-model"] = self.make_and_model
        if self.document_formats:
            attributes["document-formats"] = ",".join(self.document_formats)
        return Observation(
            protocol=Protocol.IPP,
            address=address,
            identity=identity,
            seen_at=seen_at,
            port=port,
            name=self.info or self.name,
            kind=DeviceKind.PRINTER,
            vendor=self.vendor,
            model=self.model,
            location=self.location or None,
            attributes=attributes,
        )


def printer_report(
    uri: str, attrs: Attrs, *, polled_at: float, latency_ms: float | None = None
) -> PrinterReport:
    state_code = integer(attrs, "printer-state")
    reasons = tuple(texts(attrs, "printer-state-reasons")) or ("none",)
    accepting = boolean(attrs, "printer-is-accepting-jobs")
    alerts = [
        DeviceAlert(code=r, description=reason_words(r), severity=split_reason(r)[1],
                    group="printer-state-reasons", source=SOURCE)
        for r in reasons if r != "none"
    ]  # fmt: skip
    if accepting is False and not any(split_reason(r)[0] == "paused" for r in reasons):
        alerts.append(
            DeviceAlert("not-accepting-jobs", "Not accepting jobs", Severity.WARNING,
                        "printer-is-accepting-jobs", SOURCE)
        )  # fmt: skip
    supplies = supplies_from(attrs)
    alerts.extend(supply_alerts(attrs, supplies))
    state = overall_state(state_code, [a.severity for a in alerts])
    device_id = parse_device_id(text(attrs, "printer-device-id"))
    make_and_model = text(attrs, "printer-make-and-model")
    vendor = canonical_vendor(device_id.get("MFG")) or vendor_from_make_and_model(make_and_model)
    model = device_id.get("MDL") or _model_without_vendor(make_and_model, vendor)
    uptime = integer(attrs, "printer-up-time")
    message = text(attrs, "printer-state-message")
    status = DeviceStatus(
        state=state,
        polled_at=polled_at,
        latency_ms=latency_ms,
        printer_status=PRINTER_STATES.get(state_code or 0, "unknown"),
        device_status=message or None,
        supplies=supplies,
        trays=trays_from(attrs),
        alerts=tuple(alerts),
        page_count=integer(attrs, "printer-impressions-completed"),
        uptime_s=float(uptime) if uptime is not None and uptime >= 0 else None,
    )
    return PrinterReport(
        uri=uri,
        state=PRINTER_STATES.get(state_code or 0, "unknown"),
        reasons=reasons,
        message=message,
        make_and_model=make_and_model,
        uuid=normalise_uuid(text(attrs, "printer-uuid")),
        name=text(attrs, "printer-name"),
        location=text(attrs, "printer-location"),
        info=text(attrs, "printer-info"),
        accepting_jobs=accepting,
        queued_jobs=integer(attrs, "queued-job-count"),
        uptime_s=uptime,
        device_id=device_id,
        vendor=vendor,
        model=model,
        serial=device_id.get("SN"),
        document_formats=tuple(texts(attrs, "document-format-supported")),
        operations=tuple(v for v in integers(attrs, "operations-supported") if v is not None),
        status=status,
        attributes=dict(attrs),
    )


def _model_without_vendor(make_and_model: str | None, vendor: str | None) -> str | None:
    if not make_and_model:
        return None
    if vendor and make_and_model.casefold().startswith(vendor.casefold() + " "):
        return make_and_model[len(vendor) + 1 :].strip() or make_and_model
    return make_and_model


def unreachable(reason: str, polled_at: float) -> DeviceStatus:
    return DeviceStatus(
        state=DeviceState.UNREACHABLE,
        polled_at=polled_at,
        reachable=False,
        errors=(TableError("reachability", reason, SOURCE),),
    )


# --- jobs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IppJob:
    id: int
    state_code: int | None
    reasons: tuple[str, ...]
    user: str | None
    k_octets: int | None
    pages: int | None
    created: datetime | None
    completed: datetime | None
    document_format: str | None
    name: str | None = field(default=None, repr=False)  # None unless names are shown

    @property
    def state(self) -> str:
        return JOB_STATES.get(self.state_code or 0, "unknown")

    @property
    def state_words(self) -> str:
        return JOB_STATE_WORDS.get(self.state_code or 0, "Unknown")

    @property
    def active(self) -> bool:
        return self.state_code in (3, 4, 5, 6)


_SPACE = re.compile(r"\s+")


def job_from(attrs: Attrs, *, show_name: bool) -> IppJob | None:
    job_id = integer(attrs, "job-id")
    if job_id is None:
        return None
    name = None
    if show_name:
        raw = text(attrs, "job-name") or text(attrs, "document-name-supplied")
        name = _SPACE.sub(" ", raw).strip() if raw else None
    return IppJob(
        id=job_id,
        state_code=integer(attrs, "job-state"),
        reasons=tuple(texts(attrs, "job-state-reasons")),
        user=text(attrs, "job-originating-user-name"),
        k_octets=integer(attrs, "job-k-octets"),
        pages=integer(attrs, "job-impressions-completed"),
        created=when(attrs, "date-time-at-creation"),
        completed=when(attrs, "date-time-at-completed"),
        document_format=text(attrs, "document-format"),
        name=name,
    )

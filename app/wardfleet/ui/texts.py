"""Words for domain values: states, kinds, supplies, times. Translatable, plain text.

Everything returned here is plain text; device-supplied parts are passed through
unchanged and must be shown as plain text (see ``plain_tooltip`` for tooltips).
"""

from __future__ import annotations

import html
import ipaddress
import re
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from wardfleet.domain.device import Device
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import DeviceStatus, LevelState, Supply, Tray
from wardfleet.services.events import HubState, SyncSnapshot

if TYPE_CHECKING:
    # PySide6's stub says ``object``; at run time it returns the text unchanged.
    def QT_TRANSLATE_NOOP(context: str, text: str) -> str: ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

_PLACEHOLDER = re.compile(r"%(\d)")


def fill(template: str, *values: object) -> str:
    """Qt-style ``%1``…``%9`` substitution in one pass (values may contain ``%1`` safely)."""

    def one(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if 0 < number <= len(values) else match.group(0)

    return _PLACEHOLDER.sub(one, template)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally.

    Qt guesses whether a tooltip is rich text, so ``<b>x</b>`` from a device would render
    bold. Escaping and marking the tooltip explicitly as rich text makes it literal.
    """
    if not text:
        return ""
    body = html.escape(text).replace("\n", "<br>")
    return f"<qt><p style='white-space:pre-wrap'>{body}</p></qt>"


NOT_REPORTED = QT_TRANSLATE_NOOP("Texts", "Not reported")


def not_reported() -> str:
    return QCoreApplication.translate("Texts", NOT_REPORTED)


def or_not_reported(value: str | None) -> str:
    return value if value else not_reported()


# States and kinds --------------------------------------------------------------------
_STATE_WORDS = {
    DeviceState.OK: QT_TRANSLATE_NOOP("DeviceState", "OK"),
    DeviceState.BUSY: QT_TRANSLATE_NOOP("DeviceState", "Busy"),
    DeviceState.WARNING: QT_TRANSLATE_NOOP("DeviceState", "Warning"),
    DeviceState.ERROR: QT_TRANSLATE_NOOP("DeviceState", "Error"),
    DeviceState.UNREACHABLE: QT_TRANSLATE_NOOP("DeviceState", "Unreachable"),
    DeviceState.UNKNOWN: QT_TRANSLATE_NOOP("DeviceState", "Unknown"),
}

_KIND_WORDS = {
    DeviceKind.PRINTER: QT_TRANSLATE_NOOP("DeviceKind", "Printer"),
    DeviceKind.LABEL_PRINTER: QT_TRANSLATE_NOOP("DeviceKind", "Label printer"),
    DeviceKind.MFD: QT_TRANSLATE_NOOP("DeviceKind", "MFD"),
    DeviceKind.SCANNER: QT_TRANSLATE_NOOP("DeviceKind", "Scanner"),
    DeviceKind.MONITOR: QT_TRANSLATE_NOOP("DeviceKind", "Monitor"),
    DeviceKind.UPS: QT_TRANSLATE_NOOP("DeviceKind", "UPS"),
    DeviceKind.NETWORK: QT_TRANSLATE_NOOP("DeviceKind", "Network device"),
    DeviceKind.SERVER: QT_TRANSLATE_NOOP("DeviceKind", "Server"),
    DeviceKind.OTHER: QT_TRANSLATE_NOOP("DeviceKind", "Other"),
}

# hrPrinterDetectedErrorState bit names (RFC 3805) in words.
_ERROR_BIT_WORDS = {
    "lowPaper": QT_TRANSLATE_NOOP("ErrorBits", "Paper low"),
    "noPaper": QT_TRANSLATE_NOOP("ErrorBits", "Out of paper"),
    "lowToner": QT_TRANSLATE_NOOP("ErrorBits", "Toner low"),
    "noToner": QT_TRANSLATE_NOOP("ErrorBits", "Out of toner"),
    "doorOpen": QT_TRANSLATE_NOOP("ErrorBits", "Door open"),
    "jammed": QT_TRANSLATE_NOOP("ErrorBits", "Paper jam"),
    "offline": QT_TRANSLATE_NOOP("ErrorBits", "Offline"),
    "serviceRequested": QT_TRANSLATE_NOOP("ErrorBits", "Service requested"),
    "inputTrayMissing": QT_TRANSLATE_NOOP("ErrorBits", "Input tray missing"),
    "outputTrayMissing": QT_TRANSLATE_NOOP("ErrorBits", "Output tray missing"),
    "markerSupplyMissing": QT_TRANSLATE_NOOP("ErrorBits", "Toner or ink missing"),
    "outputNearFull": QT_TRANSLATE_NOOP("ErrorBits", "Output tray nearly full"),
    "outputFull": QT_TRANSLATE_NOOP("ErrorBits", "Output tray full"),
    "inputTrayEmpty": QT_TRANSLATE_NOOP("ErrorBits", "Input tray empty"),
    "overduePreventMaint": QT_TRANSLATE_NOOP("ErrorBits", "Maintenance overdue"),
}

_HUB_WORDS = {
    HubState.NOT_CONFIGURED: QT_TRANSLATE_NOOP("HubState", "Hub not configured"),
    HubState.ONLINE: QT_TRANSLATE_NOOP("HubState", "Online"),
    HubState.OFFLINE: QT_TRANSLATE_NOOP("HubState", "Offline — changes are queued"),
    HubState.SYNCING: QT_TRANSLATE_NOOP("HubState", "Syncing…"),
    HubState.REFUSED: QT_TRANSLATE_NOOP("HubState", "Hub refused this desktop"),
}


def state_text(state: DeviceState) -> str:
    return QCoreApplication.translate("DeviceState", _STATE_WORDS[state])


def kind_text(kind: DeviceKind) -> str:
    return QCoreApplication.translate("DeviceKind", _KIND_WORDS[kind])


def kind_long_text(kind: DeviceKind) -> str:
    """For the detail pane, where there is room to spell out abbreviations."""
    if kind is DeviceKind.MFD:
        return QCoreApplication.translate("DeviceKind", "Multifunction device (MFD)")
    if kind is DeviceKind.UPS:
        return QCoreApplication.translate("DeviceKind", "Uninterruptible power supply (UPS)")
    return kind_text(kind)


def error_bit_text(bit: str) -> str:
    words = _ERROR_BIT_WORDS.get(bit)
    return QCoreApplication.translate("ErrorBits", words) if words else bit


def hub_text(snapshot: SyncSnapshot) -> str:
    words = QCoreApplication.translate("HubState", _HUB_WORDS[snapshot.hub])
    if snapshot.hub is HubState.REFUSED and snapshot.message:
        return f"{words}: {snapshot.message}"
    return words


# Devices -------------------------------------------------------------------------------
def place_text(device: Device) -> str:
    """Ward and location in one line, e.g. ``Ward 3 · Nurses' station``."""
    parts = [p for p in (device.ward, device.location) if p]
    return " · ".join(parts)


def vendor_model_text(device: Device) -> str:
    vendor, model = device.vendor or "", device.model or ""
    if vendor and model.casefold().startswith(vendor.casefold()):
        return model
    return " ".join(p for p in (vendor, model) if p)


def address_sort_key(address: str | None) -> str:
    """Numeric order for IPv4/IPv6 as a fixed-width string (QVariant has no 128-bit int)."""
    if not address:
        return "~"  # devices without an address sort last
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"9:{address.casefold()}"
    return f"{ip.version}:{int(ip):032x}"


# What the device itself reports ----------------------------------------------------------
# HOST-RESOURCES-MIB hrDeviceStatus/hrPrinterStatus and IPP printer-state keywords; any
# other text (an IPP printer-state-message) is the device's own and stays as it is.
_REPORT_WORDS = {
    "running": QT_TRANSLATE_NOOP("DeviceReports", "running"),
    "warning": QT_TRANSLATE_NOOP("DeviceReports", "warning"),
    "testing": QT_TRANSLATE_NOOP("DeviceReports", "testing"),
    "down": QT_TRANSLATE_NOOP("DeviceReports", "down"),
    "unknown": QT_TRANSLATE_NOOP("DeviceReports", "unknown"),
    "other": QT_TRANSLATE_NOOP("DeviceReports", "other"),
    "idle": QT_TRANSLATE_NOOP("DeviceReports", "idle"),
    "printing": QT_TRANSLATE_NOOP("DeviceReports", "printing"),
    "processing": QT_TRANSLATE_NOOP("DeviceReports", "printing"),
    "warmup": QT_TRANSLATE_NOOP("DeviceReports", "warming up"),
    "stopped": QT_TRANSLATE_NOOP("DeviceReports", "stopped"),
}


def device_reports_text(*reports: str | None) -> str:
    """``Warning, idle``: known keywords in words, starting with a capital like the other
    values of the form; the device's own sentences unchanged."""
    words = [
        QCoreApplication.translate("DeviceReports", _REPORT_WORDS[r]) if r in _REPORT_WORDS else r
        for r in reports
        if r
    ]
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


# Supplies -------------------------------------------------------------------------------
_COLOUR_WORDS = {
    "black": QT_TRANSLATE_NOOP("Supplies", "Black"),
    "cyan": QT_TRANSLATE_NOOP("Supplies", "Cyan"),
    "magenta": QT_TRANSLATE_NOOP("Supplies", "Magenta"),
    "yellow": QT_TRANSLATE_NOOP("Supplies", "Yellow"),
}

# A named colour only says more than the description for the colourants themselves.
_COLOURANT_TYPES = {
    None,
    "toner",
    "tonerCartridge",
    "ink",
    "inkCartridge",
    "inkRibbon",
    "ribbonWax",
    "markerSupply",
    "other",
}


def percent_text(value: float) -> str:
    # A no-break space keeps "12 %" together when a column is narrow.
    return f"{QLocale().toString(round(value))}\u00a0%"


def supply_name(supply: Supply) -> str:
    """Short name: the colour for colourants ("Black"), else the device's description."""
    colour = (supply.colour or "").strip()
    if colour and supply.type in _COLOURANT_TYPES and not supply.is_receptacle:
        words = _COLOUR_WORDS.get(colour.casefold())
        return QCoreApplication.translate("Supplies", words) if words else colour.capitalize()
    return supply.description or colour.capitalize() or supply.index


def special_level_text(state: LevelState) -> str:
    if state is LevelState.SOME_REMAINING:
        return QCoreApplication.translate("Supplies", "OK, level not reported")
    if state is LevelState.UNLIMITED:
        return QCoreApplication.translate("Supplies", "No limit reported")
    if state is LevelState.INVALID:
        return QCoreApplication.translate("Supplies", "Invalid reading")
    return QCoreApplication.translate("Supplies", "Level unknown")


def supply_level_text(supply: Supply) -> str:
    """``12 %``, ``80 % full`` for a waste box, or the special state in words."""
    percent = supply.percent
    if percent is None:
        return special_level_text(supply.level_state)
    if supply.is_receptacle:
        return fill(QCoreApplication.translate("Supplies", "%1 full"), percent_text(percent))
    return percent_text(percent)


def tray_level_text(tray: Tray) -> str:
    """``40 %``, or in words: an empty tray and the Printer-MIB special values never
    show as numbers ("0 %" reads like a fault, "-3" means nothing to a ward)."""
    percent = tray.percent
    if percent is not None and tray.level == 0:
        return QCoreApplication.translate("Trays", "empty")
    if percent is not None:
        return percent_text(percent)
    state = tray.level_state
    if state is LevelState.SOME_REMAINING:
        return QCoreApplication.translate("Trays", "some paper, amount not reported")
    if state is LevelState.UNLIMITED:
        return QCoreApplication.translate("Trays", "no limit reported")
    if state is LevelState.INVALID:
        return QCoreApplication.translate("Trays", "invalid reading")
    return QCoreApplication.translate("Trays", "level unknown")


def tray_text(tray: Tray) -> str:
    """One line per tray: ``Tray 1: empty``; a tray without a name is named by its index."""
    name = tray.name.strip() or fill(QCoreApplication.translate("Trays", "Tray %1"), tray.index)
    return f"{name}: {tray_level_text(tray)}"


RECEPTACLE_NOTICE_PERCENT = 75.0  # a waste box worth a glance in the summary
LOW_SUPPLY_PERCENT = 20.0  # below this a consumable is named first and drawn in amber


def supply_summary(status: DeviceStatus | None) -> str:
    """One glance: the lowest consumable, a nearly full waste box, or the special state."""
    if status is None:
        return QCoreApplication.translate("Supplies", "Not polled yet")
    if not status.reachable:
        return QCoreApplication.translate("Supplies", "No current reading")
    if not status.supplies:
        return ""
    parts: list[str] = []
    lowest = status.lowest_consumable()
    unmeasured = [s for s in status.supplies if not s.is_receptacle and s.percent is None]
    # A toner that only says "some left" matters more than a drum at 96 %; a low one wins.
    unmeasured_colourant = next((s for s in unmeasured if s.type in _COLOURANT_TYPES), None)
    if lowest is not None and (
        unmeasured_colourant is None or (lowest.percent or 0.0) < LOW_SUPPLY_PERCENT
    ):
        parts.append(f"{supply_name(lowest)} {supply_level_text(lowest)}")
    elif unmeasured:
        first = unmeasured_colourant or unmeasured[0]
        parts.append(f"{supply_name(first)}: {special_level_text(first.level_state)}")
    receptacles = [s for s in status.supplies if s.is_receptacle and s.percent is not None]
    fullest = max(receptacles, key=lambda s: s.percent or 0.0, default=None)
    if fullest is not None and (fullest.percent or 0.0) >= RECEPTACLE_NOTICE_PERCENT:
        parts.append(
            fill(
                QCoreApplication.translate("Supplies", "Waste %1 full"),
                percent_text(fullest.percent or 0.0),
            )
        )
    return ", ".join(parts)


def supply_lines(status: DeviceStatus | None) -> list[str]:
    if status is None:
        return []
    return [f"{s.description or supply_name(s)}: {supply_level_text(s)}" for s in status.supplies]


# Times ----------------------------------------------------------------------------------
def relative_time(ts: float | None, now: float | None = None) -> str:
    if ts is None:
        return QCoreApplication.translate("Texts", "Never")
    delta = max(0.0, (time.time() if now is None else now) - ts)
    if delta < 45:
        return QCoreApplication.translate("Texts", "Just now")
    if delta < 90 * 60:
        return fill(QCoreApplication.translate("Texts", "%1 min ago"), max(1, round(delta / 60)))
    if delta < 36 * 3600:
        return fill(QCoreApplication.translate("Texts", "%1 h ago"), round(delta / 3600))
    return fill(QCoreApplication.translate("Texts", "%1 days ago"), round(delta / 86400))


def absolute_time(ts: float | None) -> str:
    if ts is None:
        return QCoreApplication.translate("Texts", "Never")
    # ISO-like and local: unambiguous when read out over the phone to a helpdesk.
    return QDateTime.fromMSecsSinceEpoch(int(ts * 1000)).toString("yyyy-MM-dd HH:mm:ss")


def when_text(ts: float | None, now: float | None = None) -> str:
    """Relative plus a short anchor: "10 min ago · 09:34" today, else "· 2026-10-14"."""
    if ts is None:
        return relative_time(None)
    moment = QDateTime.fromMSecsSinceEpoch(int(ts * 1000))
    today = QDateTime.fromMSecsSinceEpoch(int((time.time() if now is None else now) * 1000))
    anchor = moment.toString("HH:mm" if moment.date() == today.date() else "yyyy-MM-dd")
    return f"{relative_time(ts, now)} · {anchor}"


def duration_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return fill(QCoreApplication.translate("Texts", "%1 d %2 h"), days, hours)
    if hours:
        return fill(QCoreApplication.translate("Texts", "%1 h %2 min"), hours, mins)
    return fill(QCoreApplication.translate("Texts", "%1 min"), mins)

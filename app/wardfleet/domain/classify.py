"""Vendor, kind and model of a device from what SNMP says about it. Pure rules, no I/O.

The enterprise number in sysObjectID names the maker of the *agent*, which is not always
the maker on the badge: OEM copiers keep their maker's number (Savin on Ricoh's 367,
UTAX on Kyocera's 1347), Toshiba e-STUDIOs answer with Lexmark's 641, ZebraNet print
servers with Extended Systems' 683. So sysDescr overrides come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.vendors import (
    LABEL_PRINTER_VENDORS,
    MONITOR_VENDORS,
    NETWORK_VENDORS,
    PRINTER_VENDORS,
    UPS_VENDORS,
    enterprise_number,
    vendor_for_enterprise,
)


@dataclass(frozen=True, slots=True)
class SnmpFacts:
    """What identification read; every field may be missing on a partial agent."""

    sys_descr: str = ""
    sys_object_id: tuple[int, ...] | None = None
    hr_device_types: tuple[str, ...] = ()  # names such as "printer", "processor"
    hr_device_descr: str | None = None  # of the printer device, else the first device
    hr_device_descrs: tuple[str, ...] = ()  # of every hrDevice row
    has_printer_mib: bool = False
    has_ups_mib: bool = False
    vendor_model: str | None = None  # from a vendor-private OID


@dataclass(frozen=True, slots=True)
class Classification:
    vendor: str | None  # who made it (the manufacturer behind an OEM badge)
    kind: DeviceKind
    model: str | None = None
    brand: str | None = None  # the badge when it differs from the maker, e.g. "Savin"

    @property
    def vendor_label(self) -> str | None:
        """For display: "Savin (Ricoh)" for an OEM badge, else the vendor."""
        if self.brand and self.vendor and self.brand != self.vendor:
            return f"{self.brand} ({self.vendor})"
        return self.vendor or self.brand


# (sysDescr pattern, vendor, brand): first match wins, before the enterprise number.
_DESCR_OVERRIDES: tuple[tuple[re.Pattern[str], str, str | None], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), vendor, brand)
    for pattern, vendor, brand in (
        (r"^savin\b", "Ricoh", "Savin"),
        (r"^lanier\b", "Ricoh", "Lanier"),
        (r"^gestetner\b", "Ricoh", "Gestetner"),
        (r"^nrg\b", "Ricoh", "NRG"),
        (r"^nashuatec\b", "Ricoh", "Nashuatec"),
        (r"^rex-?rotary\b", "Ricoh", "Rex-Rotary"),
        (r"^infotec\b", "Ricoh", "infotec"),
        (r"^utax\b", "Kyocera", "UTAX"),
        (r"^(ta )?triumph-adler\b", "Kyocera", "TA Triumph-Adler"),
        (r"^copystar\b", "Kyocera", "Copystar"),
        (r"^develop\b|\bineo\b", "Konica Minolta", "Develop"),
        (r"^fuji xerox\b", "Xerox", "Fuji Xerox"),
        (r"^fujifilm\b", "Fujifilm", None),
        (r"^toshiba\b.*e-studio|^toshiba tec\b", "Toshiba TEC", None),
        (r"\bzebra", "Zebra", None),
        (r"^dell\b.*(laser|printer|mfp)", "Dell", None),
        (r"^lexmark\b", "Lexmark", None),
        (r"^(edgeswitch|edgepoint|usw[ -]|ubnt\b|unifi\b)", "Ubiquiti", None),
        (r"\bwelch ?allyn\b", "Welch Allyn", None),
        (r"\bhill-?rom\b", "Hillrom", None),
        (r"\bmindray\b", "Mindray", None),
        (r"\bintellivue\b", "Philips", None),
        (r"\bcarescape\b", "GE HealthCare", None),
    )
)
# Leading words of sysDescr, for agents whose enterprise number says nothing useful.
_DESCR_VENDOR_WORDS = {
    "hp": "HP", "brother": "Brother", "canon": "Canon", "epson": "Epson",
    "kyocera": "Kyocera", "sharp": "Sharp", "ricoh": "Ricoh", "xerox": "Xerox",
    "samsung": "Samsung", "konica": "Konica Minolta", "lexmark": "Lexmark", "oki": "OKI",
    "sato": "SATO", "tsc": "TSC", "honeywell": "Honeywell", "intermec": "Intermec",
    "apc": "APC", "eaton": "Eaton", "cisco": "Cisco", "philips": "Philips",
}  # fmt: skip

_PRINTER_WORDS = re.compile(
    r"\b(print(er|ing)?|mfp|laser(jet)?|jetdirect|officejet|e-studio|bizhub|aficio|"
    r"imagerunner|workcentre|altalink|versalink|apeos(port)?|ecosys)\b",
    re.IGNORECASE,
)
_SCANNER_WORDS = re.compile(r"\bscan(ner|server| server)?\b", re.IGNORECASE)
_MONITOR_WORDS = re.compile(r"\b(patient monitor|vital signs|intellivue|carescape)\b", re.I)
_NETWORK_WORDS = re.compile(r"\b(switch|router|access point|firewall|edgeswitch)\b", re.I)
_SERVER_WORDS = re.compile(r"^(linux|windows|freebsd|openbsd|netbsd|sunos|darwin)\b", re.I)
_UPS_WORDS = re.compile(r"\bups\b", re.IGNORECASE)
# hrDevice rows of a printer that scans, copies or faxes (Sharp: "Scanner Unit",
# "Copier"; Samsung: "Color Scanner", "Fax Card"). Model-name conventions such as
# "MFP" or Brother's "MFC-" are not used: a name is not a function.
_MFD_DEVICE_WORDS = re.compile(
    r"\b(scanner|scan unit|copier|copy service|fax|facsimile|multi-?function(al)? device)\b",
    re.IGNORECASE,
)
# HP's printer subtree (JetDirect): 1.3.6.1.4.1.11.2.3.9
_HP_PRINTER_OID = (1, 3, 6, 1, 4, 1, 11, 2, 3, 9)


def classify(facts: SnmpFacts) -> Classification:
    vendor, brand = _vendor(facts)
    kind = _kind(facts, vendor)
    return Classification(
        vendor=vendor, kind=kind, model=_model(facts, kind, vendor, brand), brand=brand
    )


def _vendor(facts: SnmpFacts) -> tuple[str | None, str | None]:
    descr = facts.sys_descr.strip()
    for pattern, vendor, brand in _DESCR_OVERRIDES:
        if pattern.search(descr):
            return vendor, brand
    from_number = vendor_for_enterprise(enterprise_number(facts.sys_object_id))
    if from_number and from_number not in {"Extended Systems", "net-snmp", "Broadcom"}:
        return from_number, None
    # A generic agent (print server, net-snmp, FASTPATH): the text may know better.
    words = descr.split()
    first = words[0].casefold() if words else ""
    return _DESCR_VENDOR_WORDS.get(first, from_number), None


def _kind(facts: SnmpFacts, vendor: str | None) -> DeviceKind:
    descr = facts.sys_descr
    has_printer = facts.has_printer_mib or "printer" in facts.hr_device_types
    if facts.has_ups_mib or vendor in UPS_VENDORS or _UPS_WORDS.search(descr):
        return DeviceKind.UPS
    if vendor in LABEL_PRINTER_VENDORS or (
        vendor == "Honeywell" and (has_printer or _PRINTER_WORDS.search(descr))
    ):
        return DeviceKind.LABEL_PRINTER
    # A copier saying "Network Printer / Network Scanner" prints and scans: an MFD.
    printer_kind = (
        DeviceKind.MFD
        if (_SCANNER_WORDS.search(descr) and _PRINTER_WORDS.search(descr))
        or any(_MFD_DEVICE_WORDS.search(d) for d in facts.hr_device_descrs)
        else DeviceKind.PRINTER
    )
    if has_printer:
        return printer_kind
    # A scan server mentions scanning and never printing.
    if _SCANNER_WORDS.search(descr) and not _PRINTER_WORDS.search(descr):
        return DeviceKind.SCANNER
    if vendor in MONITOR_VENDORS or vendor == "Hillrom" or _MONITOR_WORDS.search(descr):
        return DeviceKind.MONITOR
    if vendor in NETWORK_VENDORS or _NETWORK_WORDS.search(descr):
        return DeviceKind.NETWORK
    if _SERVER_WORDS.search(descr) or vendor in {"net-snmp", "Microsoft"}:
        return DeviceKind.SERVER
    oid = facts.sys_object_id or ()
    if _PRINTER_WORDS.search(descr) or oid[: len(_HP_PRINTER_OID)] == _HP_PRINTER_OID:
        return printer_kind
    if vendor in PRINTER_VENDORS and vendor not in {"HP", "Dell", "Samsung"}:
        return DeviceKind.PRINTER  # these makers' SNMP agents are on their printers
    return DeviceKind.OTHER


_MODEL_CUT = re.compile(
    r"\s*(?:[;,/(]| version\b| firmware\b| v\d| \d+(?:\.\d+)+(?:\s|$)).*$", re.IGNORECASE
)
_NOT_A_MODEL = re.compile(
    r"\b(printing system|network|ethernet|built-in|agent|print server)\b", re.IGNORECASE
)
_DEVICE_KINDS_WITH_HR_MODEL = {
    DeviceKind.PRINTER, DeviceKind.LABEL_PRINTER, DeviceKind.MFD, DeviceKind.SCANNER,
}  # fmt: skip


def _model(facts: SnmpFacts, kind: DeviceKind, vendor: str | None, brand: str | None) -> str | None:
    if facts.vendor_model:
        return facts.vendor_model
    if kind in _DEVICE_KINDS_WITH_HR_MODEL and facts.hr_device_descr:
        return _without_maker(facts.hr_device_descr, vendor, brand) or facts.hr_device_descr
    # "Xerox AltaLink C8045; SS 100..." → "AltaLink C8045"
    text = _without_maker(_MODEL_CUT.sub("", facts.sys_descr.strip()), vendor, brand)
    if not text or _NOT_A_MODEL.search(text) or _SERVER_WORDS.search(text):
        return None
    return text


def _without_maker(text: str, vendor: str | None, brand: str | None) -> str:
    """ "HP Color LaserJet M452nw" → "Color LaserJet M452nw"."""
    for name in (brand, vendor, "Fuji Xerox", "Konica Minolta", "Toshiba"):
        if name and text.casefold().startswith(name.casefold() + " "):
            text = text[len(name) + 1 :]
    return text.strip()

"""Who made a DNS-SD service's device and what kind of device it is. Pure rules, no I/O.

The service type says "prints" or "scans"; the TXT record (``ty``, ``product``,
``usb_MDL``, AirPrint's ``Scan``/``Fax``, IPP Everywhere's media ``kind``) and the other
services the same host offers refine that to an MFD or a label printer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.vendors import (
    LABEL_PRINTER_VENDORS,
    MONITOR_VENDORS,
    NETWORK_VENDORS,
    PRINTER_VENDORS,
    UPS_VENDORS,
)

PRINTER_TYPES = ("_ipp._tcp", "_ipps._tcp", "_printer._tcp", "_pdl-datastream._tcp")
SCANNER_TYPES = ("_uscan._tcp", "_uscans._tcp", "_scanner._tcp")
DEFAULT_TYPES = PRINTER_TYPES + SCANNER_TYPES

# Spellings of makers in usb_MFG / ty that differ from the names SNMP classification uses,
# so the same printer gets the same vendor whichever protocol saw it first.
_ALIASES = {
    "hewlett-packard": "HP",
    "hewlett packard": "HP",
    "hp inc.": "HP",
    "konica": "Konica Minolta",
    "minolta": "Konica Minolta",
    "kyocera mita": "Kyocera",
    "fuji xerox": "Xerox",
    "fuji": "Fujifilm",
    "oki data": "OKI",
    "okidata": "OKI",
    "toshiba": "Toshiba TEC",
    "epson": "Epson",
    "seiko epson": "Epson",
    "brother industries": "Brother",
    "dymo": "DYMO",
    "zebra technologies": "Zebra",
}
_KNOWN = {
    name.casefold(): name
    for group in (
        PRINTER_VENDORS,
        LABEL_PRINTER_VENDORS,
        MONITOR_VENDORS,
        UPS_VENDORS,
        NETWORK_VENDORS,
    )
    for name in group
} | _ALIASES

_LABEL_WORDS = re.compile(
    r"\b(label|labelwriter|z[tdq]\d{3}\w*|g[kx]4\d\d\w*|ql-\d+\w*|pt-\w+|td-\d+\w*|"
    r"cl4nx|ct4-lx)\b",
    re.IGNORECASE,
)
_MFD_WORDS = re.compile(
    r"\b(mfp|mfc-?\w+|dcp-?\w+|multi-?function|all-in-one|officejet|workcentre|altalink|"
    r"bizhub|taskalfa|imagerunner|mf\d{3,4}\w*)\b",
    re.IGNORECASE,
)


def canonical_vendor(text: str | None) -> str | None:
    """The known maker a name starts with ("HP LaserJet M404" → "HP"), else None."""
    words = (text or "").replace("(", " ").replace(")", " ").split()
    for n in (3, 2, 1):
        if len(words) >= n:
            found = _KNOWN.get(" ".join(words[:n]).casefold())
            if found:
                return found
    return None


def strip_vendor(model: str, vendor: str | None) -> str:
    """``HP LaserJet M404`` → ``LaserJet M404`` when the vendor is HP."""
    if vendor is None:
        return model
    words = model.split()
    for n in (3, 2, 1):
        if len(words) > n and _KNOWN.get(" ".join(words[:n]).casefold()) == vendor:
            return " ".join(words[n:])
    return model


def _label_media(media: str | None) -> bool:
    kinds = {k.strip().casefold() for k in (media or "").split(",") if k.strip()}
    return bool(kinds & {"label", "receipt"}) and "document" not in kinds


def service_kind(
    service_type: str,
    *,
    text: str,
    vendor: str | None,
    scan: bool | None = None,
    fax: bool | None = None,
    media: str | None = None,
    related_types: Iterable[str] = (),
    declared: DeviceKind | None = None,
) -> DeviceKind:
    """The kind of device behind one service.

    ``text`` is what the TXT says the model is; ``related_types`` are the other services
    on the same host (a printer that also offers ``_uscan._tcp`` is an MFD).
    """
    types = {service_type, *related_types}
    if service_type in PRINTER_TYPES:
        if vendor in LABEL_PRINTER_VENDORS or _LABEL_WORDS.search(text) or _label_media(media):
            return DeviceKind.LABEL_PRINTER
        if scan or fax or types.intersection(SCANNER_TYPES) or _MFD_WORDS.search(text):
            return DeviceKind.MFD
        return DeviceKind.PRINTER
    if service_type in SCANNER_TYPES:
        if types.intersection(PRINTER_TYPES) or _MFD_WORDS.search(text):
            return DeviceKind.MFD
        return DeviceKind.SCANNER
    return declared or DeviceKind.OTHER

"""Who made a device, from its SNMP enterprise number (IANA Private Enterprise Numbers).

Numbers are from IANA's enterprise-numbers registry (as shipped in Wireshark's
``enterprises.tsv``, 2023 snapshot); the names are the short ones people use on a ward.
Several vendors hold more than one number (acquisitions, regional arms).
"""

from __future__ import annotations

from collections.abc import Mapping

ENTERPRISE_PREFIX = (1, 3, 6, 1, 4, 1)

ENTERPRISE_VENDORS: Mapping[int, str] = {
    # printers, copiers, MFDs
    11: "HP",  # Hewlett-Packard
    236: "Samsung",  # Samsung Electronics
    253: "Xerox",
    279: "Olivetti",
    297: "Fujifilm",  # FUJIFILM Business Innovation Corp. (formerly Fuji Xerox)
    367: "Ricoh",
    641: "Lexmark",  # Lexmark International (Toshiba e-STUDIO and Dell also use it)
    666: "OKI",  # Oki Electric Industry
    674: "Dell",
    1129: "Toshiba TEC",  # Tec Corporation
    1248: "Epson",  # SEIKO EPSON CORPORATION
    1347: "Kyocera",  # also UTAX, TA Triumph-Adler, Copystar, Olivetti rebrands
    1602: "Canon",
    2001: "OKI",  # Oki Data Corporation
    2364: "Konica Minolta",  # Konica Corporation
    2385: "Sharp",
    2435: "Brother",
    2590: "Konica Minolta",  # Minolta Co.
    3793: "Ricoh",  # Lanier Worldwide (a Ricoh brand)
    4206: "Kyocera",  # MITA Industrial (Kyocera Mita)
    4322: "Muratec",  # Murata Machinery
    18334: "Konica Minolta",
    43845: "Toshiba TEC",  # Toshiba Tec Solution Services
    # label printers
    683: "Extended Systems",  # print servers; ZebraNet boxes report this number
    1963: "Intermec",
    10504: "Printronix",
    10642: "Zebra",
    10917: "Datamax",
    15865: "cab",
    20438: "Citizen",
    33241: "Citizen",
    33550: "Bixolon",
    36722: "TSC",  # TSC Technologies
    42406: "SATO",
    43564: "TSC",  # TSC AUTO ID Technology
    48051: "SATO",  # Sato America
    20998: "Honeywell",  # Honeywell International
    29778: "Honeywell",
    # UPS and power
    318: "APC",  # American Power Conversion
    476: "Vertiv",
    534: "Eaton",
    850: "Tripp Lite",
    2254: "Delta",  # Delta Electronics (also Minuteman UPS agents)
    4555: "Socomec",
    6785: "Delta",
    7783: "Riello",
    15446: "CyberPower",
    # medical monitoring
    1776: "Philips",  # Koninklijke Philips
    3592: "Dräger",
    22005: "GE HealthCare",
    23670: "Nihon Kohden",
    23957: "Spacelabs",
    32985: "Philips",  # Philips HealthCare
    45553: "GE HealthCare",
    46931: "Welch Allyn",  # registered by Welch Allyn Singapore
    52588: "Spacelabs",
    54260: "Mindray",  # Shenzhen Mindray Bio-Medical Electronics
    59615: "GE HealthCare",
    # network and servers
    9: "Cisco",
    311: "Microsoft",
    2636: "Juniper",
    4413: "Broadcom",  # FASTPATH switch firmware, sold under many brands
    8072: "net-snmp",
    41112: "Ubiquiti",
}

PRINTER_VENDORS = frozenset(
    {"Brother", "Canon", "Dell", "Epson", "Fujifilm", "HP", "Konica Minolta", "Kyocera",
     "Lexmark", "Muratec", "OKI", "Olivetti", "Ricoh", "Samsung", "Sharp", "Toshiba TEC",
     "Xerox"}
)  # fmt: skip
LABEL_PRINTER_VENDORS = frozenset(
    {"Zebra", "SATO", "TSC", "Intermec", "Datamax", "cab", "Bixolon", "Printronix"}
)
UPS_VENDORS = frozenset(
    {"APC", "Eaton", "Delta", "Vertiv", "Tripp Lite", "Socomec", "Riello", "CyberPower"}
)
MONITOR_VENDORS = frozenset(
    {"Philips", "GE HealthCare", "Mindray", "Welch Allyn", "Nihon Kohden", "Spacelabs",
     "Dräger"}
)  # fmt: skip
NETWORK_VENDORS = frozenset({"Cisco", "Juniper", "Broadcom", "Ubiquiti"})


def enterprise_number(sys_object_id: tuple[int, ...] | None) -> int | None:
    """The enterprise arc of a sysObjectID under 1.3.6.1.4.1, else None."""
    if not sys_object_id or len(sys_object_id) <= len(ENTERPRISE_PREFIX):
        return None
    if sys_object_id[: len(ENTERPRISE_PREFIX)] != ENTERPRISE_PREFIX:
        return None
    return sys_object_id[len(ENTERPRISE_PREFIX)]


def vendor_for_enterprise(number: int | None) -> str | None:
    return None if number is None else ENTERPRISE_VENDORS.get(number)

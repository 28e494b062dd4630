"""Printer-MIB (RFC 3805) decoders: walked varbinds in, domain objects out. Pure.

Each decoder returns what it could read plus a list of ``TableError``; a bad cell
costs that cell (or that row), never the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wardfleet.domain.status import DeviceAlert, Severity, Supply, TableError, Tray
from wardfleet.protocols import oids
from wardfleet.protocols.snmp_decode import (
    INT32_MAX,
    INT32_MIN,
    Problem,
    as_int,
    as_text,
    enum_name,
    index_str,
    noted,
    table_rows,
)
from wardfleet.protocols.snmp_types import Oid, SnmpValue, Varbinds

# IANA-PRINTER-MIB PrtMarkerSuppliesTypeTC
SUPPLY_TYPES = {
    1: "other", 2: "unknown", 3: "toner", 4: "wasteToner", 5: "ink", 6: "inkCartridge",
    7: "inkRibbon", 8: "wasteInk", 9: "opc", 10: "developer", 11: "fuserOil",
    12: "solidWax", 13: "ribbonWax", 14: "wasteWax", 15: "fuser", 16: "coronaWire",
    17: "fuserOilWick", 18: "cleanerUnit", 19: "fuserCleaningPad", 20: "transferUnit",
    21: "tonerCartridge", 22: "fuserOiler", 23: "water", 24: "wasteWater",
    25: "glueWaterAdditive", 26: "wastePaper", 27: "bindingSupply", 28: "bandingSupply",
    29: "stitchingWire", 30: "shrinkWrap", 31: "paperWrap", 32: "staples", 33: "inserts",
    34: "covers", 35: "matteToner", 36: "matteInk",
}  # fmt: skip
# PrtMarkerSuppliesClassTC
SUPPLY_CLASSES = {1: "other", 3: "supplyThatIsConsumed", 4: "receptacleThatIsFilled"}
# PrtMarkerSuppliesSupplyUnitTC
SUPPLY_UNITS = {
    1: "other", 2: "unknown", 3: "tenThousandthsOfInches", 4: "micrometers",
    7: "impressions", 8: "sheets", 11: "hours", 12: "thousandthsOfOunces",
    13: "tenthsOfGrams", 14: "hundrethsOfFluidOunces", 15: "tenthsOfMilliliters",
    16: "feet", 17: "meters", 18: "items", 19: "percent",
}  # fmt: skip
# PrtAlertSeverityLevelTC
ALERT_SEVERITIES = {
    1: Severity.INFO,  # other
    3: Severity.CRITICAL,
    4: Severity.WARNING,
    5: Severity.INFO,  # warningBinaryChangeEvent: a state change such as "door closed"
}
# PrtAlertGroupTC
ALERT_GROUPS = {
    1: "other", 2: "unknown", 3: "hostResourcesMIBStorageTable",
    4: "hostResourcesMIBDeviceTable", 5: "generalPrinter", 6: "cover", 7: "localization",
    8: "input", 9: "output", 10: "marker", 11: "markerSupplies", 12: "markerColorant",
    13: "mediaPath", 14: "channel", 15: "interpreter", 16: "consoleDisplayBuffer",
    17: "consoleLights", 18: "alert", 30: "finDevice", 31: "finSupply",
    32: "finSupplyMediaInput", 33: "finAttribute",
}  # fmt: skip
# PrtAlertCodeTC, the codes a ward will meet
ALERT_CODES = {
    1: "other", 2: "unknown", 3: "coverOpen", 4: "coverClosed", 5: "interlockOpen",
    6: "interlockClosed", 7: "configurationChange", 8: "jam", 9: "subunitMissing",
    10: "subunitLifeAlmostOver", 11: "subunitLifeOver", 12: "subunitAlmostEmpty",
    13: "subunitEmpty", 14: "subunitAlmostFull", 15: "subunitFull", 16: "subunitNearLimit",
    17: "subunitAtLimit", 18: "subunitOpened", 19: "subunitClosed", 20: "subunitTurnedOn",
    21: "subunitTurnedOff", 22: "subunitOffline", 23: "subunitPowerSaver",
    24: "subunitWarmingUp", 25: "subunitAdded", 26: "subunitRemoved",
    27: "subunitResourceAdded", 28: "subunitResourceRemoved",
    29: "subunitRecoverableFailure", 30: "subunitUnrecoverableFailure",
    501: "doorOpen", 502: "doorClosed", 503: "poweredUp", 504: "poweredDown",
    505: "printerNMSReset", 506: "printerManualReset", 507: "printerReadyToPrint",
    801: "inputMediaTrayMissing", 802: "inputMediaSizeChange", 807: "inputMediaSupplyLow",
    808: "inputMediaSupplyEmpty", 809: "inputManualInputRequest",
    901: "outputMediaTrayMissing", 902: "outputMediaTrayAlmostFull",
    903: "outputMediaTrayFull", 1001: "markerFuserUnderTemperature",
    1002: "markerFuserOverTemperature", 1101: "markerTonerEmpty", 1102: "markerInkEmpty",
    1103: "markerPrintRibbonEmpty", 1104: "markerTonerAlmostEmpty",
    1105: "markerInkAlmostEmpty", 1106: "markerPrintRibbonAlmostEmpty",
    1107: "markerWasteTonerReceptacleAlmostFull", 1108: "markerWasteInkReceptacleAlmostFull",
    1109: "markerWasteTonerReceptacleFull", 1110: "markerWasteInkReceptacleFull",
    1111: "markerOpcLifeAlmostOver", 1112: "markerOpcLifeOver",
    1113: "markerDeveloperAlmostEmpty", 1114: "markerDeveloperEmpty",
    1115: "markerTonerCartridgeMissing", 1301: "mediaPathMediaTrayMissing",
    1302: "mediaPathMediaTrayAlmostFull", 1303: "mediaPathMediaTrayFull",
    1801: "alertRemovalOfBinaryChangeEntry",
}  # fmt: skip

# Two-word colours first, so "Matte Black" is not read as plain black.
_COLOUR_WORDS = (
    "light light black", "matte black", "photo black", "light black", "light cyan",
    "light magenta", "light grey", "light gray", "dark grey", "dark gray",
    "black", "cyan", "magenta", "yellow", "red", "green", "blue", "orange", "violet",
    "grey", "gray",
)  # fmt: skip
_COLOUR_RE = re.compile(
    r"\b(" + "|".join(w.replace(" ", r"\s+") for w in _COLOUR_WORDS) + r")\b", re.IGNORECASE
)
# Colorant values that name no colour.
_NO_COLOUR = {"", "unknown", "other", "none", "n/a"}


@dataclass(frozen=True, slots=True)
class ColouredSupply:
    """A supply and where its colour came from (``colorant-table``/``description-keyword``)."""

    supply: Supply
    colour_source: str | None


def colour_from_description(description: str) -> str | None:
    """The colour a supply's description names, e.g. "CANON Matte Black Ink" → "matte black"."""
    found = _COLOUR_RE.search(description)
    if found is None:
        return None
    return " ".join(found.group(1).lower().split()).replace("gray", "grey")


def _level(value: SnmpValue | None, what: str, where: str, errors: list[str]) -> int | None:
    """An Integer32 level or capacity; ``None`` (with a reason) when the cell is unusable."""
    if value is None:
        return None
    return noted(as_int(value, lo=INT32_MIN, hi=INT32_MAX), f"{where} {what}", errors)


def decode_supplies(
    supplies: Varbinds, colorants: Varbinds | None = None
) -> tuple[list[ColouredSupply], list[TableError]]:
    """prtMarkerSuppliesTable (+ prtMarkerColorantValue) → supplies in OID order."""
    problems: list[str] = []
    colour_names = _colorant_names(colorants or {}, problems)
    out: list[ColouredSupply] = []
    for index, cells in table_rows(supplies, oids.PRT_SUPPLIES_ENTRY).items():
        where = f"supply {index_str(index)}"
        optional = {
            oids.SUP_TYPE: SUPPLY_TYPES,
            oids.SUP_CLASS: SUPPLY_CLASSES,
            oids.SUP_UNIT: SUPPLY_UNITS,
        }
        names = {
            column: noted(enum_name(table, cells[column]), f"{where} column {column}", problems)
            if column in cells
            else None
            for column, table in optional.items()
        }
        description = _description(cells.get(oids.SUP_DESCR), where, problems)
        colour, source = _supply_colour(index, cells, colour_names, description)
        supply = Supply(
            index=index_str(index),
            description=description or names[oids.SUP_TYPE] or where,
            type=names[oids.SUP_TYPE],
            supply_class=names[oids.SUP_CLASS],
            unit=names[oids.SUP_UNIT],
            colour=colour,
            level=_level(cells.get(oids.SUP_LEVEL), "level", where, problems),
            capacity=_level(cells.get(oids.SUP_MAX), "capacity", where, problems),
        )
        out.append(ColouredSupply(supply, source))
    return out, [TableError("prtMarkerSuppliesTable", p) for p in problems]


def _description(value: SnmpValue | None, where: str, problems: list[str]) -> str:
    if value is None:
        return ""
    return noted(as_text(value, repair=True), f"{where} description", problems) or ""


def _colorant_names(colorants: Varbinds, problems: list[str]) -> dict[Oid, str]:
    """``{(hrDeviceIndex, colorantIndex): "cyan"}`` from prtMarkerColorantValue."""
    names: dict[Oid, str] = {}
    prefix = oids.PRT_COLORANT_VALUE
    for oid, value in colorants.items():
        if oid[: len(prefix)] != prefix or len(oid) != len(prefix) + 2:
            continue
        text = noted(as_text(value), f"colorant {index_str(oid[len(prefix) :])}", problems)
        if text is not None and text.lower() not in _NO_COLOUR:
            names[oid[len(prefix) :]] = " ".join(text.lower().split())
    return names


def _supply_colour(
    index: Oid, cells: dict[int, SnmpValue], colour_names: dict[Oid, str], description: str
) -> tuple[str | None, str | None]:
    link = as_int(cells.get(oids.SUP_COLORANT, 0))
    if not isinstance(link, Problem) and link > 0 and len(index) == 2:
        linked = colour_names.get((index[0], link))
        if linked:
            return linked, "colorant-table"
    keyword = colour_from_description(description)
    return (keyword, "description-keyword") if keyword else (None, None)


def decode_trays(inputs: Varbinds) -> tuple[list[Tray], list[TableError]]:
    """prtInputTable → trays in OID order."""
    problems: list[str] = []
    trays: list[Tray] = []
    for index, cells in table_rows(inputs, oids.PRT_INPUT_ENTRY).items():
        where = f"tray {index_str(index)}"
        name = ""
        if oids.IN_NAME in cells:
            name = noted(as_text(cells[oids.IN_NAME]), f"{where} name", problems) or ""
        level = _level(cells.get(oids.IN_LEVEL), "level", where, problems)
        capacity = _level(cells.get(oids.IN_MAX), "capacity", where, problems)
        if level is None and capacity is None and not name:
            continue  # a row with only other columns tells nothing about paper
        trays.append(Tray(index_str(index), name or f"Tray {index_str(index)}", level, capacity))
    return trays, [TableError("prtInputTable", p) for p in problems]


def decode_alerts(alerts: Varbinds) -> tuple[list[DeviceAlert], list[TableError]]:
    """prtAlertTable → the device's own current alerts."""
    problems: list[str] = []
    out: list[DeviceAlert] = []
    for index, cells in table_rows(alerts, oids.PRT_ALERT_ENTRY).items():
        where = f"alert {index_str(index)}"
        code = noted(enum_name(ALERT_CODES, cells.get(oids.AL_CODE)), f"{where} code", problems)
        if code is None:
            continue
        description = noted(
            as_text(cells.get(oids.AL_DESCR, b"")), f"{where} description", problems
        )
        severity = Severity.WARNING
        if oids.AL_SEVERITY in cells:
            level = noted(as_int(cells[oids.AL_SEVERITY]), f"{where} severity", problems)
            if level is not None:
                severity = ALERT_SEVERITIES.get(level, Severity.WARNING)
        group = None
        if oids.AL_GROUP in cells:
            group = noted(enum_name(ALERT_GROUPS, cells[oids.AL_GROUP]), f"{where} group", problems)
        out.append(DeviceAlert(code, description or code, severity, group))
    return out, [TableError("prtAlertTable", p) for p in problems]


def decode_page_count(counters: Varbinds) -> tuple[int | None, list[TableError]]:
    """prtMarkerLifeCount of the first marker (Counter32; a device's lifetime pages)."""
    prefix = oids.PRT_MARKER_LIFE_COUNT
    for oid in sorted(counters):
        if oid[: len(prefix)] != prefix:
            continue
        count = as_int(counters[oid], lo=0, hi=2**32 - 1)
        if isinstance(count, Problem):
            return None, [TableError("prtMarkerLifeCount", str(count))]
        return count, []
    return None, []

"""Device rows as CSV (for spreadsheets) and as tab-separated text (for the clipboard)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from wardfleet.domain.device import DeviceOverview
from wardfleet.ui import texts

translate = QCoreApplication.translate

# A cell starting like a formula would run in Excel/LibreOffice: device names are
# attacker-controlled, so such cells get a leading apostrophe (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def csv_header() -> list[str]:
    return [
        translate("Export", "Name"),
        translate("Export", "Kind"),
        translate("Export", "Ward"),
        translate("Export", "Location"),
        translate("Export", "IP address"),
        translate("Export", "MAC address"),
        translate("Export", "Serial number"),
        translate("Export", "Vendor"),
        translate("Export", "Model"),
        translate("Export", "State"),
        translate("Export", "Supplies"),
        translate("Export", "Last seen"),
        translate("Export", "New"),
    ]


def csv_row(overview: DeviceOverview) -> list[str]:
    d = overview.device
    return [
        d.display_name,
        texts.kind_text(d.kind),
        d.ward or "",
        d.location or "",
        d.address or "",
        d.identity.mac or "",
        d.identity.serial or "",
        d.vendor or "",
        d.model or "",
        texts.state_text(d.state),
        texts.supply_summary(overview.status),
        texts.absolute_time(d.last_seen) if d.last_seen is not None else "",
        translate("Export", "yes") if d.is_new else "",
    ]


def csv_text(overviews: Iterable[DeviceOverview]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_header())
    for overview in overviews:
        writer.writerow([safe_cell(cell) for cell in csv_row(overview)])
    return buffer.getvalue()


def write_csv(path: Path, content: str) -> None:
    """Blocking file write: call it through ``asyncio.to_thread``.

    UTF-8 with BOM so Excel on Windows shows "Süd" and "Ysbyty" correctly.
    """
    path.write_text(content, encoding="utf-8-sig", newline="")


def tsv_text(rows: Sequence[Sequence[str]]) -> str:
    def clean(cell: str) -> str:
        return cell.replace("\t", " ").replace("\n", " ")

    return "\n".join("\t".join(clean(c) for c in row) for row in rows)

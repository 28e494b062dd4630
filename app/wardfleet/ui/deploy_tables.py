"""The Deploy wizard's tables: the dry-run plan and the per-device results, as plain text."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QWidget

from wardfleet.services.deploy import DeviceResult, Plan


def make_table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)  # plain text: never interpreted as markup
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def _who(device: str, device_id: str | None, names: Mapping[str, str]) -> str:
    """The inventory name when known ("Ward 4 laser"), else the address the job used."""
    return names.get(device_id, device) if device_id else device


_PROTOCOL_NAMES = {"snmp": "SNMP", "ipp": "IPP"}  # as people write them, not as keys


def plan_rows(plan: Plan, names: Mapping[str, str]) -> list[list[str]]:
    return [
        [_who(r.device, r.device_id, names), r.setting.label,
         r.current if r.current is not None else "", r.new,
         _PROTOCOL_NAMES.get(r.protocol, r.protocol), r.credential]
        for r in plan.rows
    ]  # fmt: skip


def result_rows(results: list[DeviceResult], names: Mapping[str, str]) -> list[list[str]]:
    rows = []
    for result in results:
        who = _who(result.device, result.device_id, names)
        for s in result.settings:
            rows.append([
                who, s.setting.label, s.status,
                s.verified if s.verified is not None else "", s.error or result.reason or "",
            ])  # fmt: skip
        if not result.settings:
            rows.append([who, "", result.outcome.value, "", result.reason or ""])
    return rows

"""The audit log viewer: every change made from this desktop, filterable, exportable, and
a "Verify chain" button that names the first edited, deleted or reordered entry.

Entries are read and checked off the UI thread; all cell text is plain text.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wardfleet.store import Store, audit
from wardfleet.ui import texts
from wardfleet.ui.file_dialogs import ask_save_path
from wardfleet.ui.widgets import select_row_only


def _plain(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class AuditView(QDialog):
    """Shows the local audit log. ``entries_loaded`` and ``verified`` tell tests it's done."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._tasks: set[asyncio.Task[Any]] = set()
        self.entries: list[audit.AuditEntry] = []
        self.setWindowTitle(self.tr("Audit log"))
        self.setAccessibleName(self.tr("Audit log"))
        self.resize(900, 500)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter by user, action, device or result"))
        self.filter.setAccessibleName(self.tr("Filter audit entries"))
        self.filter.setClearButtonEnabled(True)

        headers = [
            self.tr("#"), self.tr("Time"), self.tr("User"), self.tr("Action"),
            self.tr("Device"), self.tr("Before"), self.tr("After"), self.tr("Result"),
        ]  # fmt: skip
        self.model = QStandardItemModel(0, len(headers), self)
        self.model.setHorizontalHeaderLabels(headers)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Audit entries"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(self.tr("Audit log status"))
        self.status.setWordWrap(True)

        self.verify_button = QPushButton(self.tr("&Verify chain"), self)
        self.verify_button.setAccessibleName(self.tr("Verify the audit chain"))
        self.export_button = QPushButton(self.tr("&Export CSV…"), self)
        self.export_button.setAccessibleName(self.tr("Export the audit log as CSV"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        row = QHBoxLayout()
        row.addWidget(self.verify_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)

        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.verify_button.clicked.connect(lambda: self._spawn(self.verify()))
        self.export_button.clicked.connect(self.choose_export)
        self.finished.connect(lambda _r: self._cancel_tasks())
        self._spawn(self.reload())

    # tasks -------------------------------------------------------------------------------
    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _cancel_tasks(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    # loading -----------------------------------------------------------------------------
    async def reload(self) -> None:
        self.entries = await asyncio.to_thread(self.store.audit_entries)
        self.model.setRowCount(0)
        for entry in self.entries:
            when = texts.absolute_time(entry.ts)
            cells = [
                str(entry.id), when, entry.actor, entry.action, entry.device_id or "",
                _plain(entry.before), _plain(entry.after), entry.result,
            ]  # fmt: skip
            items = []
            for text in cells:
                item = QStandardItem(text)
                item.setEditable(False)
                item.setToolTip(text)
                items.append(item)
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()
        self.status.setText(texts.fill(self.tr("%1 entries"), len(self.entries)))

    # verify ------------------------------------------------------------------------------
    async def verify(self) -> audit.ChainBreak | None:
        self.verify_button.setEnabled(False)
        try:
            broken = await asyncio.to_thread(self.store.verify_audit)
        finally:
            self.verify_button.setEnabled(True)
        if broken is None:
            self.status.setText(
                texts.fill(self.tr("Chain intact: %1 entries, none changed."), len(self.entries))
            )
            return None
        self.status.setText(
            texts.fill(self.tr("Chain broken at entry %1: %2"), broken.entry_id, broken.reason)
        )
        self._select_entry(broken.entry_id)
        return broken

    def _select_entry(self, entry_id: int) -> None:
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            if item is not None and item.text() == str(entry_id):
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    select_row_only(self.table, index)
                return

    # export ------------------------------------------------------------------------------
    def choose_export(self) -> None:
        default = str(Path.home() / "wardfleet-audit.csv")
        ask_save_path(
            self,
            self.tr("Export audit log"),
            default,
            self.tr("CSV files (*.csv)"),
            lambda path: self._spawn(self.export_to(path)),
        )

    async def export_to(self, path: Path) -> bool:
        entries = list(self.entries)

        def write() -> None:
            with path.open("w", newline="", encoding="utf-8") as out:
                audit.write_csv(entries, out)

        try:
            await asyncio.to_thread(write)
        except OSError as exc:
            self.status.setText(
                texts.fill(self.tr("Could not write %1: %2"), path, exc.strerror or exc)
            )
            return False
        self.status.setText(texts.fill(self.tr("Exported %1 entries to %2"), len(entries), path))
        return True

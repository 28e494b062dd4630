"""The Preferences section for scheduled profile conformance (local settings of this desktop).

Values are read and written off the UI thread; saving asks the running check to work out
its next due time again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wardfleet.services import conformance
from wardfleet.store import Store

log = logging.getLogger(__name__)
_saving: set[asyncio.Task[Any]] = set()  # outlive the dialog that started them


class ConformancePrefs(QGroupBox):
    def __init__(
        self,
        store: Store,
        reschedule: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Profile conformance"), parent)
        self.setAccessibleName(self.tr("Profile conformance"))
        self._store = store
        self._reschedule = reschedule
        self._loaded: tuple[int, bool] | None = None
        self.saving: asyncio.Task[None] | None = None  # the last save, for whoever waits
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel(self.tr("Check profile &conformance every"))
        self.hours = QSpinBox()
        self.hours.setObjectName("conformanceHours")
        self.hours.setRange(1, 168)
        interval_name = self.tr("Conformance check interval in hours")
        self.hours.setAccessibleName(interval_name)
        for edit in self.hours.findChildren(QLineEdit):  # the spin box's own editor
            edit.setAccessibleName(interval_name)
        label.setBuddy(self.hours)
        row.addWidget(label)
        row.addWidget(self.hours)
        row.addWidget(QLabel(self.tr("hours")))
        row.addStretch(1)
        layout.addLayout(row)
        self.reapply = QCheckBox(self.tr("&Re-apply drifted settings automatically"))
        self.reapply.setObjectName("conformanceReapply")
        self.reapply.setAccessibleName(self.tr("Re-apply drifted settings automatically"))
        self.reapply.setToolTip(
            self.tr(
                "Off by default. Re-applied settings are verified, rolled back on failure and "
                "audited; only a ward lead or an admin may re-apply."
            )
        )
        layout.addWidget(self.reapply)
        self.setEnabled(False)  # until the stored values are in
        self.loading = asyncio.ensure_future(self._load())

    async def _load(self) -> None:
        store = self._store
        hours, reapply = await asyncio.to_thread(
            lambda: (conformance.interval_hours(store), conformance.reapply_enabled(store))
        )
        if not shiboken6.isValid(self.hours):  # the dialog was closed while we read
            return
        self._loaded = (max(1, round(hours)), reapply)
        self.hours.setValue(self._loaded[0])
        self.reapply.setChecked(reapply)
        self.setEnabled(True)

    def save(self) -> asyncio.Task[None] | None:
        """Write what changed (nothing when the values were never loaded or not touched)."""
        if self._loaded is None:
            return None
        chosen = (self.hours.value(), self.reapply.isChecked())
        if chosen == self._loaded:
            return None
        task = self.saving = asyncio.ensure_future(self._save(*chosen))
        _saving.add(task)
        task.add_done_callback(_saving.discard)
        return task

    async def _save(self, hours: int, reapply: bool) -> None:
        store = self._store

        def write() -> None:
            conformance.set_interval_hours(store, hours)
            conformance.set_reapply(store, reapply)

        try:
            await asyncio.to_thread(write)
        except Exception:  # a full disk: logged; the old values stay in force
            log.exception("cannot save the conformance settings")
            return
        if self._reschedule is not None:
            self._reschedule()

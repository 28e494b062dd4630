"""Load device rows from the store off the UI thread, coalescing bursts of requests."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QObject, QTimer, Signal

from wardfleet.store import Store
from wardfleet.ui.device_model import DeviceTableModel

log = logging.getLogger(__name__)


class OverviewLoader(QObject):
    """``request()`` as often as you like: at most one query runs, and one more follows
    if requests came in meanwhile. A poll round of 1,000 devices is one query, not 1,000."""

    loaded = Signal()
    failed = Signal(object)

    def __init__(
        self,
        store: Store,
        model: DeviceTableModel,
        debounce_ms: int = 250,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._model = model
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._start)
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self.load_count = 0

    def request(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def refresh_now(self) -> None:
        self._timer.stop()
        self._start()

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or (self._task is not None and not self._task.done())

    def close(self) -> None:
        self._timer.stop()
        self._again = False
        if self._task is not None:
            self._task.cancel()

    def _start(self) -> None:
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.ensure_future(self._load())
        self._task.add_done_callback(self._finished)

    async def _load(self) -> None:
        rows = await asyncio.to_thread(self._store.list_overview)
        self._model.set_rows(rows)
        self.load_count += 1
        self.loaded.emit()

    def _finished(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("loading the device list failed", exc_info=exc)
            self.failed.emit(exc)
        if self._again:
            self._again = False
            self.request()

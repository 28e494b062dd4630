"""Fixtures for UI tests: an asyncio loop on Qt, a seeded store, a fake runtime, a window."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

# The top-level conftest sets this too; UI tests must never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtCore import QSettings, Qt

from wardfleet.services.events import (
    ActivityEvent,
    HubState,
    RuntimeListener,
    SyncSnapshot,
)
from wardfleet.store import Store

from .alerts_seed import alert_store, rounds, ward  # noqa: F401  (fixtures: the alerts tests')
from .seed import seed_ward

NOW = 1_800_000_000.0  # fixed "now" for seeded data; relative times use the real clock


@pytest.fixture(autouse=True)
def no_held_modifiers(qapp: object) -> Iterator[None]:
    """QTest.keyClick(w, key, Ctrl) leaves QGuiApplication.keyboardModifiers() at Ctrl
    (its release event still carries the modifier), so every later selectRow() would
    toggle instead of select. Release them after each test."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    yield
    if QGuiApplication.keyboardModifiers() != Qt.KeyboardModifier.NoModifier:
        sink = QWidget()
        QTest.keyRelease(sink, Qt.Key.Key_Control)  # a release with no modifier resets it
        sink.deleteLater()


@pytest.fixture
def qloop(qapp: object, qtbot: object) -> Iterator[qasync.QEventLoop]:
    """NOTES.md's recipe, plus an executor we shut down so no worker thread outlives a test."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    executor = qasync.QThreadExecutor(4)
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        qtbot.waitUntil(lambda: all(t.done() for t in pending), timeout=5000)  # type: ignore[attr-defined]
    # Deliver what worker threads queued for this loop while it is still alive: a queued
    # call_soon_threadsafe signal reaching a closed loop's objects crashes Qt.
    qtbot.wait(20)  # type: ignore[attr-defined]
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)
    # qasync offers no public way to close a loop made with already_running=True; clear
    # its flag so close() releases the self-pipe sockets and shuts the executor down.
    loop._QEventLoop__is_running = False
    loop.close()
    # Timers the closed loop still has registered with Qt (timeouts, sleeps) would fire
    # into it during a later test; kill them now.
    timer = loop._timer
    for timer_id in list(timer._SimpleTimer__callbacks):
        timer.killTimer(timer_id)
    timer._SimpleTimer__callbacks.clear()


class FakeRuntime:
    """Satisfies ui.runtime_api.UiRuntime; records what the UI asked for."""

    def __init__(self) -> None:
        self.listeners: list[RuntimeListener] = []
        self.polled: list[str] = []
        self.rescans = 0
        self.started = False
        self.stopped = False
        self.snapshot = SyncSnapshot(HubState.OFFLINE, queued_changes=3, last_sync=None)
        self.poll_error: Exception | None = None
        self.rescan_result: object = 2
        self.rescan_gate: asyncio.Event | None = None
        self.sync_nows = 0
        self.sync_reloads = 0
        self.endpoints: list[Any] = []

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    def subscribe(self, listener: RuntimeListener) -> None:
        self.listeners.append(listener)

    async def poll_now(self, device_id: str) -> object:
        self.polled.append(device_id)
        if self.poll_error is not None:
            raise self.poll_error
        return None

    async def rescan(self) -> object:
        self.rescans += 1
        if self.rescan_gate is not None:
            await self.rescan_gate.wait()
        return self.rescan_result

    def sync_snapshot(self) -> SyncSnapshot:
        return self.snapshot

    def sync_now(self) -> None:
        self.sync_nows += 1

    async def reload_sync(self) -> None:
        self.sync_reloads += 1

    def add_snmp_endpoints(self, endpoints: Sequence[Any]) -> None:
        self.endpoints.extend(endpoints)

    # Helpers for tests: report as the real runtime would.
    def emit_activity(self, event: ActivityEvent) -> None:
        for listener in self.listeners:
            listener.activity(event)

    def emit_inventory(self, ids: list[str]) -> None:
        for listener in self.listeners:
            listener.inventory_changed(ids)

    def emit_status(self, ids: list[str]) -> None:
        for listener in self.listeners:
            listener.status_changed(ids)

    def emit_sync(self, snapshot: SyncSnapshot) -> None:
        self.snapshot = snapshot
        for listener in self.listeners:
            listener.sync_changed(snapshot)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = Store.open(data_dir / "wardfleet.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def seeded_store(store: Store) -> Store:
    seed_ward(store, now=NOW)
    return store


@pytest.fixture
def runtime() -> FakeRuntime:
    return FakeRuntime()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui-settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(
    qtbot: object,
    qloop: qasync.QEventLoop,
    runtime: FakeRuntime,
    settings: QSettings,
    data_dir: Path,
) -> Iterator[object]:
    """Build started main windows over a store; they are shut down after the test."""
    from wardfleet.ui.main_window import MainWindow

    made: list[MainWindow] = []

    def make(store: Store, *, rows: int | None = None, restore: bool = False) -> MainWindow:
        window = MainWindow(
            store, runtime, settings, data_dir=data_dir, log_path=data_dir / "logs" / "w.log"
        )
        if restore:
            window.restored = window.restore_settings()  # type: ignore[attr-defined]
        window.show()
        window.start()
        if rows is not None:
            qtbot.waitUntil(lambda: window.model.rowCount() == rows, timeout=5000)  # type: ignore[attr-defined]
        made.append(window)
        return window

    yield make
    # Not qtbot.addWidget: pytest-qt would delete the windows before this teardown runs,
    # and their async shutdown needs them alive.
    for window in made:
        task = asyncio.ensure_future(window.shutdown())
        qtbot.waitUntil(task.done, timeout=5000)  # type: ignore[attr-defined]
        window.close()
        window.deleteLater()


@pytest.fixture
def window(make_window: object, seeded_store: Store) -> object:
    return make_window(seeded_store, rows=10)  # type: ignore[operator]

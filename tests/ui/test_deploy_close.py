"""Closing the Deploy dialog, or quitting the app, while an apply runs: the change is rolled
back on a real net-snmp snmpd (confirmed with ``snmpget``) before the dialog closes or the
shutdown returns, and nothing raises on deleted widgets or a closed store."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.peers.snmp import SnmpdAgent
from tests.peers.snmp_strings import location_kept, snmpget
from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
from wardfleet.protocols.snmp_credentials import community
from wardfleet.services.deploy import Deployer, DeviceJob, Setting, SnmpEndpoint
from wardfleet.store import Store
from wardfleet.ui.deploy_dialog import PLAN, PROGRESS, DeployDialog

pytestmark = pytest.mark.peer("snmpd")

WANTED = "Ward 9 <b>bay</b>"


class PauseAfterFirstSet:
    """The REAL SNMP endpoint with a hook in its write path: the first SET reaches snmpd,
    then its reply "lingers" until ``release`` is set or ``linger_s`` passes, so the dialog
    can be closed between the SET and the deploy's next step (a timing no peer offers)."""

    def __init__(self, inner: SnmpEndpoint, linger_s: float) -> None:
        self.inner = inner
        self.device, self.device_id = inner.device, inner.device_id
        self.protocol, self.credential = inner.protocol, inner.credential
        self.linger_s = linger_s
        self.first_set = asyncio.Event()
        self.release = asyncio.Event()
        self.writes: list[tuple[str, str]] = []

    async def read(self, settings: Any) -> dict[str, str | None]:
        return await self.inner.read(settings)

    async def write(self, setting: Any, value: str) -> None:
        self.writes.append((setting.key, value))
        await self.inner.write(setting, value)
        if len(self.writes) == 1:
            self.first_set.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.release.wait(), self.linger_s)


@pytest.fixture
def agent(snmpd_agent: SnmpdAgent, qloop: qasync.QEventLoop) -> Iterator[SnmpdAgent]:
    with location_kept(snmpd_agent):
        yield snmpd_agent
        close_engine(qloop)


def applying_dialog(
    qtbot: Any, agent: SnmpdAgent, store: Store, linger_s: float, parent: QWidget | None = None
) -> tuple[DeployDialog, list[PauseAfterFirstSet]]:
    """A dialog whose apply has sent its first SET and is paused right after it."""
    hooks: list[PauseAfterFirstSet] = []

    def make_jobs(desired: Sequence[tuple[Setting, str]]) -> list[DeviceJob]:
        session = SnmpSession(SnmpTarget(agent.host, agent.port, 1.0, 1),
                              community(agent.rw_community))  # fmt: skip
        hook = PauseAfterFirstSet(SnmpEndpoint(session, "dev-1"), linger_s)
        hooks.append(hook)
        return [DeviceJob(hook, tuple(desired))]

    dialog = DeployDialog(Deployer(store, actor="ui-tester"), make_jobs, parent)
    dialog.location_edit.setText(WANTED)
    return dialog, hooks


def start_apply(qtbot: Any, dialog: DeployDialog, hooks: list[PauseAfterFirstSet]) -> None:
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PLAN, timeout=5000)
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: len(hooks) == 1 and hooks[-1].first_set.is_set(), timeout=5000)
    assert dialog.pages.currentIndex() == PROGRESS


def rollback_results(store: Store) -> list[tuple[str | None, str]]:
    return [(e.device_id, e.result) for e in store.audit_entries() if e.action == "deploy.rollback"]


def test_escape_during_progress_rolls_back_then_closes(
    qtbot: Any, agent: SnmpdAgent, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    before = snmpget(agent)
    dialog, hooks = applying_dialog(qtbot, agent, store, linger_s=10.0)
    qtbot.addWidget(dialog)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # as MainWindow._show_dialog
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    dialog.open()
    start_apply(qtbot, dialog, hooks)
    assert snmpget(agent) == WANTED  # the first SET really went out

    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.close()  # the window's close button: the same
    assert dialog.isVisible() and not finished  # kept open while it undoes
    assert dialog.message.text() == "Cancelling — undoing changes already made…"
    assert not dialog.cancel_button.isEnabled()

    hooks[0].release.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=10000)  # then it closes by itself
    assert snmpget(agent) == before
    assert hooks[0].writes == [("location", WANTED), ("location", before)]
    assert rollback_results(store) == [("dev-1", "rolled back, verified")]
    assert dialog.results is not None and dialog.results[0].outcome.value == "cancelled"
    assert store.verify_audit() is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_main_window_shutdown_rolls_back_before_it_returns(
    qtbot: Any,
    agent: SnmpdAgent,
    store: Store,
    make_window: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = snmpget(agent)
    window = make_window(store)
    dialog, hooks = applying_dialog(qtbot, agent, store, linger_s=0.3, parent=window)
    window._show_dialog(dialog)
    start_apply(qtbot, dialog, hooks)

    window.close()  # what quitting does first (closes the dialogs), then app.py awaits:
    seen: list[str] = []

    async def quit_app() -> None:
        await window.shutdown()
        seen.append(await asyncio.to_thread(snmpget, agent))  # before the store closes

    task = asyncio.ensure_future(quit_app())
    qtbot.waitUntil(task.done, timeout=15000)
    assert task.exception() is None
    assert seen == [before]
    assert hooks[0].writes == [("location", WANTED), ("location", before)]
    assert rollback_results(store) == [("dev-1", "rolled back, verified")]
    assert not [e for e in store.audit_entries() if e.action == "deploy.stop"]
    assert store.verify_audit() is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

"""The scan dialog against a real SNMP agent (snmpsim on loopback), on the qasync loop."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QSettings

from tests.peers.snmp import SnmpsimAgent
from wardfleet.protocols.snmp import close_engine
from wardfleet.store import Store
from wardfleet.ui.scan_dialog import ONE_OFF, TARGETS_KEY, ScanDialog

from .conftest import FakeRuntime


@pytest.fixture
def dialog(
    qtbot: Any, qloop: qasync.QEventLoop, store: Store, runtime: FakeRuntime, settings: QSettings
) -> Iterator[ScanDialog]:
    made = ScanDialog(store, runtime, settings)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()
    close_engine(qloop)


def use_community(dialog: ScanDialog, value: str) -> None:
    dialog.credential.setCurrentIndex(dialog.credential.findData(ONE_OFF))
    dialog.community.setText(value)


def test_scan_finds_the_device_and_the_runtime_watches_it(
    dialog: ScanDialog,
    snmpsim_agent: SnmpsimAgent,
    store: Store,
    runtime: FakeRuntime,
    settings: QSettings,
    qtbot: Any,
) -> None:
    dialog.targets.setText("127.0.0.1")
    dialog.port.setValue(snmpsim_agent.port)
    use_community(dialog, "sharp")
    assert not dialog.warning.isVisible()
    with qtbot.waitSignal(dialog.devicesFound, timeout=10_000) as found:
        dialog.start_button.click()
    assert dialog.task is not None
    qtbot.waitUntil(dialog.task.done, timeout=10_000)
    assert dialog.progress.maximum() == 1 and dialog.progress.value() == 1
    assert dialog.found.count() == 1
    assert dialog.found.item(0).text().startswith("127.0.0.1")
    devices = store.list_devices()
    assert [d.id for d in devices] == found.args[0][:1]
    assert [(e.host, e.port) for e in runtime.endpoints] == [("127.0.0.1", snmpsim_agent.port)]
    qtbot.waitUntil(lambda: runtime.polled == [devices[0].id], timeout=2000)
    assert dialog.status.text().startswith("Scan finished: 1 addresses asked, 1 devices")
    assert settings.value(TARGETS_KEY) == "127.0.0.1"
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()


def test_stop_cancels_the_scan(dialog: ScanDialog, store: Store, qtbot: Any) -> None:
    dialog.targets.setText("127.0.9.0/24")
    dialog.port.setValue(9)
    dialog.concurrency.setValue(4)
    use_community(dialog, "nobody")
    dialog.start_button.click()
    assert dialog.stop_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress.maximum() == 254, timeout=3000)
    dialog.stop_button.click()
    task = dialog.task
    assert task is not None
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.cancelled()
    assert dialog.progress.value() < 254
    assert dialog.status.text().startswith("Scan stopped.")
    assert dialog.start_button.isEnabled()
    assert store.list_devices() == []


def test_default_community_is_warned_about(dialog: ScanDialog) -> None:
    use_community(dialog, "public")
    assert dialog.warning.isVisible()
    assert "default community" in dialog.warning.text()
    dialog.community.setText("s3cret-ward3")
    assert not dialog.warning.isVisible()


def test_a_community_is_needed(dialog: ScanDialog) -> None:
    dialog.targets.setText("127.0.0.1")
    use_community(dialog, "")
    dialog.start_button.click()
    assert dialog.task is None
    assert "Enter a community" in dialog.status.text()

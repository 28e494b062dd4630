"""The SNMP credential-set manager: secrets in the keyring only, metadata in local settings."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
import qasync
from keyring.backends import fail
from PySide6.QtCore import QSettings

from tests.keyring_memory import MemoryKeyring
from tests.peers.snmp import SnmpsimAgent
from wardfleet.protocols.snmp import close_engine
from wardfleet.protocols.snmp_credentials import (
    KEYRING_SERVICE,
    CommunityCredential,
    UsmCredential,
)
from wardfleet.services.credential_sets import load_sets, watched_endpoints
from wardfleet.services.runtime import WardRuntime
from wardfleet.services.snmp_watch import SnmpWatch
from wardfleet.store import Store
from wardfleet.ui.credentials_dialog import CredentialsDialog
from wardfleet.ui.scan_dialog import ALL_SETS, ScanDialog

from .conftest import FakeRuntime

SECRET = "w3-c0mmunity-Zq"


@pytest.fixture
def dialog(qtbot: Any, qloop: qasync.QEventLoop, store: Store) -> Iterator[CredentialsDialog]:
    made = CredentialsDialog(store)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitUntil(made.busy.done, timeout=3000)
    yield made
    made.close()


def database_bytes(data_dir: Path) -> bytes:
    """The SQLite file and its WAL/journal companions."""
    return b"".join(p.read_bytes() for p in sorted(data_dir.glob("wardfleet.sqlite3*")))


def save(dialog: CredentialsDialog, qtbot: Any) -> None:
    task = dialog.save()
    assert task is not None
    qtbot.waitUntil(task.done, timeout=3000)


def add_community(dialog: CredentialsDialog, qtbot: Any, name: str, value: str) -> None:
    dialog.new_set()
    dialog.name.setText(name)
    dialog.community.setText(value)
    save(dialog, qtbot)


def test_community_goes_to_the_keyring_not_the_database(
    dialog: CredentialsDialog,
    memory_keyring: MemoryKeyring,
    store: Store,
    data_dir: Path,
    qtbot: Any,
) -> None:
    add_community(dialog, qtbot, "Ward 3", SECRET)
    assert dialog.message.text() == "Saved “Ward 3”."
    assert memory_keyring.passwords == {(KEYRING_SERVICE, "set/Ward 3/community"): SECRET}
    sets = load_sets(store)
    assert sets == [CommunityCredential("set/Ward 3/community", name="Ward 3")]
    assert SECRET.encode() not in database_bytes(data_dir)
    assert b"set/Ward 3/community" in database_bytes(data_dir)
    assert dialog.list.count() == 1 and dialog.list.item(0).text() == "Ward 3 — SNMP v2c"


def test_v3_keys_go_to_the_keyring(
    dialog: CredentialsDialog,
    memory_keyring: MemoryKeyring,
    store: Store,
    data_dir: Path,
    qtbot: Any,
) -> None:
    dialog.name.setText("v3 ward")
    dialog.version.setCurrentIndex(dialog.version.findData("3"))
    assert dialog.user.isVisible() and not dialog.community.isVisible()
    dialog.user.setText("wardv3")
    dialog.auth_protocol.setCurrentIndex(dialog.auth_protocol.findData("SHA"))
    dialog.auth_key.setText("authpass123-Kx")
    dialog.priv_protocol.setCurrentIndex(dialog.priv_protocol.findData("AES-128"))
    dialog.priv_key.setText("privpass123-Kx")
    save(dialog, qtbot)
    assert memory_keyring.passwords == {
        (KEYRING_SERVICE, "set/v3 ward/auth"): "authpass123-Kx",
        (KEYRING_SERVICE, "set/v3 ward/priv"): "privpass123-Kx",
    }
    [saved] = load_sets(store)
    assert isinstance(saved, UsmCredential) and saved.user == "wardv3"
    raw = database_bytes(data_dir)
    assert b"authpass123-Kx" not in raw and b"privpass123-Kx" not in raw


def test_short_v3_key_is_refused(
    dialog: CredentialsDialog, memory_keyring: MemoryKeyring, store: Store, qtbot: Any
) -> None:
    dialog.name.setText("v3")
    dialog.version.setCurrentIndex(dialog.version.findData("3"))
    dialog.user.setText("u")
    dialog.auth_key.setText("short")
    dialog.priv_key.setText("privpass123")
    save(dialog, qtbot)
    assert "at least 8 characters" in dialog.message.text()
    assert memory_keyring.passwords == {} and load_sets(store) == []


def test_order_rename_and_remove(
    dialog: CredentialsDialog, memory_keyring: MemoryKeyring, store: Store, qtbot: Any
) -> None:
    add_community(dialog, qtbot, "first", "one-1111")
    add_community(dialog, qtbot, "second", "two-2222")
    assert [s.name for s in load_sets(store)] == ["first", "second"]
    dialog.list.setCurrentRow(1)
    task = dialog.move_set(-1)
    assert task is not None
    qtbot.waitUntil(task.done, timeout=3000)
    assert [s.name for s in load_sets(store)] == ["second", "first"]
    # Rename without typing the secret again: it moves to the new name's entry.
    dialog.list.setCurrentRow(1)
    assert dialog.name.text() == "first" and dialog.community.text() == ""
    dialog.name.setText("renamed")
    save(dialog, qtbot)
    assert [s.name for s in load_sets(store)] == ["second", "renamed"]
    assert memory_keyring.passwords[(KEYRING_SERVICE, "set/renamed/community")] == "one-1111"
    assert (KEYRING_SERVICE, "set/first/community") not in memory_keyring.passwords
    dialog.list.setCurrentRow(0)
    task = dialog.remove()
    assert task is not None
    qtbot.waitUntil(task.done, timeout=3000)
    assert [s.name for s in load_sets(store)] == ["renamed"]
    assert (KEYRING_SERVICE, "set/second/community") not in memory_keyring.passwords


def test_without_a_keyring_nothing_is_saved_and_the_fix_is_shown(
    dialog: CredentialsDialog, store: Store, data_dir: Path, qtbot: Any
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        add_community(dialog, qtbot, "Ward 3", SECRET)
    finally:
        keyring.set_keyring(previous)
    assert "No keyring is available" in dialog.message.text()
    assert "Install or unlock a keyring" in dialog.message.text()
    assert load_sets(store) == []
    assert SECRET.encode() not in database_bytes(data_dir)


def test_default_community_is_warned_about(dialog: CredentialsDialog) -> None:
    dialog.community.setText("public")
    assert dialog.message.text().startswith("Warning:")


def test_scan_with_saved_sets_in_order(
    dialog: CredentialsDialog,
    memory_keyring: MemoryKeyring,
    snmpsim_agent: SnmpsimAgent,
    store: Store,
    runtime: FakeRuntime,
    settings: QSettings,
    qtbot: Any,
    qloop: qasync.QEventLoop,
) -> None:
    add_community(dialog, qtbot, "wrong", "not-this-one")
    add_community(dialog, qtbot, "simulated ward", "sharp")
    scan = ScanDialog(store, runtime, settings)
    qtbot.addWidget(scan)
    try:
        qtbot.waitUntil(lambda: scan.credential.findData(ALL_SETS) >= 0, timeout=3000)
        assert scan.credential.currentData() == ALL_SETS
        assert not scan.community.isEnabled()
        scan.targets.setText("127.0.0.1")
        scan.port.setValue(snmpsim_agent.port)
        scan.start_button.click()
        assert scan.task is not None
        qtbot.waitUntil(scan.task.done, timeout=10_000)
        assert scan.found.count() == 1
        assert len(store.list_devices()) == 1
        [endpoint] = runtime.endpoints
        assert [c.label for c in endpoint.credentials] == ["simulated ward", "wrong"]
        # Remembered by set name, so a restarted runtime watches the device again.
        qtbot.waitUntil(lambda: bool(watched_endpoints(store)), timeout=3000)
        [(host, port, creds)] = watched_endpoints(store)
        assert (host, port) == ("127.0.0.1", snmpsim_agent.port)
        assert [c.community for c in creds] == ["sharp", "not-this-one"]
        watch = SnmpWatch()
        restarted = WardRuntime(store, discoverers=[], source=watch, hub_sync=False)
        started = asyncio.ensure_future(restarted.start())
        qtbot.waitUntil(started.done, timeout=3000)
        try:
            qtbot.waitUntil(lambda: watch.can_poll(store.list_devices()[0]), timeout=3000)
        finally:
            stopped = asyncio.ensure_future(restarted.stop())
            qtbot.waitUntil(stopped.done, timeout=5000)
    finally:
        scan.close()
        close_engine(qloop)


def test_scan_dialog_opens_the_manager_and_picks_up_new_sets(
    memory_keyring: MemoryKeyring,
    store: Store,
    runtime: FakeRuntime,
    settings: QSettings,
    qtbot: Any,
    qloop: qasync.QEventLoop,
) -> None:
    scan = ScanDialog(store, runtime, settings)
    qtbot.addWidget(scan)
    scan.show()
    manager = scan.manage_credentials()
    assert isinstance(manager, CredentialsDialog)
    qtbot.waitUntil(manager.busy.done, timeout=3000)
    add_community(manager, qtbot, "Ward 3", SECRET)
    qtbot.waitUntil(lambda: scan.credential.findData("Ward 3") >= 0, timeout=3000)
    manager.close()
    scan.close()

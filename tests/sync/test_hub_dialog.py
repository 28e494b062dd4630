"""The hub connection dialog against a real hub over HTTP on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from tests.keyring_memory import MemoryKeyring
from tests.peers._proc import free_port
from tests.sync.hubs import WARD, ThreadHub, Tokens
from tests.ui.conftest import FakeRuntime, qloop  # noqa: F401  (qloop: a fixture)
from wardfleet.services.events import HubState
from wardfleet.services.runtime import WardRuntime
from wardfleet.services.snmp_watch import SnmpWatch
from wardfleet.store import Store
from wardfleet.sync import secrets
from wardfleet.sync.settings import load_settings
from wardfleet.ui.hub_dialog import HubDialog


@pytest.fixture
def hub_db_url(tmp_path: Path) -> str:
    """SQLite only: the dialog does not care which database the hub keeps."""
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "desk" / "wardfleet.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def make_dialog(
    qtbot: Any,
    request: pytest.FixtureRequest,
    store: Store,
) -> Iterator[Any]:
    request.getfixturevalue("qloop")  # the UI tests' asyncio-on-Qt loop
    made: list[HubDialog] = []

    def make(runtime: Any) -> HubDialog:
        dialog = HubDialog(store, runtime)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(dialog.busy.done, timeout=3000)
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:
        dialog.close()


def run(qtbot: Any, task: asyncio.Task[Any] | None, timeout: int = 10_000) -> Any:
    assert task is not None
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def fill(dialog: HubDialog, url: str, token: str, ward: str = WARD) -> None:
    dialog.url.setText(url)
    dialog.ward.setText(ward)
    dialog.token.setText(token)


def test_connection_test_tells_good_from_wrong_tokens(
    make_dialog: Any, hub: ThreadHub, tokens: Tokens, qtbot: Any
) -> None:
    dialog = make_dialog(FakeRuntime())
    fill(dialog, hub.url, tokens.lead)
    result = run(qtbot, dialog.test_connection())
    assert result.ok, dialog.message.text()
    assert dialog.message.text().startswith("Connected to the hub")
    dialog.token.setText(tokens.lead + "x")
    run(qtbot, dialog.test_connection())
    assert dialog.message.text().startswith("Wrong token")
    fill(dialog, hub.url, tokens.other_lead)  # a lead of another ward
    run(qtbot, dialog.test_connection())
    assert "does not give access to the ward “Ward 3”" in dialog.message.text()


def test_connection_test_explains_tls_and_unreachable(
    make_dialog: Any, hub: ThreadHub, tokens: Tokens, qtbot: Any
) -> None:
    dialog = make_dialog(FakeRuntime())
    fill(dialog, hub.url.replace("http://", "https://"), tokens.lead)  # TLS to a plain server
    run(qtbot, dialog.test_connection())
    assert dialog.message.text().startswith("The hub's certificate was not accepted")
    fill(dialog, f"http://127.0.0.1:{free_port('tcp')}", tokens.lead)
    run(qtbot, dialog.test_connection())
    assert dialog.message.text().startswith("The hub did not answer")
    fill(dialog, "http://hub.example.org", tokens.lead)  # the token would cross in clear
    assert dialog.test_connection() is None
    assert "https" in dialog.message.text()


def test_save_keeps_the_token_in_the_keyring_and_restarts_sync(
    make_dialog: Any,
    hub: ThreadHub,
    tokens: Tokens,
    store: Store,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    qtbot: Any,
) -> None:
    runtime = WardRuntime(store, discoverers=[], source=SnmpWatch())
    started = asyncio.ensure_future(runtime.start())
    qtbot.waitUntil(started.done, timeout=3000)
    try:
        assert runtime.sync_snapshot().hub is HubState.NOT_CONFIGURED
        dialog = make_dialog(runtime)
        fill(dialog, hub.url, tokens.lead)
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            assert dialog.save() is not None
        assert memory_keyring.passwords == {(secrets.SERVICE, hub.url): tokens.lead}
        saved = load_settings(store)
        assert saved is not None and saved.url == hub.url and saved.ward == WARD
        qtbot.waitUntil(lambda: runtime.sync_snapshot().hub is HubState.ONLINE, timeout=10_000)
        raw = b"".join(p.read_bytes() for p in (tmp_path / "desk").glob("wardfleet.sqlite3*"))
        assert hub.url.encode() in raw and tokens.lead.encode() not in raw
        # Opened again, the dialog knows a token is stored and does not show it.
        again = make_dialog(runtime)
        assert again.url.text() == hub.url and again.token.text() == ""
        assert again.token.placeholderText() == "Unchanged: kept in the keyring"
        assert run(qtbot, again.test_connection()).ok
    finally:
        stopped = asyncio.ensure_future(runtime.stop())
        qtbot.waitUntil(stopped.done, timeout=5000)


def test_save_without_a_keyring_saves_nothing(
    make_dialog: Any, hub: ThreadHub, tokens: Tokens, store: Store, qtbot: Any
) -> None:
    import keyring
    from keyring.backends import fail

    runtime = FakeRuntime()
    dialog = make_dialog(runtime)
    fill(dialog, hub.url, tokens.lead)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert run(qtbot, dialog.save()) is False
    finally:
        keyring.set_keyring(previous)
    assert "Install or unlock one" in dialog.message.text()
    assert load_settings(store) is None and runtime.sync_reloads == 0


def test_every_control_is_named(make_dialog: Any) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    dialog = make_dialog(FakeRuntime())
    unnamed = [
        w.objectName()
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit) and w.isVisible() and not w.accessibleName()
    ]
    assert unnamed == []


def test_the_dialog_learns_and_shows_the_role_and_forgets_it_when_revoked(
    make_dialog: Any,
    hub: ThreadHub,
    hub_db: Any,
    tokens: Tokens,
    store: Store,
    memory_keyring: MemoryKeyring,
    qtbot: Any,
) -> None:
    import time

    from wardfleet.hub import accounts
    from wardfleet.services.deploy import can_apply
    from wardfleet.sync.settings import HubIdentity, load_identity

    runtime = FakeRuntime()
    dialog = make_dialog(runtime)
    assert dialog.identity.text() == "Role at the hub: not known yet"
    fill(dialog, hub.url, tokens.helpdesk, ward="")
    result = run(qtbot, dialog.test_connection())
    assert result.ok and "hugo, role helpdesk" in dialog.message.text()
    assert load_identity(store) is None  # tested, not saved yet: nothing stored
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save()
    assert load_identity(store) == HubIdentity("hugo", "helpdesk", ())
    assert not can_apply(store.sync_value("role"))

    # Saved as a ward lead instead: the tested role goes with the new token.
    again = make_dialog(runtime)
    assert again.identity.text() == "Signed in as hugo · role: helpdesk · all wards"
    fill(again, hub.url, tokens.lead)
    run(qtbot, again.test_connection())
    with qtbot.waitSignal(again.accepted, timeout=10_000):
        again.save()
    assert load_identity(store) == HubIdentity("lena", "ward-lead", (WARD,))

    # Revoked at the hub: testing the saved settings forgets the role at once.
    with hub_db.write() as conn:
        accounts.revoke(conn, "lena", time.time())
    third = make_dialog(runtime)
    assert third.identity.text() == f"Signed in as lena · role: ward lead · {WARD}"
    assert run(qtbot, third.test_connection()).problem is not None
    assert third.message.text().startswith("Wrong token")
    assert store.sync_value("role") == "" and not can_apply(store.sync_value("role"))
    assert third.identity.text() == "Role at the hub: none (the hub refused the token)"


def test_a_new_token_saved_untested_does_not_keep_the_old_role(
    make_dialog: Any,
    hub: ThreadHub,
    tokens: Tokens,
    store: Store,
    memory_keyring: MemoryKeyring,
    qtbot: Any,
) -> None:
    from wardfleet.sync.settings import HubIdentity, load_identity, save_identity
    from wardfleet.sync.wire import Me, Role

    save_identity(store, Me(name="ada", role=Role.ADMIN, wards=[]))
    dialog = make_dialog(FakeRuntime())
    fill(dialog, hub.url, tokens.helpdesk, ward="")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save()
    assert load_identity(store) == HubIdentity("", "", ())  # until the first sync names it

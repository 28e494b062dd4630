"""Hub settings and the hub token: the keyring or nothing, https or loopback."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.keyring_memory import MemoryKeyring
from wardfleet.store import Store
from wardfleet.sync import secrets
from wardfleet.sync.settings import HubConfigError, HubSettings, load_settings, save_settings


@pytest.fixture
def no_keyring() -> object:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # what a headless Linux box without a Secret Service has
    yield
    keyring.set_keyring(previous)


def test_the_token_lives_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    secrets.save_token("https://hub.example.org:8470/", "wfh_x")
    assert memory_keyring.passwords == {("wardfleet-hub", "https://hub.example.org:8470"): "wfh_x"}
    assert secrets.load_token("https://hub.example.org:8470") == "wfh_x"
    secrets.delete_token("https://hub.example.org:8470")
    assert secrets.load_token("https://hub.example.org:8470") is None


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_error_says_what_to_do_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(secrets.KeyringUnavailable, match="Secret Service"):
        secrets.save_token("https://hub.example.org", "wfh_x")
    with pytest.raises(secrets.KeyringUnavailable, match="works offline"):
        secrets.load_token("https://hub.example.org")


def test_a_plain_text_keyring_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    monkeypatch.setattr(keyring, "get_keyring", lambda: PlaintextKeyring.__new__(PlaintextKeyring))
    with pytest.raises(secrets.KeyringUnavailable, match="in a file"):
        secrets.save_token("https://hub.example.org", "wfh_x")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hub.example.org:8470", "https"),
        ("http://10.1.2.3:8470", "https"),
        ("ftp://hub.example.org", "not a hub address"),
        ("hub.example.org", "not a hub address"),
    ],
)
def test_the_hub_is_reached_over_https_unless_on_loopback(url: str, message: str) -> None:
    with pytest.raises(HubConfigError, match=message):
        HubSettings(url=url)
    HubSettings(url="http://127.0.0.1:8470")
    HubSettings(url="http://[::1]:8470")
    HubSettings(url="https://hub.example.org")


def test_a_missing_ca_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HubConfigError, match="CA file"):
        HubSettings(url="https://hub.example.org", ca_file=tmp_path / "nope.pem")


def test_settings_are_kept_in_the_store_and_a_new_hub_starts_from_its_beginning(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "w.sqlite3")
    try:
        assert load_settings(store) is None
        ca = tmp_path / "ca.pem"
        ca.write_text("-----BEGIN CERTIFICATE-----\n")
        settings = HubSettings(url="https://hub-a.example.org", ward="Ward 3", ca_file=ca)
        save_settings(store, settings)
        assert load_settings(store) == settings
        store.set_sync_value("pull_cursor", "42")
        save_settings(store, HubSettings(url="https://hub-a.example.org", ward="Ward 3"))
        assert store.pull_cursor() == 42
        save_settings(store, HubSettings(url="https://hub-b.example.org"))
        assert store.pull_cursor() == 0
        assert load_settings(store) == HubSettings(url="https://hub-b.example.org")
    finally:
        store.close()


@pytest.mark.usefixtures("no_keyring")
def test_the_sync_loop_reports_a_missing_keyring_and_keeps_the_app_offline(tmp_path: Path) -> None:
    import asyncio

    from tests.sync.faults import wait_for
    from wardfleet.sync.connectivity import LinkState, SyncLoop

    store = Store.open(tmp_path / "w.sqlite3")

    async def scenario() -> str:
        loop = SyncLoop(store, HubSettings(url="http://127.0.0.1:9", ward="Ward 3"))
        loop.start()
        try:
            await wait_for(lambda: loop.status.state is LinkState.REFUSED, 5, "refused")
            return loop.status.message
        finally:
            await loop.stop()

    try:
        assert "No OS keyring" in asyncio.run(scenario())
    finally:
        store.close()


def test_open_sync_follows_the_saved_settings(tmp_path: Path) -> None:
    import asyncio

    from wardfleet.sync.connectivity import LinkState, open_sync

    store = Store.open(tmp_path / "w.sqlite3")
    try:
        assert open_sync(store).status.state is LinkState.NOT_CONFIGURED
        store.set_sync_value("hub_url", "http://hub.example.org")  # as an older or hand edit
        loop = open_sync(store)
        assert loop.status.state is LinkState.REFUSED and "https" in loop.status.message

        async def run_briefly() -> None:
            loop.start()
            await asyncio.sleep(0.02)
            await loop.stop()

        asyncio.run(run_briefly())
        assert loop.status.state is LinkState.REFUSED
        save_settings(store, HubSettings(url="https://hub.example.org", ward="Ward 3"))
        assert open_sync(store).status.state is LinkState.SYNCING  # "connecting" until it knows
    finally:
        store.close()

"""The desktop learns its role from the real hub (GET /v1/me) over HTTP, on SQLite and
PostgreSQL: stored on each sync, forgotten on a 401, kept while the hub is unreachable."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.keyring_memory import MemoryKeyring
from tests.peers._proc import free_port
from tests.sync.desktops import Desktop
from tests.sync.faults import wait_for
from tests.sync.hubs import OTHER_WARD, WARD, ThreadHub, Tokens
from wardfleet.hub import accounts
from wardfleet.hub.db import HubDatabase
from wardfleet.services.deploy import Deployer, PermissionDenied, Plan, can_apply
from wardfleet.services.events import ActivityEvent, HubState, SyncSnapshot
from wardfleet.services.hub_check import HubProblem, check_hub
from wardfleet.services.runtime import WardRuntime
from wardfleet.services.snmp_watch import SnmpWatch
from wardfleet.store import Store
from wardfleet.sync import secrets
from wardfleet.sync.client import HubClient, HubRefused, HubUnavailable
from wardfleet.sync.settings import HubIdentity, HubSettings, load_identity, save_settings


def test_me_names_the_callers_user_role_and_wards(hub: ThreadHub, tokens: Tokens) -> None:
    def me(token: str) -> httpx.Response:
        return httpx.get(f"{hub.url}/v1/me", headers={"Authorization": f"Bearer {token}"})

    assert me(tokens.lead).json() == {"name": "lena", "role": "ward-lead", "wards": [WARD]}
    assert me(tokens.other_lead).json() == {
        "name": "otto",
        "role": "ward-lead",
        "wards": [OTHER_WARD],
    }
    assert me(tokens.helpdesk).json() == {"name": "hugo", "role": "helpdesk", "wards": []}
    assert me(tokens.admin).json()["role"] == "admin"
    assert me(tokens.lead + "x").status_code == 401
    anonymous = httpx.get(f"{hub.url}/v1/me")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthenticated")
    assert "/v1/me" in httpx.get(f"{hub.url}/openapi.json").json()["paths"]


def test_a_sync_stores_the_ward_leads_role(make_desktop: Callable[..., Desktop]) -> None:
    desktop = make_desktop("a")
    assert load_identity(desktop.store) is None  # no hub has answered yet
    result = desktop.sync()
    lena = HubIdentity("lena", "ward-lead", (WARD,))
    assert result.identity == lena
    assert load_identity(desktop.store) == lena
    assert desktop.store.sync_value("role") == "ward-lead"  # what deploys read
    assert can_apply(desktop.store.sync_value("role"))


def test_a_helpdesk_desktop_learns_it_may_not_apply(
    make_desktop: Callable[..., Desktop], tokens: Tokens
) -> None:
    desktop = make_desktop("help", token=tokens.helpdesk, ward=None)
    desktop.sync()
    assert load_identity(desktop.store) == HubIdentity("hugo", "helpdesk", ())
    role = desktop.store.sync_value("role")
    assert role == "helpdesk" and not can_apply(role)
    deployer = Deployer(desktop.store, actor="hugo", role=role)
    with pytest.raises(PermissionDenied, match="helpdesk"):
        asyncio.run(deployer.apply(Plan(())))
    refused = [e for e in desktop.store.audit_entries() if e.action == "deploy.apply"]
    assert [e.result for e in refused] == ["refused: role helpdesk"]


def test_a_revoked_token_forgets_the_role_but_an_outage_keeps_it(
    make_desktop: Callable[..., Desktop], hub_db: HubDatabase
) -> None:
    desktop = make_desktop("a")
    desktop.sync()
    assert desktop.store.sync_value("role") == "ward-lead"

    # Offline: the hub cannot be reached, the ward keeps working with the last known role.
    gone = HubSettings(url=f"http://127.0.0.1:{free_port('tcp')}", ward=WARD, timeout_s=2)

    async def sync_with_the_hub_gone() -> None:
        client = HubClient(gone, desktop.token)
        try:
            await client.sync_once(desktop.store)
        finally:
            await client.aclose()

    with pytest.raises(HubUnavailable):
        asyncio.run(sync_with_the_hub_gone())
    assert load_identity(desktop.store) == HubIdentity("lena", "ward-lead", (WARD,))

    with hub_db.write() as conn:
        accounts.revoke(conn, "lena", time.time())
    with pytest.raises(HubRefused) as refused:
        desktop.sync()
    assert refused.value.status == 401
    assert desktop.store.sync_value("role") == ""  # known to have no rights: least privilege
    assert load_identity(desktop.store) == HubIdentity("", "", ())
    assert not can_apply(desktop.store.sync_value("role"))


def test_the_connection_check_reports_the_role(hub: ThreadHub, tokens: Tokens) -> None:
    settings = HubSettings(url=hub.url, ward=WARD)
    good = asyncio.run(check_hub(settings, tokens.lead))
    assert good.ok and good.me is not None
    assert (good.me.name, good.me.role.value, good.me.wards) == ("lena", "ward-lead", [WARD])
    helpdesk = asyncio.run(check_hub(HubSettings(url=hub.url), tokens.helpdesk))
    assert helpdesk.ok and helpdesk.me is not None and helpdesk.me.role.value == "helpdesk"
    wrong = asyncio.run(check_hub(settings, tokens.lead + "x"))
    assert (wrong.problem, wrong.me) == (HubProblem.UNAUTHORIZED, None)


def test_the_runtime_carries_the_role_into_its_snapshot_and_drops_it_on_revoke(
    hub: ThreadHub,
    hub_db: HubDatabase,
    tokens: Tokens,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    """The real sync loop of a WardRuntime: online → the role is in every snapshot; the
    token revoked at the hub → refused, and the runtime's role is gone."""
    store = Store.open(tmp_path / "desk.sqlite3")
    save_settings(store, HubSettings(url=hub.url, ward=WARD))
    secrets.save_token(hub.url, tokens.lead)
    snapshots: list[SyncSnapshot] = []

    class Listener:
        def inventory_changed(self, device_ids: list[str]) -> None: ...
        def status_changed(self, device_ids: list[str]) -> None: ...
        def activity(self, event: ActivityEvent) -> None: ...
        def sync_changed(self, snapshot: SyncSnapshot) -> None:
            snapshots.append(snapshot)

    async def scenario() -> WardRuntime:
        runtime = WardRuntime(store, discoverers=[], source=SnmpWatch())
        runtime.subscribe(Listener())
        await runtime.start()
        try:
            await wait_for(lambda: runtime.identity is not None, 10, "the role")
            assert runtime.sync_snapshot().identity == HubIdentity("lena", "ward-lead", (WARD,))
            with hub_db.write() as conn:
                accounts.revoke(conn, "lena", time.time())
            runtime.sync_now()
            await wait_for(
                lambda: runtime.sync_snapshot().hub is HubState.REFUSED, 10, "the refusal"
            )
        finally:
            await runtime.stop()
        return runtime

    try:
        runtime = asyncio.run(scenario())
        assert runtime.identity == HubIdentity("", "", ())
        assert store.sync_value("role") == ""
        assert any(s.identity and s.identity.role == "ward-lead" for s in snapshots)
        assert snapshots[-1].identity == HubIdentity("", "", ())
    finally:
        store.close()

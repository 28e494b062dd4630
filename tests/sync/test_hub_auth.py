"""Roles per route and per ward, tokens, revocation and the failed-login limit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.sync.hubs import OTHER_WARD, WARD, ThreadHub, Tokens, thread_hub
from tests.sync.test_hub_push import change, push
from wardfleet.hub.app import HubSettings
from wardfleet.hub.db import HubDatabase


def _get(hub: ThreadHub, path: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(f"{hub.url}{path}", headers=headers, timeout=10)


def _node() -> str:
    return str(uuid.uuid4())


def test_health_needs_no_token(hub: ThreadHub) -> None:
    body = _get(hub, "/v1/health", None).json()
    assert body["status"] == "ok" and body["backend"] in ("sqlite", "postgresql")


def test_no_or_a_wrong_token_is_401(hub: ThreadHub) -> None:
    for path in ("/v1/changes", "/v1/wards", "/v1/devices", "/v1/conflicts"):
        for token in (None, "not-a-token", "wfh_000000000000_" + "A" * 43):
            response = _get(hub, path, token)
            assert response.status_code == 401, (path, token)
            assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_revoked_token_is_401_at_once(hub: ThreadHub, tokens: Tokens) -> None:
    assert _get(hub, "/v1/wards", tokens.lead2).status_code == 200
    response = httpx.post(
        f"{hub.url}/v1/users/lars/revoke", headers={"Authorization": f"Bearer {tokens.admin}"}
    )
    assert response.json()["revoked"] is True
    assert _get(hub, "/v1/wards", tokens.lead2).status_code == 401


def test_a_ward_lead_pushes_only_for_their_wards(hub: ThreadHub, tokens: Tokens) -> None:
    node = _node()
    response = push(hub, tokens.lead, node, [change(node, 1)], ward=OTHER_WARD)
    assert response.status_code == 403
    # ... nor through another ward's desktop, whatever the batch claims.
    theirs = _node()
    assert push(hub, tokens.other_lead, theirs, [change(theirs, 1)], ward=OTHER_WARD).is_success
    for ward in (WARD, OTHER_WARD, None):
        assert push(hub, tokens.lead, theirs, [change(theirs, 2)], ward=ward).status_code == 403


def test_a_device_stays_in_the_ward_that_reported_it(hub: ThreadHub, tokens: Tokens) -> None:
    mine, theirs = _node(), _node()
    assert push(hub, tokens.lead, mine, [change(mine, 1, entity="dev-x")]).is_success
    edit = change(theirs, 1, entity="dev-x", ward=OTHER_WARD)
    assert push(hub, tokens.other_lead, theirs, [edit], ward=OTHER_WARD).status_code == 403


def test_the_helpdesk_may_only_ask_for_diagnostics(hub: ThreadHub, tokens: Tokens) -> None:
    lead_node, desk = _node(), _node()
    push(hub, tokens.lead, lead_node, [change(lead_node, 1, entity="dev-7")])
    edit = change(desk, 1, entity="dev-7")
    assert push(hub, tokens.helpdesk, desk, [edit], ward=None).status_code == 403
    ask = change(desk, 1, entity="dev-7", kind="diagnostic.request", payload={"action": "repoll"})
    reply = push(hub, tokens.helpdesk, desk, [ask], ward=None)
    assert reply.json()["applied"] == 1, reply.text
    # The ward's desktops see the request: it carries the device's ward.
    pulled = httpx.get(
        f"{hub.url}/v1/changes", headers={"Authorization": f"Bearer {tokens.lead}"}
    ).json()
    assert [c["kind"] for c in pulled["changes"]] == ["device.upsert", "diagnostic.request"]
    assert pulled["changes"][1]["ward"] == WARD
    # A console node is its registering user's: another helpdesk user cannot push on it.
    response = httpx.post(
        f"{hub.url}/v1/users",
        json={"name": "hana", "role": "helpdesk"},
        headers={"Authorization": f"Bearer {tokens.admin}"},
    )
    other_desk = response.json()["token"]
    assert (
        push(
            hub,
            other_desk,
            desk,
            [
                change(
                    desk, 2, kind="diagnostic.request", entity="dev-7", payload={"action": "repoll"}
                )
            ],
            ward=None,
        ).status_code
        == 403
    )


def test_reads_are_scoped_to_the_callers_wards(hub: ThreadHub, tokens: Tokens) -> None:
    def wards(token: str) -> list[str]:
        return [w["name"] for w in _get(hub, "/v1/wards", token).json()]

    assert wards(tokens.lead) == [WARD]
    assert wards(tokens.helpdesk) == wards(tokens.admin) == sorted([WARD, OTHER_WARD])
    theirs = _node()
    push(hub, tokens.other_lead, theirs, [change(theirs, 1, entity="d4")], ward=OTHER_WARD)
    assert _get(hub, "/v1/devices", tokens.lead).json()["devices"] == []
    assert [d["id"] for d in _get(hub, "/v1/devices", tokens.helpdesk).json()["devices"]] == ["d4"]


def test_only_an_admin_manages_wards_and_users_and_an_admin_pushes_nothing(
    hub: ThreadHub, tokens: Tokens
) -> None:
    def post(path: str, token: str, body: dict[str, object]) -> httpx.Response:
        return httpx.post(
            f"{hub.url}{path}", json=body, headers={"Authorization": f"Bearer {token}"}
        )

    assert post("/v1/wards", tokens.lead, {"name": "Ward 9"}).status_code == 403
    assert post("/v1/wards", tokens.helpdesk, {"name": "Ward 9"}).status_code == 403
    assert post("/v1/wards", tokens.admin, {"name": "Ward 9"}).status_code == 201
    assert post("/v1/wards", tokens.admin, {"name": "Ward 9"}).status_code == 409
    new_user = {"name": "nina", "role": "ward-lead", "wards": ["Ward 9"]}
    created = post("/v1/users", tokens.admin, new_user)
    assert created.status_code == 201 and created.json()["token"].startswith("wfh_")
    assert post("/v1/users", tokens.admin, new_user).status_code == 409
    assert (
        post("/v1/users", tokens.admin, {**new_user, "name": "x", "wards": ["Nope"]}).status_code
        == 422
    )
    assert post("/v1/users/nobody/revoke", tokens.admin, {}).status_code == 404
    node = _node()
    assert push(hub, tokens.admin, node, [change(node, 1)]).status_code == 403


@pytest.fixture
def strict_hub(hub_db: HubDatabase, tokens: Tokens) -> Iterator[ThreadHub]:
    server = thread_hub(hub_db, HubSettings(max_auth_failures=10, failure_window_s=60))
    yield server
    server.stop()


def _from(address: str, hub: ThreadHub, token: str) -> int:
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, timeout=10) as client:
        return client.get(
            f"{hub.url}/v1/wards", headers={"Authorization": f"Bearer {token}"}
        ).status_code


def test_failed_logins_are_rate_limited_per_address_and_per_token(
    strict_hub: ThreadHub, tokens: Tokens
) -> None:
    guess = "wfh_0000000000aa_" + "B" * 43
    assert [_from("127.0.0.1", strict_hub, guess) for _ in range(10)] == [401] * 10
    limited = httpx.get(
        f"{strict_hub.url}/v1/wards", headers={"Authorization": f"Bearer {guess}"}, timeout=10
    )
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # That token id is throttled from any address ...
    assert _from("127.0.0.2", strict_hub, guess) == 429
    # ... and that address for any token, while others elsewhere carry on.
    assert _from("127.0.0.1", strict_hub, tokens.lead) == 429
    assert _from("127.0.0.3", strict_hub, tokens.lead) == 200

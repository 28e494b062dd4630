"""Push and pull semantics at the hub (DESIGN.md, Push/Pull), over HTTP, on both backends."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx

from tests.sync.desktops import assert_exactly_once, hub_devices, hub_log
from tests.sync.hubs import OTHER_WARD, WARD, ThreadHub, Tokens
from wardfleet.hub.db import HubDatabase


def _node() -> str:
    return str(uuid.uuid4())


def change(node: str, seq: int, *, ms: int | None = None, **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "seq": seq,
        "op_id": f"{node[:8]}-{seq}-{uuid.uuid4().hex[:6]}",
        "hlc": f"{ms or 1_700_000_000_000 + seq:015d}-000000-{node}",
        "kind": "device.upsert",
        "entity": "dev-1",
        "payload": {"fields": {"name": f"P{seq}", "kind": "printer"}},
    }
    base.update(over)
    return base


def push(
    hub: ThreadHub, token: str, node: str, changes: list[dict[str, Any]], ward: str | None = WARD
) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/v1/changes",
        json={"node_id": node, "ward": ward, "changes": changes},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def pull(hub: ThreadHub, token: str, since: int = 0, limit: int = 500) -> dict[str, Any]:
    response = httpx.get(
        f"{hub.url}/v1/changes",
        params={"since": since, "limit": limit},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_applied_changes_get_monotonic_server_seqs_and_the_reply_carries_last_seq(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens
) -> None:
    node = _node()
    first = push(hub, tokens.lead, node, [change(node, s) for s in (1, 2, 3)])
    assert first.json() == {"last_seq": 3, "applied": 3, "duplicates": 0, "rejected": None}
    second = push(hub, tokens.lead, node, [change(node, 4)])
    assert second.json()["last_seq"] == 4
    server_seqs = [s for s, *_ in hub_log(hub_db)]
    assert server_seqs == [1, 2, 3, 4]
    page = pull(hub, tokens.lead)
    assert [c["server_seq"] for c in page["changes"]] == [1, 2, 3, 4]
    assert (page["next_cursor"], page["more"]) == (4, False)
    assert all(c["ward"] == WARD for c in page["changes"])


def test_a_batch_sent_twice_is_applied_once(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens
) -> None:
    node = _node()
    batch = [change(node, s) for s in range(1, 6)]
    assert push(hub, tokens.lead, node, batch).json()["applied"] == 5
    again = push(hub, tokens.lead, node, batch).json()
    assert (again["applied"], again["duplicates"], again["last_seq"]) == (0, 5, 5)
    overlap = push(hub, tokens.lead, node, [*batch[3:], change(node, 6)]).json()
    assert (overlap["applied"], overlap["duplicates"], overlap["last_seq"]) == (1, 2, 6)
    assert_exactly_once(hub_db, node, 6)


def test_a_gap_is_refused_with_the_expected_seq_and_nothing_applied(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens
) -> None:
    node = _node()
    push(hub, tokens.lead, node, [change(node, 1)])
    response = push(hub, tokens.lead, node, [change(node, 3), change(node, 4)])
    assert response.status_code == 409
    assert response.json()["expected_seq"] == 2
    assert response.json()["code"] == "gap"
    assert_exactly_once(hub_db, node, 1)


def test_a_seq_reused_by_another_op_is_refused(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens
) -> None:
    node = _node()
    push(hub, tokens.lead, node, [change(node, 1), change(node, 2)])
    # A desktop restored from an old backup makes new changes with seqs the hub has.
    response = push(hub, tokens.lead, node, [change(node, 2), change(node, 3)])
    assert response.status_code == 409 and response.json()["code"] == "seq-reused"
    assert_exactly_once(hub_db, node, 2)


def test_one_bad_change_in_ten_applies_the_prefix_and_a_fixed_retry_the_rest(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens
) -> None:
    node = _node()
    batch = [change(node, s) for s in range(1, 11)]
    batch[4] = change(node, 5, payload={"fields": {"colour": "teal"}})  # not a device field
    reply = push(hub, tokens.lead, node, batch).json()
    assert reply["last_seq"] == 4 and reply["applied"] == 4
    assert reply["rejected"]["seq"] == 5
    assert "colour" in reply["rejected"]["reason"]
    assert_exactly_once(hub_db, node, 4)
    # The client marks up to 4, fixes change 5, and sends the rest again.
    batch[4] = change(node, 5)
    reply = push(hub, tokens.lead, node, batch[4:]).json()
    assert (reply["last_seq"], reply["applied"], reply["rejected"]) == (10, 6, None)
    assert_exactly_once(hub_db, node, 10)


def test_content_errors_are_reported_per_change(hub: ThreadHub, tokens: Tokens) -> None:
    node = _node()
    cases = {
        "hlc is not": change(node, 1, hlc="yesterday"),
        "not issued by the pushing node": change(node, 1, hlc=f"{1:015d}-000000-someone-else"),
        "unknown device": change(
            node, 1, kind="diagnostic.request", entity="nope", payload={"action": "repoll"}
        ),
        "payload": change(node, 1, kind="sample.rollup", payload={"bucket": "soon"}),
    }
    for reason, bad in cases.items():
        reply = push(hub, tokens.lead, node, [bad]).json()
        assert reply["last_seq"] == 0 and reason in reply["rejected"]["reason"], reply


def test_a_malformed_request_is_refused_whole(hub: ThreadHub, tokens: Tokens) -> None:
    node = _node()
    response = push(hub, tokens.lead, node, [change(node, 2), change(node, 1)])
    assert response.status_code == 422
    response = httpx.post(
        f"{hub.url}/v1/changes",
        content=b"{" + b" " * (17 * 1024 * 1024) + b"}",
        headers={"Authorization": f"Bearer {tokens.lead}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413


def test_devices_are_materialised_last_writer_wins_with_conflicts_and_tombstones(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens
) -> None:
    a, b = _node(), _node()
    push(
        hub,
        tokens.lead,
        a,
        [change(a, 1, ms=1000, payload={"fields": {"name": "A", "kind": "printer"}})],
    )
    # b's edit is older by hlc, though it arrives later: it loses, and is kept as a conflict.
    push(hub, tokens.lead2, b, [change(b, 1, ms=500, payload={"fields": {"name": "B"}})])
    assert hub_devices(hub_db)["dev-1"]["name"] == "A"
    conflicts = httpx.get(
        f"{hub.url}/v1/conflicts", headers={"Authorization": f"Bearer {tokens.helpdesk}"}
    ).json()
    assert [(c["field"], c["losing_value"]) for c in conflicts] == [("name", "B")]
    push(hub, tokens.lead2, b, [change(b, 2, ms=2000, kind="device.delete", payload={})])
    push(hub, tokens.lead, a, [change(a, 2, ms=3000, payload={"fields": {"name": "A2"}})])
    state = hub_devices(hub_db)["dev-1"]
    assert state["deleted"] and state["name"] == "A2"  # deletion stays; fields still merge
    listed = httpx.get(
        f"{hub.url}/v1/devices", headers={"Authorization": f"Bearer {tokens.helpdesk}"}
    ).json()
    assert listed == {"devices": [], "next_after": None}


def test_pull_pages_and_resumes_from_the_cursor(hub: ThreadHub, tokens: Tokens) -> None:
    node = _node()
    push(hub, tokens.lead, node, [change(node, s, entity=f"dev-{s}") for s in range(1, 26)])
    seen, cursor, pages = [], 0, 0
    while True:
        page = pull(hub, tokens.lead, since=cursor, limit=10)
        seen += [c["seq"] for c in page["changes"]]
        cursor, pages = page["next_cursor"], pages + 1
        if not page["more"]:
            break
    assert seen == list(range(1, 26)) and pages == 3
    assert pull(hub, tokens.lead, since=cursor)["changes"] == []


def test_pull_is_filtered_by_the_callers_wards(hub: ThreadHub, tokens: Tokens) -> None:
    mine, theirs = _node(), _node()
    push(hub, tokens.lead, mine, [change(mine, 1)])
    push(hub, tokens.other_lead, theirs, [change(theirs, 1, entity="dev-9")], ward=OTHER_WARD)
    assert [c["node_id"] for c in pull(hub, tokens.lead)["changes"]] == [mine]
    assert [c["node_id"] for c in pull(hub, tokens.other_lead)["changes"]] == [theirs]
    assert len(pull(hub, tokens.helpdesk)["changes"]) == 2


def test_concurrent_pushers_never_let_a_puller_skip_a_change(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens
) -> None:
    """server_seq commits in order, so a cursor that passed N never misses a later N-1."""
    nodes = [_node() for _ in range(6)]
    errors: list[BaseException] = []

    def pusher(node: str) -> None:
        try:
            for start in range(1, 41, 5):
                batch = [change(node, s, entity=f"{node}-{s}") for s in range(start, start + 5)]
                assert push(hub, tokens.lead, node, batch).status_code == 200
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=pusher, args=(n,)) for n in nodes]
    for t in threads:
        t.start()
    seen: list[int] = []
    cursor = 0
    while any(t.is_alive() for t in threads):
        page = pull(hub, tokens.helpdesk, since=cursor, limit=7)
        seen += [c["server_seq"] for c in page["changes"]]
        cursor = page["next_cursor"]
    for t in threads:
        t.join(30)
    assert not errors
    while True:
        page = pull(hub, tokens.helpdesk, since=cursor)
        seen += [c["server_seq"] for c in page["changes"]]
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    assert seen == list(range(1, 6 * 40 + 1))
    for node in nodes:
        assert_exactly_once(hub_db, node, 40)


def test_pulled_text_round_trips_exactly(hub: ThreadHub, tokens: Tokens) -> None:
    node = _node()
    odd = 'dev "quoted" \\ back\nslash – Süd ☃ \u2028'
    payload = {"fields": {"name": odd, "notes": "tab\there", "kind": "printer"}}
    assert push(hub, tokens.lead, node, [change(node, 1, entity=odd, payload=payload)]).is_success
    [pulled] = pull(hub, tokens.lead)["changes"]
    assert (pulled["entity"], pulled["payload"]) == (odd, payload)


def test_a_forbidden_change_after_a_bad_one_still_refuses_the_batch(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens
) -> None:
    theirs, mine = _node(), _node()
    push(hub, tokens.other_lead, theirs, [change(theirs, 1, entity="their-dev")], ward=OTHER_WARD)
    batch = [
        change(mine, 1),
        change(mine, 2, hlc="bad"),
        change(mine, 3, entity="their-dev"),  # another ward's device
    ]
    assert push(hub, tokens.lead, mine, batch).status_code == 403
    assert hub_log(hub_db, mine) == []

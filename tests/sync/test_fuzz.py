"""Schemathesis against the live hub's own OpenAPI: no input, valid or not, gives a 5xx.

Bounded (``WARDFLEET_FUZZ_EXAMPLES`` per operation and mode, 40 by default) so it stays a
unit-test-sized run; raise it for a deeper soak.
"""

from __future__ import annotations

import contextlib
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy
from schemathesis import GenerationMode

from tests.sync.desktops import hub_log
from tests.sync.hubs import WARD, ThreadHub, Tokens
from wardfleet.hub.db import HubDatabase

EXAMPLES = int(os.environ.get("WARDFLEET_FUZZ_EXAMPLES", "40"))


def _steer(case: schemathesis.Case) -> schemathesis.Case:
    """Make a random valid push one the hub applies: the lead's ward, a new node's first
    seqs, clocks of that node. The payloads stay random."""
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("changes"), list):
        body["ward"] = WARD
        for n, change in enumerate(body["changes"]):
            if isinstance(change, dict):
                change["seq"] = n + 1
                change["hlc"] = f"{1_700_000_000_000 + n:015d}-000000-{body.get('node_id')}"
                change.pop("ward", None)
    return case


def _fuzz(
    label: str, strategy: SearchStrategy[schemathesis.Case], url: str, headers: dict[str, str]
) -> list[str]:
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def call(case: schemathesis.Case) -> None:
        response = case.call(base_url=url, headers=headers, timeout=10)
        if response.status_code >= 500:
            failures.append(
                f"{label} -> {response.status_code}: {response.text[:300]}\n"
                f"  {case.as_curl_command()}"
            )

    # Unsatisfiable: e.g. no invalid input exists for a route without inputs.
    with contextlib.suppress(Unsatisfiable):
        call()
    return failures


@pytest.mark.parametrize("role", ["lead", "admin"])
def test_no_request_makes_the_hub_fail(
    hub: ThreadHub, hub_db: HubDatabase, tokens: Tokens, role: str
) -> None:
    """As a ward lead every route runs to its end (push included); as an admin the admin
    routes do."""
    schema = schemathesis.openapi.from_url(f"{hub.url}/openapi.json")
    headers = {"Authorization": f"Bearer {getattr(tokens, role)}"}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if role == "admin" and "admin" not in (operation.tags or []):
            continue
        for mode in GenerationMode:
            strategy = operation.as_strategy(generation_mode=mode)
            if mode is GenerationMode.POSITIVE and operation.label == "POST /v1/changes":
                strategy = strategy.map(_steer)  # past auth and seq checks, into the apply
            failures += _fuzz(f"{operation.label} ({mode.value})", strategy, hub.url, headers)
    assert not failures, "\n".join(failures[:10])
    if role == "lead":  # the steered pushes reached the apply path, not only the checks
        assert hub_log(hub_db)

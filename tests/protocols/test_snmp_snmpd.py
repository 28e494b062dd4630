"""The SNMP session against a real agent (net-snmp snmpd): v2c, v3, errors in words, SET."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from tests.peers._proc import free_port
from tests.peers.snmp import SnmpdAgent, net_snmp
from wardfleet.protocols import oids
from wardfleet.protocols.snmp import (
    SnmpAgentError,
    SnmpAuthError,
    SnmpSession,
    SnmpTarget,
    SnmpTimeout,
    close_engine,
    engine_for_loop,
    first_answering,
)
from wardfleet.protocols.snmp_credentials import (
    AuthProtocol,
    PrivProtocol,
    ResolvedCredential,
    community,
    usm,
)

pytestmark = pytest.mark.peer("snmpd")
T = TypeVar("T")


def run(make: Callable[[], Awaitable[T]]) -> T:
    async def wrapped() -> T:
        try:
            return await make()
        finally:
            close_engine()

    return asyncio.run(wrapped())


def target(agent: SnmpdAgent, timeout: float = 1.0, retries: int = 1) -> SnmpTarget:
    return SnmpTarget(agent.host, agent.port, timeout, retries)


def v3(agent: SnmpdAgent, auth_key: str | None = None) -> ResolvedCredential:
    return usm(
        agent.v3_user,
        auth_protocol=AuthProtocol.SHA,
        auth_key=auth_key or agent.v3_auth_key,
        priv_protocol=PrivProtocol.AES128,
        priv_key=agent.v3_priv_key,
    )


def test_v2c_get(snmpd_agent: SnmpdAgent) -> None:
    session = SnmpSession(target(snmpd_agent), community(snmpd_agent.ro_community))
    values = run(lambda: session.get([oids.SYS_NAME, oids.SYS_OBJECT_ID]))
    assert values[oids.SYS_NAME] == snmpd_agent.sys_name.encode()
    assert values[oids.SYS_OBJECT_ID][:7] == (1, 3, 6, 1, 4, 1, 8072)  # type: ignore[index]


def test_v3_auth_priv_get(snmpd_agent: SnmpdAgent) -> None:
    session = SnmpSession(target(snmpd_agent), v3(snmpd_agent))
    values = run(lambda: session.get([oids.SYS_NAME]))
    assert values[oids.SYS_NAME] == snmpd_agent.sys_name.encode()


def test_wrong_v3_key_says_authentication_failed(snmpd_agent: SnmpdAgent) -> None:
    session = SnmpSession(target(snmpd_agent), v3(snmpd_agent, auth_key="wrongpass999"))
    with pytest.raises(SnmpAuthError) as caught:
        run(lambda: session.get([oids.SYS_NAME]))
    assert str(caught.value) == (
        "Authentication failed: wrong SNMPv3 key or password (Wrong SNMP PDU digest)"
    )


def test_dead_port_times_out_within_the_bound() -> None:
    """The configured timeout and retries are honoured (not pysnmp's ~6 s defaults)."""
    timeout, retries = 0.4, 1
    session = SnmpSession(SnmpTarget("127.0.0.1", free_port("udp"), timeout, retries),
                          community("public"))  # fmt: skip

    async def timed_get() -> float:
        engine_for_loop()  # building the engine loads MIBs; that is not the timeout
        started = time.monotonic()
        with pytest.raises(SnmpTimeout) as caught:
            await session.get([oids.SYS_DESCR])
        assert "No answer from 127.0.0.1:" in str(caught.value)
        assert "within 0.4 s (2 tries)" in str(caught.value)
        return time.monotonic() - started

    elapsed = run(timed_get)
    # Slack for a loaded 2-core CI machine; the default would take ~6 s.
    assert timeout * (retries + 1) - 0.05 <= elapsed <= timeout * (retries + 1) + 1.0


def test_set_sys_location_reads_back_with_snmpget(snmpd_agent: SnmpdAgent) -> None:
    location = f"Ward 7 – bay {uuid.uuid4().hex[:6]}"
    session = SnmpSession(target(snmpd_agent), community(snmpd_agent.rw_community))
    echoed = run(lambda: session.set(oids.SYS_LOCATION, location))
    assert echoed == location.encode()
    # -Ox: net-snmp prints the octets as hex, so the UTF-8 dash is checked byte for byte.
    out = net_snmp("snmpget", "-v2c", "-c", snmpd_agent.ro_community, "-On", "-Oqv", "-Ox",
                   snmpd_agent.target, "1.3.6.1.2.1.1.6.0")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert bytes.fromhex(re.sub(r"[^0-9A-Fa-f]", "", out.stdout)) == location.encode()


def test_set_with_read_only_community_is_no_access(snmpd_agent: SnmpdAgent) -> None:
    session = SnmpSession(target(snmpd_agent), community(snmpd_agent.ro_community))
    with pytest.raises(SnmpAgentError) as caught:
        run(lambda: session.set(oids.SYS_LOCATION, "nope"))
    assert caught.value.status == "noAccess"
    assert str(caught.value) == (
        f"{snmpd_agent.target} refused: noAccess (these credentials may not access the "
        "object) on 1.3.6.1.2.1.1.6.0"
    )


def test_set_of_config_fixed_sys_contact_is_not_writable(snmpd_agent: SnmpdAgent) -> None:
    session = SnmpSession(target(snmpd_agent), v3(snmpd_agent))
    with pytest.raises(SnmpAgentError) as caught:
        run(lambda: session.set(oids.SYS_CONTACT, "someone else"))
    assert caught.value.status == "notWritable"
    assert "notWritable (the object cannot be changed) on 1.3.6.1.2.1.1.4.0" in str(caught.value)


def test_first_answering_credential_wins(snmpd_agent: SnmpdAgent) -> None:
    candidates = [
        community("not-the-community"),
        v3(snmpd_agent, auth_key="wrongpass999"),
        community(snmpd_agent.ro_community),
    ]
    session = run(lambda: first_answering(target(snmpd_agent, 0.3, 0), candidates))
    assert session.credential is candidates[2]
    assert session.credential.warnings  # "public" is a factory default


def test_walk_stops_at_the_subtree_end(snmpd_agent: SnmpdAgent) -> None:
    session = SnmpSession(target(snmpd_agent), community(snmpd_agent.ro_community))
    result = run(lambda: session.walk((1, 3, 6, 1, 2, 1, 1), max_repetitions=5))
    assert result.error is None
    assert oids.SYS_NAME in result.varbinds
    assert all(oid[:7] == (1, 3, 6, 1, 2, 1, 1) for oid in result.varbinds)
    assert list(result.varbinds) == sorted(result.varbinds)

"""Read and write a string on a net-snmp agent with net-snmp's own tools, so tests can
make drift behind the app's back and cross-check what the app wrote.

sysLocation by default: the one writable string of the shared ``snmpd_agent``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .snmp import SnmpdAgent, net_snmp

LOCATION = "1.3.6.1.2.1.1.6.0"  # sysLocation.0


def snmpget(agent: SnmpdAgent, oid: str = LOCATION) -> str:
    """The value as net-snmp reads it (asked for in hex: it shows UTF-8 only as hex)."""
    done = net_snmp(
        "snmpget", "-v2c", "-c", agent.ro_community, "-Oqvx", "-t", "2", agent.target, oid
    )
    assert done.returncode == 0, done.stderr
    return bytes.fromhex("".join(done.stdout.strip().strip('"').split())).decode("utf-8")


def snmpset(agent: SnmpdAgent, value: str, oid: str = LOCATION) -> None:
    done = net_snmp(
        "snmpset", "-v2c", "-c", agent.rw_community, "-t", "2", agent.target, oid, "s", value
    )
    assert done.returncode == 0, done.stderr


@contextmanager
def location_kept(*agents: SnmpdAgent) -> Iterator[None]:
    """Put each agent's sysLocation back afterwards (the agents are shared by the session)
    and check with snmpget that it is."""
    before = [snmpget(a) for a in agents]
    try:
        yield
    finally:  # also when the body failed: later tests share these agents
        for agent, value in zip(agents, before, strict=True):
            snmpset(agent, value)
    for agent, value in zip(agents, before, strict=True):
        assert snmpget(agent) == value

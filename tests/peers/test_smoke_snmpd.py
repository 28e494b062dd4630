"""net-snmp snmpd answers v2c and v3 and keeps the writability the SET tests rely on."""

from __future__ import annotations

import pytest

from .snmp import SnmpdAgent, net_snmp

pytestmark = pytest.mark.peer("snmpd")

SYS_CONTACT = "1.3.6.1.2.1.1.4.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
SYS_LOCATION = "1.3.6.1.2.1.1.6.0"
QUICK = ("-On", "-Oqv", "-t", "1", "-r", "0")  # value only; fail fast


def test_v2c_sys_name(snmpd_agent: SnmpdAgent) -> None:
    agent = snmpd_agent
    result = net_snmp("snmpget", "-v2c", "-c", agent.ro_community, *QUICK, agent.target, SYS_NAME)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().strip('"') == agent.sys_name == "ward-snmpd"


def test_v3_auth_priv(snmpd_agent: SnmpdAgent) -> None:
    agent = snmpd_agent
    result = net_snmp("snmpget", *agent.v3_args(), *QUICK, agent.target, SYS_NAME)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().strip('"') == "ward-snmpd"


def test_v3_wrong_auth_key_is_refused(snmpd_agent: SnmpdAgent) -> None:
    agent = snmpd_agent
    args = agent.v3_args()
    args[args.index(agent.v3_auth_key)] = "wrongpass123"
    result = net_snmp("snmpget", *args, *QUICK, agent.target, SYS_NAME)
    assert result.returncode != 0
    assert "ward-snmpd" not in result.stdout
    assert "digest" in result.stderr.lower() or "authentication" in result.stderr.lower()


def test_writability(snmpd_agent: SnmpdAgent) -> None:
    agent = snmpd_agent
    rw = ("-v2c", "-c", agent.rw_community, *QUICK, agent.target)
    contact = net_snmp("snmpset", *rw, SYS_CONTACT, "s", "someone else")
    assert contact.returncode != 0
    assert "notWritable" in contact.stderr

    before = net_snmp("snmpget", *rw, SYS_LOCATION).stdout.strip().strip('"')
    try:
        assert net_snmp("snmpset", *rw, SYS_LOCATION, "s", "Ward 3, Bay 2").returncode == 0
        ro = ("-v2c", "-c", agent.ro_community, *QUICK, agent.target)
        assert net_snmp("snmpget", *ro, SYS_LOCATION).stdout.strip() == '"Ward 3, Bay 2"'
        denied = net_snmp("snmpset", *ro, SYS_LOCATION, "s", "nope")
        assert "noAccess" in denied.stderr
    finally:
        net_snmp("snmpset", *rw, SYS_LOCATION, "s", before)

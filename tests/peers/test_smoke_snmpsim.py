"""snmpsim serves the real recordings: checked with net-snmp's own snmpget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ._proc import free_port
from .snmp import SNMPREC_DIR, SnmpsimAgent, device_dir, net_snmp, start_snmpsim

pytestmark = pytest.mark.peer("snmpsim")

EXPECTED = json.loads((SNMPREC_DIR / "expected.json").read_text(encoding="utf-8"))
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"


def get(target: str, community: str, oid: str) -> str:
    result = net_snmp("snmpget", "-v2c", "-c", community, "-On", "-t", "1", "-r", "1", target, oid)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_sharp_sys_descr(snmpsim_agent: SnmpsimAgent) -> None:
    assert EXPECTED["sharp"]["sysDescr"] in get(snmpsim_agent.target, "sharp", SYS_DESCR)


def test_every_recording_answers_as_its_community(snmpsim_agent: SnmpsimAgent) -> None:
    stems = sorted(p.stem for p in SNMPREC_DIR.glob("*.snmprec"))
    assert sorted(snmpsim_agent.communities) == stems
    assert sorted(EXPECTED) == stems
    for community, expected in EXPECTED.items():
        out = get(snmpsim_agent.target, community, SYS_OBJECT_ID)
        assert f"= OID: .{expected['sysObjectID']}\n" in out, community


def test_one_device_per_address(tmp_path: Path) -> None:
    """The sweep set-up: independent engines, a different recording per 127.0.42.x."""
    devices = {"127.0.42.1": "sharp", "127.0.42.2": "kyocera"}
    port = free_port("udp", "127.0.42.1")
    endpoints = [(host, port) for host in devices]
    dirs = [device_dir(tmp_path / stem, stem) for stem in devices.values()]
    with start_snmpsim(dirs, endpoints, tmp_path / "sim") as sim:
        assert [a.target for a in sim.info] == [f"{h}:{port}" for h in devices]
        for host, stem in devices.items():
            assert EXPECTED[stem]["sysDescr"] in get(f"{host}:{port}", "public", SYS_DESCR)

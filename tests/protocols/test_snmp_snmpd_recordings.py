"""Recordings served by net-snmp's snmpd (C, its own BER encoder): the v1/v2c codec reads
them exactly as expected.json says, and steady-state polls keep reading them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.peers._proc import free_port
from tests.peers.snmp import SnmpdAgent, start_snmpd_recording
from tests.protocols.snmprec import EXPECTED
from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
from wardfleet.protocols.snmp_credentials import SnmpVersion, community
from wardfleet.protocols.snmp_plan import Probe, probe
from wardfleet.protocols.snmp_poll import poll

pytestmark = pytest.mark.peer("snmpd")

# Hex-wrapped descriptions (m880), colorant links (sharp), a warning state (samsung).
SERVED = ("jetdirect_m880", "sharp", "samsungprinter_m4080fx")


@pytest.fixture(scope="module")
def agents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SnmpdAgent]]:
    handles = []
    try:
        for name in SERVED:
            workdir: Path = tmp_path_factory.mktemp(f"snmpd-{name}")
            handles.append(start_snmpd_recording(workdir, free_port("udp"), name, ["ward", "v1"]))
        yield {name: h.info for name, h in zip(SERVED, handles, strict=True)}
    finally:
        for handle in handles:
            handle.stop()


def _probe_and_poll(agent: SnmpdAgent, version: SnmpVersion) -> tuple[Probe, list[Probe]]:
    async def run() -> tuple[Probe, list[Probe]]:
        try:
            session = SnmpSession(
                SnmpTarget(agent.host, agent.port, 1.0, 1), community("ward", version)
            )
            found = await probe(session)
            plan, polls = found.plan, []
            for _ in range(3):
                result = await poll(session, plan)
                plan = result.plan
                polls.append(Probe(found.identification, plan, result.status))
            return found, polls
        finally:
            close_engine()

    return asyncio.run(run())


@pytest.mark.parametrize("version", [SnmpVersion.V2C, SnmpVersion.V1])
@pytest.mark.parametrize("name", SERVED)
def test_supplies_as_expected_from_snmpd(
    agents: dict[str, SnmpdAgent], name: str, version: SnmpVersion
) -> None:
    found, polls = _probe_and_poll(agents[name], version)
    want = [
        (e["index"], e["description"], e["type"], e["level"], e["capacity"], e["percent"],
         e["colour"])
        for e in EXPECTED[name]["supplies"]
    ]  # fmt: skip
    for status in (found.status, *(p.status for p in polls)):
        got = [
            (s.index, s.description, s.type, s.level, s.capacity, s.percent, s.colour)
            for s in status.supplies
        ]
        assert got == want
        assert status.reachable and status.errors == ()
    ident = found.identification
    assert ident.sys_descr == EXPECTED[name]["sysDescr"]  # trailing blanks too, unlike snmpsim
    assert ident.sys_object_id == EXPECTED[name]["sysObjectID"]
    expected_kind = EXPECTED[name].get("kind_from_snmp") or EXPECTED[name]["device_class"]
    assert ident.classification.kind.value == expected_kind  # sharp, samsung: MFDs
    assert [p.status.uptime_s for p in polls] == sorted(p.status.uptime_s for p in polls)

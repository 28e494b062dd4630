"""Every real recording, served by snmpsim, probed end to end: the supply levels must be right.

One module-scoped run probes all 22 recordings concurrently against one snmpsim; the tests
then compare each with expected.json and with net-snmp's own snmpwalk.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace

import pytest

from tests.domain.test_classify import KIND_OF_CLASS, vendor_names
from tests.peers.snmp import SnmpsimAgent, net_snmp
from tests.protocols.snmprec import EXPECTED, RECORDINGS
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.protocols import oids
from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, SnmpTimeout, close_engine
from wardfleet.protocols.snmp_credentials import community
from wardfleet.protocols.snmp_plan import Probe, probe
from wardfleet.protocols.snmp_poll import poll

pytestmark = pytest.mark.peer("snmpsim")

# Short: zebra's dead hrDeviceID cells must cost little when a test touches them.
TIMEOUT = 0.5


def session(agent: SnmpsimAgent, name: str, timeout: float = TIMEOUT) -> SnmpSession:
    return SnmpSession(SnmpTarget(agent.host, agent.port, timeout, 1), community(name))


@pytest.fixture(scope="module")
def probes(snmpsim_agent: SnmpsimAgent) -> dict[str, Probe]:
    async def run_all() -> dict[str, Probe]:
        try:
            results = await asyncio.gather(*(probe(session(snmpsim_agent, n)) for n in RECORDINGS))
        finally:
            close_engine()
        return dict(zip(RECORDINGS, results, strict=True))

    return asyncio.run(run_all())


@pytest.mark.parametrize("name", RECORDINGS)
def test_supplies_exactly_as_expected(probes: dict[str, Probe], name: str) -> None:
    got = [
        (s.index, s.description, s.type, s.level, s.capacity, s.percent, s.colour)
        for s in probes[name].status.supplies
    ]
    want = [
        (e["index"], e["description"], e["type"], e["level"], e["capacity"], e["percent"],
         e["colour"])
        for e in EXPECTED[name]["supplies"]
    ]  # fmt: skip
    assert got == want


@pytest.mark.parametrize("name", RECORDINGS)
def test_trays_exactly_as_expected(probes: dict[str, Probe], name: str) -> None:
    got = [(t.index, t.level, t.capacity, t.percent) for t in probes[name].status.trays]
    want = [
        (e["index"], e["level"], e["capacity"], e["percent"]) for e in EXPECTED[name]["input_trays"]
    ]
    assert got == want


@pytest.mark.parametrize("name", RECORDINGS)
def test_identity_as_expected(probes: dict[str, Probe], name: str) -> None:
    ident, expected = probes[name].identification, EXPECTED[name]
    c = ident.classification
    assert c.vendor in vendor_names(expected["vendor"])
    device_class = expected.get("kind_from_snmp") or expected["device_class"]
    assert c.kind is (KIND_OF_CLASS.get(device_class) or DeviceKind(device_class))
    # snmpsim drops a recorded value's trailing blanks (samsung's "S/N "); expected.json keeps them.
    assert ident.sys_descr == expected["sysDescr"].rstrip()
    assert ident.sys_object_id == expected["sysObjectID"]
    if expected["serial"]:
        assert ident.serial == expected["serial"].upper()
    assert probes[name].status.reachable


@pytest.mark.parametrize("name", [n for n in RECORDINGS if EXPECTED[n].get("hr_printers")])
def test_error_bits_and_state(probes: dict[str, Probe], name: str) -> None:
    status = probes[name].status
    hr = EXPECTED[name]["hr_printers"][0]
    assert list(status.error_bits) == (hr["hrPrinterDetectedErrorState_bits"] or [])
    assert status.device_status == hr["hrDeviceStatus_name"]
    expected_state = {"running": DeviceState.OK, "warning": DeviceState.WARNING}
    assert status.state is expected_state[hr["hrDeviceStatus_name"]]


def test_zebra_keeps_its_identity(probes: dict[str, Probe]) -> None:
    zebra = probes["zebra"]
    assert zebra.identification.classification.kind is DeviceKind.LABEL_PRINTER
    assert zebra.identification.serial == "7062184"
    assert zebra.status.supplies == () and zebra.status.state is DeviceState.OK


def test_zebra_dead_table_is_a_per_table_error(snmpsim_agent: SnmpsimAgent) -> None:
    """hrDeviceID never answers: a walk into it returns the rows before it plus a timeout,
    and a poll whose plan touches it still returns the rest with one table error."""

    async def run() -> None:
        s = session(snmpsim_agent, "zebra", timeout=0.3)
        try:
            walked = await s.walk(oids.HR_DEVICE_ENTRY, timeout_s=0.3, retries=0)
            assert isinstance(walked.error, SnmpTimeout)
            assert (*oids.HR_DEVICE_TYPE, 6) in walked.varbinds  # the rows before it
            found = await probe(s)
            dead = (*oids.HR_DEVICE_ENTRY, 4, 1)  # hrDeviceID.1
            plan = replace(found.plan, hr_cells=(*found.plan.hr_cells, dead))
            started = time.perf_counter()
            result = await poll(s, plan, table_timeout=0.3)
            assert time.perf_counter() - started < 3.0
        finally:
            close_engine()
        status = result.status
        assert status.reachable and status.uptime_s == pytest.approx(195686.77)
        assert [e.table for e in status.errors] == ["hrDeviceTable"]
        assert "No answer" in status.errors[0].message

    asyncio.run(run())


def test_steady_state_poll_gets_known_cells(snmpsim_agent: SnmpsimAgent) -> None:
    async def run() -> None:
        s = session(snmpsim_agent, "jetdirect_m880")
        try:
            found = await probe(s)
            result = await poll(s, found.plan)
            vanished = replace(
                found.plan,
                supply_cells=(*found.plan.supply_cells, (*oids.PRT_SUPPLIES_ENTRY, 9, 1, 99)),
            )
            rewalked = await poll(s, vanished)
        finally:
            close_engine()
        assert not result.rewalked
        assert result.status.supplies == found.status.supplies
        assert result.status.trays == found.status.trays
        assert result.status.latency_ms is not None and result.status.latency_ms > 0
        # 15 supplies x (level, capacity) + 4 trays x 2 + uptime + the printer's
        # hrDeviceStatus and error state (its hard disk's cells are not asked)
        assert sum(len(v) for v in found.plan.get_oids().values()) == 30 + 8 + 1 + 2
        assert rewalked.rewalked and rewalked.status.supplies == found.status.supplies
        assert len(rewalked.plan.supply_cells) == len(found.plan.supply_cells)

    asyncio.run(run())


def test_levels_agree_with_net_snmp(snmpsim_agent: SnmpsimAgent, probes: dict[str, Probe]) -> None:
    """Cross-check with net-snmp's own client: prtMarkerSuppliesLevel for two devices."""
    for name in ("sharp", "jetdirect_m880"):
        out = net_snmp(
            "snmpwalk", "-v2c", "-c", name, "-On", "-t", "1", snmpsim_agent.target,
            "1.3.6.1.2.1.43.11.1.1.9",
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        levels = [int(v) for v in re.findall(r"INTEGER: (-?\d+)", out.stdout)]
        assert levels == [s.level for s in probes[name].status.supplies]

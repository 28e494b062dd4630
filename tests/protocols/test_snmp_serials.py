"""Serials and models of monitors and UPSes: ENTITY-MIB and APC PowerNet-MIB sources.

None of the 22 public recordings holds entPhysicalSerialNum or an APC PowerNet ident
group (edgeswitch's entPhysicalTable has only the descr and name columns; deltaups has
UPS-MIB's manufacturer only), so those two must keep reading no serial. The sources
themselves are checked against the demo ward's agent and against snmpsim serving a
small recording written here (marked synthetic: values made up, the APC sysDescr and
sysObjectID are LibreNMS's real apc.snmprec lines).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.peers._proc import free_port
from tests.peers.snmp import SnmpsimAgent, start_snmpsim
from wardfleet.demo import start_ward
from wardfleet.domain.kinds import DeviceKind
from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
from wardfleet.protocols.snmp_credentials import community
from wardfleet.protocols.snmp_identify import Identification, identify

APC_DESCR = (
    "APC Web/SNMP Management Card (MB:v3.9.2 PF:v3.5.9 PN:apc_hw03_aos_359.bin AF1:v3.5.6 "
    "AN1:apc_hw03_nb200_356.bin MN:NBRK0200 HR:05 SN: FFFFFFFFFFFF MD:07/07/2012)"
)
# Synthetic: an APC card with PowerNet's ident group, and an entPhysicalTable whose
# first row is a module and whose chassis (class 3) is row 2.
SYNTHETIC_APC = f"""1.3.6.1.2.1.1.1.0|4|{APC_DESCR}
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.318.1.3.8.4
1.3.6.1.2.1.1.3.0|67|12345
1.3.6.1.2.1.1.5.0|4|ups-synthetic
1.3.6.1.2.1.47.1.1.1.1.5.1|2|9
1.3.6.1.2.1.47.1.1.1.1.5.2|2|3
1.3.6.1.2.1.47.1.1.1.1.11.1|4|MODULE-SERIAL
1.3.6.1.2.1.47.1.1.1.1.11.2|4|card-serial-2
1.3.6.1.4.1.318.1.1.1.1.1.1.0|4|Smart-UPS 3000 RM
1.3.6.1.4.1.318.1.1.1.1.2.3.0|4|  JS0000000001
"""
SYNTHETIC_MONITOR = """1.3.6.1.2.1.1.1.0|4|Mindray BeneVision N12 Patient Monitor
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.54260.1.2.12
1.3.6.1.2.1.1.3.0|67|12345
1.3.6.1.2.1.47.1.1.1.1.5.1|2|10
1.3.6.1.2.1.47.1.1.1.1.5.7|2|3
1.3.6.1.2.1.47.1.1.1.1.11.1|4|not-this-one
1.3.6.1.2.1.47.1.1.1.1.11.7|4|fu-28003241
"""


def _identify(host: str, port: int, name: str) -> Identification:
    async def run() -> Identification:
        try:
            return await identify(SnmpSession(SnmpTarget(host, port, 1.0, 1), community(name)))
        finally:
            close_engine()

    return asyncio.run(run())


@pytest.mark.peer("snmpsim")
@pytest.mark.parametrize("name", ["edgeswitch", "deltaups", "linux"])
def test_recordings_without_a_serial_source_read_none(
    snmpsim_agent: SnmpsimAgent, name: str
) -> None:
    ident = _identify(snmpsim_agent.host, snmpsim_agent.port, name)
    assert ident.serial is None
    assert not any(e.table == "entPhysicalTable" for e in ident.errors)


@pytest.mark.peer("snmpsim")
def test_apc_and_entity_sources_against_snmpsim(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "apc.snmprec").write_text(SYNTHETIC_APC)
    (data / "monitor.snmprec").write_text(SYNTHETIC_MONITOR)
    port = free_port("udp")
    with start_snmpsim(data, [("127.0.0.1", port)], tmp_path / "sim"):
        apc = _identify("127.0.0.1", port, "apc")
        monitor = _identify("127.0.0.1", port, "monitor")
    # PowerNet's serial wins over ENTITY-MIB; blanks trimmed, upper-cased like every serial.
    assert apc.serial == "JS0000000001"
    assert apc.classification.vendor == "APC"
    assert apc.classification.model == "Smart-UPS 3000 RM"  # not "Web" from the card
    assert apc.classification.kind is DeviceKind.UPS
    # The first chassis row, not the first row.
    assert monitor.serial == "FU-28003241"
    assert monitor.classification.kind is DeviceKind.MONITOR


def test_demo_ward_monitor_and_ups_show_serials() -> None:
    async def run() -> dict[str, Identification]:
        running = await start_ward(base_port=0, clock=lambda: 10.0)
        try:
            out = {}
            for name in ("w7-baya-bed4-monitor", "w7-comms-ups"):
                endpoint = running.endpoint(name)
                session = SnmpSession(
                    SnmpTarget(endpoint.address, endpoint.port, 1.0, 1),
                    community(endpoint.community),
                )
                out[name] = await identify(session)
            return out
        finally:
            await running.close()
            close_engine()

    found = asyncio.run(run())
    monitor, ups = found["w7-baya-bed4-monitor"], found["w7-comms-ups"]
    assert monitor.serial == "FU-28003241"
    assert monitor.classification.kind is DeviceKind.MONITOR
    assert ups.serial == "AS2139123456"
    assert ups.classification.model == "Smart-UPS 1500"
    assert ups.classification.vendor == "APC"

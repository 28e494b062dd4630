"""SNMP: steady-state status polls and a /24 sweep.

- Full status poll of 1,000 devices with the app's poll plans (GET of known cells, plans
  carried from poll to poll as SnmpWatch does), 16 at a time, against two kinds of peers:
  - snmpsim serving the printer recordings, one endpoint, one community each; and the
    same split over SNMPSIM_PROCESSES snmpsim processes;
  - net-snmp snmpd (a C agent, so the agent is not the bottleneck on a 2-core machine):
    one endpoint per recording × COMMUNITIES communities, serving the recording's cells.
  Baseline in the same run, on the same peers and cells: net-snmp's ``snmpget``, 16
  processes in parallel. Targets: ≥ 2× the baseline's throughput, ≤ 5 ms CPU per device.
- A /24 on loopback with 10 live agents: must finish within timeout × (retries + 1) + 1 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.peers._proc import free_port
from tests.peers.snmp import SNMPREC_DIR, start_snmpd_recording, start_snmpsim

from wardfleet.protocols.oids import PRT_ALERT_ENTRY
from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
from wardfleet.protocols.snmp_credentials import community
from wardfleet.protocols.snmp_plan import PollPlan, make_poll_plan
from wardfleet.protocols.snmp_poll import poll
from wardfleet.protocols.snmp_sweep import parse_targets, sweep
from wardfleet.protocols.snmp_types import oid_str

POLLS = 1000
COMMUNITIES = 4  # per snmpd endpoint: 13 recordings × 4 = 52 devices
SNMPSIM_PROCESSES = 2  # one per core
BASELINE_POLLS = 200  # process spawns are slow; the rate is what is compared
PARALLEL = 16
# Printer recordings that snmpsim serves cleanly (zebra's hrDevice cells never answer).
RECORDINGS = (
    "brother", "canonprinter_tm", "epson", "fujifilmprinter_c7580", "jetdirect",
    "jetdirect_m252dw", "jetdirect_m880", "konica", "konica_c250i", "ricoh_mpc3002",
    "samsungprinter_m4080fx", "sharp", "xerox",
)  # fmt: skip


Device = tuple[str, SnmpSession, PollPlan]  # community, session, plan
Endpoint = tuple[str, int, str]  # host, port, community


async def _plans(host: str, port: int) -> list[Device]:
    """Plans for every printer recording on one snmpsim (bench_heartbeat uses these)."""
    return await _device_plans([(host, port, name) for name in RECORDINGS])


async def _device_plans(endpoints: list[Endpoint]) -> list[Device]:
    out = []
    for host, port, name in endpoints:
        session = SnmpSession(SnmpTarget(host, port, 2.0, 1), community(name))
        plan, _ = await make_poll_plan(session)
        out.append((name, session, plan))
    return out


async def _poll_many(devices: list[Device]) -> tuple[float, float, int, list[bool]]:
    """Wall and CPU seconds, answers, and for each poll whether it walked prtAlertTable."""
    gate = asyncio.Semaphore(PARALLEL)
    # One poll per device at a time, as SnmpWatch does: two at once would race to store
    # their plans, and the staler one would force a re-walk next time.
    busy = [asyncio.Lock() for _ in devices]
    ok = 0
    walked = [False] * POLLS

    async def one(i: int) -> None:
        nonlocal ok
        async with busy[i % len(devices)], gate:
            name, session, plan = devices[i % len(devices)]
            result = await poll(session, plan)
        # The next poll uses the new plan, as SnmpWatch does.
        devices[i % len(devices)] = (name, session, result.plan)
        ok += result.status.reachable
        walked[i] = result.alerts_walked

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(i) for i in range(POLLS)))
    return time.perf_counter() - wall, time.process_time() - cpu, ok, walked


def _baseline(devices: list[Device], walked: list[bool]) -> float:
    """The same work with net-snmp's tools, poll for poll: snmpget of the plan's cells,
    plus an snmpbulkwalk of prtAlertTable where our poll with that number walked it."""
    snmpget, snmpbulkwalk = shutil.which("snmpget"), shutil.which("snmpbulkwalk")
    assert snmpget and snmpbulkwalk, "net-snmp's snmpget and snmpbulkwalk are needed"

    def one(i: int) -> None:
        name, session, plan = devices[i % len(devices)]
        common = ["-v2c", "-c", name, "-On", "-t", "2", "-r", "1", session.target.address]
        cells = [oid_str(o) for oids in plan.get_oids().values() for o in oids]
        subprocess.run([snmpget, *common, *cells], check=True, capture_output=True)
        if walked[i]:
            alerts = oid_str(PRT_ALERT_ENTRY)
            subprocess.run([snmpbulkwalk, *common, alerts], check=True, capture_output=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(one, range(BASELINE_POLLS)))
    return time.perf_counter() - start


def _poll_rows(label: str, endpoints: list[Endpoint]) -> list[str]:
    async def plans_then_polls() -> tuple[list[Device], tuple[float, float, int, list[bool]]]:
        # One loop for both: a pysnmp engine cannot move to another loop.
        try:
            found = await _device_plans(endpoints)
            return found, await _poll_many(found)
        finally:
            close_engine()

    devices, (wall, cpu, ok, walked) = asyncio.run(plans_then_polls())
    base = _baseline(devices, walked)
    ours_rate, base_rate = POLLS / wall, BASELINE_POLLS / base
    return [
        f"{f'snmp: steady-state polls, {label}':<48} {ours_rate:8.0f} devices/s  "
        f"baseline snmpget×{PARALLEL} {base_rate:6.0f}/s  ratio {ours_rate / base_rate:5.2f}x  "
        f"target ≥ 2x  ({ok}/{POLLS} answered, {len(devices)} devices)",
        f"{f'snmp: CPU per device poll, {label}':<48} {cpu / POLLS * 1000:8.2f} ms  "
        f"target ≤ 5 ms  ({cpu / POLLS * 1000 / 5:4.2f} of target)",
    ]


async def _sweep_24(port: int) -> tuple[float, int]:
    targets = parse_targets(["127.0.42.0/24"])
    start = time.perf_counter()
    found = 0
    try:
        async for _ in sweep(targets, [community("sharp")], port=port, timeout_s=1.0, retries=0,
                             rate=1000.0, concurrency=256):  # fmt: skip
            found += 1
    finally:
        close_engine()
    return time.perf_counter() - start, found


def run() -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port("udp")
        with start_snmpsim(SNMPREC_DIR, [("127.0.0.1", port)], Path(tmp) / "poll"):
            lines += _poll_rows("snmpsim", [("127.0.0.1", port, n) for n in RECORDINGS])
        with contextlib.ExitStack() as agents:
            # The same recordings split over SNMPSIM_PROCESSES agents: snmpsim is Python
            # and one process saturates one core, where a real ward has one agent each.
            endpoints = []
            for k in range(SNMPSIM_PROCESSES):
                names = RECORDINGS[k::SNMPSIM_PROCESSES]
                data = Path(tmp) / f"split{k}" / "data"
                data.mkdir(parents=True)
                for name in names:
                    shutil.copyfile(SNMPREC_DIR / f"{name}.snmprec", data / f"{name}.snmprec")
                agent_port = free_port("udp")
                agents.enter_context(
                    start_snmpsim(data, [("127.0.0.1", agent_port)], data.parent / "work")
                )
                endpoints += [("127.0.0.1", agent_port, n) for n in names]
            lines += _poll_rows(f"snmpsim ×{SNMPSIM_PROCESSES} processes", endpoints)
        with contextlib.ExitStack() as agents:
            endpoints = []
            for name in RECORDINGS:
                agent_port = free_port("udp")
                communities = [f"{name}{n}" for n in range(COMMUNITIES)]
                agents.enter_context(
                    start_snmpd_recording(
                        Path(tmp) / f"snmpd-{name}", agent_port, name, communities
                    )
                )
                endpoints += [("127.0.0.1", agent_port, c) for c in communities]
            lines += _poll_rows("snmpd", endpoints)
        sweep_port = free_port("udp", "127.0.42.1")
        live = [(f"127.0.42.{n}", sweep_port) for n in (3, 9, 27, 50, 81, 100, 133, 177, 200, 250)]
        with start_snmpsim(SNMPREC_DIR, live, Path(tmp) / "sweep"):
            elapsed, found = asyncio.run(_sweep_24(sweep_port))
        bound = 1.0 * (0 + 1) + 1.0
        lines.append(
            f"{'snmp: sweep /24, 10 live hosts':<48} {elapsed * 1000:8.0f} ms  "
            f"bound {bound * 1000:.0f} ms ({elapsed / bound:4.2f} of bound)  found {found}/10"
        )
    return lines

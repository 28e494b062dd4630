"""SNMP: steady-state status polls and a /24 sweep.

- Full status poll of 1,000 devices: the printer recordings served by snmpsim, polled
  round-robin with the app's poll plans (GET of known cells), 16 at a time. Baseline in
  the same run: net-snmp's ``snmpget`` of the same cells, 16 processes in parallel.
  Targets: ≥ 2× the baseline's throughput, ≤ 5 ms CPU per device.
- A /24 on loopback with 10 live agents: must finish within timeout × (retries + 1) + 1 s.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.peers._proc import free_port
from tests.peers.snmp import SNMPREC_DIR, start_snmpsim

from wardfleet.protocols.snmp import SnmpSession, SnmpTarget, close_engine
from wardfleet.protocols.snmp_credentials import community
from wardfleet.protocols.snmp_identify import PollPlan, make_poll_plan, poll
from wardfleet.protocols.snmp_sweep import parse_targets, sweep

POLLS = 1000
BASELINE_POLLS = 200  # process spawns are slow; the rate is what is compared
PARALLEL = 16
# Printer recordings that snmpsim serves cleanly (zebra's hrDevice cells never answer).
RECORDINGS = (
    "brother", "canonprinter_tm", "epson", "fujifilmprinter_c7580", "jetdirect",
    "jetdirect_m252dw", "jetdirect_m880", "konica", "konica_c250i", "ricoh_mpc3002",
    "samsungprinter_m4080fx", "sharp", "xerox",
)  # fmt: skip


def _oid_text(oid: tuple[int, ...]) -> str:
    return ".".join(map(str, oid))


async def _plans(host: str, port: int) -> list[tuple[str, SnmpSession, PollPlan]]:
    out = []
    for name in RECORDINGS:
        session = SnmpSession(SnmpTarget(host, port, 2.0, 1), community(name))
        plan, _ = await make_poll_plan(session)
        out.append((name, session, plan))
    return out


async def _poll_many(devices: list[tuple[str, SnmpSession, PollPlan]]) -> tuple[float, float, int]:
    gate = asyncio.Semaphore(PARALLEL)
    ok = 0

    async def one(i: int) -> None:
        nonlocal ok
        _, session, plan = devices[i % len(devices)]
        async with gate:
            result = await poll(session, plan)
        ok += result.status.reachable

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(i) for i in range(POLLS)))
    return time.perf_counter() - wall, time.process_time() - cpu, ok


def _baseline(devices: list[tuple[str, SnmpSession, PollPlan]], host: str, port: int) -> float:
    snmpget = shutil.which("snmpget")
    assert snmpget, "net-snmp's snmpget is needed for the baseline"

    def one(i: int) -> None:
        name, _, plan = devices[i % len(devices)]
        cells = [_oid_text(o) for oids in plan.get_oids().values() for o in oids]
        subprocess.run([snmpget, "-v2c", "-c", name, "-On", "-t", "2", "-r", "1",
                        f"{host}:{port}", *cells], check=True, capture_output=True)  # fmt: skip

    start = time.perf_counter()
    with ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(one, range(BASELINE_POLLS)))
    return time.perf_counter() - start


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

            async def plans_then_polls() -> tuple[list[tuple[str, SnmpSession, PollPlan]],
                                                  tuple[float, float, int]]:  # fmt: skip
                # One loop for both: a pysnmp engine cannot move to another loop.
                try:
                    found = await _plans("127.0.0.1", port)
                    return found, await _poll_many(found)
                finally:
                    close_engine()

            devices, (wall, cpu, ok) = asyncio.run(plans_then_polls())
            base = _baseline(devices, "127.0.0.1", port)
        ours_rate, base_rate = POLLS / wall, BASELINE_POLLS / base
        lines.append(
            f"{'snmp: steady-state status polls':<48} {ours_rate:8.0f} devices/s  "
            f"baseline snmpget×{PARALLEL} {base_rate:6.0f}/s  ratio {ours_rate / base_rate:5.2f}x  "
            f"target ≥ 2x  ({ok}/{POLLS} answered)"
        )
        lines.append(
            f"{'snmp: CPU per device poll':<48} {cpu / POLLS * 1000:8.2f} ms  target ≤ 5 ms"
            f"  ({cpu / POLLS * 1000 / 5:4.2f} of target)"
        )
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

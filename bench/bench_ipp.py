"""IPP status of 200 printers polled concurrently: requests/s and client CPU per request.

Peers: 4 ippeveprinter instances on loopback, each polled 50 times per round: 200 status
requests per round, 16 in flight at a time (the monitor's default cap). At 64 in flight
the client spent ~3x the CPU per request in httpx's pool and the loop, for less req/s.

Ours: ``IppClient.status`` (encode, POST, decode, map to DeviceStatus) on one shared
httpx client. Baselines, same run, same printers:
  - raw httpx: POST a pre-encoded Get-Printer-Attributes and read the bytes, no decoding
    (what the transport alone costs);
  - ipptool: 200 ``ipptool get-printer-attributes.test`` processes, 16 at a time (what the
    CUPS command line costs; CPU counted in the child processes).
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from wardfleet.protocols.ipp import IppClient
from wardfleet.protocols.ipp_codec import Attribute, Request, Tag
from wardfleet.protocols.ipp_spec import Op
from wardfleet.protocols.ipp_status import STATUS_ATTRIBUTES

PRINTERS = 4
POLLS = 200
ROUNDS = 5
CONCURRENCY = 16  # the monitor's default cap (PollPolicy.concurrency)


def _uris(ports: list[int]) -> list[str]:
    return [f"ipp://127.0.0.1:{ports[i % len(ports)]}/ipp/print" for i in range(POLLS)]


async def _round_ours(client: IppClient, uris: list[str]) -> None:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(uri: str) -> None:
        async with gate:
            report = await client.status(uri)
            assert report.make_and_model

    await asyncio.gather(*(one(u) for u in uris))


async def _round_raw(http: httpx.AsyncClient, uris: list[str]) -> None:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(uri: str) -> None:
        body = Request(
            Op.GET_PRINTER_ATTRIBUTES,
            1,
            [
                Attribute.of("printer-uri", Tag.URI, uri),
                Attribute.of("requested-attributes", Tag.KEYWORD, *STATUS_ATTRIBUTES),
            ],
        ).encode()
        url = uri.replace("ipp://", "http://", 1)
        async with gate:
            response = await http.post(
                url, content=body, headers={"Content-Type": "application/ipp"}
            )
            assert response.status_code == 200 and len(response.content) > 100

    await asyncio.gather(*(one(u) for u in uris))


def _measure(run_round) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    walls, cpus = [], []
    for _ in range(ROUNDS):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        run_round()
        walls.append(time.perf_counter() - wall0)
        cpus.append(time.process_time() - cpu0)
    return walls, cpus


def _ipptool_round(uris: list[str]) -> tuple[float, int]:
    """Wall seconds and failed runs; child CPU is read from RUSAGE_CHILDREN by the caller."""

    def one(uri: str) -> bool:
        cmd = ["ipptool", "-q", "-T", "10", uri, "get-printer-attributes.test"]
        return subprocess.run(cmd, capture_output=True, check=False).returncode == 0

    start = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        failed = sum(not ok for ok in pool.map(one, uris))
    return time.perf_counter() - start, failed


def _line(name: str, walls: list[float], cpus: list[float], base: float | None = None) -> str:
    rate = POLLS / statistics.median(walls)
    cpu_ms = statistics.median(cpus) / POLLS * 1000
    text = f"{name:<48} {rate:8.0f} req/s  CPU {cpu_ms:6.2f} ms/req"
    if base is not None:
        text += f"  ratio {rate / base:5.2f}x of baseline req/s"
    return text


def run() -> list[str]:
    try:
        from tests.peers._policy import PeerUnavailable
        from tests.peers.ipp import start_ippeveprinter
    except ImportError as exc:  # an installed app without the test helpers
        return [f"ipp: not available ({exc})"]
    with tempfile.TemporaryDirectory() as tmp:
        handles = []
        try:
            for n in range(PRINTERS):
                handles.append(start_ippeveprinter(Path(tmp) / f"p{n}", name=f"Bench {n}"))
        except PeerUnavailable as exc:
            for h in handles:
                h.stop()
            return [f"ipp: not available ({exc})"]
        try:
            return _bench(_uris([h.info.port for h in handles]))
        finally:
            for h in handles:
                h.stop()


def _bench(uris: list[str]) -> list[str]:
    loop = asyncio.new_event_loop()
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    http = httpx.AsyncClient(limits=limits)
    client = IppClient(http, timeout=30)
    try:
        loop.run_until_complete(_round_ours(client, uris))  # warm connections
        loop.run_until_complete(_round_raw(http, uris))
        ours = _measure(lambda: loop.run_until_complete(_round_ours(client, uris)))
        raw = _measure(lambda: loop.run_until_complete(_round_raw(http, uris)))
    finally:
        loop.run_until_complete(client.aclose())
        loop.run_until_complete(http.aclose())
        loop.close()
    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    tool_runs = [_ipptool_round(uris) for _ in range(2)]
    tool_wall = [wall for wall, _failed in tool_runs]
    tool_failed = sum(failed for _wall, failed in tool_runs)
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (child1.ru_utime + child1.ru_stime - child0.ru_utime - child0.ru_stime) / 2
    raw_rate = POLLS / statistics.median(raw[0])
    tool_rate = POLLS / statistics.median(tool_wall)
    head = f"ipp: {POLLS} status polls over {PRINTERS} ippeveprinter, {CONCURRENCY} at a time"
    return [
        head,
        _line("ipp: IppClient.status (decode + DeviceStatus)", *ours, base=raw_rate),
        _line("ipp: baseline raw httpx POST, no decoding", *raw),
        _line("ipp: baseline ipptool ×200, 16 parallel", tool_wall, [child_cpu] * 2, base=None)
        + f"  (ours: {POLLS / statistics.median(ours[0]) / tool_rate:4.1f}x ipptool's req/s)"
        + (f"  [{tool_failed} ipptool runs failed]" if tool_failed else ""),
    ]

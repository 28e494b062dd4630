"""Target parsing, the rate limiter, and a real sweep of a loopback /24."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.peers._proc import free_port
from tests.peers.snmp import SnmpsimAgent, device_dir, start_snmpsim
from wardfleet.protocols.snmp import close_engine, engine_for_loop
from wardfleet.protocols.snmp_credentials import community
from wardfleet.protocols.snmp_sweep import (
    MAX_HOSTS,
    TargetError,
    TokenBucket,
    parse_targets,
    sweep,
)

# --- parsing ---------------------------------------------------------------------------------


def test_cidr_skips_network_and_broadcast() -> None:
    assert list(parse_targets(["192.0.2.0/30"])) == ["192.0.2.1", "192.0.2.2"]
    assert list(parse_targets(["192.0.2.7/32"])) == ["192.0.2.7"]
    assert len(parse_targets(["10.1.0.0/24"])) == 254


def test_ranges_lists_and_names() -> None:
    targets = parse_targets(["10.0.0.5-7", "10.0.0.254-10.0.1.1,ward-3-printer", "10.0.0.6"])
    assert list(targets) == [
        "10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1",
        "ward-3-printer",
    ]  # fmt: skip


def test_excludes_are_honoured() -> None:
    targets = parse_targets(["10.0.0.0/29", "printer-a"], exclude=["10.0.0.2-4", "printer-a"])
    assert list(targets) == ["10.0.0.1", "10.0.0.5", "10.0.0.6"]


@pytest.mark.parametrize("bad", ["10.0.0.9-3", "10.0.0.300", "not a host!", "10.0.0.0/33"])
def test_bad_targets_are_refused_clearly(bad: str) -> None:
    with pytest.raises(TargetError):
        parse_targets([bad])


def test_absurd_sizes_need_force() -> None:
    with pytest.raises(TargetError, match="more than 65536"):
        parse_targets(["10.0.0.0/8"])
    assert len(parse_targets(["10.0.0.0/8"], force=True)) == 2**24 - 2
    assert len(parse_targets(["10.0.0.0/16", "10.1.0.1"])) == 65_535  # at the cap is fine
    assert MAX_HOSTS == 65_536


def test_token_bucket_limits_the_rate() -> None:
    async def take(n: int) -> float:
        bucket = TokenBucket(rate=200, burst=1)
        started = time.monotonic()
        for _ in range(n):
            await bucket.take()
        return time.monotonic() - started

    elapsed = asyncio.run(take(41))
    assert 0.19 <= elapsed < 2.0  # 40 tokens after the first at 200/s; the rest is slack


# --- a real sweep ----------------------------------------------------------------------------

DEVICES = {"127.0.42.10": ("sharp", "ward10"), "127.0.42.20": ("kyocera", "ward20"),
           "127.0.42.77": ("jetdirect", "ward77")}  # fmt: skip


@pytest.fixture(scope="module")
def ward_subnet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SnmpsimAgent, ...]]:
    root: Path = tmp_path_factory.mktemp("sweep")
    port = free_port("udp", "127.0.42.10")
    dirs = [device_dir(root / c, rec, c) for rec, c in DEVICES.values()]
    with start_snmpsim(dirs, [(host, port) for host in DEVICES], root / "sim") as sim:
        yield sim.info


def run_sweep(port: int, **kw: object) -> tuple[list[tuple[str, str]], list[tuple[int, int]]]:
    progress: list[tuple[int, int]] = []
    credentials = [community(c) for _, c in DEVICES.values()]

    async def go() -> list[tuple[str, str]]:
        found = []
        try:
            async for hit in sweep(
                parse_targets(["127.0.42.0/24"], exclude=kw.pop("exclude", [])),  # type: ignore[arg-type]
                credentials, port=port, timeout_s=0.2, retries=0, rate=2000, concurrency=128,
                progress=lambda done, total: progress.append((done, total)),
            ):  # fmt: skip
                found.append((hit.address, hit.identification.classification.vendor or ""))
        finally:
            close_engine()
        return found

    return sorted(asyncio.run(go())), progress


@pytest.mark.peer("snmpsim")
def test_sweep_finds_exactly_the_devices(ward_subnet: tuple[SnmpsimAgent, ...]) -> None:
    found, progress = run_sweep(ward_subnet[0].port)
    assert found == [("127.0.42.10", "Sharp"), ("127.0.42.20", "Kyocera"), ("127.0.42.77", "HP")]
    assert progress[-1] == (254, 254) and len(progress) == 254


@pytest.mark.peer("snmpsim")
def test_sweep_honours_excludes(ward_subnet: tuple[SnmpsimAgent, ...]) -> None:
    found, progress = run_sweep(ward_subnet[0].port, exclude=["127.0.42.15-25"])
    assert [a for a, _ in found] == ["127.0.42.10", "127.0.42.77"]
    assert progress[-1] == (243, 243)


@pytest.mark.peer("snmpsim")
def test_cancelling_a_sweep_leaves_no_tasks(ward_subnet: tuple[SnmpsimAgent, ...]) -> None:
    async def go() -> None:
        try:
            engine = engine_for_loop()
            before = our_tasks()
            task = asyncio.ensure_future(_consume(ward_subnet[0].port))
            await asyncio.sleep(0.3)  # mid-sweep: 254 hosts at 0.3 s each need far longer
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.sleep(0)
            assert our_tasks() == before
            cache = engine.get_user_context("CommandGeneratorLcdConfigurator") or {}
            assert len(cache.get("addr", {})) <= 3  # released hosts do not pile up
        finally:
            close_engine()

    asyncio.run(go())


def our_tasks() -> set[asyncio.Task[object]]:
    """Pending tasks, less the engine's own timer (it lives until close_engine)."""
    return {t for t in asyncio.all_tasks() if "AsyncioDispatcher" not in repr(t.get_coro())}


async def _consume(port: int) -> None:
    async for _ in sweep(
        parse_targets(["127.0.42.0/24"]), [community("nothing-answers")],
        port=port, timeout_s=0.3, retries=0, rate=500, concurrency=16,
    ):  # fmt: skip
        pass


def test_closing_the_iterator_early_stops_the_workers() -> None:
    async def go() -> None:
        try:
            before = our_tasks()
            iterator = sweep(parse_targets(["127.0.43.0/28"]), [community("x")],
                             port=free_port("udp"), timeout_s=0.2, rate=500)  # fmt: skip
            consumer = asyncio.ensure_future(iterator.__anext__())
            await asyncio.sleep(0.1)
            consumer.cancel()
            with pytest.raises(asyncio.CancelledError):
                await consumer
            await iterator.aclose()
            assert our_tasks() == before
        finally:
            close_engine()

    asyncio.run(go())

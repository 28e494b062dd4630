"""The user's network scan against a real SNMP agent (snmpsim on loopback)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from tests.peers.snmp import SnmpsimAgent
from wardfleet.protocols.snmp import close_engine
from wardfleet.protocols.snmp_credentials import community
from wardfleet.protocols.snmp_sweep import TargetError
from wardfleet.services.scan import Found, scan
from wardfleet.services.snmp_watch import SnmpEndpoint, SnmpWatch
from wardfleet.store import Store


def test_scan_merges_and_registers_what_answers(store: Store, snmpsim_agent: SnmpsimAgent) -> None:
    watch = SnmpWatch()
    progress: list[tuple[int, int]] = []
    found: list[Found] = []
    registered: list[SnmpEndpoint] = []

    def register(endpoints: Sequence[SnmpEndpoint]) -> None:
        registered.extend(endpoints)
        watch.add_endpoints(endpoints)

    async def main() -> None:
        try:
            summary = await scan(
                store,
                ["127.0.0.1"],
                [],
                [community("wrong-one"), community("sharp")],
                port=snmpsim_agent.port,
                progress=lambda done, total: progress.append((done, total)),
                on_found=found.append,
                register=register,
            )
        finally:
            close_engine()
        assert summary.total == 1 and summary.done == 1 and summary.created == 1

    asyncio.run(main())
    assert progress[0] == (0, 1) and progress[-1] == (1, 1)
    devices = store.list_devices()
    assert [d.id for d in devices] == [found[0].outcome.device_id]
    assert devices[0].address == "127.0.0.1" and devices[0].port == snmpsim_agent.port
    assert "127.0.0.1" in found[0].text
    # The community that answered is tried first from now on; the device is watched.
    assert [c.community for c in registered[0].credentials] == ["sharp", "wrong-one"]
    assert watch.can_poll(devices[0])


def test_cancelling_a_scan_stops_every_probe(store: Store) -> None:
    async def main() -> None:
        seen: list[int] = []
        task = asyncio.ensure_future(
            scan(
                store,
                ["127.0.9.0/24"],
                [],
                [community("nobody")],
                port=9,
                concurrency=4,
                progress=lambda done, _total: seen.append(done),
            )
        )
        try:
            await asyncio.sleep(0.3)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert seen and seen[-1] < 254
            others = [
                t
                for t in asyncio.all_tasks()
                if t is not asyncio.current_task() and "AsyncioDispatcher" not in repr(t)
            ]  # the engine's own timer task lives until close_engine()
            assert others == []
        finally:
            close_engine()

    asyncio.run(main())
    assert store.list_devices() == []


def test_bad_targets_fail_before_any_packet(store: Store) -> None:
    with pytest.raises(TargetError, match="not an address"):
        asyncio.run(scan(store, ["10.0.0.300"], [], [community("x")]))


def test_runtime_hands_scanned_endpoints_to_its_snmp_watch(store: Store) -> None:
    from wardfleet.domain.device import Device
    from wardfleet.domain.identity import Identity
    from wardfleet.domain.kinds import DeviceKind
    from wardfleet.services.runtime import WardRuntime

    async def main() -> None:
        watch = SnmpWatch()
        runtime = WardRuntime(store, discoverers=[watch], source=watch, hub_sync=False)
        device = Device(
            id="d", name="p", kind=DeviceKind.PRINTER, identity=Identity.of(address="127.0.0.1"),
            address="127.0.0.1",
            port=1161,
        )  # fmt: skip
        assert not watch.can_poll(device)
        runtime.add_snmp_endpoints([SnmpEndpoint("127.0.0.1", 1161, (community("c"),))])
        assert watch.can_poll(device)
        await runtime.reload_sync()  # no hub link made: nothing to reload, no error

    asyncio.run(main())

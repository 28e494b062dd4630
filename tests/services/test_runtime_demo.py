"""The whole chain on real SNMP: demo ward agents → SNMP watch → runtime → store."""

from __future__ import annotations

import asyncio
from pathlib import Path

from wardfleet.demo.runner import start_ward
from wardfleet.domain.kinds import DeviceKind, DeviceState
from wardfleet.domain.status import LevelState
from wardfleet.protocols.snmp import close_engine
from wardfleet.protocols.snmp_credentials import community
from wardfleet.services.events import ActivityEvent, SyncSnapshot
from wardfleet.services.runtime import WardRuntime
from wardfleet.services.snmp_watch import SnmpEndpoint, SnmpWatch
from wardfleet.store import Store

JAM_AT_S = 95.0  # inside the nurses' laser's first jam (1:26 + 30 s at seed 7)


class Recorder:
    def __init__(self) -> None:
        self.inventory: list[str] = []
        self.status: list[str] = []
        self.events: list[ActivityEvent] = []
        self.snapshots: list[SyncSnapshot] = []

    def inventory_changed(self, device_ids: list[str]) -> None:
        self.inventory += device_ids

    def status_changed(self, device_ids: list[str]) -> None:
        self.status += device_ids

    def activity(self, event: ActivityEvent) -> None:
        self.events.append(event)

    def sync_changed(self, snapshot: SyncSnapshot) -> None:
        self.snapshots.append(snapshot)


def test_demo_ward_is_discovered_once_per_device_and_polled(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "w.sqlite3")
    recorder = Recorder()

    async def scenario() -> None:
        ward = await start_ward(base_port=0, start_at=JAM_AT_S)
        try:
            watch = SnmpWatch(
                [
                    SnmpEndpoint(e.address, e.port, (community(e.community),))
                    for e in ward.endpoints
                ],
                timeout_s=1.0,
                retries=1,
            )
            runtime = WardRuntime(store, discoverers=[watch], source=watch)
            runtime.subscribe(recorder)
            await runtime.discover_once()
            # One queued-count update per round (not per device), and it is true.
            assert len(recorder.snapshots) == 1
            assert recorder.snapshots[0].queued_changes == store.outbox_count() >= 9
            await runtime.monitor.poll_once(store.list_devices())
            await runtime.discover_once()  # a second round must not add anything
            await runtime.monitor.poll_once(store.list_devices())
            expected = {e.address: e.kind for e in ward.endpoints}
            rows = {o.device.address: o for o in store.list_overview()}
            assert set(rows) == set(expected)
            assert len(store.list_devices()) == len(ward.endpoints) == 9
            # Every kind, the MFD too: its hrDevice rows and sysDescr show a scanner.
            for address, kind in expected.items():
                assert rows[address].device.kind.value == kind, address
            by_name = {e.name: rows[e.address] for e in ward.endpoints}
            jammed = by_name["w7-nurses-laser"]
            assert jammed.device.state is DeviceState.ERROR
            assert jammed.status is not None and "jammed" in jammed.status.error_bits
            brother = by_name["w7-bayb-laser"].status
            assert brother is not None
            toner = [s for s in brother.supplies if s.type == "toner"]
            assert toner and toner[0].level_state is LevelState.SOME_REMAINING
            assert toner[0].percent is None
            labels = by_name["w7-treatment-labels"].device
            assert labels.kind is DeviceKind.LABEL_PRINTER
            assert all(r.device.identity.mac for r in rows.values())
        finally:
            await ward.close()
            close_engine()

    asyncio.run(scenario())
    assert len([e for e in recorder.events if e.kind == "discovered"]) == 9
    assert set(recorder.status) == {d.id for d in store.list_devices()}
    store.close()

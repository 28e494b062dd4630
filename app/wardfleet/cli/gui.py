"""Open the desktop app: build the runtime the window drives, then hand over to Qt."""

from __future__ import annotations

import argparse
import asyncio
import functools
import time
from typing import TYPE_CHECKING

from wardfleet.ui.options import GuiOptions, RuntimeFactory

SCREENSHOT_DEMO_AT_S = 95.0  # inside the demo's first paper jam

if TYPE_CHECKING:
    from wardfleet.services.runtime import WardRuntime
    from wardfleet.store import Store


class _DemoRuntime:
    """The normal runtime, started after the demo ward's devices are listening."""

    def __init__(self, store: Store, *, start_at: float = 0.0) -> None:
        from wardfleet.cli.demo_ward import DemoWardProcess
        from wardfleet.demo.ipp_printer import DemoIppPrinterProcess

        self._store = store
        self._ward = DemoWardProcess(start_at=start_at)
        self._ipp_printer = DemoIppPrinterProcess()  # a real one, when ippeveprinter exists
        self._runtime = _ward_runtime(store, mdns=False)
        # Cheap hand-offs; the UI sees this object as its runtime.
        self.subscribe = self._runtime.subscribe
        self.poll_now = self._runtime.poll_now
        self.rescan = self._runtime.rescan
        self.sync_snapshot = self._runtime.sync_snapshot
        self.sync_now = self._runtime.sync_now
        self.reload_sync = self._runtime.reload_sync
        self.add_snmp_endpoints = self._runtime.add_snmp_endpoints

    async def start(self) -> None:
        from wardfleet.protocols.snmp_credentials import community
        from wardfleet.services.snmp_watch import SnmpEndpoint

        devices = await self._ward.start()
        self._runtime.add_snmp_endpoints(
            [SnmpEndpoint(d.address, d.port, (community(d.community),)) for d in devices]
        )
        printer = await self._ipp_printer.start()
        if printer is not None:  # merged like a discovered printer: it gets a Print tab
            from wardfleet.services.discovery import merge_observation

            await asyncio.to_thread(
                merge_observation, self._store, printer.observation(time.time())
            )
        await self._runtime.start()

    async def stop(self) -> None:
        try:
            await self._runtime.stop()
        finally:
            await self._ipp_printer.stop()
            await self._ward.stop()


def _ward_runtime(store: Store, *, mdns: bool) -> WardRuntime:
    """SNMP (endpoints come from the demo ward or from scans), plus mDNS on a real ward."""
    from wardfleet.services.escl_watch import EsclWatch
    from wardfleet.services.ipp_watch import CombinedSource, IppWatch
    from wardfleet.services.runtime import WardRuntime
    from wardfleet.services.snmp_watch import SnmpWatch
    from wardfleet.services.tls_watch import shared_pins

    snmp = SnmpWatch(timeout_s=1.0, retries=1)
    # Printers with an IPP URI (from their DNS-SD advert) are asked by IPP too, and
    # scanners with an eSCL URL by eSCL (an MFD by all three).
    pins = shared_pins(store)
    source = CombinedSource(snmp, IppWatch(pins=pins), EsclWatch(pins=pins))
    live = []
    if mdns:
        from wardfleet.protocols.mdns import MdnsConfig, MdnsDiscoverer

        live.append(MdnsDiscoverer(MdnsConfig()))
    return WardRuntime(store, discoverers=[snmp], source=source, live_discoverers=live)


def _live_runtime(store: Store) -> WardRuntime:
    # SNMP targets come from scans; mDNS finds printers and scanners on its own.
    return _ward_runtime(store, mdns=True)


def run(args: argparse.Namespace) -> int:
    from wardfleet.ui.app import run_gui

    factory: RuntimeFactory | None
    if args.no_network:
        factory = None
    elif args.demo:
        # Screenshots show the ward mid-jam, so the pictures show how trouble looks.
        start_at = SCREENSHOT_DEMO_AT_S if args.screenshot else 0.0
        factory = functools.partial(_DemoRuntime, start_at=start_at)
    else:
        factory = _live_runtime
    options = GuiOptions(
        data_dir=args.data_dir,
        demo=args.demo,
        runtime_factory=factory,
        screenshot_dir=args.screenshot,
        quit_after=args.quit_after,
    )
    return run_gui(options)

"""Endpoints for inventory devices: how a deploy or a conformance check reaches each one.

SNMP goes to the device's address with the first credential that answers, tried in the
order given (the saved credential sets' order, as a scan tries them). IPP goes to the
printer URI discovery recorded for the device (``Device.ipp_uri``); a device without one
gets its IPP settings reported as unreachable, in words, never guessed at.

``InventoryJobs`` turns chosen devices and desired settings into ``DeviceJob``s (one per
device and protocol) for the Deploy wizard, with the saved credential sets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wardfleet.domain.device import Device
from wardfleet.protocols.ipp import IppClient
from wardfleet.protocols.snmp import SnmpError, SnmpTarget, first_answering
from wardfleet.protocols.snmp_credentials import CredentialError, ResolvedCredential
from wardfleet.services.deploy import DeviceJob, Endpoint, IppEndpoint, Setting, SnmpEndpoint
from wardfleet.store.store import Store

if TYPE_CHECKING:  # httpx loads only when a deploy has IPP settings
    import httpx


class DeployUnavailable(Exception):
    """A device cannot be reached for a deploy; the message says why, in words."""


async def snmp_endpoint(
    device: Device,
    credentials: Sequence[ResolvedCredential],
    *,
    seconds_per_try: float = 2.0,
    retries: int = 1,
) -> SnmpEndpoint:
    if not device.address:
        raise DeployUnavailable("no address known")
    if not credentials:
        raise DeployUnavailable("no SNMP credentials to try")
    target = SnmpTarget(device.address, device.port or 161, seconds_per_try, retries)
    try:
        session = await first_answering(target, credentials)
    except SnmpError as exc:
        raise DeployUnavailable(str(exc)) from exc
    return SnmpEndpoint(session, device.id)


@dataclass(slots=True)
class Reach:
    """Endpoints found per device id and protocol, and why the others were not."""

    endpoints: dict[tuple[str, str], Endpoint] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # device id → words

    def endpoint_for(self, device: Device, protocol: str) -> Endpoint | None:
        return self.endpoints.get((device.id, protocol))

    def release(self) -> None:
        for endpoint in self.endpoints.values():
            if isinstance(endpoint, SnmpEndpoint):
                endpoint.session.release()


async def reach_devices(
    devices: Sequence[Device],
    credentials: Sequence[ResolvedCredential],
    *,
    seconds_per_try: float = 2.0,
    retries: int = 1,
    concurrency: int = 8,
    ipp_client: IppClient | None = None,
    protocols: frozenset[str] = frozenset({"snmp"}),
) -> Reach:
    """Endpoints for ``devices`` over ``protocols``; SNMP ones are looked up (a GET per
    credential tried) at most ``concurrency`` at once, IPP ones come from the inventory."""
    reach = Reach()
    limit = asyncio.Semaphore(max(1, concurrency))
    for device in devices:
        if "ipp" in protocols and ipp_client is not None and device.ipp_uri:
            reach.endpoints[(device.id, "ipp")] = IppEndpoint(ipp_client, device.ipp_uri, device.id)

    async def one(device: Device) -> None:
        if "snmp" not in protocols:
            return
        async with limit:
            try:
                endpoint = await snmp_endpoint(
                    device, credentials, seconds_per_try=seconds_per_try, retries=retries
                )
            except DeployUnavailable as exc:
                reach.problems[device.id] = str(exc)
                return
        reach.endpoints[(device.id, "snmp")] = endpoint

    await asyncio.gather(*(one(d) for d in devices))
    return reach


def jobs_for(
    devices: Sequence[Device], desired: Sequence[tuple[Setting, str]], reach: Reach
) -> tuple[list[DeviceJob], dict[str, str]]:
    """One job per device and protocol, in ``devices`` order; and device id → why some
    (or all) of its settings cannot be deployed."""
    jobs: list[DeviceJob] = []
    problems: dict[str, str] = {}
    protocols = list(dict.fromkeys(s.protocol for s, _ in desired))
    for device in devices:
        missing: list[str] = []
        for protocol in protocols:
            items = tuple((s, v) for s, v in desired if s.protocol == protocol)
            endpoint = reach.endpoint_for(device, protocol)
            if endpoint is None:
                why = reach.problems.get(device.id) if protocol == "snmp" else None
                missing.append(
                    f"SNMP: {why or 'no answer'}"
                    if protocol == "snmp"
                    else f"{protocol.upper()}: no printer URI known, its settings are skipped"
                )
                continue
            jobs.append(DeviceJob(endpoint, items))
        if missing:
            problems[device.id] = "; ".join(missing)
    return jobs, problems


class InventoryJobs:
    """Jobs for inventory devices with the saved credential sets; ``aclose`` when done."""

    def __init__(self, store: Store, *, seconds_per_try: float = 2.0, retries: int = 1) -> None:
        self.store = store
        self.seconds_per_try = seconds_per_try
        self.retries = retries
        self.reach: Reach | None = None
        self._http: httpx.AsyncClient | None = None
        self._ipp: IppClient | None = None

    def _credentials(self) -> list[ResolvedCredential]:
        from wardfleet.services.credential_sets import load_sets, resolve_sets

        return resolve_sets(load_sets(self.store))  # blocking: keyring and SQLite

    def _ipp_client(self) -> tuple[httpx.AsyncClient, IppClient]:
        """Blocking (the pins' read, the TLS context's tens of ms): call it off the loop."""
        import httpx

        from wardfleet.services.tls_watch import shared_pins

        pins = shared_pins(self.store)  # the monitor's and the Print tab's, cached
        pins.load()
        http = httpx.AsyncClient()
        return http, IppClient(http, pins=pins, timeout=self.seconds_per_try * 3)

    async def __call__(
        self, devices: Sequence[Device], desired: Sequence[tuple[Setting, str]]
    ) -> tuple[list[DeviceJob], dict[str, str]]:
        protocols = frozenset(s.protocol for s, _ in desired)
        credentials: list[ResolvedCredential] = []
        if "snmp" in protocols:
            try:
                credentials = await asyncio.to_thread(self._credentials)
            except CredentialError as exc:
                raise DeployUnavailable(str(exc)) from exc
            if not credentials:
                raise DeployUnavailable("no SNMP credential sets are saved")
        if "ipp" in protocols and self._ipp is None:
            self._http, self._ipp = await asyncio.to_thread(self._ipp_client)
        self.release()
        self.reach = await reach_devices(
            devices,
            credentials,
            seconds_per_try=self.seconds_per_try,
            retries=self.retries,
            ipp_client=self._ipp,
            protocols=protocols,
        )
        return jobs_for(devices, desired, self.reach)

    def release(self) -> None:
        if self.reach is not None:
            self.reach.release()
            self.reach = None

    async def aclose(self) -> None:
        self.release()
        if self._ipp is not None:
            await self._ipp.aclose()
            self._ipp = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

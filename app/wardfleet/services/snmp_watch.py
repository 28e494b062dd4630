"""SNMP as a discoverer and a status source for the runtime.

Each configured endpoint gets one session, found with the first credential that answers;
its poll plan is made once (a walk) and then reused, so steady-state polls only GET the
known cells. The session that worked is remembered per device address.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from wardfleet.domain.device import Device
from wardfleet.domain.observation import Observation
from wardfleet.domain.status import DeviceStatus
from wardfleet.protocols.snmp import SnmpError, SnmpSession, SnmpTarget, first_answering
from wardfleet.protocols.snmp_credentials import ResolvedCredential
from wardfleet.protocols.snmp_identify import identify
from wardfleet.protocols.snmp_plan import PollPlan, make_poll_plan
from wardfleet.protocols.snmp_poll import poll

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SnmpEndpoint:
    host: str
    port: int
    credentials: tuple[ResolvedCredential, ...]


@dataclass(slots=True)
class _Known:
    session: SnmpSession
    plan: PollPlan | None = None
    fresh: DeviceStatus | None = None  # status read while identifying, used by the next poll


class SnmpWatch:
    def __init__(
        self,
        endpoints: Sequence[SnmpEndpoint] = (),
        *,
        timeout_s: float = 1.0,
        retries: int = 1,
        concurrency: int = 16,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._endpoints = {(e.host, e.port): e for e in endpoints}
        self._timeout_s = timeout_s
        self._retries = retries
        self._gate = asyncio.Semaphore(concurrency)
        self._clock = clock
        self._known: dict[tuple[str, int], _Known] = {}

    def add_endpoints(self, endpoints: Sequence[SnmpEndpoint]) -> None:
        """Watch these too (a scan found them); an endpoint already known gets the new
        credentials and a fresh session."""
        for endpoint in endpoints:
            key = (endpoint.host, endpoint.port)
            if self._endpoints.get(key) != endpoint:
                self._known.pop(key, None)
            self._endpoints[key] = endpoint

    async def discover(self) -> AsyncIterator[Observation]:
        """Identify every endpoint, yielding observations as they arrive."""
        tasks = [asyncio.ensure_future(self._identify(e)) for e in self._endpoints.values()]
        try:
            for next_done in asyncio.as_completed(tasks):
                observation = await next_done
                if observation is not None:
                    yield observation
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _identify(self, endpoint: SnmpEndpoint) -> Observation | None:
        async with self._gate:
            target = SnmpTarget(endpoint.host, endpoint.port, self._timeout_s, self._retries)
            try:
                session = await first_answering(target, endpoint.credentials)
                identification = await identify(session)
                plan, status = await make_poll_plan(session, identification)
            except SnmpError as exc:
                log.info("no SNMP answer from %s:%s: %s", endpoint.host, endpoint.port, exc)
                return None
            self._known[(endpoint.host, endpoint.port)] = _Known(session, plan, status)
            return identification.observation(self._clock())

    def can_poll(self, device: Device) -> bool:
        return self._key(device) in self._endpoints

    async def poll(self, device: Device) -> DeviceStatus:
        key = self._key(device)
        async with self._gate:
            known = self._known.get(key)
            if known is None:
                endpoint = self._endpoints[key]
                target = SnmpTarget(endpoint.host, endpoint.port, self._timeout_s, self._retries)
                try:
                    session = await first_answering(target, endpoint.credentials)
                except SnmpError as exc:
                    return DeviceStatus.unreachable(self._clock(), str(exc))
                known = self._known[key] = _Known(session)
            if known.fresh is not None:
                status, known.fresh = known.fresh, None
                return status
            result = await poll(known.session, known.plan or PollPlan(), rewalk=known.plan is None)
            if result.status.reachable:
                known.plan = result.plan
            return result.status

    def _key(self, device: Device) -> tuple[str, int]:
        key = (device.address or "", device.port or 161)
        if key in self._endpoints:
            return key
        # The device's port is whichever protocol spoke last (mDNS says 631 for IPP): the
        # one SNMP endpoint on its address is still the one to poll.
        on_address = [k for k in self._endpoints if k[0] == key[0]]
        return on_address[0] if len(on_address) == 1 else key

"""Run the demo ward in-process: ``running = await start_ward(speed=60)``."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType

from wardfleet.demo.agent import SnmpAgent
from wardfleet.demo.binding import DEFAULT_PORT, plan_addresses
from wardfleet.demo.mib import MibView
from wardfleet.demo.specs import DeviceSpec
from wardfleet.demo.ward import DEFAULT_SEED, DEVICES, Ward

log = logging.getLogger(__name__)

# Rebuild a device's view at most 10 times per real second, and at least once per
# simulated second: cheap at high speed, fresh enough at speed 1.
MAX_REBUILDS_PER_S = 10


@dataclass(frozen=True)
class DemoEndpoint:
    name: str
    address: str
    port: int
    community: str
    kind: str  # a wardfleet.domain DeviceKind value

    def as_json(self) -> dict[str, str | int]:
        return {
            "name": self.name,
            "address": self.address,
            "port": self.port,
            "community": self.community,
            "kind": self.kind,
        }


class SimClock:
    """Elapsed demo time: ``start_at + (monotonic now - start) * speed``."""

    def __init__(
        self, speed: float = 1.0, start_at: float = 0.0, now: Callable[[], float] = time.monotonic
    ) -> None:
        if not math.isfinite(speed) or speed <= 0:
            raise ValueError(f"speed must be a positive number, not {speed}")
        self.speed = speed
        self._start_at = start_at
        self._now = now
        self._origin = now()

    def __call__(self) -> float:
        return self._start_at + (self._now() - self._origin) * self.speed


class _LiveView:
    """A device's current view, rebuilt only when the clock enters a new time quantum.

    The view for a quantum is built at the quantum's start, so it is a pure function
    of (seed, quantum) like everything else.
    """

    def __init__(self, ward: Ward, name: str, clock: Callable[[], float], quantum: float) -> None:
        self._ward = ward
        self._name = name
        self._clock = clock
        self._quantum = quantum
        self._slot: int | None = None
        self._view: MibView | None = None

    def __call__(self) -> MibView | None:
        slot = math.floor(self._clock() / self._quantum)
        if slot != self._slot:
            self._view = self._ward.view_at(self._name, slot * self._quantum)
            self._slot = slot
        return self._view


@dataclass
class RunningWard:
    ward: Ward
    endpoints: list[DemoEndpoint]
    agent: SnmpAgent
    clock: Callable[[], float]  # elapsed demo seconds

    def elapsed(self) -> float:
        return self.clock()

    def endpoint(self, name: str) -> DemoEndpoint:
        for endpoint in self.endpoints:
            if endpoint.name == name:
                return endpoint
        raise KeyError(name)

    async def close(self) -> None:
        await self.agent.close()

    async def __aenter__(self) -> RunningWard:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


async def start_ward(
    speed: float = 1.0,
    *,
    base_port: int = DEFAULT_PORT,
    community: str | Mapping[str, str] = "public",
    seed: int = DEFAULT_SEED,
    start_at: float = 0.0,
    devices: Sequence[DeviceSpec] = DEVICES,
    clock: Callable[[], float] | None = None,
) -> RunningWard:
    """Bind every device on loopback and start answering SNMP v1/v2c.

    ``base_port=0`` lets the OS choose free ports. ``community`` is one string for
    all devices or a ``{device name: community}`` mapping (others get "public").
    ``start_at`` skips ahead in the schedule; ``clock`` (elapsed demo seconds)
    replaces the real-time clock, for tests that want to set the time.
    """
    ward = Ward(seed, devices)
    sim_clock: Callable[[], float] = clock or SimClock(speed, start_at)
    quantum = 1.0 if clock else max(1.0, speed / MAX_REBUILDS_PER_S)
    agent = SnmpAgent()
    endpoints: list[DemoEndpoint] = []
    try:
        for spec, (host, port) in zip(
            devices, plan_addresses(len(devices), base_port), strict=True
        ):
            name = spec.name
            secret = community if isinstance(community, str) else community.get(name, "public")
            try:
                served = await agent.serve(
                    name, host, port, secret, _LiveView(ward, name, sim_clock, quantum)
                )
            except OSError as exc:
                raise OSError(
                    exc.errno, f"demo device {name}: cannot bind {host}:{port}: {exc}"
                ) from exc
            endpoints.append(DemoEndpoint(name, served.host, served.port, secret, spec.kind.value))
    except BaseException:
        await agent.close()
        raise
    log.info("demo ward: %d devices on %s", len(endpoints), endpoints[0].address)
    return RunningWard(ward, endpoints, agent, sim_clock)

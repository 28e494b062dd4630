"""Live mDNS browsing with python-zeroconf: services appear, change and go away.

One ``AsyncZeroconf`` and one ``AsyncServiceBrowser`` for every configured type. zeroconf
calls back synchronously on the event loop; each callback only records the newest change
of its service and makes sure one worker task per service is draining them. So a burst
of updates costs one resolution, and one service's events are handled in order.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol as TypingProtocol
from typing import TypeVar

from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.protocols.dnssd import (
    ResolvedService,
    ServiceGone,
    choose_addresses,
    service_observation,
    split_type,
)
from wardfleet.protocols.dnssd_kind import DEFAULT_TYPES
from wardfleet.protocols.txt import decode_txt_wire

log = logging.getLogger(__name__)

E = TypeVar("E")
OnService = Callable[[ResolvedService], Awaitable[object]]
OnGone = Callable[[ServiceGone], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class MdnsConfig:
    """What to browse and where (the settings behind the discovery options)."""

    service_types: tuple[str, ...] = DEFAULT_TYPES
    # Monitors and other ward devices: extra service types, each with the kind it implies.
    other_types: Mapping[str, DeviceKind] = field(default_factory=dict)
    # Interface names; empty means every interface but loopback (or loopback alone when
    # nothing else is up).
    interfaces: tuple[str, ...] = ()
    resolve_timeout_s: float = 3.0

    def all_types(self) -> tuple[str, ...]:
        """Every type to browse, as ``_ipp._tcp``, without repeats."""
        names = [split_type(t)[0] for t in (*self.service_types, *self.other_types)]
        return tuple(dict.fromkeys(names))

    def declared_kind(self, service_type: str) -> DeviceKind | None:
        for name, kind in self.other_types.items():
            if split_type(name)[0] == service_type:
                return kind
        return None


# --- Interfaces -------------------------------------------------------------------------


class IpLike(TypingProtocol):
    """One address of an ``ifaddr`` adapter: a str for IPv4, a tuple for IPv6."""

    @property
    def ip(self) -> str | tuple[str, int, int]: ...


class AdapterLike(TypingProtocol):
    @property
    def name(self) -> str: ...
    @property
    def index(self) -> int | None: ...
    @property
    def ips(self) -> Sequence[IpLike]: ...


@dataclass(frozen=True, slots=True)
class InterfacePlan:
    names: tuple[str, ...]
    ipv4: tuple[str, ...]  # addresses to join 224.0.0.251 on
    ipv6_indexes: tuple[int, ...]  # interfaces to join ff02::fb on

    def zeroconf_interfaces(self, *, ipv6: bool = True) -> list[str | int]:
        return [*self.ipv4, *(self.ipv6_indexes if ipv6 else ())]

    def ip_version(self, *, ipv6: bool = True) -> IPVersion:
        if ipv6 and self.ipv6_indexes:
            return IPVersion.All if self.ipv4 else IPVersion.V6Only
        return IPVersion.V4Only


def _address_of(ip: IpLike) -> str:
    return ip.ip if isinstance(ip.ip, str) else ip.ip[0]


def _is_loopback(adapter: AdapterLike) -> bool:
    return adapter.name == "lo" or (
        bool(adapter.ips)
        and all(ipaddress.ip_address(_address_of(ip)).is_loopback for ip in adapter.ips)
    )


def plan_interfaces(names: Sequence[str], adapters: Sequence[AdapterLike]) -> InterfacePlan:
    """The interfaces to browse on: ``names``, or all but loopback, or loopback alone.

    Raises ValueError for an unknown name or when nothing has an address.
    """
    by_name = {a.name: a for a in adapters}
    if names:
        missing = [n for n in names if n not in by_name]
        if missing:
            known = ", ".join(sorted(by_name)) or "none"
            raise ValueError(f"no such network interface: {', '.join(missing)} (known: {known})")
        chosen = [by_name[n] for n in dict.fromkeys(names)]
    else:
        chosen = [a for a in adapters if not _is_loopback(a)]
        chosen = chosen or [a for a in adapters if _is_loopback(a)]
    ipv4 = tuple(ip.ip for a in chosen for ip in a.ips if isinstance(ip.ip, str))
    # zeroconf cannot do IPv6 multicast over loopback; a real interface gets both.
    ipv6 = tuple(
        sorted(
            {
                a.index
                for a in chosen
                if a.index is not None
                and not _is_loopback(a)
                and any(not isinstance(ip.ip, str) for ip in a.ips)
            }
        )
    )
    if not ipv4 and not ipv6:
        raise ValueError(f"no usable address on {', '.join(a.name for a in chosen) or 'any'}")
    return InterfacePlan(tuple(a.name for a in chosen), ipv4, ipv6)


def system_adapters() -> Sequence[AdapterLike]:
    import ifaddr  # zeroconf's own dependency for the same job

    adapters: list[AdapterLike] = list(ifaddr.get_adapters())
    return adapters


def _open_zeroconf(plan: InterfacePlan) -> AsyncZeroconf:
    try:
        return AsyncZeroconf(interfaces=plan.zeroconf_interfaces(), ip_version=plan.ip_version())
    except OSError as exc:
        if not plan.ipv6_indexes or not plan.ipv4:
            raise
        # Hosts without an IPv6 multicast route refuse the group join: browse on IPv4.
        log.warning("mDNS over IPv6 unavailable (%s); browsing over IPv4 only", exc)
        return AsyncZeroconf(
            interfaces=plan.zeroconf_interfaces(ipv6=False), ip_version=IPVersion.V4Only
        )


# --- Browser ----------------------------------------------------------------------------


class MdnsBrowser:
    """Browses the configured types until stopped, reporting resolved and withdrawn
    services. A refresh that changes nothing is not reported again."""

    def __init__(
        self,
        config: MdnsConfig | None = None,
        *,
        adapters: Callable[[], Sequence[AdapterLike]] = system_adapters,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config or MdnsConfig()
        self._adapters = adapters
        self._clock = clock
        self._aiozc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._on_service: OnService | None = None
        self._on_gone: OnGone | None = None
        self._pending: dict[str, tuple[str, str, ServiceStateChange]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._present: dict[str, ResolvedService] = {}
        self.interfaces: InterfacePlan | None = None

    def services(self) -> list[ResolvedService]:
        """The services resolved and not withdrawn, as last reported."""
        return list(self._present.values())

    async def start(self, on_service: OnService, on_gone: OnGone) -> None:
        """Open the sockets and start browsing. Raises ValueError for bad interface
        settings and OSError when the sockets cannot be opened."""
        if self._aiozc is not None:
            raise RuntimeError("browser already started")
        types = [f"{t}.local." for t in self.config.all_types()]
        self.interfaces = plan_interfaces(self.config.interfaces, self._adapters())
        self._on_service, self._on_gone = on_service, on_gone
        self._present.clear()  # kept after stop() for a last look; a new run starts afresh
        self._aiozc = _open_zeroconf(self.interfaces)
        self._browser = AsyncServiceBrowser(
            self._aiozc.zeroconf, types, handlers=[self._on_state_change]
        )
        log.info("browsing mDNS for %s on %s", ", ".join(types), ", ".join(self.interfaces.names))

    async def stop(self) -> None:
        """Cancel the browser, then its workers, then close zeroconf (in that order, as
        zeroconf's examples do: no callback may land on a closed instance)."""
        if self._browser is not None:
            await self._browser.async_cancel()
            self._browser = None
        workers = list(self._workers.values())
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        self._workers.clear()
        self._pending.clear()
        if self._aiozc is not None:
            await self._aiozc.async_close()
            self._aiozc = None

    # zeroconf calls this on the loop, by keyword, for every change of every service.
    def _on_state_change(
        self,
        zeroconf: Zeroconf,
        service_type: str,
        name: str,
        state_change: ServiceStateChange,
    ) -> None:
        key = name.rstrip(".").casefold()
        self._pending[key] = (service_type, name, state_change)  # the newest change wins
        if key not in self._workers:
            self._workers[key] = asyncio.get_running_loop().create_task(
                self._drain(key), name=f"wardfleet-mdns {key}"
            )

    async def _drain(self, key: str) -> None:
        try:
            while (job := self._pending.pop(key, None)) is not None:
                service_type, name, change = job
                if change is ServiceStateChange.Removed:
                    await self._withdraw(key)
                else:
                    await self._refresh(key, service_type, name)
        finally:
            self._workers.pop(key, None)

    async def _refresh(self, key: str, service_type: str, name: str) -> None:
        aiozc = self._aiozc
        if aiozc is None:
            return
        info = AsyncServiceInfo(service_type, name)
        timeout_ms = int(self.config.resolve_timeout_s * 1000)
        if not await info.async_request(aiozc.zeroconf, timeout_ms):
            log.debug("mDNS: %r did not resolve within %d ms", name, timeout_ms)
            return
        service = self._resolved(key, info, service_type, name)
        if service is None:
            # A port-0 "name claim" (_printer._tcp without LPD) or an unparsable type.
            await self._withdraw(key)
            return
        previous = self._present.get(key)
        if previous is not None and previous.same_advert(service):
            return
        self._present[key] = service
        await self._deliver(self._on_service, service)

    def _resolved(
        self, key: str, info: AsyncServiceInfo, service_type: str, name: str
    ) -> ResolvedService | None:
        try:
            base_type, domain = split_type(service_type)
        except ValueError:
            return None
        if not info.port or not info.server:
            return None
        suffix = "." + service_type
        instance = name[: -len(suffix)] if name.casefold().endswith(suffix.casefold()) else name
        host = info.server.rstrip(".")
        related = frozenset(
            s.service_type
            for k, s in self._present.items()
            if k != key and s.host.casefold() == host.casefold()
        )
        return ResolvedService(
            instance=instance,
            service_type=base_type,
            domain=domain,
            host=host,
            port=info.port,
            addresses=choose_addresses(info.parsed_scoped_addresses(IPVersion.All)),
            txt=decode_txt_wire(info.text),
            protocol=Protocol.MDNS,
            seen_at=self._clock(),
            related_types=related,
            declared_kind=self.config.declared_kind(base_type),
        )

    async def _withdraw(self, key: str) -> None:
        service = self._present.pop(key, None)
        if service is None:
            return  # never reported, so nothing to take back
        gone = ServiceGone(
            key=service.key,
            instance=service.instance,
            service_type=service.service_type,
            domain=service.domain,
            protocol=Protocol.MDNS,
            seen_at=self._clock(),
        )
        await self._deliver(self._on_gone, gone)

    @staticmethod
    async def _deliver(callback: Callable[[E], Awaitable[object]] | None, event: E) -> None:
        if callback is None:
            return
        try:
            await callback(event)
        except asyncio.CancelledError:
            raise
        except Exception:  # a failing consumer must not stop the browser
            log.exception("mDNS event handler failed")


# --- As a live discoverer ---------------------------------------------------------------


class MdnsDiscoverer:
    """Observations from mDNS as they happen: ``services.mdns_watch.LiveDiscoverer``.

    ``on_observation(key, observation)`` for each new or changed advert, and
    ``on_removed(key, when)`` when one is withdrawn; ``key`` names the advert.
    """

    def __init__(self, config: MdnsConfig | None = None, *, browser: MdnsBrowser | None = None):
        self.browser = browser or MdnsBrowser(config)

    async def start(
        self,
        on_observation: Callable[[str, Observation], Awaitable[object]],
        on_removed: Callable[[str, float], Awaitable[object]],
    ) -> None:
        async def resolved(service: ResolvedService) -> None:
            observation = service_observation(service)
            if observation is not None:
                await on_observation(service.key, observation)

        async def gone(event: ServiceGone) -> None:
            await on_removed(event.key, event.seen_at)

        await self.browser.start(resolved, gone)

    async def stop(self) -> None:
        await self.browser.stop()

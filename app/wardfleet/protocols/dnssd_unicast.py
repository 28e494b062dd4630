"""Unicast DNS-SD (RFC 6763 §11): browse a ward's DNS domain for printers and scanners.

Sites that route between subnets publish their devices in ordinary DNS instead of (or as
well as) mDNS. The walk is: browse domains (``b._dns-sd._udp.<domain>`` PTR), service
types (``_services._dns-sd._udp.<domain>`` PTR), instances (``<type>.<domain>`` PTR), then
each instance's SRV and TXT and its host's A/AAAA. Every query has a timeout and the whole
round a deadline; what was found by then is returned with warnings for the rest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

import dns.asyncresolver
import dns.exception
import dns.name
import dns.rdatatype
import dns.resolver
from dns.rdata import Rdata
from dns.rdtypes.ANY.PTR import PTR
from dns.rdtypes.ANY.TXT import TXT
from dns.rdtypes.IN.A import A
from dns.rdtypes.IN.AAAA import AAAA
from dns.rdtypes.IN.SRV import SRV

from wardfleet.domain.kinds import DeviceKind
from wardfleet.domain.observation import Observation, Protocol
from wardfleet.protocols.dnssd import (
    ResolvedService,
    choose_addresses,
    service_observation,
    split_type,
)
from wardfleet.protocols.dnssd_kind import DEFAULT_TYPES
from wardfleet.protocols.txt import decode_txt

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Rdata)


@dataclass(frozen=True, slots=True)
class UnicastConfig:
    domains: tuple[str, ...]
    nameserver: str | None = None  # an IP address; None uses the system's resolvers
    port: int = 53
    service_types: tuple[str, ...] = DEFAULT_TYPES
    other_types: Mapping[str, DeviceKind] = field(default_factory=dict)
    # Also browse the types the domain lists under _services._dns-sd._udp.
    enumerate_types: bool = True
    timeout_s: float = 2.0  # per query
    deadline_s: float = 10.0  # per round
    concurrency: int = 16


@dataclass(frozen=True, slots=True)
class UnicastResult:
    services: tuple[ResolvedService, ...]
    warnings: tuple[str, ...]


class _Lookup:
    """dnspython's async resolver with a concurrency cap and failures turned into warnings."""

    def __init__(self, config: UnicastConfig) -> None:
        try:
            self.resolver = dns.asyncresolver.Resolver(configure=config.nameserver is None)
        except dns.resolver.NoResolverConfiguration as exc:
            raise ValueError("no DNS server configured on this system; give one") from exc
        if config.nameserver is not None:
            self.resolver.nameservers = [config.nameserver]
            self.resolver.port = config.port
        self.resolver.timeout = config.timeout_s
        self.resolver.lifetime = config.timeout_s
        self._gate = asyncio.Semaphore(config.concurrency)
        self.warnings: list[str] = []

    async def records(
        self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType, kind: type[R]
    ) -> list[R]:
        async with self._gate:
            try:
                answer = await self.resolver.resolve(
                    name, rdtype, raise_on_no_answer=False, search=False
                )
            except dns.resolver.NXDOMAIN:
                return []
            except dns.resolver.NoNameservers:
                # REFUSED/SERVFAIL: what a server says of a name outside its data (dnsmasq
                # without upstreams does); common for types a site does not publish.
                log.debug("%s %s: refused", name, rdtype.name)
                return []
            except dns.exception.DNSException as exc:
                self.warnings.append(f"{name} {rdtype.name}: {type(exc).__name__}")
                return []
        return [r for r in answer.rrset or () if isinstance(r, kind)]


def _label_text(name: dns.name.Name, warnings: list[str]) -> str:
    raw = name.labels[0]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(f"instance name {name} is not valid UTF-8")
        return raw.decode("utf-8", errors="replace")


class _Browse:
    def __init__(self, config: UnicastConfig, clock: Callable[[], float]) -> None:
        self.config = config
        self.clock = clock
        self.lookup = _Lookup(config)
        self.found: dict[str, ResolvedService] = {}
        self.kinds = {split_type(t)[0]: k for t, k in config.other_types.items()}
        self.types = tuple(
            dict.fromkeys(split_type(t)[0] for t in (*config.service_types, *config.other_types))
        )

    async def run(self, domains: Iterable[dns.name.Name]) -> None:
        await asyncio.gather(*(self._domain(d) for d in domains))

    async def _domain(self, domain: dns.name.Name) -> None:
        browse = {domain}
        listing = dns.name.from_text("b._dns-sd._udp", domain)
        for rdata in await self.lookup.records(listing, dns.rdatatype.PTR, PTR):
            browse.add(rdata.target)
        await asyncio.gather(*(self._browse_domain(b) for b in browse))

    async def _browse_domain(self, domain: dns.name.Name) -> None:
        types = list(self.types)
        if self.config.enumerate_types:
            listing = dns.name.from_text("_services._dns-sd._udp", domain)
            for rdata in await self.lookup.records(listing, dns.rdatatype.PTR, PTR):
                target = rdata.target
                if target.is_subdomain(domain) and len(target) - len(domain) == 2:
                    try:
                        types.append(split_type(target.relativize(domain).to_text())[0])
                    except ValueError:
                        self.lookup.warnings.append(f"not a service type: {target}")
        await asyncio.gather(*(self._type(t, domain) for t in dict.fromkeys(types)))

    async def _type(self, service_type: str, domain: dns.name.Name) -> None:
        base = dns.name.from_text(service_type, domain)
        instances = []
        for rdata in await self.lookup.records(base, dns.rdatatype.PTR, PTR):
            target = rdata.target
            if target.parent() == base:
                instances.append(target)
            else:
                self.lookup.warnings.append(f"{base} points outside itself: {target}")
        await asyncio.gather(*(self._instance(i, service_type, domain) for i in instances))

    async def _instance(
        self, name: dns.name.Name, service_type: str, domain: dns.name.Name
    ) -> None:
        srvs, txts = await asyncio.gather(
            self.lookup.records(name, dns.rdatatype.SRV, SRV),
            self.lookup.records(name, dns.rdatatype.TXT, TXT),
        )
        if not srvs:
            return
        # RFC 2782: lowest priority first, then the heaviest weight.
        srv = min(srvs, key=lambda r: (r.priority, -r.weight))
        host, port = srv.target, srv.port
        if host == dns.name.root or port == 0:
            return  # "decidedly not available here"
        v4, v6 = await asyncio.gather(
            self.lookup.records(host, dns.rdatatype.A, A),
            self.lookup.records(host, dns.rdatatype.AAAA, AAAA),
        )
        warnings: list[str] = []
        instance = _label_text(name, warnings)
        # A service has one TXT record (RFC 6763 §6.8). Several arrive in no set order, so
        # they are read as one, in a fixed order, keeping each key's first value.
        ordered = sorted(txts, key=lambda r: r.to_wire() or b"")
        txt = decode_txt(b for r in ordered for b in r.strings)
        if len(txts) > 1:
            warnings.append(f"{len(txts)} TXT records read as one")
        if warnings:
            txt = replace(txt, warnings=(*txt.warnings, *warnings))
        service = ResolvedService(
            instance=instance,
            service_type=service_type,
            domain=domain.to_text(omit_final_dot=True),
            host=host.to_text(omit_final_dot=True),
            port=port,
            addresses=choose_addresses([*(r.address for r in v4), *(r.address for r in v6)]),
            txt=txt,
            protocol=Protocol.DNSSD,
            seen_at=self.clock(),
            declared_kind=self.kinds.get(service_type),
        )
        self.found[service.key] = service

    def result(self) -> UnicastResult:
        services = list(self.found.values())
        return UnicastResult(
            tuple(
                replace(
                    s,
                    related_types=frozenset(
                        o.service_type
                        for o in services
                        if o.host.casefold() == s.host.casefold() and o.key != s.key
                    ),
                )
                for s in services
            ),
            tuple(self.lookup.warnings),
        )


async def browse_unicast(
    config: UnicastConfig, *, clock: Callable[[], float] = time.time
) -> UnicastResult:
    """One round over the configured domains. Raises ValueError for a bad domain or when no
    DNS server is known; DNS failures and the deadline only add warnings."""
    try:
        domains = [dns.name.from_text(d) for d in config.domains]
    except dns.exception.DNSException as exc:
        raise ValueError(f"not a DNS domain: {exc}") from exc
    browse = _Browse(config, clock)
    try:
        await asyncio.wait_for(browse.run(domains), config.deadline_s)
    except TimeoutError:
        browse.lookup.warnings.append(
            f"stopped after {config.deadline_s:g} s; the results are partial"
        )
    return browse.result()


class UnicastDiscoverer:
    """A one-round discoverer (``services.runtime.Discoverer``) over unicast DNS-SD."""

    def __init__(self, config: UnicastConfig) -> None:
        self.config = config

    async def discover(self) -> AsyncIterator[Observation]:
        result = await browse_unicast(self.config)
        for warning in result.warnings:
            log.warning("unicast DNS-SD: %s", warning)
        for service in result.services:
            observation = service_observation(service)
            if observation is not None:
                yield observation

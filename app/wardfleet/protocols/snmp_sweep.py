"""Find SNMP devices in address ranges, gently.

Targets are CIDR blocks, ranges ("10.0.0.5-40", "10.0.0.5-10.0.1.7"), comma lists and
host names. The sweep caps packets per second (a token bucket) and requests in flight,
with defaults a hospital IDS will not flag; results arrive as an async iterator, and
cancelling the consumer stops every worker before the iterator returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wardfleet.protocols.snmp_credentials import ResolvedCredential

if TYPE_CHECKING:  # the session pulls in pysnmp: loaded when a sweep runs, not on import
    from wardfleet.protocols.snmp_identify import Identification

MAX_HOSTS = 65_536
DEFAULT_RATE = 50.0  # packets per second
DEFAULT_CONCURRENCY = 32

_HOSTNAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?")  # fmt: skip  # noqa: E501

Interval = tuple[int, int, int]  # (first, last, IP version)


class TargetError(ValueError):
    """A target specification that cannot be swept; the message says why."""


@dataclass(frozen=True, slots=True)
class TargetSet:
    """Addresses to sweep: merged intervals minus exclusions, plus host names."""

    intervals: tuple[Interval, ...]
    hostnames: tuple[str, ...]

    def __len__(self) -> int:
        return sum(last - first + 1 for first, last, _ in self.intervals) + len(self.hostnames)

    def __iter__(self) -> Iterator[str]:
        for first, last, version in self.intervals:
            cls = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
            for value in range(first, last + 1):
                yield str(cls(value))
        yield from self.hostnames


def _spec_intervals(spec: str) -> tuple[list[Interval], list[str]]:
    """One comma-free spec → intervals or a host name."""
    text = spec.strip()
    if not text:
        return [], []
    try:
        if "/" in text:
            net = ipaddress.ip_network(text, strict=False)
            hosts_first, hosts_last = int(net.network_address), int(net.broadcast_address)
            # A /24's network and broadcast addresses are not hosts (/31, /32 are).
            if net.version == 4 and net.prefixlen < 31:
                hosts_first, hosts_last = hosts_first + 1, hosts_last - 1
            return [(hosts_first, hosts_last, net.version)], []
        if "-" in text and (bounds := _range(text)) is not None:
            return [bounds], []
        address = ipaddress.ip_address(text)
        return [(int(address), int(address), address.version)], []
    except ValueError as exc:
        if isinstance(exc, TargetError):
            raise
        if _HOSTNAME.fullmatch(text) and not text.replace(".", "").isdigit():
            return [], [text.rstrip(".").lower()]
        raise TargetError(f"not an address, range, CIDR block or host name: {text!r}") from exc


def _range(text: str) -> Interval | None:
    """ "10.0.0.5-40" or "10.0.0.5-10.0.1.7"; None when the text is not a range (a name)."""
    start_text, end_text = text.split("-", 1)
    try:
        start = ipaddress.ip_address(start_text)
    except ValueError:
        return None  # "ward-3-printer" is a host name
    if end_text.isdigit() and start.version == 4:
        end_text = start_text.rsplit(".", 1)[0] + "." + end_text
    end = ipaddress.ip_address(end_text)
    if end.version != start.version or int(end) < int(start):
        raise TargetError(f"range {text!r} ends before it starts")
    return int(start), int(end), start.version


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for first, last, version in sorted(intervals, key=lambda i: (i[2], i[0])):
        if merged and merged[-1][2] == version and first <= merged[-1][1] + 1:
            prev = merged[-1]
            merged[-1] = (prev[0], max(prev[1], last), version)
        else:
            merged.append((first, last, version))
    return merged


def _subtract(intervals: list[Interval], holes: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for first, last, version in intervals:
        pieces = [(first, last)]
        for h_first, h_last, h_version in holes:
            if h_version != version:
                continue
            next_pieces = []
            for a, b in pieces:
                if h_last < a or h_first > b:
                    next_pieces.append((a, b))
                    continue
                if a < h_first:
                    next_pieces.append((a, h_first - 1))
                if h_last < b:
                    next_pieces.append((h_last + 1, b))
            pieces = next_pieces
        out.extend((a, b, version) for a, b in pieces)
    return out


def _collect(specs: Iterable[str]) -> tuple[list[Interval], list[str]]:
    intervals: list[Interval] = []
    names: list[str] = []
    for spec in specs:
        for part in spec.split(","):
            got_intervals, got_names = _spec_intervals(part)
            intervals += got_intervals
            names += got_names
    return intervals, names


def parse_targets(
    specs: Iterable[str],
    *,
    exclude: Iterable[str] = (),
    force: bool = False,
    max_hosts: int = MAX_HOSTS,
) -> TargetSet:
    """Parse and de-duplicate targets; refuse more than ``max_hosts`` unless forced."""
    intervals, names = _collect(specs)
    holes, excluded_names = _collect(exclude)
    kept = _subtract(_merge(intervals), _merge(holes))
    hostnames = tuple(dict.fromkeys(n for n in names if n not in set(excluded_names)))
    targets = TargetSet(tuple(kept), hostnames)
    if not intervals and not names:
        raise TargetError("no targets given")
    if len(targets) > max_hosts and not force:
        raise TargetError(
            f"{len(targets)} hosts is more than {max_hosts}: narrow the ranges, "
            "or force it if you really mean to sweep that many"
        )
    return targets


class TokenBucket:
    """At most ``rate`` takes per second on average, bursts up to ``burst``."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, min(rate, 10.0))
        self._tokens = self.burst
        self._clock = clock
        self._stamp = clock()

    async def take(self) -> None:
        while True:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return
            await asyncio.sleep((1 - self._tokens) / self.rate)


@dataclass(frozen=True, slots=True)
class SweepHit:
    address: str
    identification: Identification
    credential: ResolvedCredential


Progress = Callable[[int, int], None]


async def _probe_host(
    address: str,
    credentials: Sequence[ResolvedCredential],
    *,
    port: int,
    timeout_s: float,
    retries: int,
    bucket: TokenBucket,
) -> SweepHit | None:
    from wardfleet.protocols.snmp import SnmpError, SnmpTarget, first_answering
    from wardfleet.protocols.snmp_identify import identify

    target = SnmpTarget(address, port, timeout_s, retries)
    for credential in credentials:
        await bucket.take()
        try:
            # No engine passed: v1/v2c need none, v3 uses the loop's shared one.
            session = await first_answering(target, [credential])
        except SnmpError:
            continue
        try:
            return SweepHit(address, await identify(session), credential)
        except SnmpError:
            return None
        finally:
            session.release()
    return None


async def sweep(
    targets: Iterable[str],
    credentials: Sequence[ResolvedCredential],
    *,
    port: int = 161,
    timeout_s: float = 1.0,
    retries: int = 0,
    rate: float = DEFAULT_RATE,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: Progress | None = None,
) -> AsyncIterator[SweepHit]:
    """Probe every target; yield a ``SweepHit`` per device that answered, as they come.

    Closing or cancelling the iterator cancels and awaits all workers: nothing leaks.
    """
    addresses = list(targets)
    total = len(addresses)
    if not credentials:
        raise ValueError("no credentials to sweep with")
    bucket = TokenBucket(rate)
    queue: asyncio.Queue[SweepHit | None] = asyncio.Queue()
    pending = iter(addresses)
    done = 0

    async def worker() -> None:
        nonlocal done
        for address in pending:  # a shared iterator: each address is taken once
            hit = await _probe_host(
                address, credentials, port=port, timeout_s=timeout_s, retries=retries,
                bucket=bucket,
            )  # fmt: skip
            done += 1
            if progress is not None:
                progress(done, total)
            if hit is not None:
                queue.put_nowait(hit)

    async def run_all() -> None:
        try:
            await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, total)))))
        finally:
            queue.put_nowait(None)

    runner = asyncio.ensure_future(run_all())
    try:
        while (hit := await queue.get()) is not None:
            yield hit
        await runner  # re-raise a worker's unexpected error
    finally:
        if not runner.done():
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner

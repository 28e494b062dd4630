"""A network scan the user starts: sweep address ranges, merge each device as it answers,
and hand each found endpoint to the SNMP watch so it is polled from then on.

Qt-free; the scan dialog drives it. Cancelling the task stops every probe before
``scan`` returns (the sweep awaits its workers).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from wardfleet.protocols.snmp_credentials import ResolvedCredential
from wardfleet.protocols.snmp_sweep import (
    DEFAULT_CONCURRENCY,
    DEFAULT_RATE,
    SweepHit,
    parse_targets,
    sweep,
)
from wardfleet.services.discovery import MergeOutcome, merge_observation
from wardfleet.services.snmp_watch import SnmpEndpoint
from wardfleet.store import Store

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Found:
    """One device that answered: how it was merged and what it said about itself."""

    outcome: MergeOutcome
    hit: SweepHit

    @property
    def text(self) -> str:
        """Device-supplied words: show as plain text only."""
        obs = self.hit.identification.observation(0.0)
        title = " ".join(p for p in (obs.vendor, obs.model) if p) or obs.name or ""
        return " — ".join(p for p in (self.hit.address, title) if p)


@dataclass(slots=True)
class ScanSummary:
    total: int = 0
    done: int = 0
    found: list[str] = field(default_factory=list)  # device ids, in order of answer
    created: int = 0


async def scan(
    store: Store,
    targets: list[str],
    exclude: list[str],
    credentials: Sequence[ResolvedCredential],
    *,
    port: int = 161,
    rate: float = DEFAULT_RATE,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout_s: float = 1.0,
    retries: int = 0,
    force: bool = False,
    progress: Progress | None = None,
    on_found: Callable[[Found], None] | None = None,
    register: Callable[[Sequence[SnmpEndpoint]], None] | None = None,
) -> ScanSummary:
    """Sweep ``targets`` minus ``exclude``; raises TargetError for a bad specification
    (before any packet is sent) and ValueError without credentials."""
    target_set = parse_targets(targets, exclude=exclude, force=force)
    summary = ScanSummary(total=len(target_set))

    def on_progress(done: int, total: int) -> None:
        summary.done = done
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, summary.total)
    async for hit in sweep(
        target_set,
        credentials,
        port=port,
        timeout_s=timeout_s,
        retries=retries,
        rate=rate,
        concurrency=concurrency,
        progress=on_progress,
    ):
        observation = hit.identification.observation(time.time())
        outcome = await asyncio.to_thread(merge_observation, store, observation)
        summary.found.append(outcome.device_id)
        summary.created += outcome.created
        log.info("scan found %s (%s)", hit.address, outcome.device_id)
        if register is not None:
            # The credential that answered first, then the others as fallbacks.
            order = (hit.credential, *(c for c in credentials if c is not hit.credential))
            register([SnmpEndpoint(hit.address, port, order)])
        if on_found is not None:
            on_found(Found(outcome, hit))
    return summary

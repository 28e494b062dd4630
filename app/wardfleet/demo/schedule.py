"""Pure time arithmetic for the demo ward: seeded randomness, recurring windows, print jobs.

Everything is a function of (seed, elapsed seconds), so any moment can be computed
directly, without replaying the past and without sleeping in tests.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, replace
from itertools import accumulate


def unit(seed: int, *parts: object) -> float:
    """A deterministic pseudo-random number in [0, 1) for ``(seed, *parts)``.

    Stable across processes and Python versions (unlike ``hash``).
    """
    digest = hashlib.blake2b(repr((seed, *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(frozen=True)
class Recurring:
    """Windows ``[start(k), start(k) + duration)`` for k = 0, 1, 2, ...

    ``start(k) = first + k * period + jitter_k`` with ``jitter_k`` in ``[0, jitter)``,
    drawn from ``(seed, key, k)``. Each window stays inside its own period, which
    keeps every query O(1).
    """

    first: float
    period: float
    duration: float
    jitter: float = 0.0
    seed: int = 0
    key: str = ""

    def __post_init__(self) -> None:
        if self.period <= 0 or self.duration < 0 or self.jitter < 0:
            raise ValueError(f"bad recurring window {self}")
        if self.duration + self.jitter >= self.period:
            raise ValueError(f"windows would overlap: {self}")

    def seeded(self, seed: int, key: str) -> Recurring:
        return replace(self, seed=seed, key=key)

    def start(self, k: int) -> float:
        return self.first + k * self.period + unit(self.seed, self.key, k) * self.jitter

    def _slot(self, t: float) -> int:
        return math.floor((t - self.first) / self.period)

    def index_at(self, t: float) -> int | None:
        """The k of the window that contains ``t``, if any."""
        k = self._slot(t)
        if k < 0:
            return None
        start = self.start(k)
        return k if start <= t < start + self.duration else None

    def active(self, t: float) -> bool:
        return self.index_at(t) is not None

    def started(self, t: float) -> int:
        """How many windows have started at or before ``t``."""
        k = self._slot(t)
        if k < 0:
            return 0
        return k + 1 if t >= self.start(k) else k

    def covered(self, t: float) -> float:
        """Total time spent inside windows before ``t``."""
        k = self._slot(t)
        if k < 0:
            return 0.0
        return k * self.duration + min(max(t - self.start(k), 0.0), self.duration)

    def next_start(self, t: float) -> float:
        """The first window start strictly after ``t``."""
        return self.start(self.started(t))


@dataclass(frozen=True)
class Workload:
    """How a printer is used: at most one job per slot, ``busy`` = share of slots with a job."""

    ppm: float  # engine speed while printing
    slot_s: float
    busy: float
    max_pages: int
    first_page_s: float = 6.0  # time to first page (processing, warm fuser)


@dataclass(frozen=True)
class _Job:
    start: float  # offset in its slot
    printing_from: float
    end: float
    pages: int


@dataclass(frozen=True)
class PrintJobs:
    """A seeded job pattern repeating every ``PATTERN`` slots: O(1) pages-so-far at any time."""

    workload: Workload
    seed: int
    key: str
    _jobs: tuple[_Job | None, ...] = field(init=False, repr=False)
    _pages_before: tuple[int, ...] = field(init=False, repr=False)

    PATTERN = 64

    def __post_init__(self) -> None:
        w = self.workload
        jobs: list[_Job | None] = []
        for slot in range(self.PATTERN):
            if unit(self.seed, self.key, "busy", slot) >= w.busy:
                jobs.append(None)
                continue
            pages = 1 + int(unit(self.seed, self.key, "pages", slot) * w.max_pages)
            duration = w.first_page_s + pages * 60.0 / w.ppm
            if duration >= w.slot_s:
                raise ValueError(f"{self.key}: a {pages}-page job does not fit a slot")
            start = unit(self.seed, self.key, "start", slot) * (w.slot_s - duration)
            jobs.append(_Job(start, start + w.first_page_s, start + duration, pages))
        object.__setattr__(self, "_jobs", tuple(jobs))
        pages_per_slot = [job.pages if job else 0 for job in jobs]
        object.__setattr__(self, "_pages_before", (0, *accumulate(pages_per_slot)))

    def _locate(self, t: float) -> tuple[int, _Job | None, float]:
        slot, offset = divmod(max(t, 0.0), self.workload.slot_s)
        n = int(slot)
        return n, self._jobs[n % self.PATTERN], offset

    def pages(self, t: float) -> int:
        """Pages finished between 0 and ``t`` (of working time)."""
        n, job, offset = self._locate(t)
        cycles, index = divmod(n, self.PATTERN)
        done = cycles * self._pages_before[-1] + self._pages_before[index]
        if job is None or offset < job.printing_from:
            return done
        if offset >= job.end:
            return done + job.pages
        share = (offset - job.printing_from) / (job.end - job.printing_from)
        return done + int(share * job.pages)

    def busy(self, t: float) -> bool:
        """True from job arrival until its last page."""
        _, job, offset = self._locate(t)
        return job is not None and job.start <= offset < job.end

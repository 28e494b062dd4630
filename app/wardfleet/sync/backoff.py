"""Exponential backoff with jitter while the hub is unreachable."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Backoff:
    """Delay after the n-th failure in a row: half of ``min(cap, base * 2**(n-1))`` fixed,
    the other half random ("equal jitter"). The random half keeps a ward's desktops from
    returning in step after an outage; the fixed half keeps them from hammering."""

    base_s: float = 2.0
    cap_s: float = 300.0
    rng: Callable[[], float] = field(default=random.random, compare=False)

    def delay(self, failures: int) -> float:
        if failures < 1:
            return 0.0
        ceiling = min(self.cap_s, self.base_s * 2.0 ** min(failures - 1, 30))
        return ceiling / 2 + self.rng() * ceiling / 2

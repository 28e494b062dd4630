"""Hybrid logical clock (Kulkarni et al. 2014): causal order that tolerates clock skew.

A timestamp is (physical ms, counter, node). It never goes backwards on one node, and a
node that receives a remote timestamp moves past it, so a desktop whose clock is an hour
fast cannot make later edits elsewhere lose forever: they still order after what they saw.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

_COUNTER_DIGITS = 6
_MS_DIGITS = 15


@dataclass(frozen=True, slots=True, order=True)
class Timestamp:
    physical_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        """Fixed-width text that sorts like the timestamp itself (for SQL ORDER BY)."""
        return f"{self.physical_ms:0{_MS_DIGITS}d}-{self.counter:0{_COUNTER_DIGITS}d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        ms, counter, node = text.split("-", 2)
        if len(ms) != _MS_DIGITS or len(counter) != _COUNTER_DIGITS or not node:
            raise ValueError(f"not an HLC timestamp: {text!r}")
        return cls(int(ms), int(counter), node)


class HybridLogicalClock:
    def __init__(self, node: str, now_ms: Callable[[], int] | None = None) -> None:
        if not node or "-" in node[:1]:
            raise ValueError("node id must be non-empty")
        self._node = node
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._last = Timestamp(0, 0, node)

    @property
    def node(self) -> str:
        return self._node

    @property
    def last(self) -> Timestamp:
        return self._last

    def restore(self, last: Timestamp) -> None:
        """Continue after a restart from the newest timestamp this node ever issued."""
        if last > self._last:
            self._last = Timestamp(last.physical_ms, last.counter, self._node)

    def now(self) -> Timestamp:
        """A timestamp for a local event, later than every one issued or seen before."""
        wall = self._now_ms()
        if wall > self._last.physical_ms:
            self._last = Timestamp(wall, 0, self._node)
        else:
            self._last = Timestamp(self._last.physical_ms, self._last.counter + 1, self._node)
        return self._last

    def observe(self, remote: Timestamp) -> Timestamp:
        """Merge a timestamp received from another node; returns the new local time."""
        wall = self._now_ms()
        physical = max(wall, self._last.physical_ms, remote.physical_ms)
        if physical == self._last.physical_ms == remote.physical_ms:
            counter = max(self._last.counter, remote.counter) + 1
        elif physical == self._last.physical_ms:
            counter = self._last.counter + 1
        elif physical == remote.physical_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        self._last = Timestamp(physical, counter, self._node)
        return self._last

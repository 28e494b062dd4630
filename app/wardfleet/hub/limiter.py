"""Failed-login throttling, in memory: N failures per window per key, then 429.

Keys are a client address and a token id, so one address guessing many tokens and many
addresses trying one token are both slowed down. Per hub process: with several workers
each counts on its own (docs/hub-admin.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable

_MAX_KEYS = 100_000  # memory stays bounded under a flood of distinct keys


class FailureLimiter:
    def __init__(
        self,
        max_failures: int = 10,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, keys: Iterable[str]) -> int | None:
        """Seconds until the first of ``keys`` may try again, or None if none is blocked."""
        now = self._clock()
        waits = []
        with self._lock:
            for key in keys:
                stamps = self._prune(key, now)
                if stamps is not None and len(stamps) >= self.max_failures:
                    waits.append(stamps[0] + self.window_s - now)
        return max(1, math.ceil(max(waits))) if waits else None

    def failed(self, keys: Iterable[str]) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                stamps = self._failures.pop(key, None) or deque(maxlen=self.max_failures)
                stamps.append(now)
                self._failures[key] = stamps  # most recent at the end
            while len(self._failures) > _MAX_KEYS:
                self._failures.popitem(last=False)

    def _prune(self, key: str, now: float) -> deque[float] | None:
        stamps = self._failures.get(key)
        if stamps is None:
            return None
        while stamps and stamps[0] <= now - self.window_s:
            stamps.popleft()
        if not stamps:
            del self._failures[key]
            return None
        return stamps

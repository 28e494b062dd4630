"""One object per asyncio event loop, made on first use.

pysnmp's engine and our v1/v2c socket both belong to one loop: used from a second loop
they hang. Keyed weakly, so a loop that is gone takes its object with it.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerLoop(Generic[T]):
    def __init__(self, make: Callable[[asyncio.AbstractEventLoop], T]) -> None:
        self._make = make
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = (
            weakref.WeakKeyDictionary()
        )

    def get(self) -> T:
        """The running loop's object."""
        loop = asyncio.get_running_loop()
        item = self._by_loop.get(loop)
        if item is None:
            item = self._by_loop[loop] = self._make(loop)
        return item

    def pop(self, loop: asyncio.AbstractEventLoop) -> T | None:
        """Forget ``loop``'s object (the caller closes it); the next ``get`` makes a new one."""
        return self._by_loop.pop(loop, None)

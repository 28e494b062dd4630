"""A desktop process for the kill -9 tests: ``python -m tests.sync.desktop_proc ...``.

- ``write DB N``: commit N local changes, say "committed", then wait to be killed.
- ``pull DB URL TOKEN WARD PAGE_SIZE STALL_AT``: pull pages; on page STALL_AT, write the
  page's rows, say "mid-apply", and hang inside the open transaction until killed.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

from wardfleet.store import Store, remote
from wardfleet.sync.client import HubClient
from wardfleet.sync.settings import HubSettings


def _say(word: str) -> None:
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def write(path: str, count: int) -> None:
    from tests.store.factories import device

    store = Store.open(path)
    with store.transaction() as tx:
        for n in range(count):
            tx.create_device(device(n, id=f"killed-{n}"))
    _say("committed")
    time.sleep(120)  # killed long before this ends


def pull(path: str, url: str, token: str, ward: str, page_size: int, stall_at: int) -> None:
    store = Store.open(path)
    real = remote.apply
    pages = [0]

    def apply_then_stall(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        pages[0] += 1
        if pages[0] == stall_at:
            _say("mid-apply")  # the rows are written, the transaction is not committed
            time.sleep(120)
        return result

    remote.apply = apply_then_stall  # type: ignore[assignment]
    settings = HubSettings(url=url, ward=ward, page_size=page_size)

    async def go() -> None:
        client = HubClient(settings, token)
        try:
            async for _ in client.pull(store):
                pass
        finally:
            await client.aclose()

    asyncio.run(go())
    _say("done")


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "write":
        write(rest[0], int(rest[1]))
    else:
        pull(rest[0], rest[1], rest[2], rest[3], int(rest[4]), int(rest[5]))

"""A ward desktop for tests: a real Store plus the real hub client, driven synchronously."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from tests.store.factories import device
from wardfleet.hub import schema
from wardfleet.hub.db import HubDatabase
from wardfleet.store import Store
from wardfleet.store.inventory import SYNCED_FIELDS
from wardfleet.sync.client import HubClient, SyncResult
from wardfleet.sync.settings import HubSettings


class Desktop:
    def __init__(
        self,
        path: Path,
        hub_url: str,
        token: str,
        ward: str | None,
        *,
        clock_ms: Callable[[], int] | None = None,
        batch_size: int = 500,
        page_size: int = 500,
    ) -> None:
        self.path = path
        self.store = Store.open(path, clock_ms=clock_ms)
        self.settings = HubSettings(
            url=hub_url, ward=ward, batch_size=batch_size, page_size=page_size, timeout_s=10
        )
        self.token = token

    @property
    def node_id(self) -> str:
        return self.store.node_id

    def _run(self, what: str, transport: httpx.AsyncBaseTransport | None) -> Any:
        async def go() -> Any:
            client = HubClient(self.settings, self.token, transport=transport)
            try:
                if what == "push":
                    return await client.push(self.store)
                if what == "pull":
                    return [page async for page in client.pull(self.store)]
                return await client.sync_once(self.store)
            finally:
                await client.aclose()

        return asyncio.run(go())

    def sync(self, transport: httpx.AsyncBaseTransport | None = None) -> SyncResult:
        result: SyncResult = self._run("sync", transport)
        return result

    def push(self, transport: httpx.AsyncBaseTransport | None = None) -> int:
        pushed: int = self._run("push", transport)
        return pushed

    def pull(self, transport: httpx.AsyncBaseTransport | None = None) -> list[Any]:
        pages: list[Any] = self._run("pull", transport)
        return pages

    def create(self, *numbers: int, prefix: str = "dev") -> list[str]:
        with self.store.transaction() as tx:
            for n in numbers:
                tx.create_device(device(n, id=f"{prefix}-{n}"))
        return [f"{prefix}-{n}" for n in numbers]

    def edit(self, device_id: str, **fields: Any) -> None:
        with self.store.transaction() as tx:
            tx.update_device(device_id, fields)

    def inventory(self) -> dict[str, dict[str, Any]]:
        """Every device's synced fields and tombstone, as the convergence tests compare."""
        columns = ", ".join(SYNCED_FIELDS)
        with self.store.reading() as conn:
            rows = conn.execute(f"SELECT id, deleted, {columns} FROM devices").fetchall()
        return {
            r[0]: {"deleted": bool(r[1]), **dict(zip(SYNCED_FIELDS, r[2:], strict=True))}
            for r in rows
        }

    def count(self, table: str) -> int:
        with self.store.reading() as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def close(self) -> None:
        self.store.close()


def hub_log(db: HubDatabase, node_id: str | None = None) -> list[tuple[int, str, int, str]]:
    """(server_seq, node_id, seq, op_id) of the hub's change log, in server order."""
    c = schema.changes.c
    query = select(c.server_seq, c.node_id, c.seq, c.op_id).order_by(c.server_seq)
    if node_id is not None:
        query = query.where(c.node_id == node_id)
    with db.read() as conn:
        return [tuple(r) for r in conn.execute(query)]  # type: ignore[misc]


def hub_devices(db: HubDatabase) -> dict[str, dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(select(schema.devices)).all()
    return {r.id: {"deleted": bool(r.deleted), **json.loads(r.fields)} for r in rows}


def assert_exactly_once(db: HubDatabase, node_id: str, count: int) -> None:
    """The hub has this node's seqs 1..count, each once, and nothing else of it."""
    log = hub_log(db, node_id)
    seqs = [seq for _, _, seq, _ in log]
    assert seqs == list(range(1, count + 1)), f"hub has seqs {seqs[:5]}…{seqs[-5:]} ({len(seqs)})"
    assert len({op for *_, op in log}) == count

"""Sync with a loopback hub (a real ``wardfleet hub serve`` subprocess).

- 10,000 queued changes pushed by the real client from a real Store. Target ≤ 5 s.
  Baseline: the same request bodies POSTed with httpx to a trivial ASGI app under uvicorn
  (transport + HTTP cost alone).
- 20 concurrent ward clients, each pushing 20 changes and pulling, 25 rounds: requests/s
  and p99 latency on SQLite and on PostgreSQL. Baseline: the same requests against the
  trivial app.
- Pulling 100,000 changes (paged) into a desktop Store, in a fresh process: peak RSS delta.
  Baseline: the same for 10,000 changes; a ratio near 1 means memory does not grow with
  the backlog.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.report import line
from wardfleet.hub import accounts, schema
from wardfleet.hub.db import HubDatabase
from wardfleet.sync.wire import Role, UserCreate, WardCreate

WARD = "Bench ward"
PUSH_CHANGES = 10_000
BATCH = 500
CLIENTS = 20
ROUNDS = 25
PULL_BIG, PULL_SMALL = 100_000, 10_000


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not start")


@contextmanager
def _process(argv: list[str], probe: str) -> Iterator[None]:
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(probe, proc)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@contextmanager
def _hub(db_url: str) -> Iterator[str]:
    port = _free_port()
    argv = [
        sys.executable,
        "-m",
        "wardfleet",
        "hub",
        "serve",
        "--db",
        db_url,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--max-auth-failures",
        "100000",
    ]
    with _process(argv, f"http://127.0.0.1:{port}/v1/health"):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def _trivial() -> Iterator[str]:
    port = _free_port()
    with _process(
        [sys.executable, "-m", "bench.bench_sync", "trivial", str(port)],
        f"http://127.0.0.1:{port}/",
    ):
        yield f"http://127.0.0.1:{port}"


def _canned_page(count: int) -> bytes:
    """A pull reply of ``count`` changes shaped like the load test's (each client's pull
    sees about one round of everyone's pushes: 20 clients × 20 changes)."""
    node = str(uuid.uuid4())
    changes = [
        {
            "server_seq": n + 1,
            "node_id": node,
            "seq": n + 1,
            "op_id": f"{node}-{n + 1}",
            "hlc": f"{1_700_000_000_000 + n:015d}-000000-{node}",
            "kind": "device.upsert",
            "entity": f"{node}-dev-{n}",
            "payload": {"fields": {"name": f"P{n}", "kind": "printer", "notes": "x" * 40}},
            "ward": WARD,
        }
        for n in range(count)
    ]
    return json.dumps({"changes": changes, "next_cursor": count, "more": False}).encode()


_PAGE = _canned_page(CLIENTS * 20)


async def _trivial_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Reads the body and answers canned JSON: HTTP and uvicorn, nothing else."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    if scope["method"] == "GET":
        body = _PAGE
    else:
        body = b'{"last_seq":0,"applied":0,"duplicates":0,"rejected":null}'
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _seed_users(db_url: str, count: int) -> list[str]:
    db = HubDatabase(db_url)
    db.migrate()
    try:
        with db.write() as conn:
            accounts.add_ward(conn, WardCreate(name=WARD), time.time())
            return [
                accounts.add_user(
                    conn,
                    UserCreate(
                        name=f"lead{n}-{uuid.uuid4().hex[:6]}", role=Role.WARD_LEAD, wards=[WARD]
                    ),
                    time.time(),
                )[1]
                for n in range(count)
            ]
    finally:
        db.dispose()


# --- 1. Pushing 10,000 queued changes -------------------------------------------------------


def _queued_store(folder: Path, count: int) -> Any:
    from wardfleet.domain.device import Device
    from wardfleet.domain.identity import Identity
    from wardfleet.domain.kinds import DeviceKind
    from wardfleet.store import Store

    store = Store.open(folder / f"desk-{uuid.uuid4().hex[:6]}.sqlite3")
    with store.transaction() as tx:
        for n in range(count):
            tx.create_device(
                Device(
                    id=f"dev-{uuid.uuid4().hex[:12]}",
                    name=f"Printer {n}",
                    kind=DeviceKind.PRINTER,
                    identity=Identity.of(serial=f"SN{n:06d}", vendor="HP"),
                    vendor="HP",
                    address=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
                    location=f"Room {n % 40}",
                )
            )
    return store


def _push_10k(folder: Path) -> list[str]:
    from wardfleet.sync.client import HubClient
    from wardfleet.sync.settings import HubSettings
    from wardfleet.sync.wire import PushedChange, PushRequest

    db_url = f"sqlite:///{folder / 'push-hub.sqlite3'}"
    tokens = _seed_users(db_url, 3)
    ours: list[float] = []
    bodies: list[bytes] = []
    with _hub(db_url) as url:
        for token in tokens:
            store = _queued_store(folder, PUSH_CHANGES)
            if not bodies:
                pending = store.outbox_pending(PUSH_CHANGES)
                bodies = [
                    PushRequest(
                        node_id=store.node_id,
                        ward=WARD,
                        changes=[PushedChange.from_change(c, WARD) for c in pending[i : i + BATCH]],
                    )
                    .model_dump_json()
                    .encode()
                    for i in range(0, len(pending), BATCH)
                ]

            async def push(store: Any = store, token: str = token) -> int:
                client = HubClient(HubSettings(url=url, ward=WARD, batch_size=BATCH), token)
                try:
                    return await client.push(store)
                finally:
                    await client.aclose()

            start = time.perf_counter()
            pushed = asyncio.run(push())
            ours.append(time.perf_counter() - start)
            assert pushed == PUSH_CHANGES, pushed
            store.close()

    async def raw(url: str) -> None:
        async with httpx.AsyncClient(base_url=url) as client:
            for body in bodies:
                response = await client.post(
                    "/v1/changes", content=body, headers={"Content-Type": "application/json"}
                )
                response.raise_for_status()

    base: list[float] = []
    with _trivial() as url:
        for _ in range(3):
            start = time.perf_counter()
            asyncio.run(raw(url))
            base.append(time.perf_counter() - start)
    return [line(f"sync: push {PUSH_CHANGES:,} queued changes, SQLite", ours, base, target=5000)]


# --- 2. 20 concurrent ward clients --------------------------------------------------------


async def _ward_client(url: str, token: str, latencies: list[float]) -> None:
    node = str(uuid.uuid4())
    cursor = 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        for round_ in range(ROUNDS):
            changes = [
                {
                    "seq": round_ * 20 + i + 1,
                    "op_id": f"{node}-{round_ * 20 + i + 1}",
                    "hlc": f"{int(time.time() * 1000):015d}-{i:06d}-{node}",
                    "kind": "device.upsert",
                    "entity": f"{node}-dev-{i}",
                    "payload": {"fields": {"name": f"P{i}", "kind": "printer", "notes": "x" * 40}},
                }
                for i in range(20)
            ]
            body = json.dumps({"node_id": node, "ward": WARD, "changes": changes})
            start = time.perf_counter()
            (await client.post("/v1/changes", content=body)).raise_for_status()
            latencies.append(time.perf_counter() - start)
            start = time.perf_counter()
            page = await client.get("/v1/changes", params={"since": cursor, "limit": 500})
            page.raise_for_status()
            latencies.append(time.perf_counter() - start)
            cursor = page.json()["next_cursor"]


def _load(url: str, tokens: list[str]) -> tuple[float, list[float]]:
    latencies: list[float] = []

    async def all_clients() -> None:
        await asyncio.gather(*(_ward_client(url, t, latencies) for t in tokens))

    start = time.perf_counter()
    asyncio.run(all_clients())
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, latencies


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def _concurrency(folder: Path) -> list[str]:
    lines: list[str] = []
    with _trivial() as url:
        base_rps, base_lat = _load(url, ["x"] * CLIENTS)
    for name in ("SQLite", "PostgreSQL"):
        try:
            with _database(name, folder) as db_url:
                tokens = _seed_users(db_url, CLIENTS)
                with _hub(db_url) as url:
                    rps, lat = _load(url, tokens)
        except _Unavailable as exc:
            lines.append(f"sync: 20 clients on {name}: not available ({exc})")
            continue
        label = f"sync: {CLIENTS} clients push+pull, {name}"
        lines.append(
            f"{label:<48} {rps:8.0f} req/s  p99 {_p99(lat) * 1000:6.1f} ms  "
            f"baseline {base_rps:6.0f} req/s p99 {_p99(base_lat) * 1000:5.1f} ms  "
            f"ratio {base_rps / rps:5.2f}x (throughput), {_p99(lat) / _p99(base_lat):5.2f}x (p99)"
        )
    return lines


class _Unavailable(RuntimeError):
    pass


@contextmanager
def _database(name: str, folder: Path) -> Iterator[str]:
    if name == "SQLite":
        yield f"sqlite:///{folder / f'load-{uuid.uuid4().hex[:6]}.sqlite3'}"
        return
    try:
        from tests.peers.postgres import start_postgres
    except ImportError as exc:
        raise _Unavailable(str(exc)) from exc
    try:
        handle = start_postgres(folder / "pg", durable=True)
    except BaseException as exc:  # a skip (PeerUnavailable) or a start failure
        raise _Unavailable(str(exc)) from exc
    try:
        yield handle.info.create_database("bench")
    finally:
        handle.stop()


# --- 3. Memory while pulling 100,000 changes ------------------------------------------------


def _seed_log(db_url: str, count: int) -> None:
    """Rollups straight into the hub's log (pushing 100k through HTTP would dominate)."""
    db = HubDatabase(db_url)
    node = str(uuid.uuid4())
    try:
        with db.write() as conn:
            for start in range(0, count, 5000):
                conn.execute(
                    schema.changes.insert(),
                    [
                        {
                            "server_seq": s + 1,
                            "node_id": node,
                            "seq": s + 1,
                            "op_id": f"{node}-{s + 1}",
                            "hlc": f"{1_700_000_000_000 + s:015d}-000000-{node}",
                            "kind": "sample.rollup",
                            "entity": f"rollup:dev-{s % 500}:{s}",
                            "ward": WARD,
                            "payload": json.dumps(
                                {
                                    "device_id": f"dev-{s % 500}",
                                    "bucket": s * 300,
                                    "fields": ["n", "avg", "min", "max", "last"],
                                    "metrics": {
                                        "supply:1.1": [5, 50.0, 49.0, 51.0, 50.0],
                                        "page_count": [5, 1e4, 1e4, 1e4, 1e4],
                                    },
                                }
                            ),
                            "pushed_by": "bench",
                            "received_at": time.time(),
                        }
                        for s in range(start, min(count, start + 5000))
                    ],
                )
            conn.execute(schema.counters.update().values(value=count))
    finally:
        db.dispose()


def _status_kib(field: str) -> int:
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith(field + ":"):
            return int(row.split()[1])
    raise KeyError(field)


def _reset_peak_rss() -> int:
    """Start a fresh peak (Linux: VmHWM := VmRSS) so imports don't hide the pull's; returns
    the resident size now, in KiB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status_kib("VmRSS")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_rss() -> int:
    try:
        return _status_kib("VmHWM")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _pull_child(url: str, token: str, db_path: str) -> None:
    """Runs in a fresh process: pull everything, print RSS before/after and the count."""
    from wardfleet.store import Store
    from wardfleet.sync.client import HubClient
    from wardfleet.sync.settings import HubSettings

    store = Store.open(db_path)
    before = _reset_peak_rss()

    async def go() -> int:
        client = HubClient(HubSettings(url=url, ward=WARD, page_size=500), token)
        try:
            return sum([page.applied async for page in client.pull(store)])
        finally:
            await client.aclose()

    start = time.perf_counter()
    applied = asyncio.run(go())
    elapsed = time.perf_counter() - start
    after = _peak_rss()
    store.close()
    print(json.dumps({"kib": after - before, "applied": applied, "seconds": elapsed}))


def _pull_memory(folder: Path) -> list[str]:
    results = {}
    for count in (PULL_SMALL, PULL_BIG):
        db_url = f"sqlite:///{folder / f'pull-{count}.sqlite3'}"
        [token] = _seed_users(db_url, 1)
        _seed_log(db_url, count)
        with _hub(db_url) as url:
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.bench_sync",
                    "pull-child",
                    url,
                    token,
                    str(folder / f"desk-pull-{count}.sqlite3"),
                ],
                capture_output=True,
                text=True,
                timeout=600,
                check=True,
            ).stdout
        results[count] = json.loads(out.strip().splitlines()[-1])
        assert results[count]["applied"] == count, results[count]
    big, small = results[PULL_BIG], results[PULL_SMALL]
    label = f"sync: pull {PULL_BIG:,} changes, peak RSS delta"
    return [
        f"{label:<48} {big['kib'] / 1024:8.1f} MiB  baseline ({PULL_SMALL:,}) "
        f"{small['kib'] / 1024:6.1f} MiB  ratio {big['kib'] / max(small['kib'], 1):5.2f}x  "
        f"({PULL_BIG / big['seconds']:,.0f} changes/s)"
    ]


def run() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        folder = Path(tmp)
        return [*_push_10k(folder), *_concurrency(folder), *_pull_memory(folder)]


if __name__ == "__main__":
    if sys.argv[1:2] == ["trivial"]:
        import uvicorn

        uvicorn.run(_trivial_app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
    elif sys.argv[1:2] == ["pull-child"]:
        _pull_child(*sys.argv[2:5])
    else:
        os.environ.setdefault("PYTHONUNBUFFERED", "1")
        print("\n".join(run()))

"""Fixtures for the sync tests: a real hub over real HTTP on loopback, on SQLite and on a
throwaway PostgreSQL cluster, and ward desktops (real Stores) that sync with it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.sync.desktops import Desktop
from tests.sync.hubs import WARD, ThreadHub, Tokens, join_stopping, seed, thread_hub
from wardfleet.hub.db import HubDatabase

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.peer("postgresql"))]


@pytest.fixture(scope="session")
def pg_hub_database(request: pytest.FixtureRequest) -> str:
    """One database in the session's PostgreSQL cluster; each test gets a schema in it
    (CREATE DATABASE costs ~0.2 s, CREATE SCHEMA next to nothing)."""
    cluster = request.getfixturevalue("postgres_cluster")
    return str(cluster.create_database(f"hubtests_{uuid.uuid4().hex[:8]}"))


@pytest.fixture(params=BACKENDS)
def hub_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for one hub: a SQLite file, or a fresh schema in a PostgreSQL
    database of the session's throwaway cluster (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        return
    base = request.getfixturevalue("pg_hub_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}".encode())
    yield f"{base}?options=-csearch_path%3D{schema}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE".encode())


@pytest.fixture
def hub_db(hub_db_url: str) -> Iterator[HubDatabase]:
    db = HubDatabase(hub_db_url)
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture
def tokens(hub_db: HubDatabase) -> Tokens:
    return seed(hub_db)


@pytest.fixture
def hub(hub_db: HubDatabase, tokens: Tokens) -> Iterator[ThreadHub]:
    server = thread_hub(hub_db)
    yield server
    server.stop(wait=False)


@pytest.fixture(scope="session", autouse=True)
def _stopped_hubs() -> Iterator[None]:
    yield
    join_stopping()


@pytest.fixture
def make_desktop(
    tmp_path: Path, hub: ThreadHub, tokens: Tokens
) -> Iterator[Callable[..., Desktop]]:
    """``make_desktop(name, token=..., ward=..., **options)``: a desktop with its own database."""
    made: list[Desktop] = []

    def make(
        name: str = "a", *, token: str | None = None, ward: str | None = WARD, **options: Any
    ) -> Desktop:
        desktop = Desktop(
            tmp_path / f"{name}.sqlite3",
            options.pop("url", hub.url),
            token or tokens.lead,
            ward,
            **options,
        )
        made.append(desktop)
        return desktop

    yield make
    for desktop in made:
        desktop.close()

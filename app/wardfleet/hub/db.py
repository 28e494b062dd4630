"""Opening the hub database: SQLite (default) or PostgreSQL through psycopg 3."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, make_url

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class HubDatabaseError(RuntimeError):
    """A database URL this hub cannot use."""


def normalise_url(raw: str) -> URL:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy would pick psycopg2)."""
    try:
        url = make_url(raw)
    except Exception as exc:  # sqlalchemy raises ArgumentError and friends
        raise HubDatabaseError(f"not a database URL: {raw!r}") from exc
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise HubDatabaseError("the hub needs a SQLite file: sqlite:///path/to/hub.sqlite3")
        return url.set(drivername="sqlite+pysqlite")
    raise HubDatabaseError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


def _sqlite_engine(url: URL, *, immediate: bool) -> Engine:
    Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30.0})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below): pysqlite's implicit transactions defer the
        # write lock, and two pushers upgrading at once would fail instead of waiting.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            "busy_timeout=30000",
        ):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class HubDatabase:
    """Two engines on SQLite (writes take the write lock at BEGIN, reads do not), one on
    PostgreSQL (its row locks do that job)."""

    def __init__(self, raw_url: str) -> None:
        self.url = normalise_url(raw_url)
        self.backend = self.url.get_backend_name()
        self._write_lock: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        if self.backend == "sqlite":
            self._write_lock = threading.Lock()
            self.write_engine = _sqlite_engine(self.url, immediate=True)
            self.read_engine = _sqlite_engine(self.url, immediate=False)
        else:
            self.write_engine = create_engine(
                self.url, pool_size=10, max_overflow=20, pool_pre_ping=True, pool_timeout=10
            )
            self.read_engine = self.write_engine

    def migrate(self) -> None:
        """Bring the schema to the newest revision (idempotent)."""
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self.write_engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction; commits on success, rolls back on any exception."""
        # SQLite lets one writer in at a time and makes the others poll with sleeps of up
        # to 100 ms; queueing them on a lock here hands over at once (p99 latency).
        with self._write_lock, self.write_engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with self.read_engine.begin() as conn:
            yield conn

    def ping(self) -> None:
        with self.read() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()

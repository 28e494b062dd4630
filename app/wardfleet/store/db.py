"""Opening the SQLite file safely: settings, migrations, and clear errors."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from wardfleet.store.migrations import migrate

_SIDECARS = ("", "-wal", "-shm")


class DataDirError(RuntimeError):
    """The data folder cannot be created or written."""


class CorruptDatabaseError(RuntimeError):
    """The file is not a readable Wardfleet database. It is never deleted for you."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class DiskFullError(RuntimeError):
    """A write failed for lack of space; the transaction was rolled back, nothing is lost."""


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its WAL files) so a fresh one can start beside it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in _SIDECARS:
        src = Path(f"{path}{suffix}")
        if src.exists():
            src.rename(Path(f"{target}{suffix}"))
    return target


def _check_writable_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".wardfleet-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataDirError(f"cannot write to the data folder {folder}: {exc.strerror}") from exc


class Database:
    """One SQLite connection with Wardfleet's settings.

    WAL with ``synchronous=FULL``: a committed change survives power loss, which is what
    the outbox promises. The connection may be handed to one worker thread at a time.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            _check_writable_dir(self.path.parent)
        try:
            self.conn = sqlite3.connect(
                str(path), isolation_level=None, check_same_thread=False, timeout=10.0
            )
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=10000")
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(Exception):
                self.conn.close()
            if _is_disk_full(exc):
                raise DiskFullError(str(exc)) from exc
            raise CorruptDatabaseError(self.path, str(exc)) from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls the whole unit back."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException as exc:
            conn.rollback()
            if isinstance(exc, sqlite3.OperationalError) and _is_disk_full(exc):
                raise DiskFullError(str(exc)) from exc
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            conn.rollback()
            if _is_disk_full(exc):
                raise DiskFullError(str(exc)) from exc
            raise

    def close(self) -> None:
        self.conn.close()


def _is_disk_full(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return (
        code == sqlite3.SQLITE_FULL
        or "disk is full" in str(exc)
        or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
    )

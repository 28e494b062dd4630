from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store.factories import device
from wardfleet.store import Store
from wardfleet.store.db import CorruptDatabaseError, Database, DataDirError, move_aside
from wardfleet.store.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    SchemaTooNewError,
    migrate,
    schema_version,
)

EXPECTED_TABLES = {
    "meta",
    "devices",
    "device_identities",
    "device_addresses",
    "device_protocols",
    "device_status",
    "outbox",
    "audit",
    "sync_state",
    "conflicts",
    "samples",
    "rollups_5m",
    "rollups_1d",
    "alerts",
}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_fresh_database_has_every_table_and_the_latest_version(tmp_path: Path) -> None:
    db = Database(tmp_path / "w.sqlite3")
    assert schema_version(db.conn) == LATEST_VERSION
    assert _tables(db.conn) >= EXPECTED_TABLES
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    db.close()


@pytest.mark.parametrize("start", range(1, LATEST_VERSION))
def test_upgrade_from_each_older_version_keeps_its_data(tmp_path: Path, start: int) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=start)
    assert schema_version(conn) == start
    conn.execute("INSERT INTO meta (key, value) VALUES ('node_id', 'old-node')")
    conn.execute(
        "INSERT INTO devices (id, name, kind, serial) VALUES ('d1', 'Old printer', 'printer', 'S1')"
    )
    conn.close()

    store = Store.open(path)
    assert schema_version(store.db.conn) == LATEST_VERSION
    assert store.node_id == "old-node"
    assert [d.name for d in store.list_devices()] == ["Old printer"]
    store.close()


def test_a_failing_migration_step_leaves_the_old_version_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wardfleet.store.migrations as m

    conn = sqlite3.connect(tmp_path / "w.sqlite3", isolation_level=None)
    migrate(conn, target=1)
    monkeypatch.setattr(m, "MIGRATIONS", (*MIGRATIONS[:1], "CREATE TABLE x (a);\nTHIS IS NOT SQL;"))
    with pytest.raises(sqlite3.OperationalError):
        m.migrate(conn, target=2)
    assert schema_version(conn) == 1
    assert "x" not in _tables(conn)
    conn.close()


def test_a_database_from_a_newer_version_is_refused_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError):
        Database(path)


def test_a_corrupt_file_raises_a_clear_error_and_can_be_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite3"
    path.write_bytes(b"this is not a database, it is a shopping list" * 100)
    with pytest.raises(CorruptDatabaseError) as err:
        Database(path)
    assert err.value.path == path
    moved = move_aside(path)
    assert not path.exists()
    assert moved.read_bytes().startswith(b"this is not a database")
    store = Store.open(path)  # a fresh one starts beside the kept copy
    with store.transaction() as tx:
        tx.create_device(device(1))
    assert len(store.list_devices()) == 1
    store.close()


def test_an_unwritable_data_folder_is_reported_with_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(DataDirError, match="file-not-folder"):
        Database(blocker / "sub" / "w.sqlite3")

"""The PostgreSQL peer fixture: a missing server is a skip with the reason (a CI failure)."""

from __future__ import annotations

import pytest

from tests.peers import postgres
from tests.peers._policy import PeerUnavailable


def test_a_missing_postgresql_is_a_skip_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "pg_bindir", lambda: None)
    with pytest.raises(PeerUnavailable, match="postgresql: initdb not found"):
        postgres.start_postgres()


@pytest.mark.peer("postgresql")
def test_the_cluster_is_on_loopback_with_its_socket_in_its_own_folder(
    postgres_cluster: postgres.PgCluster,
) -> None:
    import psycopg

    assert postgres_cluster.host == "127.0.0.1"
    assert len(str(postgres_cluster.socket_dir / ".s.PGSQL.5432")) < 107
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as conn:
        row = conn.execute(b"SHOW listen_addresses").fetchone()
        assert row is not None and row[0] == "127.0.0.1"
        sockets = conn.execute(b"SHOW unix_socket_directories").fetchone()
        assert sockets is not None and sockets[0] == str(postgres_cluster.socket_dir)

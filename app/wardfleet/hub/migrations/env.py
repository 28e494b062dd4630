"""Alembic environment: always handed an open connection by ``HubDatabase.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run hub migrations through wardfleet.hub.db.HubDatabase.migrate")

context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()

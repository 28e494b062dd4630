"""The hub's tables (SQLAlchemy Core). Alembic migrations create them; a test checks the
migrations and this module agree."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Named counters; "server_seq" is the last value handed out. Its row is locked for the
# length of every push, which serialises pushes so server_seq commits in order: a pull
# never sees 12 while 11 is still to come.
counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

wards = Table(
    "wards",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("created_at", Float, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("token_id", String(16), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("revoked_at", Float),
)

user_wards = Table(
    "user_wards",
    metadata,
    Column("user_name", String(64), ForeignKey("users.name"), primary_key=True),
    Column("ward_name", String(100), ForeignKey("wards.name"), primary_key=True),
)

# A desktop (or helpdesk console) that pushed. Bound to its ward, or, for a console
# without one, to the user who registered it, so nobody can advance another's last_seq.
nodes = Table(
    "nodes",
    metadata,
    Column("node_id", String(64), primary_key=True),
    Column("ward", String(100)),
    Column("registered_by", String(64), nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
)

changes = Table(
    "changes",
    metadata,
    Column("server_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("node_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("op_id", String(64), nullable=False, unique=True),
    Column("hlc", String(128), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("entity", String(200), nullable=False),
    Column("ward", String(100)),
    Column("payload", Text, nullable=False),
    Column("pushed_by", String(64), nullable=False),
    Column("received_at", Float, nullable=False),
    UniqueConstraint("node_id", "seq"),
    Index(None, "ward", "server_seq"),
)

# Device state materialised from applied changes (last-writer-wins per field by hlc).
devices = Table(
    "devices",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("ward", String(100), nullable=False),
    Column("fields", Text, nullable=False),
    Column("field_hlc", Text, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("updated_server_seq", BigInteger, nullable=False),
    Index(None, "ward", "id"),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(200), nullable=False),
    Column("ward", String(100), nullable=False),
    Column("field", String(32), nullable=False),
    Column("losing_value", Text, nullable=False),
    Column("losing_hlc", String(128), nullable=False),
    Column("winning_hlc", String(128), nullable=False),
    Column("server_seq", BigInteger, nullable=False),
    Index(None, "ward", "id"),
)

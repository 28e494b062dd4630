"""Initial hub schema: wards, users and tokens, nodes, the change log, devices, conflicts.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_counters"),
    )
    op.bulk_insert(
        sa.table("counters", sa.column("name", sa.String), sa.column("value", sa.BigInteger)),
        [{"name": "server_seq", "value": 0}],
    )
    op.create_table(
        "wards",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_wards"),
    )
    op.create_table(
        "users",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_id", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("revoked_at", sa.Float),
        sa.PrimaryKeyConstraint("name", name="pk_users"),
        sa.UniqueConstraint("token_id", name="uq_users_token_id"),
    )
    op.create_table(
        "user_wards",
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("ward_name", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("user_name", "ward_name", name="pk_user_wards"),
        sa.ForeignKeyConstraint(
            ["user_name"], ["users.name"], name="fk_user_wards_user_name_users"
        ),
        sa.ForeignKeyConstraint(
            ["ward_name"], ["wards.name"], name="fk_user_wards_ward_name_wards"
        ),
    )
    op.create_table(
        "nodes",
        sa.Column("node_id", sa.String(64), nullable=False),
        sa.Column("ward", sa.String(100)),
        sa.Column("registered_by", sa.String(64), nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("first_seen", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("node_id", name="pk_nodes"),
    )
    op.create_table(
        "changes",
        sa.Column("server_seq", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("node_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("op_id", sa.String(64), nullable=False),
        sa.Column("hlc", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(200), nullable=False),
        sa.Column("ward", sa.String(100)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("pushed_by", sa.String(64), nullable=False),
        sa.Column("received_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("server_seq", name="pk_changes"),
        sa.UniqueConstraint("op_id", name="uq_changes_op_id"),
        sa.UniqueConstraint("node_id", "seq", name="uq_changes_node_id_seq"),
    )
    op.create_index("ix_changes_ward_server_seq", "changes", ["ward", "server_seq"])
    op.create_table(
        "devices",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("ward", sa.String(100), nullable=False),
        sa.Column("fields", sa.Text, nullable=False),
        sa.Column("field_hlc", sa.Text, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("updated_server_seq", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
    )
    op.create_index("ix_devices_ward_id", "devices", ["ward", "id"])
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(200), nullable=False),
        sa.Column("ward", sa.String(100), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("losing_value", sa.Text, nullable=False),
        sa.Column("losing_hlc", sa.String(128), nullable=False),
        sa.Column("winning_hlc", sa.String(128), nullable=False),
        sa.Column("server_seq", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conflicts"),
    )
    op.create_index("ix_conflicts_ward_id", "conflicts", ["ward", "id"])


def downgrade() -> None:
    for table in ("conflicts", "devices", "changes", "nodes", "user_wards", "users", "wards"):
        op.drop_table(table)
    op.drop_table("counters")

"""Purge log (right to deletion) and an index on ID numbers for the implausible-batch check.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_key_hash", sa.String(length=64), nullable=False),
        sa.Column("rows_removed", sa.Integer(), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rows_id_number", "rows", ["id_number"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rows_id_number", table_name="rows")
    op.drop_table("purges")

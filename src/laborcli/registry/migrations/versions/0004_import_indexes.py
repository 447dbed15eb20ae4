"""Fewer indexes to maintain on import: the household index goes (the figure index finds a
household's rows) and the ID index keeps only IDs that failed their checks.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_rows_household", table_name="rows")
    op.drop_index("ix_rows_id_number", table_name="rows")
    op.create_index(
        "ix_rows_unverified_id",
        "rows",
        ["id_number"],
        unique=False,
        sqlite_where=sa.text("id_valid = 0"),
        postgresql_where=sa.text("NOT id_valid"),
    )


def downgrade() -> None:
    op.drop_index("ix_rows_unverified_id", table_name="rows")
    op.create_index("ix_rows_id_number", "rows", ["id_number"], unique=False)
    op.create_index("ix_rows_household", "rows", ["household_id"], unique=False)

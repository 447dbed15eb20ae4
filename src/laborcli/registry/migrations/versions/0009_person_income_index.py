"""The person index holds 月收入 too: a person's labour income over the months is summed
from the index alone, person after person in its order, without reading their rows.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_rows_person", table_name="rows")
    op.create_index(
        "ix_rows_person", "rows", ["person_key", "as_of", "transferred", "snapshot_id", "monthly_income"]
    )


def downgrade() -> None:
    op.drop_index("ix_rows_person", table_name="rows")
    op.create_index("ix_rows_person", "rows", ["person_key", "as_of", "transferred", "snapshot_id"])

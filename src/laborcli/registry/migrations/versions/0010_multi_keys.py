"""The person keys that may have two rows on one date, kept by the import (multi_keys):
the current state no longer scans the person index over every month kept to find them.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("multi_keys", sa.Column("person_key", sa.String(64), primary_key=True))
    # What every import since the first would have recorded: keys listed in two places,
    # twice in one sheet, or in an update sheet.
    op.execute(
        """
        INSERT INTO multi_keys (person_key)
        SELECT person_key FROM rows GROUP BY person_key
        HAVING MIN(township) <> MAX(township) OR MIN(village) <> MAX(village)
        UNION
        SELECT person_key FROM rows GROUP BY snapshot_id, person_key HAVING COUNT(*) > 1
        UNION
        SELECT person_key FROM rows
        WHERE snapshot_id IN (SELECT id FROM snapshots WHERE mode <> 'snapshot')
        """
    )


def downgrade() -> None:
    op.drop_table("multi_keys")

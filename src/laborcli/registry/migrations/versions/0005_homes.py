"""The village that keeps a person listed in several (归属村), and the key that signs the
row tokens of review workbooks.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "homes",
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("township", sa.Text(), nullable=False),
        sa.Column("village", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("person_key"),
    )
    # A copy of migrate.REVIEW_SECRET: a migration stays what it was when written.
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.delete().where(meta.c.key == "review_secret"))
    op.bulk_insert(meta, [{"key": "review_secret", "value": secrets.token_hex(32)}])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM meta WHERE key = 'review_secret'"))
    op.drop_table("homes")

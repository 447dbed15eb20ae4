"""Training rosters (培训花名册): files read, records, and reviewed links of records
without a valid ID.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_imported", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("records_added", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("tool_version", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "training_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_key", sa.String(length=32), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("own_key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("id_raw", sa.Text(), nullable=True),
        sa.Column("id_number", sa.Text(), nullable=True),
        sa.Column("id_valid", sa.Boolean(), nullable=False),
        sa.Column("township", sa.Text(), nullable=False),
        sa.Column("village", sa.Text(), nullable=False),
        sa.Column("course_type", sa.Text(), nullable=False),
        sa.Column("trade", sa.Text(), nullable=True),
        sa.Column("institution", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("certificate", sa.Boolean(), nullable=True),
        sa.Column("order_employer", sa.Text(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["training_imports.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_key"),
    )
    op.create_index("ix_training_records_end", "training_records", ["end_date"])
    op.create_index("ix_training_records_own", "training_records", ["own_key"])
    op.create_table(
        "training_links",
        sa.Column("own_key", sa.String(length=64), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("own_key", "person_key"),
    )


def downgrade() -> None:
    op.drop_table("training_links")
    op.drop_index("ix_training_records_own", table_name="training_records")
    op.drop_index("ix_training_records_end", table_name="training_records")
    op.drop_table("training_records")
    op.drop_table("training_imports")

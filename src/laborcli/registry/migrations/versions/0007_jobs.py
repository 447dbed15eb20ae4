"""Employer demand (用工需求数据库), the proposals delivered and the answers brought back.

Revision ID: 0007
Revises: 0006 (written on 0005; chained after the leaders lane's 0006 when main was merged)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demand_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_imported", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "demands",
        sa.Column("demand_id", sa.String(length=24), nullable=False),
        sa.Column("company", sa.Text(), nullable=False),
        sa.Column("company_key", sa.Text(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("job", sa.Text(), nullable=False),
        sa.Column("job_key", sa.Text(), nullable=False),
        sa.Column("trade", sa.Text(), nullable=True),
        sa.Column("openings", sa.Integer(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("wage_min", sa.Float(), nullable=True),
        sa.Column("wage_max", sa.Float(), nullable=True),
        sa.Column("age_min", sa.Integer(), nullable=True),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("gender", sa.Text(), nullable=True),
        sa.Column("education", sa.Text(), nullable=True),
        sa.Column("skills", sa.Text(), nullable=True),
        sa.Column("board", sa.Text(), nullable=True),
        sa.Column("registered", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sheet", sa.Text(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["demand_files.id"]),
        sa.PrimaryKeyConstraint("demand_id"),
    )
    op.create_index("ix_demands_company", "demands", ["company_key", "job_key"])
    op.create_table(
        "proposals",
        sa.Column("proposal_id", sa.String(length=24), nullable=False),
        sa.Column("demand_id", sa.String(length=24), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("first_as_of", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("proposal_id"),
    )
    op.create_index("ix_proposals_demand", "proposals", ["demand_id"])
    op.create_table(
        "answers",
        sa.Column("proposal_id", sa.String(length=24), nullable=False),
        sa.Column("demand_id", sa.String(length=24), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("proposal_id"),
    )
    op.create_index("ix_answers_demand", "answers", ["demand_id"])


def downgrade() -> None:
    op.drop_index("ix_answers_demand", table_name="answers")
    op.drop_table("answers")
    op.drop_index("ix_proposals_demand", table_name="proposals")
    op.drop_table("proposals")
    op.drop_index("ix_demands_company", table_name="demands")
    op.drop_table("demands")
    op.drop_table("demand_files")

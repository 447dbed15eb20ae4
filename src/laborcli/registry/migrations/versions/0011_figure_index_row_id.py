"""PostgreSQL's figure index carries the row id (INCLUDE), as SQLite's carries the rowid.

The winners' condition (``rows.id IN winners``) reads the id: without it in the index,
PostgreSQL could not answer the figures from the index alone and read the current sheets'
rows by a sequential scan of every month kept. SQLite's index is left as it is.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# A copy, not an import of tables.FIGURE_INDEX: a migration stays what it was when written.
FIGURE_INDEX = (
    "snapshot_id, household_id, grp, person_key, status_in_lf, capacity_excluded, birth_eff, "
    "gender_eff, transferred, outside, organised, poor, job_start, id_valid"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_rows_figures")
    op.execute(f"CREATE INDEX ix_rows_figures ON rows ({FIGURE_INDEX}) INCLUDE (id)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_rows_figures")
    op.execute(f"CREATE INDEX ix_rows_figures ON rows ({FIGURE_INDEX})")

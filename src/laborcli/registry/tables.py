"""The registry's tables (SQLAlchemy Core). Schema changes go through Alembic migrations."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("rows_imported", sa.Integer, nullable=False),
    sa.Column("rows_rejected", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("tool_version", sa.String(32), nullable=False),
    sa.UniqueConstraint("sha256", "as_of", "mode", name="uq_imports_content"),
)

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("township", sa.Text, nullable=False),
    sa.Column("village", sa.Text, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Index("ix_snapshots_place", "township", "village", "as_of"),
    sa.Index("ix_snapshots_import", "import_id"),
)

_person_fields: list[sa.Column[object]] = [
    sa.Column("township", sa.Text, nullable=False),
    sa.Column("village", sa.Text, nullable=False),
    sa.Column("grp", sa.Text),
    sa.Column("household_id", sa.Text),
    sa.Column("relation", sa.Text),
    sa.Column("household_size", sa.Integer),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("id_raw", sa.Text),
    sa.Column("id_number", sa.Text),
    sa.Column("id_valid", sa.Boolean, nullable=False),
    sa.Column("gender", sa.Text),
    sa.Column("birth_date", sa.Date),
    sa.Column("ethnicity", sa.Text),
    sa.Column("education", sa.Text),
    sa.Column("phone", sa.Text),
    sa.Column("poor_household", sa.Boolean),
    sa.Column("relocated", sa.Boolean),
    sa.Column("monitored", sa.Boolean),
    sa.Column("labour_capacity", sa.Text),
    sa.Column("skills", sa.Text),
    sa.Column("training_wish", sa.Text),
    sa.Column("job_intention", sa.Text),
    sa.Column("employment_status", sa.Text, nullable=False),
    sa.Column("work_place", sa.Text),
    sa.Column("employer", sa.Text),
    sa.Column("job_start", sa.Date),
    sa.Column("monthly_income", sa.Float),
    sa.Column("organised", sa.Boolean),
    sa.Column("organiser", sa.Text),
    sa.Column("remarks", sa.Text),
    # derived at import, so that figures are plain SQL
    sa.Column("person_key", sa.String(64), nullable=False),
    sa.Column("birth_eff", sa.Date),
    sa.Column("gender_eff", sa.Text),
    sa.Column("transferred", sa.Boolean, nullable=False),
    sa.Column("outside", sa.Boolean, nullable=False),
    sa.Column("status_in_lf", sa.Boolean, nullable=False),
    sa.Column("capacity_excluded", sa.Boolean, nullable=False),
    sa.Column("poor", sa.Boolean, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False, default=0),
]

FIGURE_INDEX = (
    "snapshot_id",
    "household_id",
    "grp",
    "person_key",
    "status_in_lf",
    "capacity_excluded",
    "birth_eff",
    "gender_eff",
    "transferred",
    "outside",
    "organised",
    "poor",
    "job_start",
    "id_valid",
)

rows = sa.Table(
    "rows",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("sheet", sa.Text, nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    *_person_fields,
    # The figures read the current rows from this index alone, grouped by household in its
    # order; it also finds a snapshot's rows (its first column). SQLite's indexes carry the
    # rowid; PostgreSQL's is written below with INCLUDE (id), which the winners' condition
    # reads: without it the planner read every month's rows by a sequential scan.
    sa.Index("ix_rows_figures", *FIGURE_INDEX).ddl_if(dialect="sqlite"),
    # A person's history, and who is listed more than once, without reading a row; with
    # 月收入, a person's labour income over the months (tenure/income.py) too.
    sa.Index("ix_rows_person", "person_key", "as_of", "transferred", "snapshot_id", "monthly_income"),
    # An ID that failed its checks, for history by ID (a verified ID is its person key).
    # Only those rows are indexed: every index costs each imported row a B-tree insertion,
    # and a household's rows are found through ix_rows_figures (snapshot, household).
    # PostgreSQL's condition is written in its own DDL below: a postgresql_ option here
    # would load the PostgreSQL dialect for every command on a SQLite registry.
    sa.Index("ix_rows_unverified_id", "id_number", sqlite_where=sa.text("id_valid = 0")).ddl_if(
        dialect="sqlite"
    ),
)
sa.event.listen(
    rows,
    "after_create",
    sa.DDL(  # type: ignore[no-untyped-call]  # SQLAlchemy leaves DDL's constructor untyped
        "CREATE INDEX ix_rows_unverified_id ON rows (id_number) WHERE NOT id_valid"
    ).execute_if(dialect="postgresql"),
)
sa.event.listen(
    rows,
    "after_create",
    sa.DDL(  # type: ignore[no-untyped-call]
        f"CREATE INDEX ix_rows_figures ON rows ({', '.join(FIGURE_INDEX)}) INCLUDE (id)"
    ).execute_if(dialect="postgresql"),
)

problems = sa.Table(
    "problems",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
    sa.Column("sheet", sa.Text, nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    sa.Column("column_name", sa.Text),
    sa.Column("severity", sa.String(8), nullable=False),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("value", sa.Text),
    sa.Column("message", sa.Text, nullable=False),
    sa.Index("ix_problems_import", "import_id"),
)

targets = sa.Table(
    "targets",
    metadata,
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("township", sa.Text, primary_key=True),
    sa.Column("village", sa.Text, primary_key=True),
    sa.Column("target", sa.Integer, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("key_a", sa.String(64), primary_key=True),
    sa.Column("key_b", sa.String(64), primary_key=True),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("decided_at", sa.DateTime, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)

links = sa.Table(
    "links",
    metadata,
    sa.Column("person_key", sa.String(64), primary_key=True),
    sa.Column("canonical", sa.String(64), nullable=False),
)

# Which village keeps a person listed in several (归属村, chosen in the review workbook), by
# each person key of the person: a row counts where its own key's home says, before the
# current-state rule (roster/state.py); keys stay when row ids change monthly.
homes = sa.Table(
    "homes",
    metadata,
    sa.Column("person_key", sa.String(64), primary_key=True),
    sa.Column("township", sa.Text, nullable=False),
    sa.Column("village", sa.Text, nullable=False),
    sa.Column("decided_at", sa.DateTime, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)

# Person keys that may have two rows describing them on one date: listed in two villages
# (at any time), twice in one sheet, or in an update sheet. Kept by the import, so that the
# current state finds the persons to rank among their rows without scanning every month
# kept (roster/state.py). A superset does no harm: a key with one current row ranks it
# first. A purge removes its keys (a verified key holds the ID).
multi_keys = sa.Table(
    "multi_keys",
    metadata,
    sa.Column("person_key", sa.String(64), primary_key=True),
)

purges = sa.Table(
    "purges",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_key_hash", sa.String(64), nullable=False),
    sa.Column("rows_removed", sa.Integer, nullable=False),
    sa.Column("purged_at", sa.DateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

# --- leaders' registry and the payment ledger (docs/programmes.md; migration 0006) -------

# Each imported leaders sheet; the latest is the registry (a leader it does not list is no
# longer registered). Its sha256 makes importing the same file again "unchanged".
leader_files = sa.Table(
    "leader_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
)

leaders = sa.Table(
    "leaders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_id", sa.Integer, sa.ForeignKey("leader_files.id", ondelete="CASCADE"), nullable=False),
    sa.Column("sheet", sa.Text, nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    # The name after the village sheet's normalisation (NFKC, spaces removed): what a
    # 输出组织者 is matched on.
    sa.Column("name_key", sa.Text, nullable=False),
    sa.Column("kind", sa.Text),
    sa.Column("id_number", sa.Text),
    sa.Column("id_valid", sa.Boolean, nullable=False),
    sa.Column("phone", sa.Text),
    sa.Column("township", sa.Text),
    sa.Column("village", sa.Text),
    sa.Column("remarks", sa.Text),
    sa.Index("ix_leaders_file", "file_id", "name_key"),
)

# Every line ever exported to finance, as exported: what `subsidy record` checks a
# returned workbook against (an unknown 编号, a changed amount, 已发放 on a held line).
subsidy_lines = sa.Table(
    "subsidy_lines",
    metadata,
    sa.Column("line_id", sa.String(40), primary_key=True),
    sa.Column("rule", sa.String(40), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("payee", sa.Text, nullable=False),
    sa.Column("amount", sa.Integer, nullable=False),
    sa.Column("held", sa.Boolean, nullable=False),
    sa.Column("person_name", sa.Text),
    sa.Column("id_number", sa.Text),
    sa.Column("household_id", sa.Text),
    sa.Column("township", sa.Text),
    sa.Column("village", sa.Text),
    sa.Column("explanation", sa.Text, nullable=False),
    sa.Column("exported_at", sa.DateTime, nullable=False),
)

# Each returned workbook recorded: file name, sha256 and time.
ledger_recordings = sa.Table(
    "ledger_recordings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("recorded", sa.Integer, nullable=False),
)

# A recorded line: paid (with its date) or refused (with its reason). The primary key is
# what keeps two concurrent recordings from both recording one line.
ledger = sa.Table(
    "ledger",
    metadata,
    sa.Column("line_id", sa.String(40), primary_key=True),
    sa.Column("rule", sa.String(40), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("amount", sa.Integer, nullable=False),
    sa.Column("paid_on", sa.Date),
    sa.Column("reason", sa.Text),
    sa.Column("payee", sa.Text, nullable=False),
    sa.Column("person_name", sa.Text),
    sa.Column("id_number", sa.Text),
    sa.Column("recording_id", sa.Integer, sa.ForeignKey("ledger_recordings.id"), nullable=False),
)

# Corrections (`subsidy reopen`): the line's recorded state before, and why.
ledger_reopens = sa.Table(
    "ledger_reopens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("line_id", sa.String(40), nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("amount", sa.Integer, nullable=False),
    sa.Column("paid_on", sa.Date),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("reopened_at", sa.DateTime, nullable=False),
)

# --- jobs (issue 21): employer demand, proposals and the answers brought back.
# One demand file imported (its content's hash: the same file again is "unchanged").
demand_files = sa.Table(
    "demand_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("rows_imported", sa.Integer, nullable=False),
    sa.Column("rows_rejected", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
)

# One demand (a company's job): the latest row that names it (docs/programmes.md: a newer
# row replaces openings, wage and dates). ``company_key``/``job_key`` are the normalised names.
demands = sa.Table(
    "demands",
    metadata,
    sa.Column("demand_id", sa.String(24), primary_key=True),
    sa.Column("company", sa.Text, nullable=False),
    sa.Column("company_key", sa.Text, nullable=False),
    sa.Column("credit_code", sa.String(18)),
    sa.Column("contact", sa.Text),
    sa.Column("phone", sa.Text),
    sa.Column("job", sa.Text, nullable=False),
    sa.Column("job_key", sa.Text, nullable=False),
    sa.Column("trade", sa.Text),
    sa.Column("openings", sa.Integer, nullable=False),
    sa.Column("place", sa.Text, nullable=False),
    sa.Column("region", sa.Text),
    sa.Column("wage_min", sa.Float),
    sa.Column("wage_max", sa.Float),
    sa.Column("age_min", sa.Integer),
    sa.Column("age_max", sa.Integer),
    sa.Column("gender", sa.Text),
    sa.Column("education", sa.Text),
    sa.Column("skills", sa.Text),
    sa.Column("board", sa.Text),
    sa.Column("registered", sa.Date, nullable=False),
    sa.Column("until", sa.Date),
    sa.Column("remarks", sa.Text),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("sheet", sa.Text, nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    sa.Column("file_id", sa.Integer, sa.ForeignKey("demand_files.id"), nullable=False),
    sa.Index("ix_demands_company", "company_key", "job_key"),
)

# A proposal delivered (exported to a 送岗到户 list): the demand, the person, the as-of
# date of the first list that carried it (a later sheet naming the company is a placement).
proposals = sa.Table(
    "proposals",
    metadata,
    sa.Column("proposal_id", sa.String(24), primary_key=True),
    sa.Column("demand_id", sa.String(24), nullable=False),
    sa.Column("person_key", sa.String(64), nullable=False),
    sa.Column("first_as_of", sa.Date, nullable=False),
    sa.Index("ix_proposals_demand", "demand_id"),
)

# The answer brought back for a proposal: 愿意, 不愿意 (never proposed again), 已上岗 (a placement).
answers = sa.Table(
    "answers",
    metadata,
    sa.Column("proposal_id", sa.String(24), primary_key=True),
    sa.Column("demand_id", sa.String(24), nullable=False),
    sa.Column("person_key", sa.String(64), nullable=False),
    sa.Column("answer", sa.String(8), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Index("ix_answers_demand", "demand_id"),
)

# Training rosters (培训花名册, docs/programmes.md "Training"): each file read, and each
# record once (``record_key``: person, 培训类别, 培训机构 and both dates), whichever file
# last listed it.
training_imports = sa.Table(
    "training_imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("rows_imported", sa.Integer, nullable=False),
    sa.Column("rows_rejected", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Column("records_added", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("tool_version", sa.String(32), nullable=False),
)

training_records = sa.Table(
    "training_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_key", sa.String(32), nullable=False, unique=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("training_imports.id"), nullable=False),
    sa.Column("sheet", sa.Text, nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    sa.Column("own_key", sa.String(64), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("id_raw", sa.Text),
    sa.Column("id_number", sa.Text),
    sa.Column("id_valid", sa.Boolean, nullable=False),
    sa.Column("township", sa.Text, nullable=False),
    sa.Column("village", sa.Text, nullable=False),
    sa.Column("course_type", sa.Text, nullable=False),
    sa.Column("trade", sa.Text),
    sa.Column("institution", sa.Text),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date, nullable=False),
    sa.Column("certificate", sa.Boolean),
    sa.Column("order_employer", sa.Text),
    sa.Column("birth_date", sa.Date),
    sa.Column("phone", sa.Text),
    sa.Index("ix_training_records_end", "end_date"),
    sa.Index("ix_training_records_own", "own_key"),
)

# A reviewer's decision on a record without a valid ID (the record's own key): the person
# it is (``same``) or is not (``different``), remembered across runs.
training_links = sa.Table(
    "training_links",
    metadata,
    sa.Column("own_key", sa.String(64), primary_key=True),
    sa.Column("person_key", sa.String(64), primary_key=True),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("decided_at", sa.DateTime, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)

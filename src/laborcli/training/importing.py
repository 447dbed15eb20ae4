"""`laborcli training import`: training rosters (培训花名册) into the registry.

Rosters are read and checked by the shared sheet machinery (schemas/training_sheet.toml
and training/rules.py): rows with errors are rejected and listed, the other rows kept, as
for village sheets. Each record is stored once by its identity (person, 培训类别, 培训机构
and both dates): a roster imported again, or a cumulative roster repeating the records of
earlier ones, adds no person-times; a repeated record takes the newer roster's other
fields (a certificate obtained since). A file whose bytes were imported before is
``unchanged`` and not read again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli import __version__
from laborcli.registry.engine import Registry
from laborcli.registry.tables import training_imports, training_records
from laborcli.sheets.checking import FileReport, RunReport, Settings, check_file
from laborcli.sheets.reading import Skipped

# Stored fields of a record, as the rule set derives them (column key -> table column).
_FIELDS = {
    "record_key": "record_key",
    "sheet": "sheet",
    "row_number": "row_number",
    "own_key": "own_key",
    "name": "name",
    "id_raw": "id_raw",
    "id_number": "id_number",
    "id_valid": "id_valid",
    "township": "township",
    "village": "village",
    "course_type": "course_type",
    "trade": "trade",
    "institution": "institution",
    "start_date": "start_date",
    "end_date": "end_date",
    "certificate": "certificate",
    "order_employer": "order_employer",
    "birth_eff": "birth_date",
    "phone": "phone",
}
# What a newer roster may change on a record it repeats (the identity fields cannot).
_UPDATABLE = ("sheet", "row_number", "name", "trade", "certificate", "order_employer", "phone", "import_id")


@dataclass(slots=True)
class TrainingRun:
    """The files of one `training import`, in import's JSON shape, with per file the
    records it added to the registry and those it repeated."""

    run: RunReport
    added: dict[str, int] = field(default_factory=dict)
    repeated: dict[str, int] = field(default_factory=dict)

    def as_json(self, show_pii: bool = False) -> dict[str, Any]:
        """docs/json.md#import-validate, plus ``records_added`` and ``records_repeated``."""
        doc = self.run.as_json(show_pii)
        for f, rep in zip(doc["files"], self.run.files, strict=True):
            f["records_added"] = self.added.get(rep.path, 0)
            f["records_repeated"] = self.repeated.get(rep.path, 0)
        doc["totals"]["records_added"] = sum(self.added.values())
        return doc

    @property
    def has_problems(self) -> bool:
        """Any file or row rejected: exit code 1."""
        return self.run.has_problems


def _records(rep: FileReport) -> list[dict[str, Any]]:
    """The accepted rows of a checked file as stored records (one per record identity:
    a row repeating an earlier row of the file is its duplicate)."""
    out: dict[str, dict[str, Any]] = {}
    for res in rep.sheets:
        cols = res.columns or {}
        res.columns = None
        n = len(cols.get("record_key", []))
        for i in range(n):
            rec = {col: cols[key][i] for key, col in _FIELDS.items()}
            out.setdefault(rec["record_key"], rec)
    return list(out.values())


def _known(conn: Connection, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        q = sa.select(training_records.c.record_key).where(
            training_records.c.record_key.in_(keys[i : i + 500])
        )
        found |= {r[0] for r in conn.execute(q)}
    return found


def store_file(conn: Connection, rep: FileReport, records: list[dict[str, Any]]) -> tuple[int, int]:
    """Record one checked file and its records in the caller's transaction; returns
    (records added, records repeated)."""
    import_id = conn.execute(
        training_imports.insert().values(
            path=rep.path,
            file_name=Path(rep.path).name,
            sha256=rep.sha256,
            rows_read=rep.rows_read,
            rows_imported=rep.rows_imported,
            rows_rejected=rep.rows_rejected,
            warnings=rep.warnings,
            records_added=0,
            imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            tool_version=__version__,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    known = _known(conn, [r["record_key"] for r in records])
    fresh = [{**r, "import_id": import_id} for r in records if r["record_key"] not in known]
    if fresh:
        conn.execute(training_records.insert(), fresh)
    again = [
        {"k": r["record_key"], **{f"v_{c}": (import_id if c == "import_id" else r[c]) for c in _UPDATABLE}}
        for r in records
        if r["record_key"] in known
    ]
    if again:  # one statement, many parameter sets: a cumulative roster repeats thousands
        t = training_records
        conn.execute(
            t.update()
            .where(t.c.record_key == sa.bindparam("k"))
            .values({c: sa.bindparam(f"v_{c}") for c in _UPDATABLE}),
            again,
        )
    conn.execute(
        training_imports.update().where(training_imports.c.id == import_id).values(records_added=len(fresh))
    )
    return len(fresh), len(records) - len(fresh)


def _earlier(conn: Connection, sha256: str) -> tuple[int, int, int, int] | None:
    r = conn.execute(
        sa.select(
            training_imports.c.rows_read,
            training_imports.c.rows_imported,
            training_imports.c.rows_rejected,
            training_imports.c.warnings,
        ).where(training_imports.c.sha256 == sha256)
    ).first()
    return None if r is None else (r[0], r[1], r[2], r[3])


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader says why, as a problem of the file


def import_training(
    reg: Registry,
    paths: Sequence[Path],
    settings: Settings,
    *,
    dry_run: bool = False,
    skipped: Sequence[Skipped] = (),
    on_file: Callable[[FileReport], None] | None = None,
) -> TrainingRun:
    """Check and store each roster, one transaction per file."""
    out = TrainingRun(RunReport(skipped=list(skipped)))
    for path in paths:
        digest = _digest(path)
        prior = None
        if digest is not None and not dry_run:
            with reg.reading() as conn:
                prior = _earlier(conn, digest)
        if prior is not None and digest is not None:
            rep = FileReport(path=str(path), sha256=digest, status="unchanged")
            rep.rows_read, rep.rows_imported, rep.rows_rejected, rep.warnings = prior
        else:
            rep = check_file(path, settings, for_store=True)
            records = _records(rep)
            if rep.status != "rejected":
                rep.status = "checked" if dry_run else "imported"
            if rep.status == "imported":
                with reg.writing() as conn:
                    if _earlier(conn, rep.sha256) is not None:  # imported meanwhile
                        rep.status = "unchanged"
                    else:
                        out.added[rep.path], out.repeated[rep.path] = store_file(conn, rep, records)
        out.run.files.append(rep)
        if on_file is not None:
            on_file(rep)
    return out

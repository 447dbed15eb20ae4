"""Employer demand (用工需求数据库): demand sheets imported, and the openings listed with
their placements and fill rates (docs/programmes.md, "Employer demand").

A demand file is whole or not at all, as a village sheet is: its rows in error are
rejected and listed, the others imported in one transaction; the same content again is
``unchanged``. A row is the same demand as a stored one when 企业名称 (or, when both give
one, 统一社会信用代码) and 岗位名称 are equal after normalisation; the row with the later
登记日期 (on a tie, the one imported later) replaces openings, wage, dates and the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.jobs.names import normalise
from laborcli.registry.engine import Registry
from laborcli.registry.tables import demand_files, demands
from laborcli.sheets.checking import FileReport, RunReport, Settings, check_file
from laborcli.sheets.reading import Skipped
from laborcli.sheets.schema import SheetSchema, load_schema

# The stored columns read from the sheet, by column key.
_FIELDS = (
    "company",
    "credit_code",
    "contact",
    "phone",
    "job",
    "trade",
    "openings",
    "place",
    "region",
    "wage_min",
    "wage_max",
    "age_min",
    "age_max",
    "gender",
    "education",
    "skills",
    "board",
    "registered",
    "until",
    "remarks",
)


def demand_schema(path: Path | None = None) -> SheetSchema:
    """The demand sheet kind: a county's own copy, else the shipped one."""
    return load_schema(path, kind="demand")


def demand_id(company_key: str, credit_code: str | None, job_key: str) -> str:
    """A demand's stable id: from its credit code (else its company's name) and its job,
    hashed, so that it carries no phone and reads the same on every machine."""
    basis = f"{credit_code or company_key}\x1f{job_key}"
    return "D" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:11]


def import_demands(
    reg: Registry,
    paths: list[Path],
    schema: SheetSchema | None = None,
    *,
    dry_run: bool = False,
    skipped: list[Skipped] | None = None,
    now: Callable[[], dt.datetime] = dt.datetime.now,
) -> RunReport:
    """`laborcli demand import`: each file checked and its good rows stored, each file in
    one transaction (a file already imported is ``unchanged``)."""
    run = RunReport(skipped=list(skipped or []))
    settings = Settings(schema=schema or demand_schema())
    for path in paths:
        rep = check_file(path, settings, for_store=True)
        run.files.append(rep)
        rows = _accepted(rep)
        if rep.status == "rejected":
            continue
        if dry_run:
            rep.status = "checked"
            continue
        with reg.writing() as conn:
            seen = conn.execute(
                sa.select(demand_files.c.id).where(demand_files.c.sha256 == rep.sha256)
            ).first()
            if seen is not None:
                rep.status = "unchanged"
                continue
            inserted = conn.execute(
                demand_files.insert().values(
                    file_name=path.name,
                    sha256=rep.sha256,
                    imported_at=now(),
                    rows_read=rep.rows_read,
                    rows_imported=rep.rows_imported,
                    rows_rejected=rep.rows_rejected,
                    warnings=rep.warnings,
                )
            ).inserted_primary_key
            assert inserted is not None
            _store(conn, rows, path.name, int(inserted[0]))
            rep.status = "imported"
    return run


def _accepted(rep: FileReport) -> list[dict[str, Any]]:
    """The accepted rows of every demand table of the file, as records."""
    out: list[dict[str, Any]] = []
    for res in rep.sheets:
        cols = res.columns or {}
        res.columns = None
        n = len(cols.get("row_number", []))
        for i in range(n):
            out.append({k: cols[k][i] for k in ("sheet", "row_number", *_FIELDS) if k in cols})
    return out


def _store(conn: Connection, rows: list[dict[str, Any]], source: str, file_id: int) -> None:
    """Insert new demands, replace the ones a newer row names."""
    stored = {
        r.demand_id: dict(r._mapping)
        for r in conn.execute(
            sa.select(
                demands.c.demand_id,
                demands.c.company_key,
                demands.c.credit_code,
                demands.c.job_key,
                demands.c.registered,
            )
        )
    }
    by_name = {(d["company_key"], d["job_key"]): i for i, d in stored.items()}
    by_code = {(d["credit_code"], d["job_key"]): i for i, d in stored.items() if d["credit_code"]}
    for r in rows:
        ck, jk = normalise(r["company"]), normalise(r["job"])
        code = r.get("credit_code") or None
        found = by_code.get((code, jk)) if code else None
        if found is None:
            hit = by_name.get((ck, jk))
            # A stored demand of another credit code is another company of that name.
            if hit is not None and not (code and stored[hit]["credit_code"] not in (None, code)):
                found = hit
        values = {k: r.get(k) for k in _FIELDS}
        values.update(
            company_key=ck,
            job_key=jk,
            credit_code=code,
            source=source,
            sheet=r["sheet"],
            row_number=r["row_number"],
            file_id=file_id,
        )
        if found is None:
            new_id = demand_id(ck, code, jk)
            while new_id in stored:  # the same name under two credit codes
                new_id = "D" + hashlib.sha256(new_id.encode()).hexdigest()[:11]
            conn.execute(demands.insert().values(demand_id=new_id, **values))
            stored[new_id] = {
                "company_key": ck,
                "credit_code": code,
                "job_key": jk,
                "registered": r["registered"],
            }
            by_name.setdefault((ck, jk), new_id)
            if code:
                by_code[(code, jk)] = new_id
            continue
        if r["registered"] < stored[found]["registered"]:
            continue  # an older row than the one stored: the stored one stays
        if stored[found]["credit_code"] and not code:
            values["credit_code"] = stored[found]["credit_code"]
        conn.execute(demands.update().where(demands.c.demand_id == found).values(**values))
        stored[found]["registered"] = r["registered"]
        if code:
            stored[found]["credit_code"] = code
            by_code[(code, jk)] = found


@dataclass(slots=True)
class DemandRow:
    """One demand as listed."""

    demand_id: str
    company: str
    job: str
    place: str
    region: str | None
    openings: int
    placed: int
    placed_from_sheet: int
    registered: dt.date
    until: dt.date | None
    source: str
    sheet: str
    row: int
    gender: str | None = None
    wage_min: float | None = None
    wage_max: float | None = None
    contact: str | None = None
    phone: str | None = None
    board: str | None = None

    @property
    def wage(self) -> str:
        """The wage as the sheet gave it: 4500, 4000-6000, 4000以上, or empty."""
        lo, hi = self.wage_min, self.wage_max
        if lo is None and hi is None:
            return ""
        if lo is not None and hi is not None:
            return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"
        return f"{lo:g}以上" if lo is not None else f"{hi:g}以下"

    @property
    def fill_rate(self) -> float:
        """Placements / 需求人数."""
        return self.placed / self.openings

    def is_open(self, d: dt.date) -> bool:
        """登记日期 ≤ D ≤ 有效期至 (none: open) and not yet filled."""
        return (
            self.registered <= d and (self.until is None or d <= self.until) and self.placed < self.openings
        )


@dataclass(slots=True)
class DemandList:
    """`laborcli demand`: every demand (or the open ones) at D, per company and county."""

    as_of: dt.date
    rows: list[DemandRow] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of docs/json.md#demand."""
        return {
            "as_of": self.as_of.isoformat(),
            "rows": [
                {
                    "demand_id": r.demand_id,
                    "company": r.company,
                    "job": r.job,
                    "place": r.place,
                    "region": r.region,
                    "openings": r.openings,
                    "placed": r.placed,
                    "placed_from_sheet": r.placed_from_sheet,
                    "fill_rate": round(r.fill_rate, 4),
                    "open": r.is_open(self.as_of),
                    "registered": r.registered.isoformat(),
                    "until": r.until.isoformat() if r.until else None,
                    "source": r.source,
                    "sheet": r.sheet,
                    "row": r.row,
                }
                for r in self.rows
            ],
            "companies": self.companies(),
            "total": _sums(self.rows),
        }

    def companies(self) -> list[dict[str, Any]]:
        """Openings, placements and fill rate per company."""
        by: dict[str, list[DemandRow]] = {}
        for r in self.rows:
            by.setdefault(r.company, []).append(r)
        return [{"company": c, **_sums(rs)} for c, rs in by.items()]


def _sums(rows: list[DemandRow]) -> dict[str, Any]:
    openings = sum(r.openings for r in rows)
    placed = sum(r.placed for r in rows)
    return {
        "demands": len(rows),
        "openings": openings,
        "placed": placed,
        "fill_rate": round(placed / openings, 4) if openings else None,
    }


def stored_demands(conn: Connection) -> list[dict[str, Any]]:
    """Every stored demand, in a stable order (登记日期, then id)."""
    q = sa.select(demands).order_by(demands.c.registered, demands.c.demand_id)
    return [dict(r._mapping) for r in conn.execute(q)]

"""The leaders' registry (带头能人数据库, docs/programmes.md "Leaders and organisers"): the
leaders sheet kind imported, and the one rule that matches a village row's 输出组织者 to a
leader (``organiser_key``).

The sheet is read by the shared sheet machinery (schemas/leaders_sheet.toml): title rows,
aliases, problems with a place and a fix. Rows with errors are rejected, the others kept;
the kept rows replace the registry (each sheet is the complete registry as of its import).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.registry.engine import Registry
from laborcli.registry.tables import leader_files, leaders
from laborcli.sheets.cells import fold
from laborcli.sheets.checking import FileReport, RunReport, Settings, check_file
from laborcli.sheets.idcard import check_id
from laborcli.sheets.problems import ProblemCode
from laborcli.sheets.schema import SheetSchema, load_schema

# Kinds that are bodies, not persons: paid without an ID (docs/programmes.md).
BODY_KINDS = frozenset({"劳务公司", "合作社", "人力资源公司"})


def organiser_key(name: str | None) -> str:
    """The form a 输出组织者 and a leader's name are compared in: the village sheet's text
    normalisation (NFKC, every space removed). Empty when no one is named."""
    return fold(name) if name else ""


def leaders_schema(path: Path | None = None) -> SheetSchema:
    """The leaders sheet kind: a county's own copy, else the shipped one."""
    return load_schema(path, kind="leaders")


@dataclass(frozen=True, slots=True)
class Leader:
    """One registered leader."""

    name: str
    key: str
    kind: str | None
    id_number: str | None
    id_valid: bool
    township: str | None
    village: str | None

    @property
    def needs_id(self) -> bool:
        """A person (带头能人, 劳务经纪人, or a kind not given) is paid only with a valid ID."""
        return self.kind not in BODY_KINDS


def registered(conn: Connection) -> dict[str, Leader]:
    """The leaders of the latest imported sheet, by ``organiser_key`` (the first row of a
    name listed twice)."""
    latest = sa.select(sa.func.max(leader_files.c.id)).scalar_subquery()
    q = sa.select(leaders).where(leaders.c.file_id == latest).order_by(leaders.c.id)
    out: dict[str, Leader] = {}
    for r in conn.execute(q):
        out.setdefault(
            r.name_key,
            Leader(r.name, r.name_key, r.kind, r.id_number, bool(r.id_valid), r.township, r.village),
        )
    return out


def import_leaders(
    reg: Registry, paths: list[Path], schema: SheetSchema | None = None, *, dry_run: bool = False
) -> RunReport:
    """`laborcli leaders import`: each file checked; the last file with rows kept becomes
    the registry. A file whose exact content is the registry now is ``unchanged``."""
    sch = schema or leaders_schema()
    run = RunReport()
    for path in paths:
        rep = check_file(path, Settings(schema=sch), keep_book=True, for_store=True)
        records = _records(rep)
        if rep.status != "rejected" and not dry_run:
            with reg.writing() as conn:
                _store(conn, rep, path, records)
        elif rep.status != "rejected":
            rep.status = "checked"
        run.files.append(rep)
    return run


def _records(rep: FileReport) -> list[dict[str, object]]:
    """The accepted rows in the stored form; a body's empty ID is no problem to report."""
    out: list[dict[str, object]] = []
    kinds: dict[tuple[str, int], str | None] = {}
    for res in rep.sheets:
        cols = res.columns or {}
        res.columns = None
        n = len(cols.get("row_number", []))
        for i in range(n):
            idv = cols["id_number"][i] if "id_number" in cols else None
            kind = cols["kind"][i] if "kind" in cols else None
            kinds[(cols["sheet"][i], cols["row_number"][i])] = kind
            out.append(
                {
                    "sheet": cols["sheet"][i],
                    "row_number": cols["row_number"][i],
                    "name": cols["name"][i],
                    "name_key": organiser_key(cols["name"][i]),
                    "kind": kind,
                    "id_number": idv,
                    "id_valid": isinstance(idv, str) and check_id(idv, dt.date.today()).valid,
                    "phone": cols["phone"][i] if "phone" in cols else None,
                    "township": cols.get("township", [None] * n)[i] or None,
                    "village": cols.get("village", [None] * n)[i] or None,
                    "remarks": cols.get("remarks", [None] * n)[i] or None,
                }
            )
    # A company has no ID: an empty ID is no warning on a body's row.
    rep.problems = [
        p
        for p in rep.problems
        if not (p.code == ProblemCode.ID_MISSING and kinds.get((p.sheet, p.row)) in BODY_KINDS)
    ]
    rep.warnings = sum(1 for p in rep.problems if p.severity == "warning")
    return out


def _store(conn: Connection, rep: FileReport, path: Path, records: list[dict[str, object]]) -> None:
    last = conn.execute(
        sa.select(leader_files.c.sha256).order_by(leader_files.c.id.desc()).limit(1)
    ).scalar_one_or_none()
    if last == rep.sha256:
        rep.status = "unchanged"
        return
    fid = conn.execute(
        leader_files.insert().values(
            file_name=path.name, sha256=rep.sha256, imported_at=dt.datetime.now(), rows=len(records)
        )
    ).inserted_primary_key[0]  # type: ignore[index]  # one row inserted
    if records:
        conn.execute(leaders.insert(), [{**r, "file_id": fid} for r in records])
    rep.status = "imported"
    rep.rows_imported = len(records)


__all__ = ["BODY_KINDS", "Leader", "import_leaders", "organiser_key", "registered"]

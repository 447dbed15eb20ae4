"""Writing imports into the registry and reading back what was imported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.problems import Problem
from laborcli.registry.tables import ROW_FIELDS, imports, problems, rows, snapshots

_BATCH = 5000


def find_import(conn: Connection, sha256: str, as_of: dt.date, mode: str) -> tuple[int, int, int, int] | None:
    """Counts of an earlier import of the same bytes for the same date and mode, if any."""
    r = conn.execute(
        sa.select(
            imports.c.rows_read, imports.c.rows_imported, imports.c.rows_rejected, imports.c.warnings
        ).where(imports.c.sha256 == sha256, imports.c.as_of == as_of, imports.c.mode == mode)
    ).first()
    return None if r is None else (r[0], r[1], r[2], r[3])


def write_import(
    conn: Connection,
    *,
    path: str,
    sha256: str,
    as_of: dt.date,
    mode: str,
    report_counts: tuple[int, int, int, int],
    groups: dict[tuple[str, str], list[dict[str, Any]]],
    problems: list[Problem],
    version: str,
) -> int:
    """Record one file: the import, a snapshot per village, its rows and problems."""
    read, imported, rejected, warnings = report_counts
    import_id = conn.execute(
        imports.insert().values(
            path=path,
            file_name=path.replace("\\", "/").rsplit("/", 1)[-1],
            sha256=sha256,
            as_of=as_of,
            mode=mode,
            rows_read=read,
            rows_imported=imported,
            rows_rejected=rejected,
            warnings=warnings,
            imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            tool_version=version,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    for (township, village), recs in sorted(groups.items()):
        snap_id = conn.execute(
            snapshots.insert().values(
                import_id=import_id,
                township=township,
                village=village,
                as_of=as_of,
                mode=mode,
                rows=len(recs),
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        bulk_insert_rows(conn, (_row_values(r, snap_id, import_id, as_of) for r in recs))
    if problems:
        conn.execute(
            problems_table_insert(),
            [
                {
                    "import_id": import_id,
                    "sheet": p.sheet,
                    "row_number": p.row,
                    "column_name": p.column,
                    "severity": p.severity,
                    "code": p.code,
                    "value": p.value,
                    "message": p.message,
                }
                for p in problems
            ],
        )
    return int(import_id)


_COLS = [c for c in rows.columns if c.name != "id"]
_DATE_COLS = {i for i, c in enumerate(_COLS) if isinstance(c.type, sa.Date)}
_BOOL_COLS = {i for i, c in enumerate(_COLS) if isinstance(c.type, sa.Boolean)}


def bulk_insert_rows(conn: Connection, values: Iterable[dict[str, Any]]) -> None:
    """Insert rows through the driver's fast path, inside the caller's transaction.

    SQLAlchemy's executemany processes every parameter of every row in Python, which cost
    more than reading the sheets; the driver takes plain tuples (SQLite) or a COPY stream
    (PostgreSQL) at a fraction of that. The values are the same ones the Core types would
    bind: ISO date strings and 0/1 on SQLite, native types on PostgreSQL.
    """
    names = [c.name for c in _COLS]
    dbapi = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        cur = dbapi.cursor()  # type: ignore[union-attr]
        with cur.copy(f"COPY rows ({', '.join(names)}) FROM STDIN") as copy:
            for v in values:
                copy.write_row([v.get(n) for n in names])
        return
    if conn.dialect.name != "sqlite":
        batch = list(values)
        for i in range(0, len(batch), _BATCH):
            conn.execute(rows.insert(), batch[i : i + _BATCH])
        return
    sql = f"INSERT INTO rows ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    cur = dbapi.cursor()  # type: ignore[union-attr]
    buf: list[tuple[Any, ...]] = []
    for v in values:
        t: list[Any] = [v.get(n) for n in names]
        for i in _DATE_COLS:
            if t[i] is not None:
                t[i] = t[i].isoformat()
        for i in _BOOL_COLS:
            if t[i] is not None:
                t[i] = 1 if t[i] else 0
        buf.append(tuple(t))
        if len(buf) >= _BATCH:
            cur.executemany(sql, buf)
            buf.clear()
    if buf:
        cur.executemany(sql, buf)


def problems_table_insert() -> sa.Insert:
    """The insert statement for problems (kept apart to keep write_import short)."""
    return problems.insert()


def _row_values(r: dict[str, Any], snap_id: int, import_id: int, as_of: dt.date) -> dict[str, Any]:
    v = {k: r.get(k) for k in ROW_FIELDS}
    v["grp"] = r.get("group")
    v["warnings"] = r.get("warnings") or 0
    v["snapshot_id"] = snap_id
    v["import_id"] = import_id
    v["as_of"] = as_of
    return v

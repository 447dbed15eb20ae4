"""Writing imports into the registry and reading back what was imported."""

from __future__ import annotations

import datetime as dt
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.problems import Problem
from laborcli.registry.tables import imports, problems, rows, snapshots

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
        bulk_insert_rows(conn, _row_tuples(recs, snap_id, import_id, as_of))
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
_NAMES = [c.name for c in _COLS]
_DATE_COLS = [i for i, c in enumerate(_COLS) if isinstance(c.type, sa.Date)]
_BOOL_COLS = [i for i, c in enumerate(_COLS) if isinstance(c.type, sa.Boolean)]
_FIXED = ("snapshot_id", "import_id", "as_of")
# Where each stored column comes from in a validated record (the sheet's 村民小组 is "group").
if tuple(_NAMES[:3]) != _FIXED:  # the tuples below put these first
    raise RuntimeError("rows table: snapshot_id, import_id, as_of must be its first columns")
_REC_KEYS = [{"grp": "group"}.get(n, n) for n in _NAMES if n not in _FIXED]
_FROM_REC = itemgetter(*_REC_KEYS)


def _row_tuples(
    recs: list[dict[str, Any]], snap_id: int, import_id: int, as_of: dt.date
) -> list[tuple[Any, ...]]:
    """Validated records as tuples in ``_NAMES`` order (C-level itemgetter, no dict per row)."""
    head = (snap_id, import_id, as_of)
    return [head + _FROM_REC(r) for r in recs]


def _for_sqlite(values: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Dates as ISO text and booleans as 0/1, column by column, as the Core types would bind."""
    if not values:
        return values
    cols = list(zip(*values, strict=True))
    for i in _DATE_COLS:
        cols[i] = tuple(None if d is None else d.isoformat() for d in cols[i])
    for i in _BOOL_COLS:
        cols[i] = tuple(None if b is None else int(bool(b)) for b in cols[i])
    return list(zip(*cols, strict=True))


def bulk_insert_rows(conn: Connection, values: list[tuple[Any, ...]]) -> None:
    """Insert rows (tuples in ``_NAMES`` order) through the driver's fast path, in the caller's transaction.

    SQLAlchemy's executemany processes every parameter of every row in Python, which cost
    more than reading the sheets; the driver takes plain tuples (SQLite) or a COPY stream
    (PostgreSQL) at a fraction of that.
    """
    names = ", ".join(_NAMES)
    dbapi = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        cur = dbapi.cursor()  # type: ignore[union-attr]
        with cur.copy(f"COPY rows ({names}) FROM STDIN") as copy:
            for v in values:
                copy.write_row(v)
        return
    if conn.dialect.name != "sqlite":
        for i in range(0, len(values), _BATCH):
            conn.execute(rows.insert(), [dict(zip(_NAMES, v, strict=True)) for v in values[i : i + _BATCH]])
        return
    sql = f"INSERT INTO rows ({names}) VALUES ({', '.join('?' * len(_NAMES))})"
    cur = dbapi.cursor()  # type: ignore[union-attr]
    cur.executemany(sql, _for_sqlite(values))


def problems_table_insert() -> sa.Insert:
    """The insert statement for problems (kept apart to keep write_import short)."""
    return problems.insert()


def registry_stamp(conn: Connection) -> tuple[object, ...]:
    """What changes whenever rows or identity decisions change: two equal stamps, one state."""
    from laborcli.registry.tables import decisions, links, purges

    return tuple(
        conn.execute(
            sa.select(
                sa.select(sa.func.max(imports.c.id)).scalar_subquery(),
                sa.select(sa.func.count()).select_from(imports).scalar_subquery(),
                sa.select(sa.func.count()).select_from(decisions).scalar_subquery(),
                sa.select(sa.func.max(decisions.c.decided_at)).scalar_subquery(),
                sa.select(sa.func.count()).select_from(links).scalar_subquery(),
                sa.select(sa.func.count()).select_from(purges).scalar_subquery(),
            )
        ).one()
    )

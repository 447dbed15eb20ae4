"""Writing imports into the registry and reading back what was imported."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.registry.tables import imports, multi_keys, problems, rows, snapshots
from laborcli.roster.rowform import BOOLS, DATES, STORED, Batch
from laborcli.roster.state import drop_temporary
from laborcli.sheets.problems import Problem

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
    batches: dict[tuple[str, str], Batch],
    problems: list[Problem],
    version: str,
    snapshots_written: list[int],
) -> int:
    """Record one file: the import, a snapshot per village, its rows and problems.

    The ids of its snapshots are added to ``snapshots_written``: the caller checks their
    keys against other villages' rows (``mark_elsewhere``) before it commits, for all the
    snapshots of its transaction at once.
    """
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
    day = as_of.isoformat()
    for (township, village), batch in sorted(batches.items()):
        snap_id = conn.execute(
            snapshots.insert().values(
                import_id=import_id,
                township=township,
                village=village,
                as_of=as_of,
                mode=mode,
                rows=len(batch),
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        bulk_insert_rows(conn, (snap_id, import_id, day), batch.columns)
        _mark_listed_twice(conn, mode, batch.columns[_KEY])
        snapshots_written.append(int(snap_id))
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
_DATES = frozenset(c.name for c in _COLS[3:] if isinstance(c.type, sa.Date))
_BOOLS = frozenset(c.name for c in _COLS[3:] if isinstance(c.type, sa.Boolean))
# The batches are built without the database layer (rowform); they must fit the table.
if (tuple(_NAMES), _DATES, _BOOLS) != (("snapshot_id", "import_id", "as_of", *STORED), DATES, BOOLS):
    raise RuntimeError("rowform.STORED no longer matches the rows table")


_KEY = STORED.index("person_key")


def _mark_listed_twice(conn: Connection, mode: str, keys: list[str]) -> None:
    """Record the keys of a batch just written that may now have two rows on one date
    (``multi_keys``) by the batch alone: all of an update sheet's, and those twice in it.
    Those that another village's rows hold are ``mark_elsewhere``'s."""
    if mode != "snapshot":
        found = set(keys)
    else:
        seen: set[str] = set()
        found = {k for k in keys if k in seen or seen.add(k)}  # type: ignore[func-returns-value]
    if found:
        conn.execute(_insert_new_keys(conn.dialect.name), [{"person_key": k} for k in sorted(found)])


def mark_elsewhere(conn: Connection, snap_ids: Sequence[int]) -> None:
    """Record the keys of the snapshots ``snap_ids`` that another village's rows hold.

    One lookup per key, proportional to the rows written whatever the months kept: a key
    not in ``multi_keys`` has all its rows in one village (the table's invariant, which
    this keeps), so one other row of it, the first the person index gives, says whether
    its village is another. Scanning all of a person's rows for one in another village
    read every month kept, for every person of every file. The keys are looked up in
    their own order, all the snapshots of a transaction together: the lookups then go
    through the person index once from end to end, where a village's keys, looked up
    file by file, were all over it (a year of it is far larger than any cache).
    """
    for i in range(0, len(snap_ids), _SNAPSHOTS_AT_ONCE):
        _mark_elsewhere(conn, snap_ids[i : i + _SNAPSHOTS_AT_ONCE])


_SNAPSHOTS_AT_ONCE = 900  # below every back end's limit on bound parameters


def _mark_elsewhere(conn: Connection, snap_ids: Sequence[int]) -> None:
    name = f"tmp_new_keys_{uuid.uuid4().hex[:12]}"
    new = (
        sa.select(rows.c.person_key, rows.c.snapshot_id, snapshots.c.township, snapshots.c.village)
        .join(snapshots, snapshots.c.id == rows.c.snapshot_id)
        .where(
            rows.c.snapshot_id.in_(list(snap_ids)),
            rows.c.person_key.not_in(sa.select(multi_keys.c.person_key)),
        )
        .order_by(rows.c.person_key)
        .into(name, temporary=True)
    )
    conn.execute(new)
    try:
        c = new.table
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"ANALYZE {name}")
        other = rows.alias("other")
        earlier = (
            sa.select(other.c.snapshot_id)
            .where(other.c.person_key == c.c.person_key, other.c.snapshot_id != c.c.snapshot_id)
            .limit(1)
            .scalar_subquery()
        )
        # The other row's sheet, by its id: no other row, no sheet, not in another village.
        theirs = snapshots.alias("theirs")
        q = (
            sa.select(c.c.person_key)
            .select_from(c)
            .join(theirs, theirs.c.id == earlier)
            .where(sa.or_(theirs.c.township != c.c.township, theirs.c.village != c.c.village))
            .distinct()
        )
        found = sorted({r[0] for r in conn.execute(q)})
        if found:
            conn.execute(_insert_new_keys(conn.dialect.name), [{"person_key": k} for k in found])
    finally:
        drop_temporary(conn, name)


def _insert_new_keys(dialect: str) -> sa.Insert:
    """INSERT of keys into ``multi_keys``, leaving those already there."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(multi_keys).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(multi_keys).on_conflict_do_nothing()


def bulk_insert_rows(conn: Connection, head: tuple[Any, ...], columns: list[list[Any]]) -> None:
    """Insert one batch: ``head`` (snapshot id, import id, as-of) in front of every row of
    the stored ``columns``, through the driver's fast path, in the caller's transaction.

    SQLAlchemy's executemany processes every parameter of every row in Python; the driver
    takes plain tuples (SQLite) or a COPY stream (PostgreSQL) without that.
    """
    names = ", ".join(_NAMES)
    # strict=False: the repeated head is endless; the stored columns have one length.
    values = zip(*(itertools.repeat(h) for h in head), *columns, strict=False)
    dbapi = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        cur = dbapi.cursor()  # type: ignore[union-attr]
        with cur.copy(f"COPY rows ({names}) FROM STDIN") as copy:
            for v in values:
                copy.write_row(v)
        return
    if conn.dialect.name != "sqlite":
        chunk: list[dict[str, Any]] = []
        for v in values:
            chunk.append(_typed(dict(zip(_NAMES, v, strict=True))))
            if len(chunk) == _BATCH:
                conn.execute(rows.insert(), chunk)
                chunk = []
        if chunk:
            conn.execute(rows.insert(), chunk)
        return
    sql = f"INSERT INTO rows ({names}) VALUES ({', '.join('?' * len(_NAMES))})"
    cur = dbapi.cursor()  # type: ignore[union-attr]
    cur.executemany(sql, values)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row back in Python types, for back ends written through SQLAlchemy."""
    for k in _DATES | {"as_of"}:
        if row[k] is not None:
            row[k] = dt.date.fromisoformat(row[k])
    for k in _BOOLS:
        if row[k] is not None:
            row[k] = bool(row[k])
    return row


def problems_table_insert() -> sa.Insert:
    """The insert statement for problems (kept apart to keep write_import short)."""
    return problems.insert()


def registry_stamp(conn: Connection) -> tuple[object, ...]:
    """What changes whenever rows or identity decisions change: two equal stamps, one state."""
    from laborcli.registry.tables import decisions, homes, links, purges

    return tuple(
        conn.execute(
            sa.select(
                sa.select(sa.func.max(imports.c.id)).scalar_subquery(),
                sa.select(sa.func.count()).select_from(imports).scalar_subquery(),
                sa.select(sa.func.count()).select_from(decisions).scalar_subquery(),
                sa.select(sa.func.max(decisions.c.decided_at)).scalar_subquery(),
                sa.select(sa.func.count()).select_from(links).scalar_subquery(),
                sa.select(sa.func.count()).select_from(purges).scalar_subquery(),
                sa.select(sa.func.max(homes.c.decided_at)).scalar_subquery(),
            )
        ).one()
    )

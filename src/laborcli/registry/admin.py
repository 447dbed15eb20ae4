"""Looking after a registry: what it holds, backups, and deleting a person on request."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.errors import RegistryError, UsageError
from laborcli.i18n import pick
from laborcli.identity.keys import id_of
from laborcli.registry.engine import Registry, display_url, why_unusable
from laborcli.registry.migrate import HEAD, current_revision
from laborcli.registry.tables import (
    decisions,
    homes,
    imports,
    links,
    multi_keys,
    problems,
    purges,
    rows,
    snapshots,
    targets,
)
from laborcli.sheets.safe import whole_file


def info(reg: Registry) -> dict[str, Any]:
    """URL (password hidden), schema revision, table sizes, date range, file size."""
    with reg.reading() as conn:
        counts = {
            t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() or 0)
            for t in (imports, snapshots, rows, problems, targets, decisions, links, homes, purges)
        }
        lo, hi = conn.execute(sa.select(sa.func.min(imports.c.as_of), sa.func.max(imports.c.as_of))).one()
        villages = conn.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(snapshots.c.township, snapshots.c.village).distinct().subquery()
            )
        ).scalar()
        rev = current_revision(conn)
    out: dict[str, Any] = {
        "url": display_url(reg.url),
        "backend": reg.dialect,
        "schema": rev,
        "tool_schema": HEAD,
        "tables": counts,
        "villages": int(villages or 0),
        "first_as_of": lo,
        "last_as_of": hi,
    }
    if reg.dialect == "sqlite" and reg.url.database:
        p = Path(reg.url.database)
        out["file_bytes"] = sum(f.stat().st_size for f in (p, Path(f"{p}-wal")) if f.exists())
    return out


def backup_sqlite(reg: Registry, target: Path) -> int:
    """A consistent copy with SQLite's online backup API, safe while others read; returns bytes."""
    if reg.dialect != "sqlite" or not reg.url.database:
        raise UsageError(
            "db backup copies SQLite registries; for PostgreSQL use: "
            "pg_dump --format=custom --file=laborcli.dump DBNAME"
        )
    if target.exists():
        raise UsageError(pick(f"目标文件已存在, 不覆盖: {target}", f"{target} exists; not overwritten"))
    # Into a temporary file beside the target, renamed when complete: a backup cut short
    # leaves no file that looks like a backup.
    with whole_file(target) as tmp:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        src = sqlite3.connect(reg.url.database)
        dst = sqlite3.connect(str(tmp))
        try:
            src.execute("PRAGMA busy_timeout = 600000")
            src.backup(dst)
        except sqlite3.DatabaseError as e:
            raise RegistryError(why_unusable(reg.url, e)) from e
        finally:
            dst.close()
            src.close()
    return target.stat().st_size


def purge_person(conn: Connection, person_key: str, reason: str) -> int:
    """Delete every row of a person, the decisions about them, and log that it was done.

    The problems go too wherever they hold the person's values (``_purge_problems``). The
    log says when, why and how many rows, never who: a hash of an ID is undone by trying
    every birth date. On SQLite the freed pages are overwritten with zeros
    (``secure_delete``), so the values do not stay in the file either.
    """
    keys = {person_key} | {
        r[0] for r in conn.execute(sa.select(links.c.person_key).where(links.c.canonical == person_key))
    }
    canon = conn.execute(sa.select(links.c.canonical).where(links.c.person_key == person_key)).scalar()
    if canon:
        keys |= {canon} | {
            r[0] for r in conn.execute(sa.select(links.c.person_key).where(links.c.canonical == canon))
        }
    mine = rows.c.person_key.in_(keys)
    found = conn.execute(
        sa.select(
            rows.c.import_id,
            rows.c.sheet,
            rows.c.row_number,
            rows.c.id_number,
            rows.c.id_raw,
            rows.c.phone,
            rows.c.name,
            rows.c.township,
            rows.c.village,
        ).where(mine)
    ).all()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    n = conn.execute(rows.delete().where(mine)).rowcount or 0
    if n == 0:
        return 0
    idents = {v for r in found for v in (r.id_number, r.id_raw, r.phone) if v} | {
        i for i in map(id_of, keys) if i
    }
    names = {(r.name, r.township, r.village) for r in found if r.name}
    _purge_problems(conn, {(r.import_id, r.sheet, r.row_number) for r in found}, idents, names)
    conn.execute(decisions.delete().where(sa.or_(decisions.c.key_a.in_(keys), decisions.c.key_b.in_(keys))))
    conn.execute(links.delete().where(sa.or_(links.c.person_key.in_(keys), links.c.canonical.in_(keys))))
    conn.execute(homes.delete().where(homes.c.person_key.in_(keys)))  # a verified key holds the ID
    conn.execute(multi_keys.delete().where(multi_keys.c.person_key.in_(keys)))
    conn.execute(
        purges.insert().values(
            person_key_hash=uuid.uuid4().hex,  # an entry id, not derived from the person
            rows_removed=n,
            purged_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            reason=reason,
        )
    )
    return int(n)


# Values shorter than this are not looked for inside other text: a short value (a partial
# phone) would match problems of other people. IDs have 15 or 18 characters, mobiles 11.
_MIN_IDENT = 7


def _purge_problems(
    conn: Connection,
    places: set[tuple[int, str, int]],
    idents: set[str],
    names: set[tuple[str, str, str]],
) -> None:
    """Delete the stored problems that hold a purged person's values.

    Those of the person's rows; every problem whose value or message holds one of their IDs
    or phones (a row of theirs rejected in an earlier month, an ID typed into another
    column); and the problems whose value is their name, in the imports of their villages.
    A rejected row is stored only as its problems: where one of them holds the person's ID
    or phone, the row was theirs, and all its problems go (another may hold their name or
    address). At a place that still holds a row, another person's, only the problem that
    names them goes.
    """
    for imp, sheet, row_number in places:
        conn.execute(
            problems.delete().where(
                problems.c.import_id == imp, problems.c.sheet == sheet, problems.c.row_number == row_number
            )
        )
    long = sorted(i for i in idents if len(i) >= _MIN_IDENT)
    holds = [c.contains(i, autoescape=True) for i in long for c in (problems.c.value, problems.c.message)]
    holds += [problems.c.value == i for i in sorted(idents) if len(i) < _MIN_IDENT]
    hits = (
        conn.execute(
            sa.select(problems.c.id, problems.c.import_id, problems.c.sheet, problems.c.row_number).where(
                sa.or_(*holds)
            )
        ).all()
        if holds
        else []
    )
    by_name: list[sa.ColumnElement[bool]] = []
    for name, township, village in sorted(names):
        theirs = sa.select(snapshots.c.import_id).where(
            snapshots.c.township == township, snapshots.c.village == village
        )
        by_name.append(sa.and_(problems.c.value == name, problems.c.import_id.in_(theirs)))
    named = [r[0] for r in conn.execute(sa.select(problems.c.id).where(sa.or_(*by_name)))] if by_name else []
    rejected = set()
    for _, imp, sheet, row_number in hits:
        stored = conn.execute(
            sa.select(rows.c.id)
            .where(rows.c.import_id == imp, rows.c.sheet == sheet, rows.c.row_number == row_number)
            .limit(1)
        ).first()
        if stored is None:
            rejected.add((imp, sheet, row_number))
    for imp, sheet, row_number in sorted(rejected):
        conn.execute(
            problems.delete().where(
                problems.c.import_id == imp, problems.c.sheet == sheet, problems.c.row_number == row_number
            )
        )
    ids = sorted({r[0] for r in hits} | set(named))
    for i in range(0, len(ids), 500):
        conn.execute(problems.delete().where(problems.c.id.in_(ids[i : i + 500])))


def reclaim_advice(reg: Registry) -> str | None:
    """What to run so that a purged person's values leave the database's files too, where
    the database does not do it itself: PostgreSQL keeps deleted rows in its table files
    until a VACUUM. (SQLite overwrites them as it deletes: ``purge_person``.)"""
    if reg.dialect != "postgresql":
        return None
    return pick(
        "PostgreSQL 在 VACUUM 之前仍在数据文件中保留已删除的数据; 请在维护时段运行 "
        "VACUUM FULL rows, problems, decisions, links; (会锁表) 以回收空间并彻底清除",
        "PostgreSQL keeps deleted data in its files until a VACUUM: run "
        "VACUUM FULL rows, problems, decisions, links; (it locks the tables) to reclaim the space "
        "and clear it for good",
    )

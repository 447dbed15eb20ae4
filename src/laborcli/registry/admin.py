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

from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.identity.keys import id_of
from laborcli.registry.engine import Registry, display_url
from laborcli.registry.migrate import HEAD, current_revision
from laborcli.registry.tables import (
    decisions,
    homes,
    imports,
    links,
    problems,
    purges,
    rows,
    snapshots,
    targets,
)


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
    src = sqlite3.connect(reg.url.database)
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)
    dst = sqlite3.connect(str(target))
    try:
        src.execute("PRAGMA busy_timeout = 600000")
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target.stat().st_size


def purge_person(conn: Connection, person_key: str, reason: str) -> int:
    """Delete every row of a person, the decisions about them, and log that it was done.

    The problems found in the person's rows go too (their values may be the ID or phone),
    and so does any problem whose value is one of the person's IDs. The log says when, why
    and how many rows, never who: a hash of an ID is undone by trying every birth date.
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
    places = conn.execute(sa.select(rows.c.import_id, rows.c.sheet, rows.c.row_number).where(mine)).all()
    idents = {
        v
        for r in conn.execute(sa.select(rows.c.id_number, rows.c.id_raw, rows.c.phone).where(mine))
        for v in r
        if v
    } | {i for i in map(id_of, keys) if i}
    n = conn.execute(rows.delete().where(mine)).rowcount or 0
    if n == 0:
        return 0
    for imp, sheet, row_number in places:
        conn.execute(
            problems.delete().where(
                problems.c.import_id == imp, problems.c.sheet == sheet, problems.c.row_number == row_number
            )
        )
    if idents:
        conn.execute(problems.delete().where(problems.c.value.in_(sorted(idents))))
    conn.execute(decisions.delete().where(sa.or_(decisions.c.key_a.in_(keys), decisions.c.key_b.in_(keys))))
    conn.execute(links.delete().where(sa.or_(links.c.person_key.in_(keys), links.c.canonical.in_(keys))))
    conn.execute(homes.delete().where(homes.c.person_key.in_(keys)))  # a verified key holds the ID
    conn.execute(
        purges.insert().values(
            person_key_hash=uuid.uuid4().hex,  # an entry id, not derived from the person
            rows_removed=n,
            purged_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            reason=reason,
        )
    )
    return int(n)

"""Looking after a registry: what it holds, backups, and deleting a person on request."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.errors import UsageError
from laborcli.registry import migrate
from laborcli.registry.engine import Registry, display_url
from laborcli.registry.tables import decisions, imports, links, problems, purges, rows, snapshots, targets


def info(reg: Registry) -> dict[str, Any]:
    """URL (password hidden), schema revision, table sizes, date range, file size."""
    with reg.reading() as conn:
        counts = {
            t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() or 0)
            for t in (imports, snapshots, rows, problems, targets, decisions, links, purges)
        }
        lo, hi = conn.execute(sa.select(sa.func.min(imports.c.as_of), sa.func.max(imports.c.as_of))).one()
        villages = conn.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(snapshots.c.township, snapshots.c.village).distinct().subquery()
            )
        ).scalar()
        rev = migrate.current_revision(conn)
    out: dict[str, Any] = {
        "url": display_url(reg.url),
        "backend": reg.dialect,
        "schema": rev,
        "tool_schema": migrate.HEAD,
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
        raise UsageError(f"目标文件已存在, 不覆盖: {target}")
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


def key_hash(person_key: str) -> str:
    """The purge log keeps a hash, not the identifier it removed."""
    return hashlib.sha256(person_key.encode()).hexdigest()


def purge_person(conn: Connection, person_key: str, reason: str) -> int:
    """Delete every row of a person, the decisions about them, and log that it was done."""
    keys = {person_key} | {
        r[0] for r in conn.execute(sa.select(links.c.person_key).where(links.c.canonical == person_key))
    }
    canon = conn.execute(sa.select(links.c.canonical).where(links.c.person_key == person_key)).scalar()
    if canon:
        keys |= {canon} | {
            r[0] for r in conn.execute(sa.select(links.c.person_key).where(links.c.canonical == canon))
        }
    n = conn.execute(rows.delete().where(rows.c.person_key.in_(keys))).rowcount or 0
    conn.execute(decisions.delete().where(sa.or_(decisions.c.key_a.in_(keys), decisions.c.key_b.in_(keys))))
    conn.execute(links.delete().where(sa.or_(links.c.person_key.in_(keys), links.c.canonical.in_(keys))))
    conn.execute(
        purges.insert().values(
            person_key_hash=key_hash(person_key),
            rows_removed=n,
            purged_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            reason=reason,
        )
    )
    return int(n)

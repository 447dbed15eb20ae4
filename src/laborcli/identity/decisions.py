"""Reviewed dedup decisions, remembered by person key so they survive monthly re-imports.

A person key is a valid ID, or a stable hash of where and who an unverified row says it
is; next month's sheet gives the same row the same key, so the decision keeps applying.
``same`` decisions are turned into links (every key of a confirmed person points to one
canonical key, a valid-ID key where there is one), which the current state reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.errors import InputFileError
from laborcli.identity.keys import is_verified
from laborcli.identity.unionfind import UnionFind
from laborcli.registry.tables import decisions, links, rows


def row_token(row_id: int) -> str:
    """What the review workbook holds for a row: its registry row id, never an identifier."""
    return f"r{row_id}"


def _resolve(conn: Connection, pairs: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Row tokens of a review workbook turned back into the person keys they stand for."""
    ids = {int(k[1:]) for a, b, _ in pairs for k in (a, b) if k[:1] == "r" and k[1:].isdigit()}
    keys: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        chunk = sorted(ids)[i : i + 500]
        keys |= {
            r[0]: r[1]
            for r in conn.execute(sa.select(rows.c.id, rows.c.person_key).where(rows.c.id.in_(chunk)))
        }
    missing = ids - keys.keys()
    if missing:
        raise InputFileError(
            f"核查表中有 {len(missing)} 行已不在数据库中 (已删除), 请重新导出核查表 "
            f"(rows no longer in the registry: export the review again)"
        )

    def key(k: str) -> str:
        return keys[int(k[1:])] if k[:1] == "r" and k[1:].isdigit() else k

    return [(key(a), key(b), v) for a, b, v in pairs]


def record(conn: Connection, pairs: Iterable[tuple[str, str, str]], source: str) -> int:
    """Store (key_a, key_b, 'same'|'different') decisions, the newest winning; rebuild links.

    Keys are person keys, or row tokens (``r123``) as the review workbook carries them.
    """
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    n = 0
    for a, b, verdict in _resolve(conn, list(pairs)):
        if a == b or verdict not in ("same", "different"):
            continue
        ka, kb = sorted((a, b))
        conn.execute(decisions.delete().where(decisions.c.key_a == ka, decisions.c.key_b == kb))
        conn.execute(
            decisions.insert().values(key_a=ka, key_b=kb, decision=verdict, decided_at=now, source=source)
        )
        n += 1
    rebuild_links(conn)
    return n


def rebuild_links(conn: Connection) -> None:
    """Links from the connected components of all ``same`` decisions."""
    uf = UnionFind()
    for r in conn.execute(
        sa.select(decisions.c.key_a, decisions.c.key_b).where(decisions.c.decision == "same")
    ):
        uf.union(r.key_a, r.key_b)
    comps = uf.groups()
    conn.execute(links.delete())
    values: list[dict[str, str]] = []
    for keys in comps.values():
        canonical = min(keys, key=lambda k: (not is_verified(k), k))
        values.extend({"person_key": k, "canonical": canonical} for k in keys if k != canonical)
    if values:
        conn.execute(links.insert(), values)

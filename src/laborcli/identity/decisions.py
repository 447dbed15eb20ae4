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

from laborcli.registry.tables import decisions, links


def record(conn: Connection, pairs: Iterable[tuple[str, str, str]], source: str) -> int:
    """Store (key_a, key_b, 'same'|'different') decisions, the newest winning; rebuild links."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    n = 0
    for a, b, verdict in pairs:
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
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in conn.execute(
        sa.select(decisions.c.key_a, decisions.c.key_b).where(decisions.c.decision == "same")
    ):
        ra, rb = find(r.key_a), find(r.key_b)
        if ra != rb:
            parent[ra] = rb
    comps: dict[str, list[str]] = {}
    for k in list(parent):
        comps.setdefault(find(k), []).append(k)
    conn.execute(links.delete())
    values: list[dict[str, str]] = []
    for keys in comps.values():
        canonical = min(keys, key=lambda k: (not k.startswith("id:"), k))
        values.extend({"person_key": k, "canonical": canonical} for k in keys if k != canonical)
    if values:
        conn.execute(links.insert(), values)

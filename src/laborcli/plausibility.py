"""Refusing batches that cannot be what they claim to be.

One village sheet filed under two villages, or a township's combined sheet imported as
one village, would otherwise flood the duplicate review with thousands of "same"
clusters and move people between villages. Such a file shares most of its valid IDs
with other villages' current sheets, which a genuine month never does (people move
one household at a time), so the import stops and says so; ``--force`` goes on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.policy import DedupPolicy
from laborcli.problems import Problem, make_problem
from laborcli.registry.tables import rows
from laborcli.state import current_snapshot_ids

_CHUNK = 900  # below every back end's limit on bound parameters


def _others_holding(
    conn: Connection, current: set[int], place: tuple[str, str], ids: Sequence[str]
) -> dict[str, tuple[str, str]]:
    """For each of ``ids`` found in another village's current rows: one such village."""
    found: dict[str, tuple[str, str]] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        q = sa.select(rows.c.id_number, rows.c.township, rows.c.village, rows.c.snapshot_id).where(
            rows.c.id_number.in_(chunk), rows.c.id_valid.is_(True)
        )
        for id_number, township, village, snap in conn.execute(q):
            if snap in current and (township, village) != place:
                found.setdefault(id_number, (township, village))
    return found


def implausible_batches(
    conn: Connection,
    groups: Mapping[tuple[str, str], Iterable[Mapping[str, Any]]],
    as_of: dt.date,
    policy: DedupPolicy,
) -> list[Problem]:
    """One problem per village of the file whose valid IDs mostly belong to other villages."""
    out: list[Problem] = []
    current: set[int] | None = None
    for place, recs in sorted(groups.items()):
        ids = sorted({r["id_number"] for r in recs if r.get("id_valid")})
        if len(ids) < policy.implausible_min:
            continue
        if current is None:
            current = {int(str(r[0])) for r in conn.execute(current_snapshot_ids(as_of))}
        held = _others_holding(conn, current, place, ids)
        if len(held) < policy.implausible_share * len(ids):
            continue
        where = Counter(held.values()).most_common(3)
        names = "、".join(f"{t}{v}({n}人)" for (t, v), n in where)
        out.append(
            make_problem(
                "batch-implausible",
                sheet="",
                row=0,
                value=f"{place[0]}{place[1]}",
                detail=f"{len(held)}/{len(ids)} 已在 {names}",
            )
        )
    return out

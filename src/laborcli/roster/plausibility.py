"""Refusing batches that cannot be what they claim to be.

One village sheet filed under two villages, or a township's combined sheet imported as
one village, would otherwise flood the duplicate review with thousands of "same"
clusters and move people between villages. Such a file shares most of its valid IDs
with other villages' current sheets, which a genuine month never does (people move
one household at a time), so the import stops and says so; ``--force`` goes on.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.identity.keys import verified_key
from laborcli.policy import DedupPolicy
from laborcli.registry.tables import rows, snapshots
from laborcli.roster.state import current_snapshot_ids
from laborcli.sheets.problems import Problem, ProblemCode, make_problem

_CHUNK = 900  # below every back end's limit on bound parameters
_SAMPLE = 200  # IDs looked at first; the whole batch only when the sample is not clear


def _others_holding(
    conn: Connection, current: dict[int, tuple[str, str]], place: tuple[str, str], ids: Sequence[str]
) -> dict[str, tuple[str, str]]:
    """For each of ``ids`` found in another village's current rows: one such village.

    Looked up by person key (a verified ID's) in the person index, which also holds the
    snapshot: no row is read.
    """
    found: dict[str, tuple[str, str]] = {}
    for i in range(0, len(ids), _CHUNK):
        ident_of = {verified_key(x): x for x in ids[i : i + _CHUNK]}
        for key, snap in conn.execute(_HOLDERS, {"keys": list(ident_of)}):
            where = current.get(snap)
            if where is not None and where != place:
                found.setdefault(ident_of[key], where)
    return found


# Built once: an import asks these for every file, and building a statement costs more
# than running it on a small registry.
_HOLDERS = sa.select(rows.c.person_key, rows.c.snapshot_id).where(
    rows.c.person_key.in_(sa.bindparam("keys", expanding=True))
)


@functools.lru_cache(maxsize=4)
def _current_places(as_of: dt.date) -> sa.Select[Any]:
    return _places_query(current_snapshot_ids(as_of))


def _places_query(current: sa.Select[Any]) -> sa.Select[Any]:
    snaps = current.subquery("plaus")
    return sa.select(snapshots.c.id, snapshots.c.township, snapshots.c.village).where(
        snapshots.c.id.in_(sa.select(snaps.c.id))
    )


class CurrentPlaces:
    """Snapshot id -> (township, village) of the snapshots current at each date checked,
    kept for one transaction of an import (the files it writes meanwhile are told).

    Every file is checked against the current sheets, the ones the import wrote before it
    included. Reading them afresh for each file read every village's sheets of every
    month kept, for every file; now only the villages written since are read again.
    """

    def __init__(self) -> None:
        self._at: dict[dt.date, dict[int, tuple[str, str]]] = {}
        self._stale: dict[dt.date, set[tuple[str, str]]] = {}

    def forget(self) -> None:
        """Everything: the transaction is over."""
        self._at.clear()
        self._stale.clear()

    def written(self, places: Iterable[tuple[str, str]]) -> None:
        """These villages' sheets may have changed (a file written, or rolled back)."""
        got = set(places)
        for stale in self._stale.values():
            stale |= got

    def at(self, conn: Connection, as_of: dt.date) -> dict[int, tuple[str, str]]:
        """The current snapshots' places at ``as_of``."""
        known = self._at.get(as_of)
        if known is None:
            known = {int(r[0]): (r[1], r[2]) for r in conn.execute(_current_places(as_of))}
            self._at[as_of], self._stale[as_of] = known, set()
            return known
        stale = self._stale[as_of]
        if stale:
            known = {k: v for k, v in known.items() if v not in stale}
            q = _places_query(current_snapshot_ids(as_of, sorted(stale)))
            known.update({int(r[0]): (r[1], r[2]) for r in conn.execute(q)})
            self._at[as_of] = known
            stale.clear()
        return known


def _sample(ids: Sequence[str], n: int) -> list[str]:
    """Every k-th of the sorted IDs: the same sample for the same batch, spread over it."""
    step = max(1, len(ids) // n)
    return list(ids[::step][:n])


def implausible_batches(
    conn: Connection,
    valid_ids: Mapping[tuple[str, str], Sequence[str]],
    as_of: dt.date,
    policy: DedupPolicy,
    places: CurrentPlaces,
) -> list[Problem]:
    """One problem per village of the file whose valid IDs mostly belong to other villages.

    A sample of the IDs is looked up first; a genuine month shares a few IDs at most, so a
    sample holding less than half the refusal share settles it. Otherwise, and for every
    refusal, all IDs are looked up and the message gives the true counts.
    """
    out: list[Problem] = []
    current: dict[int, tuple[str, str]] | None = None
    for place, given in sorted(valid_ids.items()):
        ids = sorted(set(given))
        if len(ids) < policy.implausible_min:
            continue
        if current is None:
            current = places.at(conn, as_of)
        if len(ids) > 2 * _SAMPLE:
            probe = _sample(ids, _SAMPLE)
            if len(_others_holding(conn, current, place, probe)) < policy.implausible_share * len(probe) / 2:
                continue
        held = _others_holding(conn, current, place, ids)
        if len(held) < policy.implausible_share * len(ids):
            continue
        where = Counter(held.values()).most_common(3)
        names = "、".join(f"{t}{v}({n}人)" for (t, v), n in where)
        out.append(
            make_problem(
                ProblemCode.BATCH_IMPLAUSIBLE,
                sheet="",
                row=0,
                value=f"{place[0]}{place[1]}",
                detail=f"{len(held)}/{len(ids)} 已在 {names}",
            )
        )
    return out

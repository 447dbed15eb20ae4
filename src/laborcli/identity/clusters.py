"""`dedup`: people registered more than once in the current state, for review.

Rows that are one person already (a shared valid ID, or person keys linked by a confirmed
decision) form ``same`` clusters; scored candidate pairs above the policy's threshold form
``probable`` clusters until a reviewer decides; pairs decided ``different`` are shown as
such and no longer proposed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.identity.matching import Match, Rec, candidate_pairs, score
from laborcli.identity.privacy import Mask
from laborcli.identity.unionfind import UnionFind
from laborcli.policy import DedupPolicy
from laborcli.registry.tables import decisions, homes, imports, rows
from laborcli.roster.state import current_candidates

Decision = Literal["same", "probable", "different"]


@dataclass(slots=True)
class Cluster:
    """Rows that are, or may be, one person."""

    decision: Decision
    score: float
    reasons: list[str]
    records: list[Rec] = field(default_factory=list)
    home: tuple[str, str] | None = None  # the 归属村 recorded for a same person (describe)

    @property
    def villages(self) -> list[tuple[str, str]]:
        """The (township, village) of its records, in code-point order."""
        return sorted({(r.township, r.village) for r in self.records})

    @property
    def decided(self) -> bool:
        """Nothing left for a reviewer: decided different, or one person whose village is
        settled (listed in one village only, or with a recorded 归属村)."""
        if self.decision == "probable":
            return False
        return self.decision == "different" or len(self.villages) == 1 or self.home is not None

    @property
    def cluster_id(self) -> str:
        """Stable across runs: a hash of the person keys and sources involved."""
        parts = sorted(f"{r.pkey}|{r.source}|{r.row}" for r in self.records)
        return "C" + hashlib.sha1("\n".join(parts).encode()).hexdigest()[:10]

    def as_json(self, mask: Mask) -> dict[str, Any]:
        """A ``clusters`` entry of docs/json.md#dedup."""
        return {
            "cluster": self.cluster_id,
            "decision": self.decision,
            "score": round(self.score, 4),
            "reasons": self.reasons,
            "decided": self.decided,
            "home": None if self.home is None else {"township": self.home[0], "village": self.home[1]},
            "records": [
                {
                    "source": r.source,
                    "sheet": r.sheet,
                    "row": r.row,
                    "township": r.township,
                    "village": r.village,
                    "name": r.name,
                    "id_number": mask.id(r.id_number),
                    "person_key": mask.key(r.pkey),
                    "group": r.group,
                    "household_id": r.household_id,
                    "head": r.head,
                    "relation": r.relation,
                    "birth_date": r.birth.isoformat() if r.birth else None,
                    "phone": mask.phone(r.phone),
                    "employment_status": r.status,
                }
                for r in self.records
            ],
        }


def load_current(conn: Connection, d: dt.date) -> list[Rec]:
    """Every current row at D (a person may appear more than once), with its source file."""
    cand = current_candidates(d).subquery("c")
    q = (
        sa.select(
            cand.c.id,
            cand.c.pkey,
            imports.c.file_name,
            cand.c.sheet,
            cand.c.row_number,
            cand.c.township,
            cand.c.village,
            cand.c.name,
            cand.c.id_number,
            cand.c.id_valid,
            cand.c.birth_eff,
            cand.c.gender_eff,
            cand.c.phone,
            cand.c.household_id,
            cand.c.person_key,
        )
        .join(imports, imports.c.id == cand.c.import_id)
        .order_by(cand.c.id)
    )
    return [
        Rec(
            i,
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            bool(r[9]),
            r[10],
            r[11],
            r[12],
            r[13],
            r[14],
        )
        for i, r in enumerate(conn.execute(q))
    ]


def _decided(conn: Connection) -> dict[tuple[str, str], str]:
    return {(r.key_a, r.key_b): r.decision for r in conn.execute(sa.select(decisions))}


def find_clusters(conn: Connection, d: dt.date, w: DedupPolicy) -> list[Cluster]:
    """All clusters at D, same first, then probable by score, then different."""
    recs = load_current(conn, d)
    out: list[Cluster] = []
    by_person: dict[str, list[Rec]] = defaultdict(list)
    for r in recs:
        by_person[r.pkey].append(r)
    for rs in by_person.values():
        if len(rs) > 1:
            linked = len({r.own_key for r in rs}) > 1
            reasons = ["已确认为同一人"] if linked else ["身份证号码相同"]
            if len({(r.township, r.village) for r in rs}) > 1:
                reasons.append("出现在多个村")
            else:
                reasons.append("同一村重复登记")
            out.append(Cluster("same", 1.0, reasons, rs))
    decided = _decided(conn)
    matches: list[Match] = []
    for i, j in candidate_pairs(recs):
        a, b = recs[i], recs[j]
        if a.pkey == b.pkey or (a.id_valid and b.id_valid):
            continue
        m = score(a, b, w)
        if m.score >= w.probable:
            matches.append(m)
    # Group probable pairs by person so that one person's rows appear once per cluster.
    uf = UnionFind()
    different: list[tuple[Match, str]] = []
    kept: list[Match] = []
    for m in matches:
        ka, kb = sorted((recs[m.a].pkey, recs[m.b].pkey))
        verdict = decided.get((ka, kb))
        if verdict == "different":
            different.append((m, verdict))
            continue
        kept.append(m)
        uf.union(ka, kb)
    groups: dict[str, list[Match]] = defaultdict(list)
    for m in kept:
        groups[uf.find(recs[m.a].pkey)].append(m)
    for ms in groups.values():
        keys = {recs[m.a].pkey for m in ms} | {recs[m.b].pkey for m in ms}
        members = [r for k in sorted(keys) for r in by_person[k]]
        best = max(ms, key=lambda m: m.score)
        out.append(Cluster("probable", min(1.0, best.score / w.max_score), best.reasons, members))
    for m, _ in different:
        out.append(
            Cluster(
                "different",
                min(1.0, m.score / w.max_score),
                [*m.reasons, "已判定为不同人"],
                [recs[m.a], recs[m.b]],
            )
        )
    order = {"same": 0, "probable": 1, "different": 2}
    out.sort(
        key=lambda c: (
            order[c.decision],
            -c.score,
            c.records[0].township,
            c.records[0].village,
            c.records[0].row,
        )
    )
    return out


def review(conn: Connection, d: dt.date, w: DedupPolicy) -> list[Cluster]:
    """The clusters at D as the review shows them: with what a reviewer decides on."""
    clusters = find_clusters(conn, d, w)
    describe(conn, clusters)
    return clusters


def describe(conn: Connection, clusters: list[Cluster]) -> None:
    """Fill in each record's group, relation, status and 户主, and each same cluster's home.

    Read for the clustered rows only: the matching reads every current row, and these
    fields would only weigh on it.
    """
    recs = {r.row_id: r for c in clusters for r in c.records}
    ids = sorted(recs)
    places: dict[int, tuple[int, str | None]] = {}
    for i in range(0, len(ids), 500):
        q = sa.select(
            rows.c.id, rows.c.snapshot_id, rows.c.grp, rows.c.relation, rows.c.employment_status
        ).where(rows.c.id.in_(ids[i : i + 500]))
        for rid, snap, grp, rel, status in conn.execute(q):
            r = recs[rid]
            r.group, r.relation, r.status = grp, rel, status
            places[rid] = (snap, r.household_id)
    # Asked snapshot by snapshot, each a seek of the figure index (snapshot, household) per
    # household: a list of (snapshot, household) pairs is no index condition on SQLite,
    # which read the table of every month kept for each chunk.
    by_snapshot: dict[int, set[str]] = {}
    for snap, hh in places.values():
        if hh is not None:
            by_snapshot.setdefault(snap, set()).add(hh)
    heads: dict[tuple[int, str | None], str] = {}
    for snap, hhs in sorted(by_snapshot.items()):
        wanted = sorted(hhs)
        for i in range(0, len(wanted), 500):
            q = (
                sa.select(rows.c.snapshot_id, rows.c.household_id, rows.c.name)
                .where(
                    rows.c.snapshot_id == snap,
                    rows.c.household_id.in_(wanted[i : i + 500]),
                    rows.c.relation == "户主",
                )
                .order_by(rows.c.row_number.desc())  # the first 户主 of a household wins
            )
            heads |= {(r[0], r[1]): r[2] for r in conn.execute(q)}
    for rid, place in places.items():
        recs[rid].head = heads.get(place)
    _homes(conn, clusters)


def _homes(conn: Connection, clusters: list[Cluster]) -> None:
    """The 归属村 of each same cluster: the one village where its rows stand at their own
    keys' recorded home (the rule of roster/state.py); none when no row does, or several."""
    keys = sorted({r.own_key for c in clusters if c.decision == "same" for r in c.records})
    home: dict[str, tuple[str, str]] = {}
    for i in range(0, len(keys), 500):
        q = sa.select(homes.c.person_key, homes.c.township, homes.c.village).where(
            homes.c.person_key.in_(keys[i : i + 500])
        )
        home |= {k: (t, v) for k, t, v in conn.execute(q)}
    for c in clusters:
        if c.decision == "same":
            at = {
                (r.township, r.village) for r in c.records if home.get(r.own_key) == (r.township, r.village)
            }
            c.home = at.pop() if len(at) == 1 else None

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
from laborcli.registry.tables import decisions, imports
from laborcli.roster.state import current_candidates

Decision = Literal["same", "probable", "different"]


@dataclass(slots=True)
class Cluster:
    """Rows that are, or may be, one person."""

    decision: Decision
    score: float
    reasons: list[str]
    records: list[Rec] = field(default_factory=list)

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

"""Linking each training record to a registry person (docs/programmes.md "Training").

A valid ID is the person (through confirmed dedup links, the person it was linked to).
Without one, a record is scored against the current rows at D on `dedup`'s evidence and
weights (name and pinyin, birth date, phone, village: identity/matching.py): one person
at ``link_certain`` or more links it; a score of ``link_review`` or more (or two persons
at ``link_certain``) leaves it for review, with the candidates; anything less leaves it
unlinked. A reviewer's decision (training_links) is remembered and wins over the scores.
Unlinked records still count as person-times (each its own person) and are listed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.identity.clusters import load_current
from laborcli.identity.keys import verified_key
from laborcli.identity.matching import Rec, candidate_pairs, score
from laborcli.identity.privacy import Mask
from laborcli.policy import DedupPolicy, TrainingPolicy
from laborcli.registry.tables import links, training_links
from laborcli.training.records import TrainingRecord

How = Literal["id", "evidence", "decided", "review", "unlinked"]


@dataclass(slots=True)
class Candidate:
    """A registry person a record without a valid ID may be."""

    person_key: str
    score: float
    reasons: list[str]
    rec: Rec

    def as_json(self, mask: Mask) -> dict[str, Any]:
        """A ``candidates`` entry of docs/json.md#training."""
        r = self.rec
        return {
            "person_key": mask.key(self.person_key),
            "name": r.name,
            "id_number": mask.id(r.id_number),
            "township": r.township,
            "village": r.village,
            "birth_date": r.birth.isoformat() if r.birth else None,
            "score": round(self.score, 4),
            "reasons": self.reasons,
        }


@dataclass(slots=True)
class Link:
    """Who the records of one own key are: ``person_key`` when linked."""

    how: How
    person_key: str | None
    candidates: list[Candidate] = field(default_factory=list)


def canonical_map(conn: Connection) -> dict[str, str]:
    """Person key -> the canonical key a confirmed dedup decision links it to."""
    return {r[0]: r[1] for r in conn.execute(sa.select(links.c.person_key, links.c.canonical))}


def decisions(conn: Connection) -> dict[str, list[tuple[str, str]]]:
    """Own key -> [(person key, same|different)] decided by a reviewer."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in conn.execute(
        sa.select(training_links.c.own_key, training_links.c.person_key, training_links.c.decision)
    ):
        out[r[0]].append((r[1], r[2]))
    return out


def record_decision(
    conn: Connection, own_key: str, person_key: str, decision: Literal["same", "different"], source: str
) -> None:
    """Remember that the records of ``own_key`` are (or are not) ``person_key``; a newer
    decision on the pair replaces the older, and ``same`` for one person ends any other
    ``same`` of the record."""
    t = training_links
    if decision == "same":
        conn.execute(t.delete().where(t.c.own_key == own_key, t.c.decision == "same"))
    conn.execute(t.delete().where(t.c.own_key == own_key, t.c.person_key == person_key))
    conn.execute(
        t.insert().values(
            own_key=own_key,
            person_key=person_key,
            decision=decision,
            decided_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            source=source,
        )
    )


def _as_rec(idx: int, r: TrainingRecord) -> Rec:
    return Rec(
        idx=idx,
        row_id=-1,
        pkey=r.own_key,
        source=r.source,
        sheet=r.sheet,
        row=r.row,
        township=r.township,
        village=r.village,
        name=r.name,
        id_number=r.id_number,
        id_valid=False,
        birth=r.birth,
        gender=None,
        phone=r.phone,
        household_id=None,
        own_key=r.own_key,
    )


def link_records(
    conn: Connection,
    records: list[TrainingRecord],
    as_of: dt.date,
    dedup: DedupPolicy,
    policy: TrainingPolicy,
) -> dict[str, Link]:
    """Own key -> its link, for every own key of ``records``."""
    canon = canonical_map(conn)
    out: dict[str, Link] = {}
    open_: dict[str, TrainingRecord] = {}
    decided = decisions(conn)
    for r in records:
        if r.own_key in out or r.own_key in open_:
            continue
        if r.id_valid and r.id_number:
            k = verified_key(r.id_number)
            out[r.own_key] = Link("id", canon.get(k, k))
            continue
        same = [p for p, d in decided.get(r.own_key, ()) if d == "same"]
        if same:
            out[r.own_key] = Link("decided", canon.get(same[0], same[0]))
            continue
        open_[r.own_key] = r
    if not open_:
        return out
    current = load_current(conn, as_of)
    n = len(current)
    mine = [_as_rec(n + i, r) for i, r in enumerate(open_.values())]
    recs = current + mine
    best: dict[str, dict[str, Candidate]] = defaultdict(dict)
    for i, j in candidate_pairs(recs):
        if (i < n) == (j < n):
            continue  # two registry rows, or two records: not this question
        reg, rec = (recs[i], recs[j]) if i < n else (recs[j], recs[i])
        refused = {p for p, d in decided.get(rec.pkey, ()) if d == "different"}
        if reg.pkey in refused:
            continue
        m = score(rec, reg, dedup)
        if m.score < policy.link_review:
            continue
        had = best[rec.pkey].get(reg.pkey)
        if had is None or m.score > had.score:
            best[rec.pkey][reg.pkey] = Candidate(reg.pkey, m.score, m.reasons, reg)
    for key in open_:
        cands = sorted(best.get(key, {}).values(), key=lambda c: (-c.score, c.person_key))
        certain = [c for c in cands if c.score >= policy.link_certain]
        if len(certain) == 1 and (len(cands) == 1 or cands[1].score < policy.link_certain):
            out[key] = Link("evidence", certain[0].person_key, cands)
        elif cands:
            out[key] = Link("review", None, cands)
        else:
            out[key] = Link("unlinked", None)
    return out


def decide(
    conn: Connection, record_id: str, person: str, *, same: bool, source: str = "training link"
) -> str:
    """`training link`: the records of ``record_id``'s person as typed are (``same``) or are
    not the registry person with this ID or person key; returns the person key. A record
    with a valid ID needs no decision; an unknown record or person is a usage error."""
    from laborcli.errors import UsageError
    from laborcli.i18n import pick
    from laborcli.identity.keys import is_person_key
    from laborcli.registry.tables import rows, training_records
    from laborcli.sheets.idcard import normalise_id

    t = training_records
    got = conn.execute(sa.select(t.c.own_key, t.c.id_valid).where(t.c.record_key == record_id)).first()
    if got is None:
        raise UsageError(pick(f"没有编号为 {record_id} 的培训记录", f"no training record {record_id}"))
    if got[1]:
        raise UsageError(
            pick(
                f"培训记录 {record_id} 有有效身份证号码, 已按身份证号码对应到人, 无需核实",
                f"training record {record_id} has a valid ID and is linked by it",
            )
        )
    key = person if is_person_key(person) else verified_key(normalise_id(person))
    key = canonical_map(conn).get(key, key)
    if conn.execute(sa.select(rows.c.id).where(rows.c.person_key == key).limit(1)).first() is None:
        canon = conn.execute(sa.select(links.c.person_key).where(links.c.canonical == key).limit(1)).first()
        if canon is None:
            raise UsageError(pick(f"数据库中没有此人: {person}", f"no such person in the registry: {person}"))
    record_decision(conn, got[0], key, "same" if same else "different", source)
    return key

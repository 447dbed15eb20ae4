"""Matching people to jobs (docs/programmes.md, "Matching people to jobs"): for each open
demand at D, the candidates under the hard filters, scored by the policy's points, within
the caps (需求人数 × a factor per job, a number of jobs per person).

The people are read once from the current state at D into arrays; each demand then takes
its block of them by region (the intention groups it admits) and filters that block on
age and education with whole-array comparisons, and scores it the same way, so there is
no Python loop over person × job pairs. The caps are settled by deferred acceptance over
the proposals only: each job offers its places to its best candidates in order; a person
keeps the jobs where they score highest (ties by 登记日期, then demand) and lets the others
go, and a job that loses a candidate offers the place to its next one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.identity.keys import verified_key
from laborcli.identity.privacy import Mask
from laborcli.jobs.demand import DemandRow, stored_demands
from laborcli.jobs.placements import Placements, placements
from laborcli.jobs.trades import Trades, closeness, code_num, load_trades, shipped_trades
from laborcli.policy import LabourForceAges, MatchingPolicy
from laborcli.registry.tables import links, rows
from laborcli.roster.figures import labour_force_expr
from laborcli.roster.state import CurrentState, person_key_expr
from laborcli.sheets import idcard

# domain.md's education order; 高中 and 中专 are one level.
EDUCATION_RANK = {"文盲或半文盲": 0, "小学": 1, "初中": 2, "高中": 3, "中专": 3, "大专": 4, "本科及以上": 5}
NO_INTENTION = "暂无意愿"
# Intention groups: none stated, 县内务工, 县外务工, any other (自主创业, 公益性岗位).
_NONE, _IN, _OUT, _OTHER = 0, 1, 2, 3
_GROUPS_FOR_REGION = {"县外": (_NONE, _OUT), "县内": (_NONE, _IN), None: (_NONE, _IN, _OUT, _OTHER)}
_MAX_CODES = 4
_TIE = 10**8  # more persons than any county lists


def trained_in_trade(conn: Connection, person_keys: list[str], as_of: dt.date) -> dict[str, list[str]]:
    """The "trained in the trade" reason: person key -> the trades they were trained in (培训工种 of
    the training records ended by ``as_of``, from the training registry).

    Matching reads them through the same trades vocabulary and gives the policy's
    ``trained_in_trade`` points and a reason to a candidate trained in a job's trade.
    """
    from laborcli.training.payment import trained_trades

    return trained_trades(conn, person_keys, as_of)


def proposal_id(demand_id: str, person_key: str) -> str:
    """The same demand and person give the same id everywhere; hashed, so that neither an
    ID number nor a phone is in it."""
    return "P" + hashlib.sha256(f"{demand_id}\x1f{person_key}".encode()).hexdigest()[:11]


@dataclass(slots=True)
class Person:
    """A person of the current state at D, as matching needs them."""

    key: str
    name: str
    id_number: str | None
    phone: str | None
    township: str
    village: str
    household_id: str | None
    gender: str | None
    age: int | None
    education: str | None
    intention: str | None
    skills: str | None


@dataclass(slots=True)
class Proposal:
    """One person proposed for one demand."""

    proposal_id: str
    demand: DemandRow
    person: Person
    score: float
    reasons: list[str]
    rank: int

    def as_json(self, mask: Mask) -> dict[str, Any]:
        """A ``proposals`` entry of docs/json.md#match."""
        d, p = self.demand, self.person
        return {
            "proposal_id": self.proposal_id,
            "demand_id": d.demand_id,
            "company": d.company,
            "job": d.job,
            "person": {
                "name": p.name,
                "id_number": mask.id(p.id_number),
                "township": p.township,
                "village": p.village,
                "household_id": p.household_id,
            },
            "score": self.score,
            "reasons": self.reasons,
            "rank": self.rank,
            "place": d.place,
            "region": d.region,
            "gender_requirement": d.gender,
        }


@dataclass(slots=True)
class Why:
    """For one person and one open demand: proposed, or what kept them out."""

    demand: DemandRow
    proposed: bool
    proposal_id: str | None
    why: str


@dataclass(slots=True)
class Match:
    """`laborcli match`: the proposals at D, best first within each demand."""

    as_of: dt.date
    proposals: list[Proposal] = field(default_factory=list)
    open_demands: list[DemandRow] = field(default_factory=list)
    candidates: int = 0
    unmatched_terms: list[tuple[str, str, int]] = field(default_factory=list)
    # For `--person`: the subject and the answer per open demand.
    subject: str | None = None
    jobs: list[Why] = field(default_factory=list)

    def as_json(self, mask: Mask) -> dict[str, Any]:
        """The JSON shape of docs/json.md#match."""
        return {
            "as_of": self.as_of.isoformat(),
            "proposals": [p.as_json(mask) for p in self.proposals],
            "open_demands": len(self.open_demands),
            "candidates": self.candidates,
            "unmatched_terms": [{"term": t, "column": c, "count": n} for t, c, n in self.unmatched_terms],
        }

    def person_json(self, mask: Mask) -> dict[str, Any]:
        """The JSON shape of docs/json.md#match-person."""
        return {
            "as_of": self.as_of.isoformat(),
            "subject": self.subject or "",
            "jobs": [
                {
                    "demand_id": w.demand.demand_id,
                    "company": w.demand.company,
                    "job": w.demand.job,
                    "proposed": w.proposed,
                    "proposal_id": w.proposal_id,
                    "why": w.why,
                }
                for w in self.jobs
            ],
        }


def demand_rows(conn: Connection, placed: Placements) -> list[DemandRow]:
    """Every stored demand with its placements."""
    return [
        DemandRow(
            demand_id=r["demand_id"],
            company=r["company"],
            job=r["job"],
            place=r["place"],
            region=r["region"],
            openings=r["openings"],
            placed=placed.placed(r["demand_id"]),
            placed_from_sheet=placed.sheet_only(r["demand_id"]),
            registered=r["registered"],
            until=r["until"],
            source=r["source"],
            sheet=r["sheet"],
            row=r["row_number"],
            gender=r["gender"],
            wage_min=r["wage_min"],
            wage_max=r["wage_max"],
            contact=r["contact"],
            phone=r["phone"],
            board=r["board"],
        )
        for r in stored_demands(conn)
    ]


def trades_for(policy: MatchingPolicy) -> Trades:
    """The shipped vocabulary, with the county's file when the policy names one."""
    return load_trades(Path(policy.trades_file)) if policy.trades_file else shipped_trades()


# ---------------------------------------------------------------------------- the people


@dataclass(slots=True)
class _Pool:
    """The candidates at D as arrays (index i is one person)."""

    people: list[Person]
    age: np.ndarray[Any, Any]  # -1 unknown
    edu: np.ndarray[Any, Any]  # -1 unknown
    group: np.ndarray[Any, Any]
    zero: np.ndarray[Any, Any]
    poor: np.ndarray[Any, Any]
    tie: np.ndarray[Any, Any]
    codes: np.ndarray[Any, Any]  # n × _MAX_CODES occupation codes as numbers, -1 none
    trained: np.ndarray[Any, Any]  # the same for trades trained in
    by_group: dict[int, np.ndarray[Any, Any]]
    index: dict[str, int]
    # Why the persons of the registry who are no candidates are not (for --person).
    not_candidates: dict[str, str]
    all_people: dict[str, Person]


def _age(birth: dt.date | None, d: dt.date) -> int | None:
    if birth is None:
        return None
    return d.year - birth.year - ((d.month, d.day) < (birth.month, birth.day))


def _group(intention: str | None) -> int:
    if not intention:
        return _NONE
    return {"县内务工": _IN, "县外务工": _OUT}.get(intention, _OTHER)


def _codes_matrix(texts: list[str | None], trades: Trades, unmatched: dict[str, int]) -> np.ndarray[Any, Any]:
    """Each text's occupation codes as numbers (-1 where none), each distinct text read
    once; its words that match no trade counted in ``unmatched``."""
    out = np.full((len(texts), _MAX_CODES), -1, dtype=np.int64)
    memo: dict[str, tuple[list[int], list[str]]] = {}
    for i, t in enumerate(texts):
        if not t:
            continue
        got = memo.get(t)
        if got is None:
            codes, missing = trades.read(t)
            got = memo[t] = ([code_num(c) for c in codes[:_MAX_CODES]], missing)
        for m in got[1]:
            unmatched[m] = unmatched.get(m, 0) + 1
        for j, c in enumerate(got[0]):
            out[i, j] = c
    return out


def _pool(
    conn: Connection, d: dt.date, ages: LabourForceAges, trades: Trades, excluded: set[str]
) -> tuple[_Pool, dict[str, int]]:
    """Read the current state at D once; the candidates and, for every other person, why not."""
    pk = person_key_expr()
    with CurrentState.kept(conn, d) as state:
        q = (
            sa.select(
                pk.label("pkey"),
                rows.c.township,
                rows.c.village,
                rows.c.household_id,
                rows.c.name,
                rows.c.id_number,
                rows.c.id_valid,
                rows.c.phone,
                rows.c.gender_eff,
                rows.c.birth_eff,
                rows.c.education,
                rows.c.job_intention,
                rows.c.skills,
                rows.c.transferred,
                rows.c.poor,
                labour_force_expr(rows.c, d, ages).label("lf"),
            )
            .outerjoin(links, links.c.person_key == rows.c.person_key)
            .where(state.condition())
        )
        found = conn.execute(q).all()
    households: dict[tuple[str, str, str], list[int]] = {}
    for i, r in enumerate(found):
        hh = (r.township, r.village, r.household_id or "\x00" + r.pkey)
        households.setdefault(hh, []).append(i)
    zero_hh: set[tuple[str, str, str]] = set()
    poor_hh: set[tuple[str, str, str]] = set()
    for hh, members in households.items():
        lf = [found[i] for i in members if found[i].lf]
        if lf and not any(m.transferred for m in lf):
            zero_hh.add(hh)
        if any(found[i].poor for i in members):
            poor_hh.add(hh)
    people: list[Person] = []
    keep: list[tuple[Any, tuple[str, str, str]]] = []
    why_not: dict[str, str] = {}
    all_people: dict[str, Person] = {}
    for r in found:
        p = Person(
            key=r.pkey,
            name=r.name,
            id_number=r.id_number,
            phone=r.phone,
            township=r.township,
            village=r.village,
            household_id=r.household_id,
            gender=r.gender_eff,
            age=_age(r.birth_eff, d),
            education=r.education,
            intention=r.job_intention,
            skills=r.skills,
        )
        all_people[r.pkey] = p
        if not r.lf:
            why_not[r.pkey] = "不在劳动力范围内 (年龄或劳动能力)"
        elif r.transferred:
            why_not[r.pkey] = "已转移就业, 不是候选人"
        elif r.job_intention == NO_INTENTION:
            why_not[r.pkey] = "就业意愿为 暂无意愿"
        elif r.pkey in excluded:
            why_not[r.pkey] = "已上岗 (反馈已记录)"
        else:
            people.append(p)
            keep.append((r, (r.township, r.village, r.household_id or "\x00" + r.pkey)))
    # Ties by household, then ID (the person key for a person without a valid ID).
    order = sorted(range(len(people)), key=lambda i: (keep[i][1], people[i].id_number or "", people[i].key))
    tie = np.empty(len(people), dtype=np.int64)
    tie[order] = np.arange(len(people))
    unmatched: dict[str, int] = {}
    codes = _codes_matrix([p.skills for p in people], trades, unmatched)
    trained_map = trained_in_trade(conn, [p.key for p in people], d)
    trained = (
        _codes_matrix(["、".join(trained_map.get(p.key, [])) or None for p in people], trades, {})
        if trained_map
        else np.full((len(people), _MAX_CODES), -1, dtype=np.int64)
    )
    group = np.array([_group(p.intention) for p in people], dtype=np.int8)
    pool = _Pool(
        people=people,
        age=np.array([-1 if p.age is None else p.age for p in people], dtype=np.int32),
        edu=np.array([EDUCATION_RANK.get(p.education or "", -1) for p in people], dtype=np.int8),
        group=group,
        zero=np.array([hh in zero_hh for _, hh in keep], dtype=bool),
        poor=np.array([hh in poor_hh for _, hh in keep], dtype=bool),
        tie=tie,
        codes=codes,
        trained=trained,
        by_group={g: np.flatnonzero(group == g) for g in (_NONE, _IN, _OUT, _OTHER)},
        index={p.key: i for i, p in enumerate(people)},
        not_candidates=why_not,
        all_people=all_people,
    )
    return pool, unmatched


# ---------------------------------------------------------------------------- one demand


@dataclass(slots=True)
class _Job:
    row: DemandRow
    codes: list[int]
    age_min: int | None
    age_max: int | None
    edu_min: int | None
    idx: np.ndarray[Any, Any]  # eligible candidates, best first (a prefix while enough)
    score: np.ndarray[Any, Any]  # their scores
    everyone: np.ndarray[Any, Any] | None = None  # all eligible, for `--person`
    cap: int = 0


def _trade_points(
    codes: np.ndarray[Any, Any], job_codes: list[int], pol: MatchingPolicy
) -> np.ndarray[Any, Any]:
    pts = np.zeros(codes.shape[0])
    valid = codes >= 0
    for jc in job_codes:
        same = ((codes == jc) & valid).any(axis=1)
        minor = ((codes // 100 == jc // 100) & valid).any(axis=1) & bool((jc // 100) % 100)
        middle = ((codes // 10000 == jc // 10000) & valid).any(axis=1) & bool((jc // 10000) % 100)
        got = np.where(
            same,
            pol.trade_same_code,
            np.where(minor, pol.trade_same_minor, np.where(middle, pol.trade_same_middle, 0.0)),
        )
        pts = np.maximum(pts, got)
    return pts


def _eligible(pool: _Pool, job: _Job, pol: MatchingPolicy) -> np.ndarray[Any, Any]:
    """The candidates who pass every hard filter the demand states and their data can test."""
    groups = _GROUPS_FOR_REGION[job.row.region] if pol.filter_region else (_NONE, _IN, _OUT, _OTHER)
    idx = np.sort(np.concatenate([pool.by_group[g] for g in groups]))
    ok = np.ones(len(idx), dtype=bool)
    if pol.filter_age and (job.age_min is not None or job.age_max is not None):
        age = pool.age[idx]
        known = age >= 0
        if job.age_min is not None:
            ok &= ~known | (age >= job.age_min)
        if job.age_max is not None:
            ok &= ~known | (age <= job.age_max)
    if pol.filter_education and job.edu_min is not None:
        edu = pool.edu[idx]
        ok &= (edu < 0) | (edu >= job.edu_min)
    return idx[ok]


def _scores(pool: _Pool, job: _Job, idx: np.ndarray[Any, Any], pol: MatchingPolicy) -> np.ndarray[Any, Any]:
    score = _trade_points(pool.codes[idx], job.codes, pol)
    if job.codes and (pool.trained[idx] >= 0).any():
        trained = np.zeros(len(idx), dtype=bool)
        for jc in job.codes:
            trained |= (pool.trained[idx] == jc).any(axis=1)
        score = score + np.where(trained, pol.trained_in_trade, 0.0)
    wanted = {"县外": _OUT, "县内": _IN}.get(job.row.region or "")
    if wanted is not None:
        score = score + np.where(pool.group[idx] == wanted, pol.stated_intention, 0.0)
    score = score + np.where(pool.zero[idx], pol.zero_employment_household, 0.0)
    score = score + np.where(pool.poor[idx], pol.poor_household, 0.0)
    return np.round(score, 4)


def _ranked(
    pool: _Pool, job: _Job, idx: np.ndarray[Any, Any], score: np.ndarray[Any, Any], k: int
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The best ``k`` of ``idx`` (score, then household, then ID), in order."""
    key = -np.round(score * 10000).astype(np.int64) * _TIE + pool.tie[idx]
    part = np.argpartition(key, k)[:k] if k < len(idx) else np.arange(len(idx))
    part = part[np.argsort(key[part], kind="stable")]
    return idx[part], score[part]


# ---------------------------------------------------------------------------- the whole


def match(
    conn: Connection,
    d: dt.date,
    ages: LabourForceAges,
    pol: MatchingPolicy,
    *,
    village: tuple[str | None, str] | None = None,
    person: str | None = None,
    placed: Placements | None = None,
) -> Match:
    """The proposals at D (those of one village's people with ``village``); with ``person``
    (an ID or person key) the answer for that person, job by job. ``placed``: the
    placements to match against (default: every answer recorded, the sheets at D)."""
    if placed is None:
        placed = placements(conn, d)
    all_rows = demand_rows(conn, placed)
    open_rows = [r for r in all_rows if r.is_open(d)]
    trades = trades_for(pol)
    pool, unmatched = _pool(conn, d, ages, trades, placed.placed_persons())
    out = Match(as_of=d, open_demands=open_rows, candidates=len(pool.people))
    edu_rank = EDUCATION_RANK
    stored = {r["demand_id"]: r for r in stored_demands(conn)}
    jobs: list[_Job] = []
    job_unmatched: dict[str, int] = {}
    for r in open_rows:
        s = stored[r.demand_id]
        text = s["trade"] or s["job"]
        codes, missing = trades.read(text)
        if s["trade"]:
            for m in missing:
                job_unmatched[m] = job_unmatched.get(m, 0) + 1
        if not codes and s["trade"]:
            codes = trades.read(s["job"])[0]
        codes += [c for c in trades.read(s["skills"])[0] if c not in codes]
        jobs.append(
            _Job(
                row=r,
                codes=[code_num(c) for c in codes],
                age_min=s["age_min"],
                age_max=s["age_max"],
                edu_min=edu_rank.get(s["education"] or ""),
                idx=np.empty(0, dtype=np.int64),
                score=np.empty(0),
                cap=r.openings * pol.candidates_per_opening,
            )
        )
    refused: dict[str, set[int]] = {}
    for dem, pkey in placed.refused:
        if pkey in pool.index:
            refused.setdefault(dem, set()).add(pool.index[pkey])
    full: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]] = []
    for job in jobs:
        idx = _eligible(pool, job, pol)
        gone = refused.get(job.row.demand_id)
        if gone:
            idx = idx[~np.isin(idx, np.fromiter(gone, dtype=np.int64))]
        score = _scores(pool, job, idx, pol)
        full.append((idx, score))
        job.idx, job.score = _ranked(pool, job, idx, score, min(len(idx), job.cap * 4))
        if person is not None:
            job.everyone = idx
    chosen = _settle(pool, jobs, full, pol)
    for j, job in enumerate(jobs):
        for rank, (i, sc) in enumerate(chosen[j], start=1):
            p = pool.people[i]
            out.proposals.append(
                Proposal(
                    proposal_id=proposal_id(job.row.demand_id, p.key),
                    demand=job.row,
                    person=p,
                    score=float(sc),
                    reasons=_reasons(pool, job, i, trades, pol),
                    rank=rank,
                )
            )
    if village is not None:
        town, vil = village
        out.proposals = [
            p
            for p in out.proposals
            if p.person.village == vil and (town is None or p.person.township == town)
        ]
    terms = [(t, "技能特长", n) for t, n in unmatched.items()] + [
        (t, "工种", n) for t, n in job_unmatched.items()
    ]
    out.unmatched_terms = sorted(terms, key=lambda x: (-x[2], x[1], x[0]))
    if person is not None:
        _explain(out, pool, jobs, full, chosen, person, placed, pol)
    return out


def _settle(
    pool: _Pool,
    jobs: list[_Job],
    full: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]],
    pol: MatchingPolicy,
) -> list[list[tuple[int, float]]]:
    """Deferred acceptance under both caps: per job its candidates, best first."""
    limit = pol.jobs_per_person
    pos = [0] * len(jobs)
    accepted: list[dict[int, float]] = [{} for _ in jobs]
    held: dict[int, list[tuple[tuple[float, float, str], int]]] = {}
    queue = list(range(len(jobs)))
    while queue:
        j = queue.pop()
        job = jobs[j]
        while len(accepted[j]) < job.cap:
            if pos[j] >= len(job.idx):
                if len(job.idx) >= len(full[j][0]):
                    break
                idx, score = full[j]
                job.idx, job.score = _ranked(
                    pool, job, idx, score, min(len(idx), max(2 * len(job.idx), job.cap * 4))
                )
                continue
            i, sc = int(job.idx[pos[j]]), float(job.score[pos[j]])
            pos[j] += 1
            accepted[j][i] = sc
            mine = held.setdefault(i, [])
            # The person's preference: higher score, then earlier 登记日期, then demand id.
            heapq.heappush(mine, ((sc, _neg_date(job.row.registered), _neg_text(job.row.demand_id)), j))
            if len(mine) > limit:
                _, worst = heapq.heappop(mine)
                del accepted[worst][i]
                if worst != j:
                    queue.append(worst)
    out: list[list[tuple[int, float]]] = []
    for j in range(len(jobs)):
        order = sorted(accepted[j].items(), key=lambda kv: (-kv[1], int(pool.tie[kv[0]])))
        out.append(order)
    return out


def _neg_date(d: dt.date) -> float:
    # Higher is better in the person's heap (a min-heap of the worst): earlier dates rank higher.
    return float(-d.toordinal())


def _neg_text(s: str) -> str:
    # A smaller demand id ranks higher: map each character to its complement.
    return "".join(chr(0x10FFFF - ord(c)) for c in s)


def _reasons(pool: _Pool, job: _Job, i: int, trades: Trades, pol: MatchingPolicy) -> list[str]:
    """One reason per piece of evidence, in Chinese."""
    out: list[str] = []
    p = pool.people[i]
    best: tuple[int, str, int] | None = None
    for t in _skill_terms(p.skills):
        for c in trades.codes(t):
            for jc in job.codes:
                k = closeness(code_num(c), jc)
                if k and (best is None or k > best[0]):
                    best = (k, t, jc)
    if best is not None:
        k, term, jc = best
        code = _code_text(jc)
        name = trades.names.get(code, code)
        how = {3: "工种相符", 2: "同一小类", 1: "同一中类"}[k]
        pts = {3: pol.trade_same_code, 2: pol.trade_same_minor, 1: pol.trade_same_middle}[k]
        out.append(f"技能特长 {term} 与岗位工种 {name} ({code}) {how} +{pts:g}")
    if (
        job.codes
        and (pool.trained[i] >= 0).any()
        and any(int(c) in job.codes for c in pool.trained[i] if c >= 0)
    ):
        out.append(f"受过该工种培训 +{pol.trained_in_trade:g}")
    wanted = {"县外": _OUT, "县内": _IN}.get(job.row.region or "")
    if wanted is not None and pool.group[i] == wanted:
        out.append(f"就业意愿 {p.intention} +{pol.stated_intention:g}")
    if pool.zero[i]:
        out.append(f"零就业家庭 +{pol.zero_employment_household:g}")
    if pool.poor[i]:
        out.append(f"脱贫户或易地搬迁户 +{pol.poor_household:g}")
    if pool.age[i] < 0 and (job.age_min is not None or job.age_max is not None):
        out.append("年龄不详, 未按年龄要求筛选")
    if pool.edu[i] < 0 and job.edu_min is not None:
        out.append("文化程度不详, 未按文化程度要求筛选")
    if job.row.gender:
        out.append(f"岗位性别要求 {job.row.gender} (仅供参考, 不作筛选)")
    return out


def _skill_terms(text: str | None) -> list[str]:
    from laborcli.jobs.trades import terms_of

    return terms_of(text)


def _code_text(n: int) -> str:
    s = f"{n:07d}"
    return f"{s[0]}-{s[1:3]}-{s[3:5]}-{s[5:7]}"


def _explain(
    out: Match,
    pool: _Pool,
    jobs: list[_Job],
    full: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]],
    chosen: list[list[tuple[int, float]]],
    person: str,
    placed: Placements,
    pol: MatchingPolicy,
) -> None:
    """`match --person`: for each open demand, proposed or the filter that failed."""
    key = _person_key(person, pool)
    p = pool.all_people.get(key) if key else None
    if p is None:
        out.subject = person
        out.jobs = [Why(j.row, False, None, "截至该日不在任何村的花名册中") for j in jobs]
        return
    out.subject = p.id_number or p.name
    i = pool.index.get(key or "")
    for j, job in enumerate(jobs):
        d = job.row
        if i is None:
            out.jobs.append(Why(d, False, None, pool.not_candidates.get(key or "", "不是候选人")))
            continue
        mine = dict(chosen[j])
        if i in mine:
            rank = [x for x, _ in chosen[j]].index(i) + 1
            out.jobs.append(
                Why(d, True, proposal_id(d.demand_id, p.key), f"已推荐, 第{rank}名, 得分 {mine[i]:g}")
            )
            continue
        if (d.demand_id, p.key) in placed.refused:
            out.jobs.append(Why(d, False, None, "本人对该岗位反馈 不愿意 (已记录), 不再推荐"))
            continue
        failed = _failed_filter(pool, job, i, pol)
        if failed:
            out.jobs.append(Why(d, False, None, failed))
            continue
        idx, score = full[j]
        at = int(np.flatnonzero(idx == i)[0])
        key_all = -np.round(score * 10000).astype(np.int64) * _TIE + pool.tie[idx]
        place = int((key_all < key_all[at]).sum()) + 1
        if place <= job.cap:
            why = f"符合条件 (第{place}名), 但本人已推荐到得分更高的岗位 (每人最多推荐数已满)"
        else:
            why = f"符合条件, 但排第{place}名, 超出本岗位推荐名额 {job.cap} 名"
        out.jobs.append(Why(d, False, None, why))


def _failed_filter(pool: _Pool, job: _Job, i: int, pol: MatchingPolicy) -> str | None:
    """The hard filter that keeps candidate ``i`` from ``job``, in Chinese."""
    g = int(pool.group[i])
    if pol.filter_region and g not in _GROUPS_FOR_REGION[job.row.region]:
        intention = pool.people[i].intention
        return f"岗位区域为{job.row.region}, 本人就业意愿为 {intention}"
    age = int(pool.age[i]) if pol.filter_age else -1
    if age >= 0 and job.age_min is not None and age < job.age_min:
        return f"年龄 {age} 岁, 低于岗位要求 {job.age_min} 岁"
    if age >= 0 and job.age_max is not None and age > job.age_max:
        return f"年龄 {age} 岁, 超过岗位要求 {job.age_max} 岁"
    edu = int(pool.edu[i]) if pol.filter_education else -1
    if edu >= 0 and job.edu_min is not None and edu < job.edu_min:
        return f"文化程度 {pool.people[i].education}, 低于岗位要求"
    return None


def _person_key(text: str, pool: _Pool) -> str | None:
    """An ID (or a person key) to the person key of the current state."""
    if text in pool.all_people:
        return text
    c = idcard.check_id(text.strip(), dt.date.today())
    if c.valid and c.normalised:
        return verified_key(c.normalised) if verified_key(c.normalised) in pool.all_people else None
    for k, p in pool.all_people.items():
        if p.id_number and p.id_number.upper() == text.strip().upper():
            return k
    return None

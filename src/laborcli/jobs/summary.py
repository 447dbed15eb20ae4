"""The Friday supply-demand session (逢五供需对接): per township, the open jobs its people are
proposed for, the candidates proposed and the placements of the week.

Week W is seen as it stood on its Friday, the day of the session (the same reference date
as the Friday ranking): the demands open then, the proposals `match` makes then, and the
answers recorded by then. The week's placements are those of the seven days ending on
that Friday (Saturday to Friday): a pair (demand, person) placed on the Friday and not on
the Friday before, that is an 已上岗 answer recorded in those days or a sheet of those
days that names the company (docs/programmes.md, "Matching people to jobs"). So every
placement falls in exactly one week, and none after the session that reports it.

A job is open to the whole county, so a township's row counts the open jobs proposed to
its people: one job proposed in two townships is in both rows, and once in the total,
which also counts the open jobs for which nobody was proposed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.dates import week_friday, week_label
from laborcli.jobs.demand import DemandRow
from laborcli.jobs.matching import demand_rows, match, proposal_id
from laborcli.jobs.placements import REFUSED, WILLING, Placements, placements
from laborcli.policy import LabourForceAges, MatchingPolicy
from laborcli.registry.tables import answers, demands, links, rows
from laborcli.roster.state import CurrentState, latest_snapshots, person_key_expr

NOT_LISTED = "(不在册)"
KEYS = (
    "open_demands",
    "openings",
    "unfilled",
    "candidates",
    "proposals",
    "placements",
    "placed_answered",
    "placed_from_sheet",
    "willing",
    "refused",
)


@dataclass(slots=True)
class WeekPlacement:
    """A placement of the week: who, where, in which demand, and how it was learnt."""

    proposal_id: str
    demand: DemandRow
    township: str
    village: str
    name: str
    how: str  # "answer" (已上岗 recorded) or "sheet" (a later sheet names the company)

    def as_json(self) -> dict[str, Any]:
        """A ``placed`` entry of docs/json.md#match-summary."""
        return {
            "proposal_id": self.proposal_id,
            "demand_id": self.demand.demand_id,
            "company": self.demand.company,
            "job": self.demand.job,
            "township": self.township,
            "village": self.village,
            "name": self.name,
            "how": self.how,
        }


@dataclass(slots=True)
class SupplyDemand:
    """`laborcli match summary`: week W's session, per township and for the county."""

    year: int
    week: int
    as_of: dt.date  # the week's Friday
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, Any] = field(default_factory=dict)
    jobs: list[dict[str, Any]] = field(default_factory=list)
    placed: list[WeekPlacement] = field(default_factory=list)

    @property
    def since(self) -> dt.date:
        """The first day of the week's placements (the Saturday before the Friday)."""
        return self.as_of - dt.timedelta(days=6)

    @property
    def label(self) -> str:
        """2026-W49."""
        return week_label(self.year, self.week)

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of docs/json.md#match-summary."""
        return {
            "week": self.label,
            "as_of": self.as_of.isoformat(),
            "from": self.since.isoformat(),
            "rows": self.rows,
            "total": self.total,
            "jobs": self.jobs,
            "placed": [p.as_json() for p in self.placed],
        }


def _pairs(p: Placements) -> set[tuple[str, str]]:
    return {(d, k) for d, ks in p.answered.items() for k in ks} | {
        (d, k) for d, ks in p.from_sheet.items() for k in ks
    }


def _people(conn: Connection, d: dt.date, keys: set[str]) -> dict[str, tuple[str, str, str]]:
    """(乡镇, 村, 姓名) of ``keys`` (person keys) in the current state at D."""
    if not keys:
        return {}
    pk = person_key_expr()
    out: dict[str, tuple[str, str, str]] = {}
    wanted = sorted(keys)
    with CurrentState.kept(conn, d) as state:
        for i in range(0, len(wanted), 500):
            q = (
                sa.select(pk.label("pkey"), rows.c.township, rows.c.village, rows.c.name)
                .outerjoin(links, links.c.person_key == rows.c.person_key)
                .where(state.condition(), pk.in_(wanted[i : i + 500]))
            )
            for r in conn.execute(q):
                out[r.pkey] = (r.township, r.village, r.name)
    return out


def _answers_of_week(conn: Connection, start: dt.date, end: dt.date) -> list[tuple[str, str, str]]:
    """(demand, person key, answer) of the answers recorded from ``start`` to ``end``."""
    q = sa.select(answers.c.demand_id, answers.c.person_key, answers.c.answer).where(
        answers.c.recorded_at >= dt.datetime.combine(start, dt.time()),
        answers.c.recorded_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
    )
    return [(r[0], r[1], r[2]) for r in conn.execute(q)]


def has_demands(conn: Connection) -> bool:
    """Whether any demand was ever imported (a county that uses no demand sheets gets no
    供需对接 sheet in its handout)."""
    return conn.execute(sa.select(demands.c.demand_id).limit(1)).first() is not None


def supply_demand(
    conn: Connection, year: int, week: int, ages: LabourForceAges, pol: MatchingPolicy
) -> SupplyDemand:
    """Week W's supply-demand session, as it stood on W's Friday."""
    fri = week_friday(year, week)
    before = fri - dt.timedelta(days=7)
    now_p = placements(conn, fri, answered_by=fri)
    then = _pairs(placements(conn, before, answered_by=before))
    m = match(conn, fri, ages, pol, placed=now_p)
    out = SupplyDemand(year=year, week=week, as_of=fri)
    by_id = {r.demand_id: r for r in demand_rows(conn, now_p)}
    new = sorted(_pairs(now_p) - then)
    week_answers = _answers_of_week(conn, out.since, fri)
    who = _people(conn, fri, {k for _, k in new} | {k for _, k, _ in week_answers})
    for dem, key in new:
        town, village, name = who.get(key, (NOT_LISTED, "", ""))
        how = "answer" if key in now_p.answered.get(dem, set()) else "sheet"
        out.placed.append(WeekPlacement(proposal_id(dem, key), by_id[dem], town, village, name, how))
    out.placed.sort(key=lambda p: (p.township, p.village, p.name, p.demand.demand_id))

    towns = {
        r[0] for r in conn.execute(sa.select(latest_snapshots(fri).c.township).distinct()) if r[0] is not None
    }
    towns |= {p.person.township for p in m.proposals} | {p.township for p in out.placed}
    acc: dict[str | None, dict[str, Any]] = {t: _blank() for t in [*sorted(towns), None]}
    proposed: dict[str | None, set[str]] = {t: set() for t in acc}
    persons: dict[str | None, set[str]] = {t: set() for t in acc}
    per_job: dict[str, set[str]] = {}
    for p in m.proposals:
        for t in (p.person.township, None):
            proposed[t].add(p.demand.demand_id)
            persons[t].add(p.person.key)
            acc[t]["proposals"] += 1
        per_job.setdefault(p.demand.demand_id, set()).add(p.person.township)
    open_now = {r.demand_id: r for r in m.open_demands}
    proposed[None] = set(open_now)  # the county: every open job, proposed or not
    for t, ids in proposed.items():
        a = acc[t]
        a["open_demands"] = len(ids)
        a["openings"] = sum(open_now[i].openings for i in ids)
        a["unfilled"] = sum(open_now[i].openings - open_now[i].placed for i in ids)
        a["candidates"] = len(persons[t])
    for pl in out.placed:
        for t in (pl.township, None):
            acc[t]["placements"] += 1
            acc[t]["placed_answered" if pl.how == "answer" else "placed_from_sheet"] += 1
    for _, key, answer in week_answers:
        town = who.get(key, (NOT_LISTED, "", ""))[0]
        field_ = {WILLING: "willing", REFUSED: "refused"}.get(answer)
        if field_ is not None:
            for t in (town, None):
                acc.setdefault(t, _blank())[field_] += 1
    out.rows = [{"township": t, **acc[t]} for t in sorted(k for k in acc if k is not None)]
    out.total = {"township": None, **acc[None]}
    counts: dict[str, int] = {}
    for p in m.proposals:
        counts[p.demand.demand_id] = counts.get(p.demand.demand_id, 0) + 1
    out.jobs = [
        {
            "demand_id": r.demand_id,
            "company": r.company,
            "job": r.job,
            "place": r.place,
            "region": r.region,
            "wage": r.wage,
            "openings": r.openings,
            "placed": r.placed,
            "unfilled": r.openings - r.placed,
            "candidates": counts.get(r.demand_id, 0),
            "townships": sorted(per_job.get(r.demand_id, set())),
        }
        for r in m.open_demands
    ]
    return out


def _blank() -> dict[str, Any]:
    return dict.fromkeys(KEYS, 0)

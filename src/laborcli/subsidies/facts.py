"""The facts the subsidy rules and the leaders' list read, in one pass over the registry's
monthly observations up to D (tenure.observations): each person's outside spells (the
history layer's rule, ``tenure.spells_of``), what their row said at each observation (name,
ID, household, in the labour force), and which households were poor or relocated at each
observation date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.dates import years_before
from laborcli.policy import LabourForceAges
from laborcli.registry.tables import imports, links, rows
from laborcli.roster.figures import labour_force_expr
from laborcli.roster.state import drop_temporary, kept_table
from laborcli.subsidies.leaders import organiser_key
from laborcli.tenure import Observation, Observations, Spell, spells_of
from laborcli.tenure.runs import Runs, reach_first, reach_limit, reach_limits, spell_runs
from laborcli.tenure.spells import OBSERVED, dates_up_to, observation_of

Household = tuple[str, str, str]  # township, village, 户编号


@dataclass(frozen=True, slots=True)
class Row:
    """What a person's row said at one observation, beside the spell fields."""

    name: str
    id_number: str | None
    id_valid: bool
    household: Household | None
    labour_force: bool
    row_as_of: dt.date  # the sheet's date: earlier than the month when carried over


@dataclass(slots=True)
class PersonFacts:
    """One person's outside spells up to D and their rows."""

    pkey: str
    spells: list[Spell]
    rows: dict[dt.date, Row] = field(default_factory=dict)

    @property
    def latest(self) -> Row:
        """The person's latest row (name and ID shown on lines)."""
        return self.rows[max(self.rows)]


@dataclass(slots=True)
class Organised:
    """The persons an organiser organised in the year, and the rows behind them (each
    counted spell's latest observation)."""

    people: set[str] = field(default_factory=set)
    poor: set[str] = field(default_factory=set)
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Facts:
    """Everything the rules read, as of D."""

    as_of: dt.date
    dates: list[dt.date]
    people: dict[str, PersonFacts]
    poor_households: set[tuple[dt.date, Household]]
    organised: dict[str, Organised] = field(default_factory=dict)  # the year's, by organiser key

    def poor_at(self, household: Household | None, d: dt.date) -> bool:
        """Whether any member's row at ``d`` says poor or relocated."""
        return household is not None and (d, household) in self.poor_households


def organised_by(spell: Spell) -> str | None:
    """Who organised an outside spell: the 输出组织者 of its latest row that says
    是否组织化输出 = 是 (normalised; "" when that row names nobody), None when no row says so."""
    marked = [o for o in spell.observations if o.organised]
    if not marked:
        return None
    return organiser_key(marked[-1].organiser)


def organiser_named(spell: Spell) -> str:
    """The organiser as typed on that row (for explanations)."""
    marked = [o for o in spell.observations if o.organised]
    return (marked[-1].organiser or "").strip() if marked else ""


def _lf(m: Any, d: dt.date, ages: LabourForceAges) -> bool:
    """Whether the row's person is in the labour force at d (roster.figures' rule)."""
    if not m["status_in_lf"] or m["capacity_excluded"]:
        return False
    b = m["birth_eff"]
    if b is None:
        return True
    g = m["gender_eff"]
    lo, hi = (
        (ages.min_age_male, ages.max_age_male)
        if g == "男"
        else (ages.min_age_female, ages.max_age_female)
        if g == "女"
        else (ages.min_age, ages.max_age)
    )
    return bool(b <= years_before(d, lo) and b > years_before(d, hi + 1))


_FIELDS = (
    *OBSERVED,
    rows.c.as_of.label("row_as_of"),
    rows.c.household_id,
    rows.c.name,
    rows.c.id_number,
    rows.c.id_valid,
    rows.c.birth_eff,
    rows.c.gender_eff,
    rows.c.status_in_lf,
    rows.c.capacity_excluded,
    rows.c.poor,
)


def gather(
    conn: Connection,
    as_of: dt.date,
    ages: LabourForceAges,
    min_months: int,
    keys: Collection[str] | None = None,
    year: int | None = None,
    *,
    placements: bool = True,
) -> Facts:
    """The facts as of D. For the county (no ``keys``), the outside spells are computed in
    SQL (tenure.runs): the people each organiser organised in ``year`` are counted there,
    and only the persons with a spell that may earn a placement line in ``year`` have
    their observations read into Python, where the rule decides and explains. ``keys``:
    one person's history only, kept whatever it holds (for "why not"). Without
    ``placements`` (the leaders' list) no one's observations are read into Python."""
    dates = dates_up_to(conn, as_of)
    if keys is not None:
        # One person's rows; their household's members are anyone's: whether a member's row
        # is the one observed is judged over the county's observations, as for the list.
        with Observations.kept(conn, dates, keys) as obs, Observations.kept(conn, dates) as county:
            people, poor = _people(conn, obs, None, dates, ages, min_months, every=True, households=county)
        return Facts(as_of, dates, people, poor)
    y = as_of.year if year is None else year
    with (
        Observations.kept(conn, dates) as obs,
        _organised_keys(conn) as among,
        spell_runs(conn, obs, "outside", among) as runs,
    ):
        organised = _organised_in_year(conn, obs, runs, y, as_of)
        if not placements:
            return Facts(as_of, dates, {}, set(), organised)
        with _candidates(conn, obs, runs, y, min_months, ages) as chosen:
            people, poor = _people(conn, obs, chosen, dates, ages, min_months, every=False)
    return Facts(as_of, dates, people, poor, organised)


def _people(
    conn: Connection,
    obs: Observations,
    among: sa.Table | None,
    dates: list[dt.date],
    ages: LabourForceAges,
    min_months: int,
    *,
    every: bool,
    households: Observations | None = None,
) -> tuple[dict[str, PersonFacts], set[tuple[dt.date, Household]]]:
    """The persons of ``among`` (all observed when None) with an organised outside row
    (everyone when ``every``): their spells and their rows at each observation; and which
    of their households were poor or relocated at each of their observations (judged on
    ``households``' observations when given, else on ``obs``')."""
    people: dict[str, PersonFacts] = {}
    poor: set[tuple[dt.date, Household]] = set()
    o = obs.select(*_FIELDS, among=among).subquery("o")
    hh_poor = (households or obs).household_poor(o.c.d, o.c.township, o.c.village, o.c.household_id)
    q = (
        sa.select(o, imports.c.file_name, hh_poor.label("household_poor"))
        .join(imports, imports.c.id == o.c.import_id)
        .order_by(o.c.pkey, o.c.d)
    )
    for pkey, group in itertools.groupby(conn.execute(q), key=lambda r: r.pkey):
        observed: list[Observation] = []
        their: dict[dt.date, Row] = {}
        wanted = every
        for r in group:
            m = r._mapping
            hh = (m["township"], m["village"], m["household_id"]) if m["household_id"] else None
            if hh is not None and m["household_poor"]:
                poor.add((m["d"], hh))
            wanted = wanted or bool(m["outside"] and m["organised"])
            observed.append(observation_of(m))
            their[m["d"]] = Row(
                m["name"],
                m["id_number"],
                bool(m["id_valid"]),
                hh,
                _lf(m, m["d"], ages),
                _date(m["row_as_of"]),
            )
        if wanted:
            people[pkey] = PersonFacts(pkey, spells_of(observed, dates, "outside", min_months), their)
    return people, poor


def _organised_in_year(
    conn: Connection, obs: Observations, runs: Runs, year: int, as_of: dt.date
) -> dict[str, Organised]:
    """By organiser key ("" unnamed): the distinct persons with an outside spell organised
    by it whose start is known and lies in [1 January Y, D]; poor are those in a poor or
    relocated household at the spell's latest observation; the sources are those latest
    observations' rows."""
    sp = runs.spells
    org = rows.alias("org_row")
    end = rows.alias("end_row")
    poor = obs.household_poor(sp.c.end_d, end.c.township, end.c.village, end.c.household_id)
    q = (
        sa.select(
            sp.c.pkey,
            org.c.organiser,
            poor.label("poor"),
            imports.c.file_name,
            end.c.sheet,
            end.c.row_number,
        )
        .select_from(
            sp.join(org, org.c.id == sp.c.org_rid)
            .join(end, end.c.id == sp.c.end_rid)
            .join(imports, imports.c.id == end.c.import_id)
        )
        .where(sp.c.start.is_not(None), sp.c.start >= dt.date(year, 1, 1), sp.c.start <= as_of)
        .order_by(sp.c.pkey, sp.c.first_i)
    )
    out: dict[str, Organised] = defaultdict(Organised)
    for r in conn.execute(q):
        o = out[organiser_key(r.organiser)]
        o.people.add(r.pkey)
        if r.poor:
            o.poor.add(r.pkey)
        o.sources.append({"source": r.file_name, "sheet": r.sheet, "row": r.row_number})
    return dict(out)


@contextmanager
def _candidates(
    conn: Connection,
    obs: Observations,
    runs: Runs,
    year: int,
    months: int,
    ages: LabourForceAges,
) -> Iterator[sa.Table]:
    """The person keys with an organised outside spell that reached ``months`` months in
    ``year`` on or before D, the person then in the labour force and their household poor
    or relocated (the conditions of ``rules.placement_check``, which decides), and every
    key a confirmed link ties (a linked person's other keys hold their other rows)."""
    md = sa.MetaData()
    reach = sa.Table(
        f"tmp_reach_{uuid.uuid4().hex[:10]}",
        md,
        sa.Column("i", sa.Integer, primary_key=True),
        sa.Column("d", sa.Date),
        sa.Column("t", sa.Date),
        prefixes=["TEMPORARY"],
    )
    reach.create(conn)
    try:
        if obs.dates:
            conn.execute(reach.insert(), reach_limits(obs.dates, months))
        sp, seen = runs.spells, runs.observed
        base = sa.func.coalesce(sp.c.start, sp.c.first_d)
        qi = (
            sa.select(sp.c.pkey, sp.c.start, sa.func.min(reach.c.i).label("q_i"))
            .select_from(
                sp.join(
                    reach,
                    sa.and_(reach.c.i >= sp.c.first_i, reach.c.i <= sp.c.end_i, reach.c.t >= base),
                )
            )
            .where(sp.c.org_rid.is_not(None))
            .group_by(sp.c.pkey, sp.c.g, sp.c.start)
            .subquery("cand_q")
        )
        qd = reach.alias("cand_qd")
        row = rows.alias("cand_row")
        lo, hi = reach_first(dt.date(year, 1, 1), months), reach_limit(dt.date(year, 12, 31), months)
        in_year = sa.case(
            (qi.c.start.is_not(None), sa.and_(qi.c.start >= lo, qi.c.start <= hi)),
            else_=sa.and_(qd.c.d >= dt.date(year, 1, 1), qd.c.d <= dt.date(year, 12, 31)),
        )
        # The qualifying observation's date as its own row says it (seen.d = qd.d): next to
        # the row in the plan, PostgreSQL then looks the household's sheets up by it.
        whens = [(seen.c.d == d, labour_force_expr(row.c, d, ages)) for d in obs.dates]
        lf = sa.case(*whens, else_=sa.false()) if whens else sa.false()  # no sheet yet: no dates
        poor = obs.household_poor(seen.c.d, row.c.township, row.c.village, row.c.household_id)
        found = sa.union(
            sa.select(qi.c.pkey.label("person_key"))
            .select_from(
                qi.join(qd, qd.c.i == qi.c.q_i)
                .join(seen, sa.and_(seen.c.pkey == qi.c.pkey, seen.c.i == qi.c.q_i))
                .join(row, row.c.id == seen.c.rid)
            )
            .where(in_year, lf, poor),
            sa.select(links.c.person_key),
            sa.select(links.c.canonical),
        ).subquery("cand_found")
        with kept_table(conn, "candidates", sa.select(found.c.person_key), "person_key", few=True) as t:
            yield t
    finally:
        drop_temporary(conn, reach.name)


@contextmanager
def _organised_keys(conn: Connection) -> Iterator[sa.Table]:
    """A temporary table of the person keys of every row that says 县外务工 and organised
    (read from the figure index alone; a row that is no one's observation does no harm,
    the spells are made of observations), and every key a confirmed link ties (a linked
    person's other keys hold their other rows)."""
    found = sa.union(
        sa.select(rows.c.person_key).where(rows.c.outside.is_(True), rows.c.organised.is_(True)),
        sa.select(links.c.person_key),
        sa.select(links.c.canonical),
    ).subquery("found")
    with kept_table(conn, "organised", sa.select(found.c.person_key), "person_key") as t:
        yield t


def _date(v: object) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))

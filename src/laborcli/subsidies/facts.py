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
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.dates import years_before
from laborcli.policy import LabourForceAges
from laborcli.registry.tables import imports, links, rows, snapshots
from laborcli.roster.state import drop_temporary
from laborcli.subsidies.leaders import organiser_key
from laborcli.tenure import Observation, Observations, Spell, observation_dates, spells_of
from laborcli.tenure.spells import OBSERVED, first_sheet_date, observation_of

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
class Facts:
    """Everything the rules read, as of D."""

    as_of: dt.date
    dates: list[dt.date]
    people: dict[str, PersonFacts]
    poor_households: set[tuple[dt.date, Household]]

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
) -> Facts:
    """The facts as of D; only persons with an organised outside row keep their spells
    (no rule reads anyone else's). ``keys``: one person's history only, kept whatever it
    holds (for "why not").

    The county's observations are not all read into Python: those persons' keys are found
    first (from the figure index alone), and only their rows are read; the households'
    poverty at each date is one query of its own (any member's row may say it).
    """
    first = first_sheet_date(conn)
    dates = observation_dates(first, as_of) if first is not None and first <= as_of else []
    people: dict[str, PersonFacts] = {}
    with Observations.kept(conn, dates, keys) as obs, _organised_keys(conn, obs, keys) as among:
        poor = _poor_households(conn, obs)
        o = obs.select(*_FIELDS, among=among).subquery("o")
        q = (
            sa.select(o, imports.c.file_name)
            .join(imports, imports.c.id == o.c.import_id)
            .order_by(o.c.pkey, o.c.d)
        )
        for pkey, group in itertools.groupby(conn.execute(q), key=lambda r: r.pkey):
            observed: list[Observation] = []
            their: dict[dt.date, Row] = {}
            wanted = False
            for r in group:
                m = r._mapping
                hh = (m["township"], m["village"], m["household_id"]) if m["household_id"] else None
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
            if wanted or keys is not None:
                spells = spells_of(observed, dates, "outside", min_months)
                people[pkey] = PersonFacts(pkey, spells, their)
    return Facts(as_of, dates, people, poor)


@contextmanager
def _organised_keys(
    conn: Connection, obs: Observations, keys: Collection[str] | None
) -> Iterator[sa.Table | None]:
    """A temporary table of the person keys with an organised outside observation, and
    every key a confirmed link ties (a linked person's other keys hold their other rows;
    a superset does no harm, the spells are judged row by row). None for one person's
    history (``keys``): their rows are few."""
    if keys is not None:
        yield None
        return
    o = obs.select(rows.c.person_key.label("raw"), rows.c.outside, rows.c.organised).subquery("org")
    found = sa.union(
        sa.select(o.c.raw.label("person_key")).where(o.c.outside.is_(True), o.c.organised.is_(True)),
        sa.select(links.c.person_key),
        sa.select(links.c.canonical),
    ).subquery("found")
    name = f"tmp_organised_{uuid.uuid4().hex[:10]}"
    into = sa.select(found.c.person_key).into(name, temporary=True)
    conn.execute(into)
    try:
        conn.exec_driver_sql(f"CREATE INDEX ix_{name} ON {name} (person_key)")
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"ANALYZE {name}")
        yield into.table
    finally:
        drop_temporary(conn, name)


def _poor_households(conn: Connection, obs: Observations) -> set[tuple[dt.date, Household]]:
    """(date, household) for every household that a row observed then marks poor or
    relocated (read from the figure index and the sheets' places, not the rows)."""
    o = obs.select(rows.c.snapshot_id, rows.c.household_id, rows.c.poor).subquery("poor_obs")
    q = (
        sa.select(o.c.d, snapshots.c.township, snapshots.c.village, o.c.household_id)
        .join(snapshots, snapshots.c.id == o.c.snapshot_id)
        .where(o.c.poor.is_(True), o.c.household_id.is_not(None))
        .distinct()
    )
    return {(_date(d), (t, v, hh)) for d, t, v, hh in conn.execute(q)}


def _date(v: object) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))

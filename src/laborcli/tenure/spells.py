"""Job spells (docs/programmes.md "Job spells and retention"): runs of consecutive
monthly observations of one person with a transferred status (an outside spell: 县外务工).

A date without an observation, or with another status, ends a spell. Its start is the
务工开始时间 of its first row when that is not later than the first observation and later
than the person's latest earlier observation ("given"); else the first observation's date
when the person was observed before ("estimated"); else unknown (the spell begins at the
person's first observation and nothing says when it began).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.registry.tables import imports, rows, snapshots
from laborcli.tenure.months import add_months, full_months, observation_dates
from laborcli.tenure.observations import Observations

Kind = Literal["transferred", "outside"]
StartKind = Literal["given", "estimated", "unknown"]


@dataclass(frozen=True, slots=True)
class Observation:
    """A person's row at one observation date, with the fields spells read."""

    d: dt.date
    pkey: str
    rid: int
    transferred: bool
    outside: bool
    status: str
    work_place: str | None
    employer: str | None
    organiser: str | None
    organised: bool | None
    job_start: dt.date | None
    monthly_income: float | None
    township: str
    village: str
    source: str
    sheet: str
    row: int


@dataclass(slots=True)
class Spell:
    """A run of observations; ``start`` is None when unknown."""

    kind: Kind
    start: dt.date | None
    start_kind: StartKind
    first_observation: dt.date
    end: dt.date
    months: int
    status: str
    work_place: str | None
    employer: str | None
    organiser: str | None
    organised: bool
    ongoing: bool
    reached_on: dt.date | None
    qualifying: dt.date | None
    observations: list[Observation] = field(default_factory=list)

    def lasted(self, n: int) -> bool:
        """Whether the spell has lasted at least ``n`` months (stable employment at n)."""
        return self.months >= n

    def as_json(self) -> dict[str, Any]:
        """For `person --format json`."""
        return {
            "kind": self.kind,
            "start": self.start,
            "start_kind": self.start_kind,
            "first_observation": self.first_observation,
            "end": self.end,
            "months": self.months,
            "status": self.status,
            "work_place": self.work_place,
            "employer": self.employer,
            "organiser": self.organiser,
            "organised": self.organised,
            "ongoing": self.ongoing,
            "reached_on": self.reached_on,
            "qualifying_observation": self.qualifying,
            "rows": [
                {"as_of": o.d, "source": o.source, "sheet": o.sheet, "row": o.row} for o in self.observations
            ],
        }


def spells_of(
    observed: Sequence[Observation], dates: Sequence[dt.date], kind: Kind, stable_months: int
) -> list[Spell]:
    """The spells of one person's observations (oldest first) over the dates observed."""
    by_date = {o.d: o for o in observed}

    def flag(o: Observation) -> bool:
        return o.transferred if kind == "transferred" else o.outside

    out: list[Spell] = []
    run: list[Observation] = []
    last = dates[-1] if dates else None
    for d in [*dates, None]:
        o = by_date.get(d) if d is not None else None
        if o is not None and flag(o):
            run.append(o)
            continue
        if run:
            out.append(_spell(kind, run, observed, stable_months, last))
            run = []
    return out


def _spell(
    kind: Kind,
    run: list[Observation],
    observed: Sequence[Observation],
    stable_months: int,
    last_date: dt.date | None,
) -> Spell:
    first, final = run[0], run[-1]
    earlier = [o.d for o in observed if o.d < first.d]
    before = max(earlier) if earlier else None
    js = first.job_start
    start: dt.date | None
    start_kind: StartKind
    if js is not None and js <= first.d and (before is None or js > before):
        start, start_kind = js, "given"
    elif before is not None:
        start, start_kind = first.d, "estimated"
    else:
        start, start_kind = None, "unknown"
    base = start if start is not None else first.d
    reached = add_months(base, stable_months)
    qualifying = next((o.d for o in run if o.d >= reached), None)
    return Spell(
        kind=kind,
        start=start,
        start_kind=start_kind,
        first_observation=first.d,
        end=final.d,
        months=full_months(base, final.d),
        status=final.status,
        work_place=final.work_place,
        employer=final.employer,
        organiser=final.organiser,
        organised=any(o.organised for o in run),
        ongoing=final.d == last_date,
        reached_on=reached,
        qualifying=qualifying,
        observations=list(run),
    )


def first_sheet_date(conn: Connection) -> dt.date | None:
    """The date of the registry's oldest sheet: the first month observed."""
    d = conn.execute(sa.select(sa.func.min(snapshots.c.as_of))).scalar_one()
    return None if d is None else (d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)))


# The columns of an observation that spells are made of (subsidies.facts reads these and more).
OBSERVED = (
    rows.c.transferred,
    rows.c.outside,
    rows.c.employment_status,
    rows.c.work_place,
    rows.c.employer,
    rows.c.organiser,
    rows.c.organised,
    rows.c.job_start,
    rows.c.monthly_income,
    rows.c.township,
    rows.c.village,
    rows.c.sheet,
    rows.c.row_number,
    rows.c.import_id,
)


def dates_up_to(conn: Connection, as_of: dt.date) -> list[dt.date]:
    """The observation dates from the month of the registry's oldest sheet to D (none
    before its first sheet)."""
    first = first_sheet_date(conn)
    return observation_dates(first, as_of) if first is not None and first <= as_of else []


def observations(
    conn: Connection, as_of: dt.date, keys: Collection[str] | None = None
) -> tuple[list[dt.date], Iterator[list[Observation]]]:
    """The observation dates up to D and, person by person, their observations (oldest
    first); only the persons of ``keys`` when given. The rows are read as they stream."""
    dates = dates_up_to(conn, as_of)

    def stream() -> Iterator[list[Observation]]:
        with Observations.kept(conn, dates, keys) as obs:
            o = obs.select(*OBSERVED).subquery("o")
            q = (
                sa.select(o, imports.c.file_name)
                .join(imports, imports.c.id == o.c.import_id)
                .order_by(o.c.pkey, o.c.d)
            )
            for _, group in itertools.groupby(conn.execute(q), key=lambda r: r.pkey):
                yield [observation_of(r._mapping) for r in group]

    return dates, stream()


def observation_of(m: Any) -> Observation:
    """An observation from a row of the observations query (its column names)."""
    return Observation(
        d=m["d"],
        pkey=m["pkey"],
        rid=m["rid"],
        transferred=bool(m["transferred"]),
        outside=bool(m["outside"]),
        status=m["employment_status"],
        work_place=m["work_place"],
        employer=m["employer"],
        organiser=m["organiser"],
        organised=m["organised"],
        job_start=m["job_start"],
        monthly_income=m["monthly_income"],
        township=m["township"],
        village=m["village"],
        source=m["file_name"],
        sheet=m["sheet"],
        row=m["row_number"],
    )


@dataclass(slots=True)
class PersonSpells:
    """One person's spells as of D: transferred and outside."""

    as_of: dt.date
    stable_months: int
    transferred: list[Spell]
    outside: list[Spell]

    def as_json(self) -> dict[str, Any]:
        """For `person --format json`."""
        return {
            "as_of": self.as_of,
            "stable_months": self.stable_months,
            "transferred": [s.as_json() for s in self.transferred],
            "outside": [s.as_json() for s in self.outside],
        }


def person_spells(
    conn: Connection, keys: Collection[str], as_of: dt.date, stable_months: int
) -> PersonSpells:
    """The spells of the person whose rows carry ``keys`` (roster.history.person_keys)."""
    dates, people = observations(conn, as_of, keys)
    observed = [o for group in people for o in group]
    # All keys of one person: one list, whatever key each row carries.
    observed.sort(key=lambda o: o.d)
    return PersonSpells(
        as_of,
        stable_months,
        spells_of(observed, dates, "transferred", stable_months),
        spells_of(observed, dates, "outside", stable_months),
    )


def current_spell_months(conn: Connection, as_of: dt.date) -> dict[str, int]:
    """Person key -> months lasted of the transferred spell going on at D, for every person
    transferred at D (a lower bound when its start is unknown): tenure.runs, in SQL."""
    from laborcli.tenure.runs import ongoing_spells  # runs builds on this module

    return {k: s.months for k, s in ongoing_spells(conn, as_of).items()}

"""Labour income (务工收入, docs/programmes.md "Labour income"): by place, per person, and
per capita of a household.

A person's labour income in year Y as of D adds, over the observation dates of Y up to D
(each month end, and D when it is not one), the 月收入 of each transferred observation. A
transferred observation without a believable income (none, or above the policy's
maximum), and a date with no observation, is an unknown month. One pass over the
observations sums each person; the current state at D says where they count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from laborcli.dates import FIRST_YEAR
from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.policy import LabourForceAges
from laborcli.registry.tables import rows, snapshots
from laborcli.roster.figures import LEVEL_COLUMNS, Level
from laborcli.roster.state import binary
from laborcli.roster.submissions import mark_stale, sheet_dates
from laborcli.tenure.months import observation_dates
from laborcli.tenure.observations import Observations, state_table

# docs/programmes.md: a 月收入 above this counts as unknown (the policy's
# [income] max_monthly_yuan sets the county's own).
DEFAULT_INCOME_MAX = 100_000.0


def year_dates(year: int, as_of: dt.date) -> list[dt.date]:
    """The observation dates of ``year`` up to ``as_of``."""
    if year > as_of.year:
        return []
    return observation_dates(dt.date(year, 1, 1), min(as_of, dt.date(year, 12, 31)))


def check_year(year: int, as_of: dt.date) -> None:
    """A year with no month on or before ``as_of`` (or not a year at all) is a usage error."""
    if not FIRST_YEAR <= year <= as_of.year:
        raise UsageError(
            pick(
                f"--year {year} 无效: 应为 {FIRST_YEAR} 至 {as_of.year} 之间的年份 (不晚于 --as-of)",
                f"--year {year} is not valid: a year from {FIRST_YEAR} to {as_of.year} (not after --as-of)",
            )
        )


@contextmanager
def _per_person(
    conn: Connection, year: int, as_of: dt.date, income_max: float, keys: Collection[str] | None = None
) -> Iterator[tuple[sa.Subquery, int]]:
    """(pkey, income, observed, unknown_observed) per person over the year's observations,
    and how many observation dates the year has up to D."""
    dates = year_dates(year, as_of)
    with Observations.kept(conn, dates, keys) as obs:
        o = obs.select(rows.c.transferred, rows.c.monthly_income).subquery("obs")
        known = sa.and_(o.c.monthly_income.is_not(None), o.c.monthly_income <= income_max)
        tr = o.c.transferred.is_(True)
        per = (
            sa.select(
                o.c.pkey,
                sa.func.sum(sa.case((sa.and_(tr, known), o.c.monthly_income), else_=0.0)).label("income"),
                sa.func.count().label("observed"),
                sa.func.sum(sa.case((sa.and_(tr, sa.not_(known)), 1), else_=0)).label("unknown"),
            )
            .group_by(o.c.pkey)
            .subquery("per_person")
        )
        yield per, len(dates)


Sums = dict[tuple[object, ...], tuple[float, int, int]]


def _observed_sums(
    conn: Connection,
    st: sa.Table,
    year: int,
    as_of: dt.date,
    income_max: float,
    by: Sequence[str],
    where: ColumnElement[bool],
) -> tuple[Sums, int]:
    """(income, observations, unknown transferred observations) over the year's dates up
    to D of the persons of the state table ``st`` that ``where`` keeps, summed by the
    columns ``by`` of ``st`` (their place or household at D); and how many dates.

    Each person is summed first, driven from ``st`` in person order into the
    (person_key, as_of, ...) index, which holds 月收入: person after person, that index is
    read in its own order and the observations are never sorted. The persons who may have
    two rows on a date come from ``winners`` instead.
    """
    dates = year_dates(year, as_of)
    out: Sums = {}
    if not dates:
        return out, 0
    with Observations.kept(conn, dates) as obs:
        lo = conn.execute(
            sa.select(sa.func.min(snapshots.c.as_of)).where(
                snapshots.c.id.in_(sa.select(obs.snaps.c.snapshot_id))
            )
        ).scalar_one()
        if lo is None:
            return out, len(dates)
        known = sa.and_(rows.c.monthly_income.is_not(None), rows.c.monthly_income <= income_max)
        tr = rows.c.transferred.is_(True)
        inc = sa.func.sum(sa.case((sa.and_(tr, known), rows.c.monthly_income), else_=0.0))
        unk = sa.func.sum(sa.case((sa.and_(tr, sa.not_(known)), 1), else_=0))
        # A person's columns of ``st`` are the same on each of their observations.
        keep = [sa.func.max(st.c[c]).label(f"k{i}") for i, c in enumerate(by)]
        plain = (
            sa.select(*keep, inc.label("inc"), sa.func.count().label("n"), unk.label("unk"))
            .select_from(
                st.join(
                    rows,
                    sa.and_(
                        rows.c.person_key == st.c.pkey,
                        # The snapshots current on the dates lie in this range: the index
                        # is read for those months of each person only.
                        rows.c.as_of >= lo,
                        rows.c.as_of <= dates[-1],
                    ),
                ).join(obs.snaps, obs.snaps.c.snapshot_id == rows.c.snapshot_id)
            )
            .where(where, st.c.pkey.not_in(sa.select(obs.several.c.person_key)))
            .group_by(st.c.pkey)
        )
        # Driven from the few winners into ``st`` by its person index.
        won = (
            sa.select(*keep, inc.label("inc"), sa.func.count().label("n"), unk.label("unk"))
            .select_from(
                obs.winners.join(st, st.c.pkey == obs.winners.c.pkey).join(
                    rows, rows.c.id == obs.winners.c.rid
                )
            )
            .where(where)
            .group_by(obs.winners.c.pkey)
        )
        for part in (plain, won):
            pp = part.subquery("per_person")
            ks = [pp.c[f"k{i}"] for i in range(len(by))]
            q = sa.select(*ks, sa.func.sum(pp.c.inc), sa.func.sum(pp.c.n), sa.func.sum(pp.c.unk)).group_by(
                *ks
            )
            for r in conn.execute(q):
                key = tuple(r[: len(by)])
                i0, n0, u0 = out.get(key, (0.0, 0, 0))
                out[key] = (i0 + float(r[-3] or 0.0), n0 + int(r[-2] or 0), u0 + int(r[-1] or 0))
    return out, len(dates)


@dataclass(slots=True)
class Income:
    """Labour income by place at D (docs/json.md#income)."""

    as_of: dt.date
    year: int
    by: str
    rows: list[dict[str, Any]]
    total: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of docs/json.md#income."""
        return {"as_of": self.as_of, "year": self.year, "by": self.by, "rows": self.rows, "total": self.total}


_SUMS = ("labour_income", "unknown_months", "transferred", "transferred_with_income", "income_at_d")


def _finish(place: dict[str, Any], sums: dict[str, Any]) -> dict[str, Any]:
    n = int(sums.get("transferred_with_income") or 0)
    at_d = float(sums.get("income_at_d") or 0.0)
    return {
        **place,
        "labour_income": float(sums.get("labour_income") or 0.0),
        "unknown_months": int(sums.get("unknown_months") or 0),
        "transferred": int(sums.get("transferred") or 0),
        "transferred_with_income": n,
        "average_monthly_income": at_d / n if n else None,
    }


def income(
    conn: Connection,
    year: int,
    as_of: dt.date,
    by: Level,
    ages: LabourForceAges,
    *,
    income_max: float = DEFAULT_INCOME_MAX,
) -> Income:
    """The labour force at D by place: labour income in the year and its unknown months,
    the transferred and those of them with a known 月收入 at D, and its average."""
    return incomes(conn, year, as_of, (by,), ages, income_max=income_max)[by]


def incomes(
    conn: Connection,
    year: int,
    as_of: dt.date,
    levels: Sequence[Level],
    ages: LabourForceAges,
    *,
    income_max: float = DEFAULT_INCOME_MAX,
) -> dict[Level, Income]:
    """``income`` at several levels from one pass: the finest level's sums, added up by
    place for the coarser ones (every figure is a sum until the average)."""
    check_year(year, as_of)
    finest = max(levels, key=lambda lv: len(LEVEL_COLUMNS[lv]))
    names = list(LEVEL_COLUMNS[finest])
    with state_table(conn, as_of, ages) as st:
        lf = st.c.lf == 1
        tr_known = sa.and_(
            lf,
            st.c.transferred == 1,
            st.c.monthly_income.is_not(None),
            st.c.monthly_income <= income_max,
        )
        cols = [st.c[c] for c in names]
        q = (
            sa.select(
                *cols,
                sa.func.sum(sa.case((lf, 1), else_=0)).label("lf"),
                sa.func.sum(sa.case((sa.and_(lf, st.c.transferred == 1), 1), else_=0)).label("transferred"),
                sa.func.sum(sa.case((tr_known, 1), else_=0)).label("transferred_with_income"),
                sa.func.sum(sa.case((tr_known, st.c.monthly_income), else_=0.0)).label("income_at_d"),
            )
            .group_by(*cols)
            .order_by(*[binary(c, conn.dialect.name) for c in cols])
        )
        raw = [dict(r._mapping) for r in conn.execute(q)]
        sums, n_dates = _observed_sums(conn, st, year, as_of, income_max, names, lf)
    for r in raw:
        income_, observed, unknown = sums.get(tuple(r[c] for c in names), (0.0, 0, 0))
        r["labour_income"] = income_
        # A date without an observation is an unknown month, as is a transferred one
        # without a believable income.
        r["unknown_months"] = n_dates * int(r["lf"] or 0) - observed + unknown
    stale = sheet_dates(conn, as_of) if {"village", "group"} & set(levels) else {}
    return {lv: _income_at(added_up(raw, names, LEVEL_COLUMNS[lv]), lv, as_of, year, stale) for lv in levels}


def added_up(raw: list[dict[str, Any]], names: Sequence[str], keep: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of sums by the columns ``names`` added up by the columns ``keep`` (a prefix of
    ``names``), in the order of ``keep`` by code point (the rows' SQL order)."""
    if list(keep) == list(names):
        return raw
    acc: dict[tuple[object, ...], dict[str, Any]] = {}
    for r in raw:
        k = tuple(r[c] for c in keep)
        a = acc.get(k)
        if a is None:
            acc[k] = {c: r[c] for c in keep} | {n: v for n, v in r.items() if n not in names}
            continue
        for n, v in r.items():
            if n not in names:
                a[n] = (a[n] or 0) + (v or 0)
    return [acc[k] for k in sorted(acc, key=lambda t: tuple("" if x is None else str(x) for x in t))]


def _income_at(
    raw: list[dict[str, Any]], by: Level, as_of: dt.date, year: int, stale: dict[Any, dt.date]
) -> Income:
    out = [_finish(_place(r, by), r) for r in raw]
    total = _finish(
        {"township": None, "village": None, "group": None},
        {k: sum((r[k] or 0) for r in raw) for k in _SUMS},
    )
    if by in ("village", "group"):
        mark_stale(out, stale, as_of)
    if by == "county":  # one row, the county: the total itself
        out = [dict(total)]
    return Income(as_of, year, by, out, total)


def _place(r: dict[str, Any], by: Level) -> dict[str, Any]:
    return {
        "township": r.get("township"),
        "village": r.get("village"),
        "group": (r.get("grp") or None) if by == "group" else None,
    }


@dataclass(slots=True)
class PersonIncome:
    """One person's labour income in a year as of D."""

    year: int
    as_of: dt.date
    labour_income: float
    unknown_months: int
    months: int

    def as_json(self) -> dict[str, Any]:
        """For `person --format json`."""
        return {
            "year": self.year,
            "as_of": self.as_of,
            "labour_income": self.labour_income,
            "unknown_months": self.unknown_months,
            "months": self.months,
        }


def person_income(
    conn: Connection,
    keys: Collection[str],
    year: int,
    as_of: dt.date,
    *,
    income_max: float = DEFAULT_INCOME_MAX,
) -> PersonIncome:
    """The labour income of the person whose rows carry ``keys`` (roster.history.person_keys)."""
    with _per_person(conn, year, as_of, income_max, keys) as (per, n_dates):
        q = sa.select(
            sa.func.coalesce(sa.func.sum(per.c.income), 0.0),
            sa.func.coalesce(sa.func.sum(per.c.observed), 0),
            sa.func.coalesce(sa.func.sum(per.c.unknown), 0),
        )
        inc, observed, unknown = conn.execute(q).one()
    return PersonIncome(year, as_of, float(inc), n_dates - int(observed) + int(unknown), n_dates)


def person_incomes(
    conn: Connection, year: int, as_of: dt.date, *, income_max: float = DEFAULT_INCOME_MAX
) -> tuple[dict[str, tuple[float, int]], int]:
    """Person key -> (labour income in ``year`` as of D, unknown months) of every person
    observed in the year, and the year's number of months up to D (all of them unknown for
    a person not observed); for bulk outputs such as `export people`."""
    check_year(year, as_of)
    with _per_person(conn, year, as_of, income_max) as (per, n_dates):
        q = sa.select(per.c.pkey, per.c.income, per.c.observed, per.c.unknown)
        found = {
            r.pkey: (float(r.income or 0.0), n_dates - int(r.observed) + int(r.unknown or 0))
            for r in conn.execute(q)
        }
    return found, n_dates


# Where a household's population comes from (``HouseholdIncome.population_from``), as the
# explanations of the subsidy and honours lines say it.
POPULATION_FROM = {
    "head": "户主行的家庭人口数",
    "largest": "各成员行中最大的家庭人口数",
    "members": "在册成员数",
}


@dataclass(slots=True)
class HouseholdIncome:
    """A household's labour income in the year and per capita (docs/programmes.md)."""

    township: str
    village: str
    household_id: str
    members: int
    population: int
    population_from: str  # "head" (户主's 家庭人口数), "largest" (of its rows), "members"
    labour_income: float
    unknown_months: int

    @property
    def per_capita(self) -> float:
        """The household's labour income per person of its population."""
        return self.labour_income / self.population if self.population else 0.0

    def as_json(self) -> dict[str, Any]:
        """For JSON outputs."""
        return {
            "township": self.township,
            "village": self.village,
            "household_id": self.household_id,
            "members": self.members,
            "population": self.population,
            "population_from": self.population_from,
            "labour_income": self.labour_income,
            "unknown_months": self.unknown_months,
            "per_capita_income": self.per_capita,
        }


@contextmanager
def _state_or_own(
    conn: Connection, as_of: dt.date, ages: LabourForceAges, state: sa.Table | None
) -> Iterator[sa.Table]:
    if state is not None:
        yield state
        return
    with state_table(conn, as_of, ages) as st:
        yield st


def household_incomes(
    conn: Connection,
    year: int,
    as_of: dt.date,
    ages: LabourForceAges,
    *,
    township: str | None = None,
    village: str | None = None,
    household_id: str | None = None,
    income_max: float = DEFAULT_INCOME_MAX,
    poor_only: bool = False,
    state: sa.Table | None = None,
) -> list[HouseholdIncome]:
    """Each household at D (its 户编号 within township and village) with its members'
    labour income in the year and its population: the 户主 row's 家庭人口数, else the
    largest 家庭人口数 of its rows, else the number of its members at D. ``poor_only``:
    only the households that a member's row at D marks poor or relocated (the award's
    households: the others' months are not read). ``state``: the caller's ``state_table``
    at D with these ``ages``, when it has one already."""
    check_year(year, as_of)
    with _state_or_own(conn, as_of, ages, state) as st:
        size = sa.case((st.c.household_size > 0, st.c.household_size))
        head = sa.func.max(sa.case((st.c.relation == "户主", size)))
        largest = sa.func.max(size)
        names = ("township", "village", "household_id")
        keys = [st.c[c] for c in names]
        mine = sa.and_(
            st.c.household_id.is_not(None),
            *[
                st.c[col] == value
                for col, value in zip(names, (township, village, household_id), strict=True)
                if value is not None
            ],
        )
        if poor_only:
            mark = st.alias("poor_member")
            poor = (
                sa.select(mark.c.township, mark.c.village, mark.c.household_id)
                .join(rows, rows.c.id == mark.c.rid)
                .where(rows.c.poor.is_(True))
            )
            mine = sa.and_(mine, sa.tuple_(*keys).in_(poor))
        q = (
            sa.select(
                *keys,
                sa.func.count().label("members"),
                head.label("head"),
                largest.label("largest"),
            )
            .where(mine)
            .group_by(*keys)
            .order_by(*[binary(k, conn.dialect.name) for k in keys])
        )
        found = conn.execute(q).all()
        sums, n_dates = _observed_sums(conn, st, year, as_of, income_max, names, mine)
    out: list[HouseholdIncome] = []
    for r in found:
        if r.head is not None:
            pop, src = int(r.head), "head"
        elif r.largest is not None:
            pop, src = int(r.largest), "largest"
        else:
            pop, src = int(r.members), "members"
        income_, observed, unknown = sums.get((r.township, r.village, r.household_id), (0.0, 0, 0))
        out.append(
            HouseholdIncome(
                r.township,
                r.village,
                r.household_id,
                int(r.members),
                pop,
                src,
                income_,
                n_dates * int(r.members) - observed + unknown,
            )
        )
    return out

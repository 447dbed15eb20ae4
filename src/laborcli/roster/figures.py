"""The figures of docs/rules.md#the-labour-force and #transfers, computed in SQL over
the current state.

Every figure counts labour-force persons (aged within the policy's bounds at D, able to
work, not a student or conscript) once each; households are counted by 户编号 within
their village among those with a labour-force member. The current rows are aggregated
where they lie: one pass sums the labour force household by household into a small
temporary table, and every level, total and list is a query on that table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from laborcli.dates import years_before
from laborcli.policy import LabourForceAges
from laborcli.registry.tables import links, rows, snapshots
from laborcli.roster.state import CurrentState, binary, drop_temporary
from laborcli.roster.submissions import mark_stale, sheet_dates

Level = Literal["county", "township", "village", "group"]
LEVEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "county": (),
    "township": ("township",),
    "village": ("township", "village"),
    "group": ("township", "village", "grp"),
}
COUNT_KEYS = (
    "labour_force",
    "transferred",
    "outside_county",
    "organised_outside",
    "poor_labour_force",
    "poor_transferred",
    "new_transfers",
    "unknown_age",
    "unverified",
)
# Summed as they are from the household table (the poverty counts need the household).
_PLAIN = (
    "labour_force",
    "transferred",
    "outside_county",
    "organised_outside",
    "new_transfers",
    "unknown_age",
    "unverified",
)


def _age_between(birth: ColumnElement[Any], d: dt.date, lo: int, hi: int) -> ColumnElement[bool]:
    """lo <= age in full years at d <= hi, as comparisons on the birth date."""
    return sa.and_(birth <= years_before(d, lo), birth > years_before(d, hi + 1))


def zero_employment(labour_force: Any, transferred: Any) -> Any:
    """零就业家庭: a household with at least one labour-force member and none of them
    transferred (docs/rules.md#households). Works on counts and on SQL columns alike; a
    person without a 户编号 is a household of their own."""
    return (labour_force > 0) & (transferred == 0)


def labour_force_expr(c: Any, d: dt.date, ages: LabourForceAges) -> ColumnElement[bool]:
    """Whether a current row's person is in the labour force at d."""
    bounds = {
        (ages.min_age_male, ages.max_age_male),
        (ages.min_age_female, ages.max_age_female),
        (ages.min_age, ages.max_age),
    }
    if len(bounds) == 1:  # the same for everyone (the default): no test of gender per row
        ((lo, hi),) = bounds
        within = sa.or_(c.birth_eff.is_(None), _age_between(c.birth_eff, d, lo, hi))
        return sa.and_(c.status_in_lf.is_(True), c.capacity_excluded.is_(False), within)
    age_ok = sa.case(
        (c.birth_eff.is_(None), sa.true()),
        (c.gender_eff == "男", _age_between(c.birth_eff, d, ages.min_age_male, ages.max_age_male)),
        (c.gender_eff == "女", _age_between(c.birth_eff, d, ages.min_age_female, ages.max_age_female)),
        else_=_age_between(c.birth_eff, d, ages.min_age, ages.max_age),
    )
    return sa.and_(c.status_in_lf.is_(True), c.capacity_excluded.is_(False), age_ok)


def _as_int(e: ColumnElement[Any]) -> ColumnElement[int]:
    """A condition as 0/1, for summing."""
    return sa.case((e, 1), else_=0)


def started_this_year(d: dt.date, year: int) -> ColumnElement[int]:
    """1 when the person of a current row became transferred this year by their history.

    For a transferred person without 务工开始时间: the first sheet showing a transferred
    status falls within the year, and an earlier sheet showed another
    (docs/rules.md#new-transfers). A correlated lookup, evaluated only for such rows,
    through the (person_key, as_of, transferred) index; a linked person's history is that
    of every key tied to them.
    """
    h = rows.alias("hist")
    lk = links.alias("hl")
    lk2 = links.alias("hl2")
    canon = sa.func.coalesce(
        sa.select(lk.c.canonical)
        .where(lk.c.person_key == rows.c.person_key)
        .correlate_except(lk)
        .scalar_subquery(),
        rows.c.person_key,
    )
    linked = sa.or_(
        rows.c.person_key.in_(sa.select(lk.c.person_key)),
        rows.c.person_key.in_(sa.select(lk.c.canonical)),
    )
    ft = sa.func.min(sa.case((h.c.transferred.is_(True), h.c.as_of)))
    fn = sa.func.min(sa.case((h.c.transferred.is_(False), h.c.as_of)))
    verdict = _as_int(sa.and_(fn < ft, ft >= dt.date(year, 1, 1)))

    def history(keys: ColumnElement[bool]) -> ColumnElement[int]:
        return sa.select(verdict).where(keys, h.c.as_of <= d).scalar_subquery()

    own = history(h.c.person_key == rows.c.person_key)
    # The keys as one set, not "= canon OR IN (...)": PostgreSQL reads a set of keys through
    # the person index, while the OR made it plan (and cost) a scan of every row per row.
    tied = sa.union(
        sa.select(canon.label("k")).correlate(rows),
        sa.select(lk2.c.person_key).where(lk2.c.canonical == canon).correlate(rows),
    )
    group = history(h.c.person_key.in_(tied))
    return sa.case((linked, group), else_=own)


@dataclass(slots=True)
class Scope:
    """What a figure table covers: the date, the ages, the year and the places."""

    d: dt.date
    ages: LabourForceAges
    year: int
    township: str | None = None
    village: str | None = None

    def current(self, state: CurrentState) -> ColumnElement[bool]:
        """The condition on ``rows`` that selects the current rows in scope."""
        if not self.township and not self.village:
            return state.condition()
        q = sa.select(snapshots.c.id).where(snapshots.c.id.in_(sa.select(state.snaps.c.id)))
        if self.township:
            q = q.where(snapshots.c.township == self.township)
        if self.village:
            q = q.where(snapshots.c.village == self.village)
        return state.condition(q)


def _household_counts(
    scope: Scope, state: CurrentState, by_group: bool, lists_only: bool
) -> sa.Select[tuple[object, ...]]:
    """Labour-force members summed per household (and group), with the household's poverty.

    ``lists_only``: only what the household lists need (who is in the labour force and who
    is transferred); new transfers and poverty are left at 0, which saves a lookup of
    history per person and a second pass for poverty.
    """
    d, year = scope.d, scope.year
    lf = labour_force_expr(rows.c, d, scope.ages)
    tr = rows.c.transferred.is_(True)
    out = rows.c.outside.is_(True)
    poor = rows.c.poor.is_(True)
    start = rows.c.job_start
    new: ColumnElement[int] = sa.case(
        (sa.not_(tr), 0),
        (start.is_(None), started_this_year(d, year)),
        (sa.and_(start >= dt.date(year, 1, 1), start <= d), 1),
        else_=0,
    )
    # Grouped in the order of the (snapshot_id, household_id, grp, ...) index: no sort; each
    # sheet's village is looked up for the households, not for every row.
    keys = [rows.c.snapshot_id, rows.c.household_id, *([rows.c.grp] if by_group else [])]
    s = snapshots.alias("ps")

    def named(part: sa.Subquery, *rest: ColumnElement[Any]) -> sa.Select[tuple[object, ...]]:
        grp = sa.func.coalesce(part.c.grp, "") if by_group else sa.literal("")
        return sa.select(
            part.c.snapshot_id,
            s.c.township,
            s.c.village,
            grp.label("grp"),
            part.c.household_id,
            *[part.c[k] for k in _PLAIN],
            part.c.own_poor,
            part.c.own_poor_transferred,
            *rest,
        ).join(s, s.c.id == part.c.snapshot_id)

    if lists_only:
        # Only the labour force's rows, and no poverty: who is in it and who is transferred.
        only = (
            sa.select(
                *keys,
                sa.func.count().label("labour_force"),
                sa.func.sum(_as_int(tr)).label("transferred"),
                *[sa.literal(0).label(k) for k in _PLAIN[2:]],
                sa.literal(0).label("own_poor"),
                sa.literal(0).label("own_poor_transferred"),
            )
            .where(scope.current(state), lf)
            .group_by(*keys)
            .subquery("part")
        )
        return named(only, sa.literal(0).label("poor_household"))

    def of_lf(e: ColumnElement[bool]) -> ColumnElement[int]:
        return sa.func.sum(_as_int(sa.and_(lf, e)))

    # Every current row of the household is summed, not only the labour force's: poverty
    # belongs to the household, so a 户主 marked 脱贫户 makes the spouse poor labour too,
    # whether or not the 户主 is in the labour force. One pass: no second reading of the
    # rows for poverty, and no join of the households with themselves by village and
    # 户编号 (which PostgreSQL's planner made a nested loop over every pair).
    part = (
        sa.select(
            *keys,
            sa.func.sum(_as_int(lf)).label("labour_force"),
            of_lf(tr).label("transferred"),
            of_lf(out).label("outside_county"),
            of_lf(sa.and_(out, rows.c.organised.is_(True))).label("organised_outside"),
            sa.func.sum(sa.case((sa.not_(lf), 0), else_=new)).label("new_transfers"),
            of_lf(rows.c.birth_eff.is_(None)).label("unknown_age"),
            of_lf(rows.c.id_valid.is_(False)).label("unverified"),
            of_lf(poor).label("own_poor"),
            of_lf(sa.and_(tr, poor)).label("own_poor_transferred"),
            sa.func.max(_as_int(poor)).label("any_poor"),
        )
        .where(scope.current(state))
        .group_by(*keys)
        .subquery("part")
    )
    # A village's household may be listed in its sheet and in an update after it (and, by
    # group, in two groups): poor when any of its current rows is. Without a 户编号 each
    # person is a household of their own, with their own poverty marks.
    whole = sa.func.max(part.c.any_poor).over(partition_by=(s.c.township, s.c.village, part.c.household_id))
    poor_household = sa.case((part.c.household_id.is_(None), 0), else_=whole)
    ranked = named(part, poor_household.label("poor_household")).subquery("ranked")
    return sa.select(*ranked.c).where(ranked.c.labour_force > 0)


@dataclass(slots=True)
class FigureTable:
    """A materialised household table, the scope it was built for and the current state."""

    table: sa.Table
    scope: Scope
    state: CurrentState
    by_group: bool
    # True when every village has one current sheet: a household is then one table row.
    one_sheet_per_village: bool

    def current(self) -> ColumnElement[bool]:
        """The condition on ``rows`` selecting the current rows in scope."""
        return self.scope.current(self.state)


@contextmanager
def figure_table(
    conn: Connection,
    d: dt.date,
    ages: LabourForceAges,
    *,
    year: int | None = None,
    township: str | None = None,
    village: str | None = None,
    by_group: bool = False,
    lists_only: bool = False,
) -> Iterator[FigureTable]:
    """The labour force at D summed by household, in a temporary table dropped afterwards.

    One row per household of each current sheet (and group, with ``by_group``); persons
    without a 户编号 are each a household of their own and are carried summed per sheet,
    with their own poverty marks. Temporary tables are private to this connection.
    """
    scope = Scope(d, ages, year if year is not None else d.year, township, village)
    with CurrentState.kept(conn, d) as state:
        name = f"tmp_households_{uuid.uuid4().hex[:12]}"
        hc = _household_counts(scope, state, by_group, lists_only).subquery("hc")
        into = sa.select(*hc.c).into(name, temporary=True)
        conn.execute(into)
        _add_places_without_labour(conn, into.table, scope, state, by_group)
        updates = conn.execute(
            sa.select(sa.func.count())
            .select_from(snapshots)
            .where(snapshots.c.id.in_(sa.select(state.snaps.c.id)), snapshots.c.mode != "snapshot")
        ).scalar_one()
        try:
            yield FigureTable(into.table, scope, state, by_group, updates == 0)
        finally:
            drop_temporary(conn, name)


def _add_places_without_labour(
    conn: Connection, t: sa.Table, scope: Scope, state: CurrentState, by_group: bool
) -> None:
    """A village (or group) with current persons but nobody in the labour force is still a
    place of the county: it is listed with zeros, not left out. One row of zeros each.
    """
    if by_group:
        grp = sa.func.coalesce(rows.c.grp, "")
        present = sa.select(t.c.snapshot_id, t.c.grp)
        wanted = sa.select(rows.c.snapshot_id, grp.label("grp")).where(
            sa.tuple_(rows.c.snapshot_id, grp).not_in(present)
        )
    else:  # only sheets with no row in the table at all: look at those alone
        missing = sa.select(state.snaps.c.id).where(state.snaps.c.id.not_in(sa.select(t.c.snapshot_id)))
        wanted = sa.select(rows.c.snapshot_id, sa.literal("").label("grp")).where(
            rows.c.snapshot_id.in_(missing)
        )
    places = wanted.where(scope.current(state)).distinct().subquery("empty")
    zeros = [sa.literal(0).label(k) for k in (*_PLAIN, "own_poor", "own_poor_transferred", "poor_household")]
    src = sa.select(
        places.c.snapshot_id,
        snapshots.c.township,
        snapshots.c.village,
        places.c.grp,
        sa.null().label("household_id"),
        *zeros,
    ).join(snapshots, snapshots.c.id == places.c.snapshot_id)
    names = ["snapshot_id", "township", "village", "grp", "household_id", *[z.name for z in zeros]]
    conn.execute(sa.insert(t).from_select(names, src))


@dataclass(slots=True)
class Rates:
    """Figures at one level, and the county (or filtered) total."""

    as_of: dt.date
    by: str
    rows: list[dict[str, Any]]
    total: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of docs/json.md#rates."""
        return {"as_of": self.as_of.isoformat(), "by": self.by, "rows": self.rows, "total": self.total}


def _ratio(n: int, d: int) -> float | None:
    return n / d if d else None


def _finish(raw: dict[str, Any]) -> dict[str, Any]:
    """Counts as integers in the order of docs/json.md#rates, then the rates."""
    r = {k: v for k, v in raw.items() if k in ("township", "village", "group")}
    for k in (*COUNT_KEYS, "households", "zero_employment_households"):
        r[k] = int(raw.get(k) or 0)
    r["transfer_rate"] = _ratio(r["transferred"], r["labour_force"])
    r["organised_rate"] = _ratio(r["organised_outside"], r["outside_county"])
    r["poor_transfer_rate"] = _ratio(r["poor_transferred"], r["poor_labour_force"])
    z = _ratio(r["zero_employment_households"], r["households"])
    r["coverage"] = None if z is None else 1 - z
    return r


def households_of(ft: FigureTable, by_group: bool) -> sa.Subquery | sa.Table:
    """One row per household (per household and group with ``by_group``).

    Rows without a 户编号 stay summed persons. Where every village has one current sheet
    and the groups are not split, the table already holds one row per household; else
    a household's rows from several sheets (or groups) are summed first.
    """
    t = ft.table
    if ft.one_sheet_per_village and ft.by_group == by_group:
        return t
    keys = [t.c.township, t.c.village, *([t.c.grp] if by_group else []), t.c.household_id]
    return (
        sa.select(
            *keys,
            *[sa.func.sum(t.c[k]).label(k) for k in _PLAIN],
            sa.func.sum(t.c.own_poor).label("own_poor"),
            sa.func.sum(t.c.own_poor_transferred).label("own_poor_transferred"),
            sa.func.max(t.c.poor_household).label("poor_household"),
        )
        .group_by(*keys)
        .subquery("hh")
    )


def _aggregate(conn: Connection, ft: FigureTable, cols: tuple[str, ...]) -> list[dict[str, Any]]:
    """Counts per place: persons summed, households counted, poverty by household."""
    hh = households_of(ft, "grp" in cols)
    alone = hh.c.household_id.is_(None)
    poor = hh.c.poor_household == 1
    hkeys = [hh.c[c] for c in cols]
    q = sa.select(
        *hkeys,
        *[sa.func.sum(hh.c[k]).label(k) for k in _PLAIN],
        sa.func.sum(sa.case((alone, hh.c.own_poor), (poor, hh.c.labour_force), else_=0)).label(
            "poor_labour_force"
        ),
        sa.func.sum(sa.case((alone, hh.c.own_poor_transferred), (poor, hh.c.transferred), else_=0)).label(
            "poor_transferred"
        ),
        sa.func.sum(sa.case((alone, hh.c.labour_force), else_=1)).label("households"),
        sa.func.sum(
            sa.case(
                # Each person without a 户编号 is a household: those in the labour force
                # and not transferred.
                (alone, hh.c.labour_force - hh.c.transferred),
                (zero_employment(hh.c.labour_force, hh.c.transferred), 1),
                else_=0,
            )
        ).label("zero_employment_households"),
    ).group_by(*hkeys)
    dialect = conn.dialect.name
    return [dict(r._mapping) for r in conn.execute(q.order_by(*[binary(k, dialect) for k in hkeys]))]


def rates(
    conn: Connection,
    d: dt.date,
    by: Level,
    ages: LabourForceAges,
    *,
    township: str | None = None,
    village: str | None = None,
    year: int | None = None,
) -> Rates:
    """The figures by level at D, with the total over everything selected."""
    with figure_table(
        conn, d, ages, year=year, township=township, village=village, by_group=by == "group"
    ) as ft:
        return rates_of_table(conn, ft, by)


def rates_levels(
    conn: Connection,
    d: dt.date,
    levels: list[Level],
    ages: LabourForceAges,
    *,
    township: str | None = None,
    year: int | None = None,
) -> dict[Level, Rates]:
    """Several levels at D from one pass over the current rows (the report needs three)."""
    with figure_table(conn, d, ages, year=year, township=township, by_group="group" in levels) as ft:
        return {by: rates_of_table(conn, ft, by) for by in levels}


def rates_of_table(conn: Connection, ft: FigureTable, by: Level) -> Rates:
    """The figures of one level from a household table built by ``figure_table``."""
    if by == "group" and not ft.by_group:
        raise ValueError("a figure table for groups is built with by_group=True")
    rows_out = []
    raw = _aggregate(conn, ft, LEVEL_COLUMNS[by])
    for r in raw:
        row = {
            "township": r.get("township"),
            "village": r.get("village"),
            "group": (r.get("grp") or None) if by == "group" else None,
        }
        row.update({k: v for k, v in r.items() if k not in ("township", "village", "grp")})
        rows_out.append(_finish(row))
    if by == "group":
        # A household may have members in two groups: the total counts it once, so ask again.
        tot = _aggregate(conn, ft, ())
        total = _finish(tot[0] if tot else {})
    else:
        # A household lies within one village, so the places' counts add up to the total.
        keys = (*COUNT_KEYS, "households", "zero_employment_households")
        total = _finish({k: sum(int(r.get(k) or 0) for r in raw) for k in keys})
    total.update({"township": ft.scope.township, "village": ft.scope.village, "group": None})
    if by in ("village", "group"):
        mark_stale(rows_out, sheet_dates(conn, ft.scope.d), ft.scope.d)
    return Rates(as_of=ft.scope.d, by=by, rows=rows_out, total=total)


def unverified_by_village(conn: Connection, ft: FigureTable) -> dict[tuple[str, str], int]:
    """Current persons (any age) whose identity is not verified, per village."""
    q = (
        sa.select(rows.c.township, rows.c.village, sa.func.count())
        .where(ft.current(), rows.c.id_valid.is_(False))
        .group_by(rows.c.township, rows.c.village)
    )
    return {(r[0], r[1]): int(r[2]) for r in conn.execute(q)}

"""The figures of domain.md, computed in SQL over the current state.

Every figure counts labour-force persons (aged within the policy's bounds at D, able to
work, not a student or conscript) once each; households are counted by 户编号 among those
with a labour-force member. One query per level keeps the work inside the database.
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

from laborcli.policy import LabourForceAges
from laborcli.registry.tables import rows
from laborcli.state import binary, current_rows, person_key_expr

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


def years_before(d: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _age_between(birth: ColumnElement[Any], d: dt.date, lo: int, hi: int) -> ColumnElement[bool]:
    """lo <= age in full years at d <= hi, as comparisons on the birth date."""
    return sa.and_(birth <= years_before(d, lo), birth > years_before(d, hi + 1))


def labour_force_expr(c: Any, d: dt.date, ages: LabourForceAges) -> ColumnElement[bool]:
    """Whether a current row's person is in the labour force at d."""
    age_ok = sa.case(
        (c.birth_eff.is_(None), sa.true()),
        (c.gender_eff == "男", _age_between(c.birth_eff, d, ages.min_age_male, ages.max_age_male)),
        (c.gender_eff == "女", _age_between(c.birth_eff, d, ages.min_age_female, ages.max_age_female)),
        else_=_age_between(c.birth_eff, d, ages.min_age, ages.max_age),
    )
    return sa.and_(c.status_in_lf.is_(True), c.capacity_excluded.is_(False), age_ok)


def _history_transfers(conn: Connection, t: sa.Table, d: dt.date, year: int) -> None:
    """New transfers whose start is not written: the first sheet showing a transferred
    status, provided an earlier sheet showed another (domain.md, "New transfer").

    Only the persons who need it are looked up, through the person-key index: grouping
    every row of every month by person cost more than the rest of the figures together.
    """
    from laborcli.registry.tables import links

    needed = sa.select(t.c.pkey).where(t.c.needs_history == 1)
    linked = sa.select(links.c.person_key).where(links.c.canonical.in_(needed))
    pk = person_key_expr()
    hist = (
        sa.select(
            pk.label("pkey"),
            sa.func.min(sa.case((rows.c.transferred.is_(True), rows.c.as_of))).label("ft"),
            sa.func.min(sa.case((rows.c.transferred.is_(False), rows.c.as_of))).label("fn"),
        )
        .select_from(rows.outerjoin(links, links.c.person_key == rows.c.person_key))
        .where(rows.c.as_of <= d, sa.or_(rows.c.person_key.in_(needed), rows.c.person_key.in_(linked)))
        .group_by(pk)
    ).subquery("hist")
    started = sa.select(hist.c.pkey).where(
        hist.c.fn < hist.c.ft, hist.c.ft >= dt.date(year, 1, 1), hist.c.ft <= d
    )
    conn.execute(sa.update(t).where(t.c.needs_history == 1, t.c.pkey.in_(started)).values(new_transfers=1))


def persons(
    d: dt.date,
    dialect: str,
    ages: LabourForceAges,
    year: int | None = None,
    township: str | None = None,
    village: str | None = None,
    detail: bool = True,
) -> sa.Subquery:
    """One row per current person with 0/1 flags for every figure.

    ``detail`` adds who the person is (name, ID, phone, status, ...) for the household
    lists; the figures alone do without, and a narrower table is quicker to build.
    """
    cur = current_rows(d, dialect).subquery("cur")
    y = year if year is not None else d.year
    lf = labour_force_expr(cur.c, d, ages)
    start = cur.c.job_start  # when not given, ``person_table`` looks at the person's history
    tr = sa.and_(lf, cur.c.transferred.is_(True))
    out = sa.and_(lf, cur.c.outside.is_(True))

    def flag(e: ColumnElement[bool]) -> ColumnElement[int]:
        return sa.case((e, 1), else_=0)

    # A household is 户编号 within its village (two villages both number from H001); a person
    # without one is a household of their own.
    hh = sa.func.coalesce(
        cur.c.township + "/" + cur.c.village + "/" + cur.c.household_id, sa.literal("~") + cur.c.pkey
    )
    # Each person's own poverty mark here; ``person_table`` extends it to the whole household.
    poor_hh = cur.c.poor.is_(True)

    q = sa.select(
        cur.c.township,
        cur.c.village,
        sa.func.coalesce(cur.c.grp, "").label("grp"),
        cur.c.pkey,
        hh.label("hh"),
        flag(lf).label("labour_force"),
        flag(tr).label("transferred"),
        flag(out).label("outside_county"),
        flag(sa.and_(out, cur.c.organised.is_(True))).label("organised_outside"),
        flag(sa.and_(lf, poor_hh)).label("poor_labour_force"),
        flag(sa.and_(tr, poor_hh)).label("poor_transferred"),
        flag(sa.and_(tr, start >= dt.date(y, 1, 1), start <= d)).label("new_transfers"),
        flag(sa.and_(tr, start.is_(None))).label("needs_history"),
        flag(sa.and_(lf, cur.c.birth_eff.is_(None))).label("unknown_age"),
        flag(sa.and_(lf, cur.c.id_valid.is_(False))).label("unverified"),
        cur.c.poor,
        *(
            [
                cur.c.household_id,
                cur.c.name,
                cur.c.id_number,
                cur.c.phone,
                cur.c.employment_status,
                cur.c.relation,
                cur.c.gender_eff,
                cur.c.birth_eff,
                cur.c.id_valid,
            ]
            if detail
            else []
        ),
    ).select_from(cur)
    if township:
        q = q.where(cur.c.township == township)
    if village:
        q = q.where(cur.c.village == village)
    return q.subquery("p")


@dataclass(slots=True)
class Rates:
    """Figures at one level, and the county (or filtered) total."""

    as_of: dt.date
    by: str
    rows: list[dict[str, Any]]
    total: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """cli.md's ``rates`` shape."""
        return {"as_of": self.as_of.isoformat(), "by": self.by, "rows": self.rows, "total": self.total}


def _ratio(n: int, d: int) -> float | None:
    return n / d if d else None


def _finish(r: dict[str, Any]) -> dict[str, Any]:
    for k in (*COUNT_KEYS, "households", "zero_employment_households"):
        r[k] = int(r.get(k) or 0)
    r["transfer_rate"] = _ratio(r["transferred"], r["labour_force"])
    r["organised_rate"] = _ratio(r["organised_outside"], r["outside_county"])
    r["poor_transfer_rate"] = _ratio(r["poor_transferred"], r["poor_labour_force"])
    z = _ratio(r["zero_employment_households"], r["households"])
    r["coverage"] = None if z is None else 1 - z
    return r


def _aggregate(
    conn: Connection, p: sa.Subquery | sa.Table, cols: tuple[str, ...], dialect: str
) -> list[dict[str, Any]]:
    """Counts per place in one pass: persons summed by household, households by place."""
    keys = [p.c[c] for c in cols]
    hh = (
        sa.select(
            *keys,
            *[sa.func.sum(p.c[k]).label(k) for k in COUNT_KEYS],
            sa.func.max(p.c.labour_force).label("has_lf"),
            sa.func.max(p.c.transferred).label("has_tr"),
        )
        .group_by(*keys, p.c.hh)
        .subquery("hh")
    )
    hkeys = [hh.c[c] for c in cols]
    q = sa.select(
        *hkeys,
        *[sa.func.sum(hh.c[k]).label(k) for k in COUNT_KEYS],
        sa.func.sum(hh.c.has_lf).label("households"),
        sa.func.sum(sa.case((sa.and_(hh.c.has_lf == 1, hh.c.has_tr == 0), 1), else_=0)).label(
            "zero_employment_households"
        ),
    ).group_by(*hkeys)
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
    dialect = conn.dialect.name
    with person_table(
        conn, persons(d, dialect, ages, year=year, township=township, village=village, detail=False), d, year
    ) as p:
        return _rates(conn, p, d, by, township, village)


def rates_levels(
    conn: Connection,
    d: dt.date,
    levels: list[Level],
    ages: LabourForceAges,
    *,
    township: str | None = None,
    year: int | None = None,
) -> dict[Level, Rates]:
    """Several levels at D from one computation of the current persons (the report needs three)."""
    dialect = conn.dialect.name
    with person_table(
        conn, persons(d, dialect, ages, year=year, township=township, detail=False), d, year
    ) as p:
        return {by: rates_of_table(conn, p, d, by, township) for by in levels}


def rates_of_table(
    conn: Connection, p: sa.Table, d: dt.date, by: Level, township: str | None = None
) -> Rates:
    """The figures of one level from persons already materialised by ``person_table``."""
    return _rates(conn, p, d, by, township, None)


@contextmanager
def person_table(conn: Connection, p: sa.Subquery, d: dt.date, year: int | None = None) -> Iterator[sa.Table]:
    """The current persons computed once into a temporary table, dropped afterwards.

    Each level needs two aggregations and the total two more; computing the current
    state (a window over every candidate row) once instead of four times is most of the
    speed of ``rates``. A temporary table is private to this connection and transaction.
    """
    name = f"tmp_persons_{uuid.uuid4().hex[:12]}"
    create = sa.select(*p.c).into(name, temporary=True)
    conn.execute(create)
    try:
        _household_poverty(conn, create.table)
        _history_transfers(conn, create.table, d, year if year is not None else d.year)
        yield create.table
    finally:
        conn.exec_driver_sql(f"DROP TABLE {name}")


def _household_poverty(conn: Connection, t: sa.Table) -> None:
    """Poverty belongs to the household: the spouse of a 户主 marked 脱贫户 is poor labour even
    where the sheet left the spouse's own cell empty.

    Done on the materialised persons (one indexed IN) rather than as a window over the
    current state, which sorted every wide row once more.
    """
    poor_hh = sa.select(t.c.hh).where(t.c.poor.is_(True))
    conn.execute(
        sa.update(t)
        .where(sa.not_(t.c.poor.is_(True)), t.c.hh.in_(poor_hh))
        .values(poor=True, poor_labour_force=t.c.labour_force, poor_transferred=t.c.transferred)
    )


def _rates(
    conn: Connection,
    p: sa.Table,
    d: dt.date,
    by: Level,
    township: str | None,
    village: str | None,
) -> Rates:
    dialect = conn.dialect.name
    rows_out = []
    raw = _aggregate(conn, p, LEVEL_COLUMNS[by], dialect)
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
        tot = _aggregate(conn, p, (), dialect)
        total = _finish(tot[0] if tot else {})
    else:
        # A household lies within one village, so the places' counts add up to the total.
        keys = (*COUNT_KEYS, "households", "zero_employment_households")
        total = _finish({k: sum(int(r.get(k) or 0) for r in raw) for k in keys})
    total.update({"township": township, "village": village, "group": None})
    return Rates(as_of=d, by=by, rows=rows_out, total=total)

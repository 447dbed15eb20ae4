"""Job spells in SQL, for the rules that judge a whole county (leaders, subsidies): the
runs of ``spells.spells_of`` as a window query over the observation tables, one row per
spell, so that Python sees a spell rather than each of its observations.

A run is a gaps-and-islands group: among a person's flagged observations (transferred, or
县外务工 for outside spells), the place of the date in the observation dates minus the
row's rank is constant along consecutive dates and changes at every gap (a month without
an observation or with another status). The start follows the rule of ``spells._spell``:
the first row's 务工开始时间 when it is not later than the first observation and later than
the person's latest earlier observation (any status), else the first observation when the
person was observed before, else unknown. Month arithmetic stays in Python
(``reach_limits``): the dates are few.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.registry.tables import rows
from laborcli.roster.state import drop_temporary
from laborcli.tenure.months import add_months
from laborcli.tenure.observations import Observations
from laborcli.tenure.spells import Kind


@dataclass(frozen=True, slots=True)
class Runs:
    """The temporary tables of one kind of spell.

    ``observed``: (pkey, g, i, d, rid, ...) for each flagged observation, ``i`` its date's place
    in the observation dates, ``g`` its run within the person; ``spells``: (pkey, g,
    first_i, end_i, first_d, end_d, start, start_kind, end_rid, org_rid) with ``org_rid``
    the latest row of the run that says 是否组织化输出 = 是 (NULL: not organised).
    """

    observed: sa.Table
    spells: sa.Table


def _keep(
    conn: Connection, made: list[str], name: str, q: sa.Select[tuple[object, ...]], *index: str
) -> sa.Table:
    into = q.into(name, temporary=True)
    conn.execute(into)
    made.append(name)
    if index:
        conn.exec_driver_sql(f"CREATE INDEX ix_{name} ON {name} ({', '.join(index)})")
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {name}")
    return into.table


@contextmanager
def spell_runs(
    conn: Connection, obs: Observations, kind: Kind, among: sa.Table | None = None
) -> Iterator[Runs]:
    """The spells of ``kind`` of every person observed (of the keys in ``among`` when
    given: see ``Observations.select``), as temporary tables dropped on leaving."""
    tag = uuid.uuid4().hex[:10]
    made: list[str] = []
    flag = rows.c.transferred if kind == "transferred" else rows.c.outside
    o = obs.select(flag.label("flag"), rows.c.job_start, rows.c.organised, among=among).subquery("run_o")
    n = obs.numbered
    # One window pass (one sort) gives the previous observation's date and, for a flagged
    # row, its rank among the person's flagged rows (their running count).
    flag_int = sa.case((o.c.flag.is_(True), 1), else_=0)
    every = (
        sa.select(
            o.c.pkey,
            o.c.rid,
            o.c.d,
            n.c.i,
            o.c.flag,
            o.c.job_start,
            sa.case((o.c.organised.is_(True), 1), else_=0).label("org"),
            sa.func.lag(o.c.d).over(partition_by=o.c.pkey, order_by=n.c.i).label("prev_d"),
            sa.func.sum(flag_int).over(partition_by=o.c.pkey, order_by=n.c.i).label("rank"),
        )
        .select_from(o.join(n, n.c.d == o.c.d))
        .subquery("run_every")
    )
    flagged = sa.select(
        every.c.pkey,
        (every.c.i - every.c.rank).label("g"),
        every.c.i,
        every.c.d,
        every.c.rid,
        every.c.job_start,
        every.c.prev_d,
        every.c.org,
    ).where(every.c.flag.is_(True))
    try:
        observed = _keep(conn, made, f"tmp_runs_obs_{tag}", flagged, "pkey", "g", "i")
        f = observed
        grouped = (
            sa.select(
                f.c.pkey,
                f.c.g,
                sa.func.min(f.c.i).label("first_i"),
                sa.func.max(f.c.i).label("end_i"),
                sa.func.max(sa.case((f.c.org == 1, f.c.i))).label("org_i"),
            )
            .group_by(f.c.pkey, f.c.g)
            .subquery("run_grouped")
        )
        s = grouped
        first, last, org = f.alias("run_first"), f.alias("run_last"), f.alias("run_org")

        def at(t: sa.FromClause, i: sa.ColumnElement[object]) -> sa.ColumnElement[bool]:
            return sa.and_(t.c.pkey == s.c.pkey, t.c.g == s.c.g, t.c.i == i)

        js, before = first.c.job_start, first.c.prev_d
        given = sa.and_(js.is_not(None), js <= first.c.d, sa.or_(before.is_(None), js > before))
        estimated = before.is_not(None)
        spells = _keep(
            conn,
            made,
            f"tmp_runs_spells_{tag}",
            sa.select(
                s.c.pkey,
                s.c.g,
                s.c.first_i,
                s.c.end_i,
                first.c.d.label("first_d"),
                last.c.d.label("end_d"),
                sa.case((given, js), (estimated, first.c.d), else_=sa.null()).label("start"),
                sa.case((given, "given"), (estimated, "estimated"), else_="unknown").label("start_kind"),
                last.c.rid.label("end_rid"),
                org.c.rid.label("org_rid"),
            ).select_from(
                s.join(first, at(first, s.c.first_i))
                .join(last, at(last, s.c.end_i))
                .outerjoin(org, at(org, s.c.org_i))
            ),
            "pkey",
        )
        yield Runs(observed, spells)
    finally:
        for name in reversed(made):
            drop_temporary(conn, name)


def reach_limit(d: dt.date, months: int) -> dt.date:
    """The latest start S with S + ``months`` months on or before ``d``: a spell started
    on or before it has lasted ``months`` months at ``d`` (add_months is monotone)."""
    s = add_months(d, -months)
    while add_months(s, months) > d:
        s -= dt.timedelta(days=1)
    while add_months(s + dt.timedelta(days=1), months) <= d:
        s += dt.timedelta(days=1)
    return s


def reach_first(d: dt.date, months: int) -> dt.date:
    """The earliest start S with S + ``months`` months on or after ``d``."""
    return reach_limit(d - dt.timedelta(days=1), months) + dt.timedelta(days=1)


def reach_limits(dates: Sequence[dt.date], months: int) -> list[dict[str, object]]:
    """(i, d, t) for each observation date: ``t`` is ``reach_limit(d, months)``."""
    return [{"i": i, "d": d, "t": reach_limit(d, months)} for i, d in enumerate(dates)]

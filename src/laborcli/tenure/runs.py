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

    ``observed``: (pkey, i, d, rid, g) for each flagged observation, ``i`` its date's place
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
        )
        .select_from(o.join(n, n.c.d == o.c.d))
        .subquery("run_every")
    )
    # Window functions run after WHERE: the rank counts the flagged observations only.
    flagged = sa.select(
        every.c.pkey,
        every.c.i,
        every.c.d,
        every.c.rid,
        every.c.job_start,
        every.c.prev_d,
        every.c.org,
        (every.c.i - sa.func.row_number().over(partition_by=every.c.pkey, order_by=every.c.i)).label("g"),
    ).where(every.c.flag.is_(True))
    try:
        observed = _keep(conn, made, f"tmp_runs_obs_{tag}", flagged, "pkey", "i")
        f = observed
        ranked = sa.select(
            f,
            sa.func.row_number().over(partition_by=(f.c.pkey, f.c.g), order_by=f.c.i).label("kf"),
            sa.func.row_number().over(partition_by=(f.c.pkey, f.c.g), order_by=f.c.i.desc()).label("kl"),
            sa.func.row_number()
            .over(partition_by=(f.c.pkey, f.c.g, f.c.org), order_by=f.c.i.desc())
            .label("ko"),
        ).subquery("run_ranked")
        r = ranked

        def at_first(col: sa.ColumnElement[object]) -> sa.ColumnElement[object]:
            return sa.func.max(sa.case((r.c.kf == 1, col)))

        grouped = (
            sa.select(
                r.c.pkey,
                r.c.g,
                sa.func.min(r.c.i).label("first_i"),
                sa.func.max(r.c.i).label("end_i"),
                sa.func.min(r.c.d).label("first_d"),
                sa.func.max(r.c.d).label("end_d"),
                at_first(r.c.job_start).label("js"),
                at_first(r.c.prev_d).label("before"),
                sa.func.max(sa.case((r.c.kl == 1, r.c.rid))).label("end_rid"),
                sa.func.max(sa.case((sa.and_(r.c.org == 1, r.c.ko == 1), r.c.rid))).label("org_rid"),
            )
            .group_by(r.c.pkey, r.c.g)
            .subquery("run_grouped")
        )
        s = grouped
        given = sa.and_(
            s.c.js.is_not(None), s.c.js <= s.c.first_d, sa.or_(s.c.before.is_(None), s.c.js > s.c.before)
        )
        estimated = s.c.before.is_not(None)
        spells = _keep(
            conn,
            made,
            f"tmp_runs_spells_{tag}",
            sa.select(
                s.c.pkey,
                s.c.g,
                s.c.first_i,
                s.c.end_i,
                s.c.first_d,
                s.c.end_d,
                sa.case((given, s.c.js), (estimated, s.c.first_d), else_=sa.null()).label("start"),
                sa.case((given, "given"), (estimated, "estimated"), else_="unknown").label("start_kind"),
                s.c.end_rid,
                s.c.org_rid,
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

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
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.registry.tables import links, rows
from laborcli.roster.state import kept_table
from laborcli.tenure.months import add_months, full_months
from laborcli.tenure.observations import Observations
from laborcli.tenure.spells import Kind, dates_up_to


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


@contextmanager
def spell_runs(
    conn: Connection, obs: Observations, kind: Kind, among: sa.Table | None = None
) -> Iterator[Runs]:
    """The spells of ``kind`` of every person observed (of the keys in ``among`` when
    given: see ``Observations.select``), as temporary tables dropped on leaving."""
    flag = rows.c.transferred if kind == "transferred" else rows.c.outside
    o = obs.select(rows.c.job_start, rows.c.organised, among=among, where=flag.is_(True)).subquery("run_o")
    n = obs.numbered
    # Only the flagged observations are read: a gap in their dates' places ends a run,
    # whether that month had no observation or another status.
    flagged = sa.select(
        o.c.pkey,
        (n.c.i - sa.func.row_number().over(partition_by=o.c.pkey, order_by=n.c.i)).label("g"),
        n.c.i,
        o.c.d,
        o.c.rid,
        o.c.job_start,
        sa.case((o.c.organised.is_(True), 1), else_=0).label("org"),
    ).select_from(o.join(n, n.c.d == o.c.d))
    with ExitStack() as stack:
        observed = stack.enter_context(kept_table(conn, "runs_obs", flagged, "pkey", "g", "i"))
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

        ends = (
            sa.select(
                s.c.pkey,
                s.c.g,
                s.c.first_i,
                s.c.end_i,
                first.c.d.label("first_d"),
                last.c.d.label("end_d"),
                first.c.job_start.label("js"),
                last.c.rid.label("end_rid"),
                org.c.rid.label("org_rid"),
            )
            .select_from(
                s.join(first, at(first, s.c.first_i))
                .join(last, at(last, s.c.end_i))
                .outerjoin(org, at(org, s.c.org_i))
            )
            .subquery("run_ends")
        )
        e = ends
        before = _observed_before(obs, e.c.pkey, e.c.first_d)
        with_before = sa.select(e, before.label("before")).subquery("run_before")
        w = with_before
        given = sa.and_(
            w.c.js.is_not(None), w.c.js <= w.c.first_d, sa.or_(w.c.before.is_(None), w.c.js > w.c.before)
        )
        estimated = w.c.before.is_not(None)
        spells = stack.enter_context(
            kept_table(
                conn,
                "runs_spells",
                sa.select(
                    w.c.pkey,
                    w.c.g,
                    w.c.first_i,
                    w.c.end_i,
                    w.c.first_d,
                    w.c.end_d,
                    sa.case((given, w.c.js), (estimated, w.c.first_d), else_=sa.null()).label("start"),
                    sa.case((given, "given"), (estimated, "estimated"), else_="unknown").label("start_kind"),
                    w.c.end_rid,
                    w.c.org_rid,
                ),
                "pkey",
            )
        )
        yield Runs(observed, spells)


def _observed_before(
    obs: Observations, pkey: sa.ColumnElement[object], first_d: sa.ColumnElement[object]
) -> sa.ColumnElement[object]:
    """The date of the person's latest observation (any status) before ``first_d``: the
    latest date before it with a sheet current then holding one of their rows (their own
    key's, or a key a confirmed link ties to them). Read from the person index, per run."""
    r, cur = rows.alias("ob_row"), obs.snaps.alias("ob_cur")
    own = (
        sa.select(sa.func.max(cur.c.d))
        .select_from(r.join(cur, cur.c.snapshot_id == r.c.snapshot_id))
        .where(r.c.person_key == pkey, r.c.as_of < first_d, cur.c.d < first_d)
        .scalar_subquery()
    )
    lk, r2, cur2 = links.alias("ob_link"), rows.alias("ob_row2"), obs.snaps.alias("ob_cur2")
    tied = (
        sa.select(sa.func.max(cur2.c.d))
        .select_from(
            lk.join(r2, r2.c.person_key == lk.c.person_key).join(cur2, cur2.c.snapshot_id == r2.c.snapshot_id)
        )
        .where(lk.c.canonical == pkey, r2.c.as_of < first_d, cur2.c.d < first_d)
        .scalar_subquery()
    )
    # Only a linked person has tied keys; the common case asks the person index once.
    return sa.case(
        (
            sa.exists().where(links.c.canonical == pkey),
            sa.func.coalesce(sa.case((own >= tied, own), else_=tied), own),
        ),
        else_=own,
    )


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


@dataclass(frozen=True, slots=True)
class OngoingSpell:
    """A transferred spell going on at D (its last observation is D's), as ``Spell`` has
    it: months lasted from its start (from its first observation, a lower bound, when the
    start is unknown) and its latest row's status and work place."""

    start: dt.date | None
    start_kind: str
    first_observation: dt.date
    end: dt.date
    months: int
    status: str
    work_place: str | None

    def lasted(self, n: int) -> bool:
        """Whether the spell has lasted at least ``n`` months (stable employment at n)."""
        return self.months >= n


def ongoing_spells(conn: Connection, as_of: dt.date) -> dict[str, OngoingSpell]:
    """Person key -> the transferred spell going on at D, for every person transferred at
    D; one pass over the transferred observations in SQL (bulk outputs: `export people`,
    the honour list)."""
    dates = dates_up_to(conn, as_of)
    out: dict[str, OngoingSpell] = {}
    if not dates:
        return out
    with Observations.kept(conn, dates) as obs, spell_runs(conn, obs, "transferred") as runs:
        sp, end = runs.spells, rows.alias("ongoing_end")
        q = (
            sa.select(
                sp.c.pkey,
                sp.c.start,
                sp.c.start_kind,
                sp.c.first_d,
                sp.c.end_d,
                end.c.employment_status,
                end.c.work_place,
            )
            .select_from(sp.join(end, end.c.id == sp.c.end_rid))
            .where(sp.c.end_i == len(dates) - 1)
        )
        for r in conn.execute(q):
            months = full_months(r.start if r.start is not None else r.first_d, r.end_d)
            out[r.pkey] = OngoingSpell(
                r.start, r.start_kind, r.first_d, r.end_d, months, r.employment_status, r.work_place
            )
    return out

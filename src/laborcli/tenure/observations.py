"""Monthly observations (docs/programmes.md, "Months and observations"), in SQL.

The observation of a person at a date d is their row in the current state at d
(roster/state.py): each village's latest snapshot on or before d plus the updates after
it, one row per person. For many dates at once the registry is not read once per date:

- ``snaps``: for every date, the snapshots current then (villages × dates: small);
- ``several``: the person keys that have more than one candidate row on some date, or a
  confirmed link (a handful); found by comparing, key by key, the candidate rows with the
  dates they cover, which reads the (person_key, ..., snapshot_id) index in key order;
- ``winners``: for those keys only, the row counted at each date (state.py's order).

Every other candidate row is the only one of its person on its date, so the observations
are ``rows ⋈ snaps`` (through the snapshot index, proportional to persons × dates) minus
the ``several`` keys, plus ``winners``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from laborcli.policy import LabourForceAges
from laborcli.registry.tables import homes, links, multi_keys, rows, snapshots
from laborcli.roster.figures import labour_force_expr
from laborcli.roster.state import CurrentState, among_places, binary, drop_temporary, person_key_expr


def _analyse(conn: Connection, name: str) -> None:
    """PostgreSQL never analyses a temporary table by itself: without its size the planner
    takes a state of 800,000 persons for a few hundred rows."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {name}")


def _as_int(e: ColumnElement[bool]) -> ColumnElement[int]:
    return sa.case((e, 1), else_=0)


@dataclass(slots=True)
class Observations:
    """The observations at ``dates``, as temporary tables of one connection.

    ``select`` gives one row per (person, date) with the person observed then; a person
    without a row on a date (not listed, or their village had no sheet yet) has none.
    """

    dates: list[dt.date]
    numbered: sa.Table  # (d, i): the dates and their places in ``dates`` (spells' runs)
    snaps: sa.Table
    several: sa.Table
    winners: sa.Table
    keys: frozenset[str] | None

    @staticmethod
    @contextmanager
    def kept(
        conn: Connection, dates: Collection[dt.date], keys: Collection[str] | None = None
    ) -> Iterator[Observations]:
        """Build the tables for ``dates`` (only the rows of person ``keys`` when given: one
        person's history), dropped on leaving."""
        tag = uuid.uuid4().hex[:10]
        made: list[str] = []
        dialect = conn.dialect.name
        wanted = frozenset(keys) if keys is not None else None
        try:
            md = sa.MetaData()
            dname = f"tmp_obs_dates_{tag}"
            dates_t = sa.Table(
                dname,
                md,
                sa.Column("d", sa.Date, primary_key=True),
                sa.Column("i", sa.Integer, nullable=False),
                prefixes=["TEMPORARY"],
            )
            dates_t.create(conn)
            made.append(dname)
            ds = sorted(set(dates))
            if ds:
                conn.execute(dates_t.insert(), [{"d": d, "i": i} for i, d in enumerate(ds)])

            def keep(attr: str, q: sa.SelectBase, *index: str) -> sa.Table:
                name = f"tmp_obs_{attr}_{tag}"
                into = sa.select(*q.subquery().c).into(name, temporary=True)
                conn.execute(into)
                made.append(name)
                if index:
                    conn.exec_driver_sql(f"CREATE INDEX ix_{name} ON {name} ({', '.join(index)})")
                _analyse(conn, name)
                return into.table

            mine = rows.c.person_key.in_(sorted(wanted)) if wanted is not None else sa.true()
            places = None
            if wanted is not None:
                # One person's rows lie in a few villages: only their sheets can observe them.
                theirs = sa.select(rows.c.snapshot_id).where(mine)
                places = sa.select(snapshots.c.township, snapshots.c.village).where(
                    snapshots.c.id.in_(theirs)
                )
            snaps = keep("snaps", _snaps_at(dates_t, places), "snapshot_id", "d")
            # A village's sheets current at a date (household_poor).
            conn.exec_driver_sql(f"CREATE INDEX ix_place_{snaps.name} ON {snaps.name} (township, village, d)")
            several = keep("several", _several(wanted), "person_key")
            winners = keep("winners", _winners(snaps, several, mine, dialect), "rid")
            yield Observations(ds, dates_t, snaps, several, winners, wanted)
        finally:
            for name in reversed(made):
                drop_temporary(conn, name)

    def select(
        self,
        *columns: sa.ColumnElement[object],
        among: sa.Table | None = None,
        where: ColumnElement[bool] | None = None,
    ) -> sa.CompoundSelect[tuple[object, ...]]:
        """(d, pkey, rid, *columns of ``rows``): each person's row at each date; only the
        rows whose own key is in the table ``among`` (column ``person_key``) when given,
        and only the observations whose row meets ``where`` (a condition on ``rows``).

        Without ``among``, driven from the few (date, snapshot) pairs into the rows by the
        snapshot index ("+ 0" keeps the planner there: scanning every row and probing the
        pairs would read the months of other years too). With it, driven from those keys
        into the rows by the person index: a part of the county is read, not all of it.
        """
        mine = rows.c.person_key.in_(sorted(self.keys)) if self.keys is not None else sa.true()
        head = (self.snaps.c.d.label("d"), rows.c.person_key.label("pkey"), rows.c.id.label("rid"))
        several = rows.c.person_key.not_in(sa.select(self.several.c.person_key))
        if among is None:
            source = rows.join(self.snaps, self.snaps.c.snapshot_id + 0 == rows.c.snapshot_id)
        else:
            source = among.join(rows, rows.c.person_key == among.c.person_key).join(
                self.snaps, self.snaps.c.snapshot_id == rows.c.snapshot_id + 0
            )
        cond = sa.true() if where is None else where
        plain = sa.select(*head, *columns).select_from(source).where(mine, several, cond)
        won = (
            sa.select(
                self.winners.c.d.label("d"),
                self.winners.c.pkey.label("pkey"),
                rows.c.id.label("rid"),
                *columns,
            )
            # "+ 0": the winners are few; scanned, each row is found by its id (their index
            # on rid, for household_poor, would have the planner probe it once per key).
            .select_from(self.winners.join(rows, rows.c.id == self.winners.c.rid + 0))
            .where(
                sa.true() if among is None else rows.c.person_key.in_(sa.select(among.c.person_key)),
                cond,
            )
        )
        return sa.union_all(plain, won)

    def household_poor(
        self,
        d: sa.ColumnElement[object],
        township: sa.ColumnElement[object],
        village: sa.ColumnElement[object],
        household_id: sa.ColumnElement[object],
    ) -> ColumnElement[bool]:
        """Whether the household (its place and 户编号) is poor or relocated at ``d``: a
        member's row observed then says so (docs/programmes.md). Found through the
        sheets current at ``d`` and the figure index (snapshot, household, ..., poor); a row
        of a person who may have two rows that day counts only as the one observed."""
        cur, r, won = self.snaps.alias("hp_cur"), rows.alias("hp_row"), self.winners.alias("hp_won")
        observed = sa.or_(
            r.c.person_key.not_in(sa.select(self.several.c.person_key)),
            sa.select(sa.literal(1)).where(won.c.rid == r.c.id, won.c.d == cur.c.d).exists(),
        )
        # SELECT 1, not *: SQLite then answers from the figure index without the rows.
        return (
            sa.select(sa.literal(1))
            .select_from(cur.join(r, r.c.snapshot_id == cur.c.snapshot_id))
            .where(
                cur.c.township == township,
                cur.c.village == village,
                cur.c.d == d,
                r.c.household_id == household_id,
                r.c.poor.is_(True),
                observed,
            )
            .exists()
        )


def _snaps_at(
    dates_t: sa.Table, places: sa.Select[tuple[object, ...]] | None = None
) -> sa.CompoundSelect[tuple[object, ...]]:
    """(d, snapshot_id, township, village): for each date, each village's latest snapshot on or before it and
    the updates after that snapshot (the rule of state.current_snapshot_ids, per date);
    only the villages of ``places`` (township, village) when given."""
    ranked = (
        sa.select(
            dates_t.c.d,
            snapshots.c.id,
            snapshots.c.township,
            snapshots.c.village,
            snapshots.c.as_of,
            snapshots.c.import_id,
            sa.func.row_number()
            .over(
                partition_by=(dates_t.c.d, snapshots.c.township, snapshots.c.village),
                order_by=(snapshots.c.as_of.desc(), snapshots.c.import_id.desc(), snapshots.c.id.desc()),
            )
            .label("rn"),
        )
        .select_from(sa.join(dates_t, snapshots, snapshots.c.as_of <= dates_t.c.d))
        .where(snapshots.c.mode == "snapshot", among_places(snapshots, places))
        .subquery("obs_ranked")
    )
    base = sa.select(ranked).where(ranked.c.rn == 1).subquery("obs_base")
    upd = snapshots.alias("obs_upd")
    dd = dates_t.alias("obs_dd")
    later = (
        sa.select(dd.c.d, upd.c.id.label("snapshot_id"), upd.c.township, upd.c.village)
        .select_from(
            sa.join(dd, upd, upd.c.as_of <= dd.c.d).outerjoin(
                base,
                sa.and_(
                    base.c.d == dd.c.d,
                    base.c.township == upd.c.township,
                    base.c.village == upd.c.village,
                ),
            )
        )
        .where(
            upd.c.mode == "update",
            among_places(upd, places),
            sa.or_(
                base.c.id.is_(None),
                upd.c.as_of > base.c.as_of,
                sa.and_(upd.c.as_of == base.c.as_of, upd.c.import_id > base.c.import_id),
            ),
        )
    )
    return sa.union_all(
        sa.select(base.c.d, base.c.id.label("snapshot_id"), base.c.township, base.c.village), later
    )


def _several(wanted: frozenset[str] | None) -> sa.CompoundSelect[tuple[object, ...]]:
    """Keys that may have two candidate rows on one date (``multi_keys``, kept by the
    import) and every key a confirmed link ties; only ``wanted``'s when given."""
    keys = sa.select(multi_keys.c.person_key)
    if wanted is not None:
        keys = keys.where(multi_keys.c.person_key.in_(sorted(wanted)))
    return sa.union(keys, sa.select(links.c.person_key), sa.select(links.c.canonical))


def _winners(
    snaps: sa.Table, several: sa.Table, mine: ColumnElement[bool], dialect: str
) -> sa.Select[tuple[object, ...]]:
    """(d, rid, pkey): the row counted at each date for the persons in ``several``, by
    the current state's order (state.CurrentState._winners): a row in the village chosen
    as the person's home (归属村) first, then the latest sheet."""
    pk = person_key_expr()
    at_home = sa.and_(homes.c.township == rows.c.township, homes.c.village == rows.c.village)
    ranked = (
        sa.select(
            snaps.c.d,
            rows.c.id.label("rid"),
            pk.label("pkey"),
            sa.func.row_number()
            .over(
                partition_by=(pk, snaps.c.d),
                order_by=(
                    sa.case((at_home, 0), else_=1),
                    rows.c.as_of.desc(),
                    binary(rows.c.township, dialect),
                    binary(rows.c.village, dialect),
                    rows.c.import_id.desc(),
                    rows.c.row_number,
                ),
            )
            .label("k"),
        )
        .select_from(
            rows.join(snaps, snaps.c.snapshot_id == rows.c.snapshot_id)
            .outerjoin(links, links.c.person_key == rows.c.person_key)
            .outerjoin(homes, homes.c.person_key == rows.c.person_key)
        )
        .where(mine, rows.c.person_key.in_(sa.select(several.c.person_key)))
        .subquery("obs_win")
    )
    return sa.select(ranked.c.d, ranked.c.rid, ranked.c.pkey).where(ranked.c.k == 1)


@contextmanager
def state_table(
    conn: Connection,
    d: dt.date,
    ages: LabourForceAges,
    index: Sequence[str] = ("pkey",),
    *,
    columns: Sequence[str] | None = None,
) -> Iterator[sa.Table]:
    """The current state at ``d`` (one row per person) as a temporary table indexed on
    ``index`` (by person unless told): place, household, status, income, and whether in
    the labour force at ``d``; only ``columns`` of these when given (a table of 800,000
    persons is written and indexed faster the narrower it is)."""
    name = f"tmp_state_{uuid.uuid4().hex[:12]}"
    with CurrentState.kept(conn, d) as state:
        every = (
            person_key_expr().label("pkey"),
            rows.c.id.label("rid"),
            rows.c.township,
            rows.c.village,
            sa.func.coalesce(rows.c.grp, "").label("grp"),
            rows.c.household_id,
            rows.c.relation,
            rows.c.household_size,
            _as_int(rows.c.transferred.is_(True)).label("transferred"),
            rows.c.monthly_income,
            _as_int(labour_force_expr(rows.c, d, ages)).label("lf"),
        )
        chosen = every if columns is None else [c for c in every if c.name in columns]
        q = (
            sa.select(*chosen)
            .outerjoin(links, links.c.person_key == rows.c.person_key)
            .where(state.condition())
        )
        into = q.into(name, temporary=True)
        conn.execute(into)
        try:
            conn.exec_driver_sql(f"CREATE INDEX ix_{name} ON {name} ({', '.join(index)})")
            _analyse(conn, name)
            yield into.table
        finally:
            drop_temporary(conn, name)

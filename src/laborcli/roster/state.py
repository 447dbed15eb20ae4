"""The current state as of a date D: the one definition every figure and command uses.

Each village's latest snapshot with as-of <= D, plus the update rows after it (<= D); then
each person once. A person's rows are tied together by their person key, through the
``links`` that confirmed dedup decisions write. Where a person appears more than once, the
row counted is one from the village a reviewer chose to keep the person (归属村, the
``homes`` table), when that village lists them; then the one from the most recent sheet;
on a tie, the village first by township then village name in code-point order; then the
earlier row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ColumnElement, Select

from laborcli.registry.tables import homes, links, multi_keys, rows, snapshots


def drop_temporary(conn: Connection, name: str) -> None:
    """Drop a temporary table. When a failed statement still holds it (SQLite: "table is
    locked"), it goes with the connection, and the error that matters is already raised."""
    with contextlib.suppress(DBAPIError):
        conn.exec_driver_sql(f"DROP TABLE {name}")


@contextmanager
def kept_table(
    conn: Connection, what: str, q: Select[tuple[object, ...]], *index: str, few: bool = False
) -> Iterator[sa.Table]:
    """``q`` as a temporary table (``tmp_<what>_<tag>``) indexed on ``index``, dropped on
    leaving. PostgreSQL is told its size (it never analyses a temporary table by itself);
    SQLite too when it holds ``few`` rows: without it SQLite reads every observation and
    probes the table, where a few thousand persons' rows are found by the person index in
    a tenth of the time."""
    name = f"tmp_{what}_{uuid.uuid4().hex[:10]}"
    into = q.into(name, temporary=True)
    conn.execute(into)
    try:
        if index:
            conn.exec_driver_sql(f"CREATE INDEX ix_{name} ON {name} ({', '.join(index)})")
        if conn.dialect.name == "postgresql" or few:
            conn.exec_driver_sql(f"ANALYZE {name}")
        yield into.table
    finally:
        drop_temporary(conn, name)


def binary(col: ColumnElement[str], dialect: str) -> ColumnElement[str]:
    """Order text by code point on every back end (PostgreSQL's default collation does not)."""
    return col.collate("C") if dialect == "postgresql" else col


def candidate_rows(as_of: dt.date) -> Select[tuple[object, ...]]:
    """Every row that describes someone at D: latest snapshots and the updates after them.

    Driven from the few current snapshots into the rows by the snapshot index; a join lets
    the planner scan every row of every month instead, which grows with the history kept.
    """
    cur = current_snapshot_ids(as_of).subquery("cur_snap_ids")
    return sa.select(rows.c.id.label("row_id")).where(rows.c.snapshot_id.in_(sa.select(cur.c.id)))


# Villages as (township, village) pairs, or a query of them.
Places = Sequence[tuple[str, str]] | Select[tuple[object, ...]]


def among_places(t: sa.FromClause, places: Places | None) -> ColumnElement[bool]:
    """Whether a row of ``t`` (a township and a village column) lies in ``places``; true
    for all when None."""
    return sa.tuple_(t.c.township, t.c.village).in_(places) if places is not None else sa.true()


def latest_snapshots(as_of: dt.date, name: str = "latest", places: Places | None = None) -> sa.Subquery:
    """Each village's latest snapshot with as-of <= D, one ``snapshots`` row per village:
    what the current state starts from (the latest import wins a tie of dates). Only the
    villages ``places`` (township, village) when given."""
    ranked = (
        sa.select(
            snapshots,
            sa.func.row_number()
            .over(
                partition_by=(snapshots.c.township, snapshots.c.village),
                order_by=(snapshots.c.as_of.desc(), snapshots.c.import_id.desc(), snapshots.c.id.desc()),
            )
            .label("rn"),
        )
        .where(snapshots.c.mode == "snapshot", snapshots.c.as_of <= as_of, among_places(snapshots, places))
        .subquery()
    )
    return sa.select(*(ranked.c[c.name] for c in snapshots.columns)).where(ranked.c.rn == 1).subquery(name)


def current_snapshot_ids(as_of: dt.date, places: Places | None = None) -> Select[tuple[object, ...]]:
    """The snapshots whose rows describe someone at D (the same rule as ``candidate_rows``):
    each village's latest snapshot and the updates after it; of the villages ``places``
    only, when given."""
    base = latest_snapshots(as_of, "base1", places)
    upd = snapshots.alias("upd1")
    later = (
        sa.select(upd.c.id)
        .outerjoin(base, sa.and_(base.c.township == upd.c.township, base.c.village == upd.c.village))
        .where(
            upd.c.mode == "update",
            upd.c.as_of <= as_of,
            among_places(upd, places),
            sa.or_(
                base.c.id.is_(None),
                upd.c.as_of > base.c.as_of,
                sa.and_(upd.c.as_of == base.c.as_of, upd.c.import_id > base.c.import_id),
            ),
        )
    )
    return sa.union_all(sa.select(base.c.id), later).subquery("cur_snaps").select()


def current_row_count(conn: Connection, as_of: dt.date) -> int:
    """How many rows describe someone at D (from the snapshots' counts, no row read)."""
    cur = current_snapshot_ids(as_of).subquery("cur_count")
    q = sa.select(sa.func.coalesce(sa.func.sum(snapshots.c.rows), 0)).where(
        snapshots.c.id.in_(sa.select(cur.c.id))
    )
    return int(conn.execute(q).scalar_one())


def person_key_expr() -> ColumnElement[str]:
    """The person a row counts as: its linked canonical key, else its own key."""
    return sa.func.coalesce(links.c.canonical, rows.c.person_key)


class CurrentState:
    """Which rows are current at D, as common table expressions one statement shares.

    Built once per statement: the current snapshots, the person keys that may have several
    candidate rows (``several``), and the row counted for each of those (``winners``).
    Every other candidate row is the only one of its person, so the figures read the
    current rows in place with one condition (``condition``) instead of ranking them all.
    """

    def __init__(self, as_of: dt.date, dialect: str, *, ctes: bool = True) -> None:
        self.as_of = as_of
        self.dialect = dialect
        if ctes:  # else ``kept`` puts temporary tables in their place
            self.snaps: sa.FromClause = current_snapshot_ids(as_of).cte("cur_snaps")
            self.several: sa.FromClause = self._several().cte("several")
            self.winners: sa.FromClause = self._winners().cte("winners")

    @staticmethod
    @contextmanager
    def kept(conn: Connection, as_of: dt.date) -> Iterator[CurrentState]:
        """The state computed once into temporary tables, for several statements.

        Each statement built on the common table expressions would find the persons
        listed twice again, a scan of the person index over every month kept (see
        docs/registry.md); the tables are small.
        """
        tag = uuid.uuid4().hex[:10]
        made: list[str] = []
        kept = CurrentState(as_of, conn.dialect.name, ctes=False)
        try:
            # Each built from the tables before it, so nothing is computed twice.
            steps: tuple[tuple[str, Callable[[], sa.SelectBase]], ...] = (
                ("snaps", lambda: current_snapshot_ids(as_of)),
                ("several", kept._several),
                ("winners", kept._winners),
            )
            for attr, build in steps:
                name = f"tmp_{attr}_{tag}"
                into = sa.select(*build().subquery().c).into(name, temporary=True)
                conn.execute(into)
                made.append(name)
                if conn.dialect.name == "postgresql":
                    # Never analysed by itself: planned as 2,550 snapshots where there are a
                    # few hundred, the current rows looked like a third of the table and
                    # were read by a sequential scan of every month.
                    conn.exec_driver_sql(f"ANALYZE {name}")
                setattr(kept, attr, into.table)
            yield kept
        finally:
            for name in made:
                drop_temporary(conn, name)

    def _several(self) -> sa.CompoundSelect[tuple[object, ...]]:
        """Keys that may have two candidate rows at D (listed in two villages, twice in
        one sheet, or in an update: ``multi_keys``, kept by the import) and keys tied to
        others by a confirmed link. Read from those small tables: finding them among the
        rows meant a scan of the person index over every month kept.
        """
        return sa.union(
            sa.select(multi_keys.c.person_key), sa.select(links.c.person_key), sa.select(links.c.canonical)
        )

    def _winners(self) -> Select[tuple[object, ...]]:
        """(rid, pkey): the row counted for each person whose key is in ``several``."""
        pk = person_key_expr()
        # A home is kept by each of the person's keys, so a row's own key says whether the
        # row stands in the person's chosen village; without a home every row ranks alike.
        at_home = sa.and_(homes.c.township == rows.c.township, homes.c.village == rows.c.village)
        ranked = (
            sa.select(
                rows.c.id.label("rid"),
                pk.label("pkey"),
                sa.func.row_number()
                .over(
                    partition_by=pk,
                    order_by=(
                        sa.case((at_home, 0), else_=1),
                        rows.c.as_of.desc(),
                        binary(rows.c.township, self.dialect),
                        binary(rows.c.village, self.dialect),
                        rows.c.import_id.desc(),
                        rows.c.row_number,
                    ),
                )
                .label("k"),
            )
            .outerjoin(links, links.c.person_key == rows.c.person_key)
            .outerjoin(homes, homes.c.person_key == rows.c.person_key)
            .where(
                rows.c.person_key.in_(sa.select(self.several.c.person_key)),
                # Only the months of the current sheets: a person's earlier rows are not
                # read (the person index's second column), so this does not grow with
                # the months kept.
                rows.c.as_of >= self._oldest_current(),
                # "+ 0": found by person (a few rows each), not by snapshot (every row).
                (rows.c.snapshot_id + 0).in_(sa.select(self.snaps.c.id)),
            )
        ).subquery("ranked")
        return sa.select(ranked.c.rid, ranked.c.pkey).where(ranked.c.k == 1)

    def _oldest_current(self) -> sa.ScalarSelect[object]:
        """The date of the oldest current sheet: no current row is older."""
        return (
            sa.select(sa.func.min(snapshots.c.as_of))
            .where(snapshots.c.id.in_(sa.select(self.snaps.c.id)))
            .scalar_subquery()
        )

    def condition(self, snapshot_ids: Select[tuple[object, ...]] | None = None) -> ColumnElement[bool]:
        """Whether a row of ``rows`` is the one counted for its person at D.

        ``snapshot_ids`` narrows the rows to some of the current snapshots (a township, a
        village); who counts where is still decided over the whole registry.
        """
        snaps = snapshot_ids if snapshot_ids is not None else sa.select(self.snaps.c.id)
        return sa.and_(
            rows.c.snapshot_id.in_(snaps),
            sa.or_(
                rows.c.person_key.not_in(sa.select(self.several.c.person_key)),
                rows.c.id.in_(sa.select(self.winners.c.rid)),
            ),
        )


def current_rows(as_of: dt.date, dialect: str) -> Select[tuple[object, ...]]:
    """One row per person at D, with ``pkey`` (the person) and all row columns."""
    return (
        sa.select(rows, person_key_expr().label("pkey"))
        .outerjoin(links, links.c.person_key == rows.c.person_key)
        .where(CurrentState(as_of, dialect).condition())
    )


def current_candidates(as_of: dt.date) -> Select[tuple[object, ...]]:
    """Every candidate row at D (a person may appear more than once): what dedup reviews."""
    cand = candidate_rows(as_of).subquery("cand")
    return (
        sa.select(rows, person_key_expr().label("pkey"))
        .join(cand, cand.c.row_id == rows.c.id)
        .outerjoin(links, links.c.person_key == rows.c.person_key)
    )

"""The current state as of a date D: the one definition every figure and command uses.

Each village's latest snapshot with as-of <= D, plus the update rows after it (<= D); then
each person once. A person's rows are tied together by their person key, through the
``links`` that confirmed dedup decisions write. Where a person appears more than once, the
row counted is the one from the most recent sheet; on a tie, the village first by township
then village name in code-point order; then the earlier row.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement, Select

from laborcli.registry.tables import links, rows, snapshots


def binary(col: ColumnElement[str], dialect: str) -> ColumnElement[str]:
    """Order text by code point on every back end (PostgreSQL's default collation does not)."""
    return col.collate("C") if dialect == "postgresql" else col


def candidate_rows(as_of: dt.date) -> Select[tuple[object, ...]]:
    """Every row that describes someone at D: latest snapshots and the updates after them.

    Driven from the few current snapshots into the rows by the snapshot index; a join that
    let the planner scan every row of every month cost a second per 100,000 rows.
    """
    cur = current_snapshot_ids(as_of).subquery("cur_snap_ids")
    return sa.select(rows.c.id.label("row_id")).where(rows.c.snapshot_id.in_(sa.select(cur.c.id)))


def current_snapshot_ids(as_of: dt.date) -> Select[tuple[object, ...]]:
    """The snapshots whose rows describe someone at D (the same rule as ``candidate_rows``)."""
    latest = (
        sa.select(
            snapshots.c.id,
            snapshots.c.import_id,
            snapshots.c.township,
            snapshots.c.village,
            snapshots.c.as_of,
            sa.func.row_number()
            .over(
                partition_by=(snapshots.c.township, snapshots.c.village),
                order_by=(snapshots.c.as_of.desc(), snapshots.c.import_id.desc(), snapshots.c.id.desc()),
            )
            .label("rn"),
        )
        .where(snapshots.c.mode == "snapshot", snapshots.c.as_of <= as_of)
        .subquery("latest")
    )
    base = sa.select(latest).where(latest.c.rn == 1).subquery("base1")
    upd = snapshots.alias("upd1")
    later = (
        sa.select(upd.c.id)
        .outerjoin(base, sa.and_(base.c.township == upd.c.township, base.c.village == upd.c.village))
        .where(
            upd.c.mode == "update",
            upd.c.as_of <= as_of,
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


def current_rows(as_of: dt.date, dialect: str) -> Select[tuple[object, ...]]:
    """One row per person at D, with ``pkey`` (the person) and all row columns.

    Almost every person has one candidate row; only the persons with several (listed in
    two villages, a snapshot and a later update) go through the ranking window, and the
    wide rows are joined back by primary key at the end. Ranking every row cost seconds
    per 100,000 persons.
    """
    cand = candidate_rows(as_of).subquery("cand")
    pk = person_key_expr()
    keyed = (
        sa.select(
            rows.c.id.label("rid"),
            pk.label("pkey"),
            rows.c.as_of,
            rows.c.township,
            rows.c.village,
            rows.c.import_id,
            rows.c.row_number,
        )
        .join(cand, cand.c.row_id == rows.c.id)
        .outerjoin(links, links.c.person_key == rows.c.person_key)
    ).cte("keyed")
    several = sa.select(keyed.c.pkey).group_by(keyed.c.pkey).having(sa.func.count() > 1).cte("several")
    ranked = (
        sa.select(
            keyed.c.rid,
            keyed.c.pkey,
            sa.func.row_number()
            .over(
                partition_by=keyed.c.pkey,
                order_by=(
                    keyed.c.as_of.desc(),
                    binary(keyed.c.township, dialect),
                    binary(keyed.c.village, dialect),
                    keyed.c.import_id.desc(),
                    keyed.c.row_number,
                ),
            )
            .label("k"),
        ).where(keyed.c.pkey.in_(sa.select(several.c.pkey)))
    ).subquery("ranked")
    winners = sa.union_all(
        sa.select(keyed.c.rid, keyed.c.pkey).where(keyed.c.pkey.not_in(sa.select(several.c.pkey))),
        sa.select(ranked.c.rid, ranked.c.pkey).where(ranked.c.k == 1),
    ).subquery("win")
    return sa.select(rows, winners.c.pkey).join(winners, winners.c.rid == rows.c.id)


def current_candidates(as_of: dt.date) -> Select[tuple[object, ...]]:
    """Every candidate row at D (a person may appear more than once): what dedup reviews."""
    cand = candidate_rows(as_of).subquery("cand")
    return (
        sa.select(rows, person_key_expr().label("pkey"))
        .join(cand, cand.c.row_id == rows.c.id)
        .outerjoin(links, links.c.person_key == rows.c.person_key)
    )

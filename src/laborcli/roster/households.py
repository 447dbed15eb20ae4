"""Households with labour and the zero-employment working list (零就业家庭).

A household is its 户编号 within a village; a household with at least one labour-force
member and none transferred is a zero-employment household, the list that the April
"employment zero-clearing" works through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.dates import age_in_years
from laborcli.identity.privacy import Mask
from laborcli.policy import LabourForceAges
from laborcli.registry.tables import links, rows, snapshots
from laborcli.roster.figures import (
    FigureTable,
    figure_table,
    households_of,
    labour_force_expr,
    zero_employment,
)
from laborcli.roster.state import binary, person_key_expr
from laborcli.roster.submissions import is_stale, sheet_dates


@dataclass(slots=True)
class Member:
    """One current member of a household."""

    name: str
    id_number: str | None
    phone: str | None
    employment_status: str
    relation: str | None
    in_labour_force: bool
    transferred: bool
    age: int | None


@dataclass(slots=True)
class Household:
    """A household with labour, as of D."""

    township: str
    village: str
    household_id: str
    labour_force: int
    transferred: int
    members: list[Member]
    sheet_as_of: dt.date | None = None
    stale: bool = False

    @property
    def zero_employment(self) -> bool:
        """Labour but nobody transferred (``figures.zero_employment``)."""
        return bool(zero_employment(self.labour_force, self.transferred))


def households(
    conn: Connection,
    d: dt.date,
    ages: LabourForceAges,
    *,
    zero_only: bool = False,
    township: str | None = None,
    village: str | None = None,
) -> list[Household]:
    """Households with at least one labour-force member (optionally only zero-employment ones)."""
    with figure_table(conn, d, ages, township=township, village=village, lists_only=True) as ft:
        return collect(conn, ft, zero_only)


def collect(conn: Connection, ft: FigureTable, zero_only: bool) -> list[Household]:
    """Households of a figure table, members kept together, in a stable order.

    The households wanted come from the household table; then one pass over the current
    rows picks their members (everyone in them, in the labour force or not).
    """
    dialect = conn.dialect.name
    d = ft.scope.d
    hh = households_of(ft, by_group=False)
    # Named by the current sheets they are on, so that members are picked from the index
    # (snapshot_id, household_id, ...) before any row is read.
    wanted = (
        sa.select(snapshots.c.id, hh.c.household_id)
        .join(hh, sa.and_(hh.c.township == snapshots.c.township, hh.c.village == snapshots.c.village))
        .where(snapshots.c.id.in_(sa.select(ft.state.snaps.c.id)), hh.c.household_id.is_not(None))
    )
    lf = labour_force_expr(rows.c, d, ft.scope.ages)
    tr = sa.and_(lf, rows.c.transferred.is_(True))
    alone = sa.and_(rows.c.household_id.is_(None), lf)
    if zero_only:
        wanted = wanted.where(zero_employment(hh.c.labour_force, hh.c.transferred))
        alone = sa.and_(alone, rows.c.transferred.is_(False))
    pkey = person_key_expr()
    # A person without a 户编号 is a household of their own, named by their person key.
    hkey = sa.func.coalesce(rows.c.household_id, sa.literal("~") + pkey)
    q = (
        sa.select(
            rows.c.township,
            rows.c.village,
            rows.c.household_id,
            rows.c.name,
            rows.c.id_number,
            rows.c.phone,
            rows.c.employment_status,
            rows.c.relation,
            rows.c.birth_eff,
            sa.case((lf, 1), else_=0).label("labour_force"),
            sa.case((tr, 1), else_=0).label("transferred"),
            hkey.label("hkey"),
        )
        .outerjoin(links, links.c.person_key == rows.c.person_key)
        .where(
            ft.current(),
            sa.or_(sa.tuple_(rows.c.snapshot_id, rows.c.household_id).in_(wanted), alone),
        )
        .order_by(
            binary(rows.c.township, dialect),
            binary(rows.c.village, dialect),
            binary(hkey, dialect),
            sa.desc("labour_force"),
            binary(rows.c.name, dialect),
        )
    )
    out: list[Household] = []
    index: dict[tuple[str, str, str], Household] = {}
    for town, vil, hid, name, idn, phone, status, rel, birth, in_lf, is_tr, hkey in conn.execute(q):
        h = index.get((town, vil, hkey))
        if h is None:
            h = index[(town, vil, hkey)] = Household(town, vil, hid if hid is not None else "", 0, 0, [])
            out.append(h)
        h.labour_force += in_lf
        h.transferred += is_tr
        age = None if birth is None else age_in_years(birth, d)
        h.members.append(Member(name, idn, phone, status, rel, bool(in_lf), bool(is_tr), age))
    dates = sheet_dates(conn, d)
    for h in out:
        h.sheet_as_of = dates.get((h.township, h.village))
        h.stale = is_stale(h.sheet_as_of, d)
    return out


def household_json(h: Household, mask: Mask) -> dict[str, Any]:
    """The households row of ``--format json``; ``mask`` hides identifiers unless asked not to."""
    return {
        "township": h.township,
        "village": h.village,
        "household_id": h.household_id,
        "labour_force": h.labour_force,
        "transferred": h.transferred,
        "sheet_as_of": h.sheet_as_of.isoformat() if h.sheet_as_of else None,
        "stale": h.stale,
        "members": [
            {
                "name": m.name,
                "id_number": mask.id(m.id_number),
                "phone": mask.phone(m.phone),
                "employment_status": m.employment_status,
                "relation": m.relation,
                "in_labour_force": m.in_labour_force,
                "age": m.age,
            }
            for m in h.members
        ],
    }


__all__ = ["Household", "Member", "household_json", "households"]

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

from laborcli.figures import person_table, persons, years_before
from laborcli.policy import LabourForceAges
from laborcli.state import binary


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

    @property
    def zero_employment(self) -> bool:
        """Labour but nobody transferred."""
        return self.labour_force > 0 and self.transferred == 0


def _age(birth: dt.date | None, d: dt.date) -> int | None:
    if birth is None:
        return None
    return d.year - birth.year - ((d.month, d.day) < (birth.month, birth.day))


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
    dialect = conn.dialect.name
    with person_table(conn, persons(d, dialect, ages, township=township, village=village), d) as p:
        return collect(conn, p, d, zero_only, dialect)


def collect(conn: Connection, p: sa.Table, d: dt.date, zero_only: bool, dialect: str) -> list[Household]:
    """Households of the materialised persons, members kept together, in a stable order.

    The households wanted are found by one grouped pass, then only their members are
    read: a window over every person sorted the whole county to keep a few thousand.
    """
    # hh already names the village (township/village/户编号), so it alone is the household.
    having = [sa.func.sum(p.c.labour_force) > 0]
    if zero_only:
        having.append(sa.func.sum(p.c.transferred) == 0)
    wanted = sa.select(p.c.hh).group_by(p.c.hh).having(*having)
    q = (
        sa.select(p)
        .where(p.c.hh.in_(wanted))
        .order_by(
            binary(p.c.township, dialect),
            binary(p.c.village, dialect),
            binary(p.c.hh, dialect),
            p.c.labour_force.desc(),
            binary(p.c.name, dialect),
        )
    )
    out: list[Household] = []
    index: dict[tuple[str, str, str], Household] = {}
    for r in conn.execute(q):
        key = (r.township, r.village, r.hh)
        h = index.get(key)
        if h is None:
            hid = r.household_id if r.household_id is not None else ""
            h = index[key] = Household(r.township, r.village, hid, 0, 0, [])
            out.append(h)
        h.labour_force += int(r.labour_force)
        h.transferred += int(r.transferred)
        h.members.append(
            Member(
                r.name,
                r.id_number,
                r.phone,
                r.employment_status,
                r.relation,
                bool(r.labour_force),
                bool(r.transferred),
                _age(r.birth_eff, d),
            )
        )
    return out


def household_json(h: Household, mask: Any) -> dict[str, Any]:
    """cli.md's households row; ``mask`` hides identifiers unless asked not to."""
    return {
        "township": h.township,
        "village": h.village,
        "household_id": h.household_id,
        "labour_force": h.labour_force,
        "transferred": h.transferred,
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


__all__ = ["Household", "Member", "household_json", "households", "years_before"]

"""Retention (稳岗率, docs/programmes.md "Job spells and retention").

At D over k months: the cohort is the labour-force persons transferred at C = D - k
months, each counted in their place at C; retained are those of them transferred at D
(anywhere in the county, whatever their age then); a cohort member with no row at D is
not retained and is counted as no longer listed. Two current states (C and D) as
temporary tables indexed by person, joined once; each holds only the columns read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.policy import LabourForceAges
from laborcli.roster.figures import LEVEL_COLUMNS, Level
from laborcli.roster.state import binary
from laborcli.roster.submissions import mark_stale, sheet_dates
from laborcli.tenure.income import added_up
from laborcli.tenure.months import add_months
from laborcli.tenure.observations import state_table

MAX_MONTHS = 120


def check_months(months: int) -> None:
    """A horizon of at least one month and at most ten years; else a usage error."""
    if not 1 <= months <= MAX_MONTHS:
        raise UsageError(
            pick(
                f"--months {months} 无效: 应为 1 至 {MAX_MONTHS} 之间的整数",
                f"--months {months} is not valid: a whole number from 1 to {MAX_MONTHS}",
            )
        )


@dataclass(slots=True)
class Retention:
    """Retention by place (docs/json.md#retention)."""

    as_of: dt.date
    months: int
    cohort_date: dt.date
    by: str
    rows: list[dict[str, Any]]
    total: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of docs/json.md#retention."""
        return {
            "as_of": self.as_of,
            "months": self.months,
            "cohort_date": self.cohort_date,
            "by": self.by,
            "rows": self.rows,
            "total": self.total,
        }


_SUMS = ("cohort", "retained", "no_longer_listed")


def _finish(place: dict[str, Any], sums: dict[str, Any]) -> dict[str, Any]:
    cohort = int(sums.get("cohort") or 0)
    retained = int(sums.get("retained") or 0)
    return {
        **place,
        "cohort": cohort,
        "retained": retained,
        "retention_rate": retained / cohort if cohort else None,
        "no_longer_listed": int(sums.get("no_longer_listed") or 0),
    }


def retention(conn: Connection, as_of: dt.date, months: int, by: Level, ages: LabourForceAges) -> Retention:
    """Cohort, retained, rate and no longer listed at each place (its place at C), with
    the county total. Every place listed at C is a row, with a cohort of 0 if need be."""
    return retentions(conn, as_of, months, (by,), ages)[by]


def retentions(
    conn: Connection, as_of: dt.date, months: int, levels: Sequence[Level], ages: LabourForceAges
) -> dict[Level, Retention]:
    """``retention`` at several levels from one pass: the finest level's sums, added up
    by place for the coarser ones."""
    check_months(months)
    cohort_date = add_months(as_of, -months)
    finest = max(levels, key=lambda lv: len(LEVEL_COLUMNS[lv]))
    names = LEVEL_COLUMNS[finest]
    # C is read in place order, for the sums by place, and each of its persons is looked up
    # at D by person: one index each, neither table sorted again.
    by_place = (*LEVEL_COLUMNS["group"], "lf", "transferred", "pkey")
    with (
        state_table(conn, cohort_date, ages, by_place, columns=by_place) as then,
        state_table(conn, as_of, ages, columns=("pkey", "transferred")) as now,
    ):
        member = sa.and_(then.c.lf == 1, then.c.transferred == 1)
        cols = [then.c[c] for c in names]
        q = (
            sa.select(
                *cols,
                sa.func.sum(sa.case((member, 1), else_=0)).label("cohort"),
                sa.func.sum(sa.case((sa.and_(member, now.c.transferred == 1), 1), else_=0)).label("retained"),
                sa.func.sum(sa.case((sa.and_(member, now.c.pkey.is_(None)), 1), else_=0)).label(
                    "no_longer_listed"
                ),
            )
            .select_from(then.outerjoin(now, now.c.pkey == then.c.pkey))
            .group_by(*cols)
            .order_by(*[binary(c, conn.dialect.name) for c in cols])
        )
        raw = [dict(r._mapping) for r in conn.execute(q)]
    stale = sheet_dates(conn, as_of) if {"village", "group"} & set(levels) else {}
    return {
        lv: _retention_at(added_up(raw, names, LEVEL_COLUMNS[lv]), lv, as_of, months, cohort_date, stale)
        for lv in levels
    }


def _retention_at(
    raw: list[dict[str, Any]],
    by: Level,
    as_of: dt.date,
    months: int,
    cohort_date: dt.date,
    stale: dict[Any, dt.date],
) -> Retention:
    out = [
        _finish(
            {
                "township": r.get("township"),
                "village": r.get("village"),
                "group": (r.get("grp") or None) if by == "group" else None,
            },
            r,
        )
        for r in raw
    ]
    total = _finish(
        {"township": None, "village": None, "group": None}, {k: sum(r[k] or 0 for r in raw) for k in _SUMS}
    )
    if by in ("village", "group"):
        mark_stale(out, stale, as_of)
    if by == "county":
        out = [dict(total)]
    return Retention(as_of, months, cohort_date, by, out, total)

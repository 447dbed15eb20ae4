"""Which villages' sheets are in (报送情况, 催报), and which figures stand on an old sheet.

The county's villages are those that ever had a sheet imported or a target loaded: a
village that never sent anything is still expected once the targets name it. A village's
figures are stale when its current sheet is dated before the last month end on or before
the reference date: on Friday 2026-12-04 the November sheets are due, so a village still
on its October sheet is ranked and counted on October's people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.dates import last_month_end, month_end
from laborcli.registry.tables import imports, problems, snapshots, targets
from laborcli.roster.state import current_snapshot_ids

if TYPE_CHECKING:
    from laborcli.sheets.checking import RunReport

Place = tuple[str, str]

# How every table and workbook marks a village counted on an old sheet.
STALE_LABEL = ("数据未更新", "not updated")


def is_stale(sheet_as_of: dt.date | None, as_of: dt.date) -> bool:
    """Whether a village's figures at ``as_of`` stand on a sheet older than the one due."""
    return sheet_as_of is None or sheet_as_of < last_month_end(as_of)


def sheet_dates(conn: Connection, as_of: dt.date) -> dict[Place, dt.date]:
    """Each village's current sheet date at ``as_of``: its latest snapshot or update."""
    cur = current_snapshot_ids(as_of).subquery("cur_dates")
    q = (
        sa.select(snapshots.c.township, snapshots.c.village, sa.func.max(snapshots.c.as_of))
        .where(snapshots.c.id.in_(sa.select(cur.c.id)))
        .group_by(snapshots.c.township, snapshots.c.village)
    )
    return {(r[0], r[1]): r[2] for r in conn.execute(q)}


def mark_stale(rows: Iterable[dict[str, Any]], dates: dict[Place, dt.date], as_of: dt.date) -> None:
    """Add ``sheet_as_of`` and ``stale`` to each village row (docs/json.md#rates)."""
    for r in rows:
        if r.get("village") is None:
            continue
        d = dates.get((r["township"], r["village"]))
        r["sheet_as_of"] = d
        r["stale"] = is_stale(d, as_of)


def latest_month_end(conn: Connection) -> dt.date | None:
    """The month end of the latest sheet imported: what a report is about by default."""
    d = conn.execute(sa.select(sa.func.max(snapshots.c.as_of))).scalar_one()
    return None if d is None else month_end(d.year, d.month)


def county_villages(conn: Connection) -> set[Place]:
    """Every village the registry knows: from any sheet imported or any target loaded."""
    q = sa.union(
        sa.select(snapshots.c.township, snapshots.c.village),
        sa.select(targets.c.township, targets.c.village),
    )
    return {(r[0], r[1]) for r in conn.execute(q)}


@dataclass(slots=True)
class Submission:
    """One village in a month: its sheet, if it came, and its latest sheet otherwise."""

    township: str
    village: str
    arrived: bool
    source: str | None = None
    imported_at: dt.datetime | None = None
    rows: int | None = None
    rows_rejected: int | None = None
    problems: int | None = None
    latest_sheet_as_of: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        """A ``rows`` entry of docs/json.md#submissions."""
        return {
            "township": self.township,
            "village": self.village,
            "arrived": self.arrived,
            "source": self.source,
            "imported_at": self.imported_at.isoformat(timespec="seconds") if self.imported_at else None,
            "rows": self.rows,
            "rows_rejected": self.rows_rejected,
            "problems": self.problems,
            "latest_sheet_as_of": self.latest_sheet_as_of.isoformat() if self.latest_sheet_as_of else None,
        }


@dataclass(slots=True)
class Submissions:
    """A month's sheets, village by village, in township and village order."""

    year: int
    month: int
    rows: list[Submission] = field(default_factory=list)

    @property
    def label(self) -> str:
        """2026-11."""
        return f"{self.year}-{self.month:02d}"

    @property
    def as_of(self) -> dt.date:
        """The month end the sheets are due for."""
        return month_end(self.year, self.month)

    @property
    def missing(self) -> list[Submission]:
        """The villages with no sheet for the month."""
        return [r for r in self.rows if not r.arrived]

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of docs/json.md#submissions."""
        return {
            "month": self.label,
            "as_of": self.as_of.isoformat(),
            "rows": [r.as_json() for r in self.rows],
            "missing": len(self.missing),
        }


def submissions(conn: Connection, year: int, month: int, *, township: str | None = None) -> Submissions:
    """Which of the county's villages sent a sheet dated in the month, and which did not.

    A village's sheet for the month is its latest import with an as-of date in the month
    (a snapshot or an update); its rows are those kept for the village, its rejected rows
    and problems those of the file (a file usually holds one village).
    """
    first, last = dt.date(year, month, 1), month_end(year, month)
    ranked = (
        sa.select(
            snapshots.c.township,
            snapshots.c.village,
            snapshots.c.rows,
            snapshots.c.import_id,
            sa.func.row_number()
            .over(
                partition_by=(snapshots.c.township, snapshots.c.village),
                order_by=(snapshots.c.as_of.desc(), snapshots.c.import_id.desc(), snapshots.c.id.desc()),
            )
            .label("rn"),
        )
        .where(snapshots.c.as_of.between(first, last))
        .subquery("in_month")
    )
    errors = (
        sa.select(problems.c.import_id, sa.func.count().label("n"))
        .group_by(problems.c.import_id)
        .subquery("problem_counts")
    )
    q = (
        sa.select(
            ranked.c.township,
            ranked.c.village,
            ranked.c.rows,
            imports.c.file_name,
            imports.c.imported_at,
            imports.c.rows_rejected,
            sa.func.coalesce(errors.c.n, 0),
        )
        .join(imports, imports.c.id == ranked.c.import_id)
        .outerjoin(errors, errors.c.import_id == ranked.c.import_id)
        .where(ranked.c.rn == 1)
    )
    arrived = {(r[0], r[1]): r for r in conn.execute(q)}
    latest = {
        (r[0], r[1]): r[2]
        for r in conn.execute(
            sa.select(snapshots.c.township, snapshots.c.village, sa.func.max(snapshots.c.as_of))
            .where(snapshots.c.as_of <= last)
            .group_by(snapshots.c.township, snapshots.c.village)
        )
    }
    # Code-point order, as everywhere (docs/rules.md).
    places = sorted(p for p in county_villages(conn) if township is None or p[0] == township)
    out = Submissions(year, month)
    for p in places:
        a = arrived.get(p)
        if a is None:
            out.rows.append(Submission(p[0], p[1], False, latest_sheet_as_of=latest.get(p)))
        else:
            out.rows.append(
                Submission(p[0], p[1], True, a[3], a[4], int(a[2]), int(a[5]), int(a[6]), latest.get(p))
            )
    return out


def imported_months(run: RunReport) -> set[tuple[int, int]]:
    """The months an import run brought (or found already there) sheets for."""
    return {
        (f.as_of.year, f.as_of.month)
        for f in run.files
        if f.as_of is not None and f.status in ("imported", "unchanged")
    }


def months_missing(conn: Connection, months: Iterable[tuple[int, int]]) -> list[Submissions]:
    """For each month an import brought sheets for, the villages still without one."""
    return [s for s in (submissions(conn, y, m) for y, m in sorted(set(months))) if s.missing]


__all__ = [
    "STALE_LABEL",
    "Submission",
    "Submissions",
    "county_villages",
    "imported_months",
    "is_stale",
    "latest_month_end",
    "mark_stale",
    "months_missing",
    "sheet_dates",
    "submissions",
]

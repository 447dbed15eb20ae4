"""What the Friday handout (`rank --export`) shows: the week's ranking and, when the county
keeps employer demand, the week's supply-demand session (逢五供需对接) on a sheet of its own.

The two are one meeting's papers, so they are gathered together, in one transaction: the
sheet counts the same week, as of the same Friday, as the ranking beside it.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.engine import Connection

from laborcli.jobs.summary import SupplyDemand, has_demands, supply_demand
from laborcli.policy import LabourForceAges, MatchingPolicy
from laborcli.ranking.weekly import Metric, Ranking, rank_week


def friday_handout(
    conn: Connection,
    year: int,
    week: int,
    ages: LabourForceAges,
    matching: MatchingPolicy,
    *,
    top: int,
    by: Literal["village", "township"] = "village",
    metric: Metric | None = None,
) -> tuple[Ranking, SupplyDemand | None]:
    """The ranking of week W and its session (None when no demand was ever imported)."""
    ranking = rank_week(conn, year, week, ages, top=top, by=by, metric=metric)
    supply = supply_demand(conn, year, week, ages, matching) if has_demands(conn) else None
    return ranking, supply

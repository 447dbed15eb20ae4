"""`laborcli demand`: the demands at D with placements and fill rates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Connection

from laborcli.jobs.demand import DemandList
from laborcli.jobs.matching import demand_rows
from laborcli.jobs.placements import placements


def demand_list(conn: Connection, d: dt.date, *, only_open: bool = False) -> DemandList:
    """Every demand (or the open ones) at D, with its placements (answered and from the sheets)."""
    rows = demand_rows(conn, placements(conn, d))
    return DemandList(as_of=d, rows=[r for r in rows if r.is_open(d) or not only_open])

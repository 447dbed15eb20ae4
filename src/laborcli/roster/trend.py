"""The transfer rate at many dates in one pass, for the report's trend: each date's
current state is its observations (tenure.observations, the rule `rates` reads), so the
labour force and the transferred at every date come from one grouped query rather than
one figure computation per date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.policy import LabourForceAges
from laborcli.registry.tables import rows, snapshots
from laborcli.roster.figures import labour_force_expr
from laborcli.tenure.observations import Observations


def transfer_trend(
    conn: Connection, dates: Sequence[dt.date], ages: LabourForceAges, township: str | None = None
) -> dict[dt.date, tuple[int, int]]:
    """Date -> (labour force, transferred of it) at each of ``dates`` (one township's
    when given), as the totals of `rates` at that date count them."""
    wanted = sorted(set(dates))
    out = {d: (0, 0) for d in wanted}
    if not wanted:
        return out
    with Observations.kept(conn, wanted) as obs:
        o = obs.select(
            rows.c.snapshot_id,
            rows.c.status_in_lf,
            rows.c.capacity_excluded,
            rows.c.birth_eff,
            rows.c.gender_eff,
            rows.c.transferred,
        ).subquery("trend_obs")
        # Each date its own ages: the labour force at d is labour_force_expr at d.
        lf = sa.case(*[(o.c.d == d, labour_force_expr(o.c, d, ages)) for d in wanted], else_=sa.false())
        q = sa.select(
            o.c.d,
            sa.func.sum(sa.case((lf, 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(lf, o.c.transferred.is_(True)), 1), else_=0)),
        ).group_by(o.c.d)
        if township is not None:
            q = q.select_from(o.join(snapshots, snapshots.c.id == o.c.snapshot_id)).where(
                snapshots.c.township == township
            )
        for d, lf_n, tr_n in conn.execute(q):
            out[d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))] = (
                int(lf_n or 0),
                int(tr_n or 0),
            )
    return out

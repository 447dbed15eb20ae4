"""Annual transfer-employment targets per village (年度转移就业任务数) as the registry keeps
them: a year's targets are replaced whole, and the ranking reads them. Reading a targets
sheet is ``ranking.target_sheet``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.registry.tables import snapshots, targets


def known_villages(conn: Connection) -> set[tuple[str, str]]:
    """Every (township, village) that has ever had a sheet imported."""
    return {
        (r[0], r[1]) for r in conn.execute(sa.select(snapshots.c.township, snapshots.c.village).distinct())
    }


def replace_targets(conn: Connection, year: int, values: list[dict[str, object]]) -> None:
    """A year's targets are replaced whole."""
    conn.execute(targets.delete().where(targets.c.year == year))
    if values:
        conn.execute(targets.insert(), values)


def load_targets(conn: Connection, year: int) -> dict[tuple[str, str], int]:
    """(township, village) -> target for a year."""
    return {
        (r.township, r.village): int(r.target)
        for r in conn.execute(sa.select(targets).where(targets.c.year == year))
    }

"""Annual transfer-employment targets per village (年度转移就业任务数).

The targets sheet is a sheet kind (schemas/targets_sheet.toml: 乡镇, 村(社区) and
年度任务数 with their aliases), read and checked by the shared sheet machinery like a
village sheet: title rows, aliases, totals rows, GB18030 CSV, problems with a place and
a fix, annotated copies. What only the registry can tell is checked here: each village
must have had a sheet imported. A new import for a year replaces that year's targets.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.registry.tables import snapshots, targets
from laborcli.sheets.checking import FileReport, Settings, check_file
from laborcli.sheets.problems import ProblemCode, make_problem
from laborcli.sheets.schema import SheetSchema, load_schema


def targets_schema(path: Path | None = None) -> SheetSchema:
    """The targets sheet kind: a county's own copy, else the shipped one."""
    return load_schema(path, kind="targets")


def read_targets(
    path: Path, year: int, known: set[tuple[str, str]], schema: SheetSchema | None = None
) -> tuple[FileReport, list[dict[str, object]]]:
    """Check a targets file; a village that has never had a sheet imported is an error.

    Returns the report (its ``rows_imported`` is the villages whose target is kept) and
    the targets to store. A row without a township takes the township of the one known
    village of that name.
    """
    rep = check_file(path, Settings(schema=schema or targets_schema()), keep_book=True, for_store=True)
    good: dict[tuple[str, str], dict[str, object]] = {}
    rejected = 0
    for res in rep.sheets:
        cols = res.columns or {}
        res.columns = None
        for sheet, n, township, village, target in zip(
            cols.get("sheet", []),
            cols.get("row_number", []),
            cols.get("township", []),
            cols.get("village", []),
            cols.get("target", []),
            strict=True,
        ):
            place = (township or "", village)
            if not place[0]:
                matches = [t for (t, v) in known if v == village]
                if len(matches) == 1:
                    place = (matches[0], village)
            if place not in known:
                rejected += 1
                rep.problems.append(
                    make_problem(
                        ProblemCode.TARGET_VILLAGE_UNKNOWN,
                        sheet=sheet,
                        row=n,
                        column=res.table.headers.get("village") if res.table else None,
                        value=f"{place[0]}{village}",
                    )
                )
                continue
            good[place] = {
                "year": year,
                "township": place[0],
                "village": village,
                "target": target,
                "source": path.name,
            }
    rep.problems.sort(key=lambda p: (p.sheet, p.row))
    rep.rows_rejected += rejected
    rep.rows_imported = len(good)
    rep.status = "rejected" if rep.status == "rejected" else "imported"
    return rep, list(good.values())


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

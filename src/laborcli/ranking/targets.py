"""Annual transfer-employment targets per village (年度转移就业任务数).

The targets sheet has 乡镇, 村(社区) and 年度任务数 columns (with aliases); it is checked
like any sheet, and a new import for a year replaces that year's targets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.errors import InputFileError
from laborcli.i18n import pick
from laborcli.registry.tables import snapshots, targets
from laborcli.sheets.cells import ValueProblem, clean_text, fold, is_blank, parse_int
from laborcli.sheets.problems import Problem, make_problem
from laborcli.sheets.reading import read_book

HEADERS = {
    "township": ["乡镇(街道)", "乡镇", "乡(镇)", "镇(乡)", "乡镇街道", "街道"],
    "village": ["村(社区)", "村", "行政村", "村委会", "社区", "村(居)"],
    "target": [
        "年度任务数",
        "任务数",
        "年度转移就业任务数",
        "年度目标",
        "目标任务数",
        "转移就业任务数",
        "年度任务",
    ],
}
_LOOKUP = {fold(h): k for k, hs in HEADERS.items() for h in hs}


@dataclass(slots=True)
class TargetsReport:
    """What a targets import read, kept and refused."""

    path: str
    year: int
    rows_read: int = 0
    imported: int = 0
    problems: list[Problem] = field(default_factory=list)


def read_targets(
    path: Path, year: int, known: set[tuple[str, str]]
) -> tuple[TargetsReport, list[dict[str, object]]]:
    """Parse a targets file; villages not in the registry and non-numeric targets are errors."""
    rep = TargetsReport(path=str(path), year=year)
    book = read_book(path)
    for sheet in book.sheets:
        header_i, cols = -1, {}
        for i, row in enumerate(sheet.rows[:20]):
            found = {
                _LOOKUP[fold(str(c))]: j
                for j, c in reversed(list(enumerate(row)))
                if isinstance(c, str) and fold(c) in _LOOKUP
            }
            if {"village", "target"} <= found.keys():
                header_i, cols = i, found
                break
        if header_i < 0:
            continue
        good: dict[tuple[str, str], dict[str, object]] = {}
        for i in range(header_i + 1, len(sheet.rows)):
            row = sheet.rows[i]

            def cell(k: str, row: list[object] = row, cols: dict[str, int] = cols) -> object:
                j = cols.get(k)
                return row[j] if j is not None and j < len(row) else None

            if all(is_blank(v) for v in row):
                continue
            township = clean_text(cell("township")) if "township" in cols else ""
            village = clean_text(cell("village"))
            if fold(township).startswith(("合计", "小计", "总计")) or fold(village).startswith(
                ("合计", "小计", "总计")
            ):
                continue
            rep.rows_read += 1
            n = i + 1
            if not village:
                rep.problems.append(
                    make_problem("village-missing", sheet=sheet.name, row=n, column="村(社区)")
                )
                continue
            if not township:
                matches = [t for (t, v) in known if v == village]
                if len(matches) == 1:
                    township = matches[0]
            if (township, village) not in known:
                rep.problems.append(
                    make_problem(
                        "target-village-unknown",
                        sheet=sheet.name,
                        row=n,
                        column="村(社区)",
                        value=f"{township}{village}",
                    )
                )
                continue
            try:
                t = parse_int(cell("target"))
            except ValueProblem:
                t = -1
            if t is None or t < 0:
                rep.problems.append(
                    make_problem(
                        "target-invalid",
                        sheet=sheet.name,
                        row=n,
                        column="年度任务数",
                        value=clean_text(cell("target")),
                    )
                )
                continue
            good[(township, village)] = {
                "year": year,
                "township": township,
                "village": village,
                "target": t,
                "source": path.name,
            }
        rep.imported = len(good)
        return rep, list(good.values())
    raise InputFileError(
        f"{path.name}: "
        + pick("找不到表头 (需要 村(社区) 和 年度任务数 两列)", "no header with 村(社区) and 年度任务数")
    )


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

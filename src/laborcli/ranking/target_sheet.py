"""The annual targets sheet (年度转移就业任务表), read and imported.

The targets sheet is a sheet kind (schemas/targets_sheet.toml: 乡镇, 村(社区) and
年度任务数 with their aliases), read and checked by the shared sheet machinery like a
village sheet: title rows, aliases, totals rows, GB18030 CSV, problems with a place and
a fix, annotated copies. What only the registry can tell is checked here: each village
must have had a sheet imported, unless the county starts its registry with the targets
(``new_villages``). A targets file is whole or nothing, like a village sheet: one row in
error leaves the year's targets as they were, with every problem listed, since a
misspelt village imported around would leave a silent hole in the year's targets. A new
import for a year replaces that year's targets.
Apart from ``ranking.targets`` so that the ranking, which reads targets, does not load
the sheet machinery.
"""

from __future__ import annotations

from pathlib import Path

from laborcli.errors import InputFileError
from laborcli.ranking.targets import known_villages, replace_targets
from laborcli.registry.engine import Registry
from laborcli.sheets.checking import FileReport, Settings, check_file
from laborcli.sheets.problems import ProblemCode, make_problem
from laborcli.sheets.schema import SheetSchema, load_schema


def targets_schema(path: Path | None = None) -> SheetSchema:
    """The targets sheet kind: a county's own copy, else the shipped one."""
    return load_schema(path, kind="targets")


def import_targets(
    reg: Registry,
    path: Path,
    year: int,
    schema: SheetSchema | None = None,
    *,
    new_villages: bool = False,
) -> FileReport:
    """`laborcli targets import`: a year's targets replaced by the file's, in one
    transaction. A file that cannot be read, or has no targets table, changes nothing
    (:class:`InputFileError`); a file with a row in error changes nothing either and comes
    back ``rejected`` with its problems."""
    with reg.writing() as conn:
        rep, values = read_targets(path, year, known_villages(conn), schema, new_villages=new_villages)
        if rep.status == "rejected" and not rep.sheets:
            raise InputFileError(f"{path.name}: {rep.problems[-1].message}" if rep.problems else path.name)
        if rep.status != "rejected":
            replace_targets(conn, year, values)
    return rep


def read_targets(
    path: Path,
    year: int,
    known: set[tuple[str, str]],
    schema: SheetSchema | None = None,
    *,
    new_villages: bool = False,
) -> tuple[FileReport, list[dict[str, object]]]:
    """Check a targets file; a village that has never had a sheet imported is an error
    unless ``new_villages``.

    Returns the report (its ``rows_imported`` is the villages whose target is kept; 0 and
    ``rejected`` when any row is in error) and the targets to store. Only the first sheet with a targets table is read (a workbook
    may keep last year's sheet beside this year's). A row without a township takes the
    township of the one known village of that name.
    """
    rep = check_file(path, Settings(schema=schema or targets_schema()), keep_book=True, for_store=True)
    if rep.sheets:
        first = rep.sheets[0]
        rep.sheets = [first]
        rep.problems = list(first.problems)
        rep.rows_read, rep.rows_imported = first.rows_read, first.accepted
        rep.rows_rejected = len(first.rejected_rows)
        rep.warnings = sum(1 for p in rep.problems if p.severity == "warning")
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
            if place not in known and not (new_villages and place[0]):
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
    rep.problems.sort(key=lambda p: p.row)
    rep.rows_rejected += rejected
    if rep.status == "rejected" or rep.rows_rejected or any(p.severity == "error" for p in rep.problems):
        rep.status = "rejected"
        rep.rows_imported = 0
        return rep, []
    rep.rows_imported = len(good)
    rep.status = "imported"
    return rep, list(good.values())

"""`laborcli leaders`: the leaders' registry (带头能人数据库) and the people they organised."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii
from laborcli.cli.output import state, working

app = LaborTyper(help="Leaders and organisers (带头能人数据库): import, and people organised in a year.")

YearOpt = Annotated[int | None, typer.Option("--year", help="The year (default: the year of --as-of).")]


@app.callback(invoke_without_command=True)
def leaders(
    ctx: typer.Context, year: YearOpt = None, as_of: AsOf = None, fmt: FormatOpt = Format.table
) -> None:
    """Each leader with the people organised in the year (all, poor or relocated), and the
    organiser names in village sheets that match no leader."""
    if ctx.invoked_subcommand is not None:
        return
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.subsidy import show_leaders
    from laborcli.subsidies.rules import leaders_list
    from laborcli.tenure.income import check_year

    st = state(ctx)
    pol = policy(st)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    y = d.year if year is None else year
    check_year(y, d)
    with working(st, "统计带头人组织人数"), reg.reading() as conn:
        res = leaders_list(conn, y, d, pol)
    show_leaders(res, fmt)


@app.command("import")
def import_leaders(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILES_OR_FOLDERS", help="Leaders sheets (.xlsx, .xls, .csv), folders or globs."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check only; the registry is not changed.")
    ] = False,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Import the leaders' registry; the last sheet imported is the complete registry."""
    from laborcli.cli.context import open_reg, sheet_schema
    from laborcli.cli.views.runs import show_run
    from laborcli.sheets.reading import collect_files
    from laborcli.subsidies.leaders import import_leaders as run_import

    st = state(ctx)
    found = collect_files([str(f) for f in files])
    run = run_import(open_reg(st), list(found.files), sheet_schema(st, "leaders"), dry_run=dry_run)
    run.skipped = list(found.skipped)
    show_run(run, fmt, show_pii)
    if run.has_problems:
        raise typer.Exit(1)

"""`laborcli submissions`: which villages' sheets arrived for a month (报送情况, 催报)."""

from __future__ import annotations

from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import ExcelCsv, Format, FormatOpt, TableExport, TownshipOpt, Wide
from laborcli.cli.output import state, working

app = LaborTyper()


@app.command("submissions")
def submissions(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option("--month", help="The month, 2026-11 (default: the month of the latest sheet imported)."),
    ] = None,
    township: TownshipOpt = None,
    fmt: FormatOpt = Format.table,
    wide: Wide = False,
    export: TableExport = None,
    excel: ExcelCsv = None,
) -> None:
    """Per township and village: this month's sheet (file, rows, rejected rows, problems) or none."""
    from laborcli.cli.context import open_reg, reference_date
    from laborcli.cli.listing import TableOptions
    from laborcli.cli.views.submissions import show_submissions
    from laborcli.dates import parse_month
    from laborcli.roster.submissions import submissions as month_submissions

    st = state(ctx)
    reg = open_reg(st)
    if month:
        y, m = parse_month(month)
    else:
        d = reference_date(st, reg, None)
        y, m = d.year, d.month
    with working(st, "统计报送情况"), reg.reading() as conn:
        res = month_submissions(conn, y, m, township=township)
    show_submissions(st, res, fmt, TableOptions(wide, export, excel))
    if res.missing:
        raise typer.Exit(1)

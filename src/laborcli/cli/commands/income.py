"""`laborcli income`: labour income (务工收入) in a year, by place."""

from __future__ import annotations

from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, Format, FormatOpt, Level
from laborcli.cli.output import state, working

app = LaborTyper()


@app.command("income")
def income(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help="The year (default: the year of --as-of).")
    ] = None,
    as_of: AsOf = None,
    by: Annotated[Level, typer.Option("--by", help="The places to count by.")] = Level.village,
    fmt: FormatOpt = Format.table,
) -> None:
    """Labour income in the year, unknown months, and the monthly income of the transferred."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.income import show_income
    from laborcli.tenure.income import check_year
    from laborcli.tenure.income import income as compute

    st = state(ctx)
    pol = policy(st)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    y = d.year if year is None else year
    check_year(y, d)
    with working(st, "计算务工收入"), reg.reading() as conn:
        res = compute(conn, y, d, by.value, pol.labour_force, income_max=pol.income.max_monthly_yuan)
    show_income(res, by, fmt)

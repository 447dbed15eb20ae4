"""`laborcli rates`: transfer rates and the other figures at one level."""

from __future__ import annotations

from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import (
    AsOf,
    ExcelCsv,
    Format,
    FormatOpt,
    Level,
    TableExport,
    TownshipOpt,
    VillageOpt,
    Wide,
)
from laborcli.cli.output import state, working

app = LaborTyper()


@app.command("rates")
def rates(
    ctx: typer.Context,
    as_of: AsOf = None,
    by: Annotated[Level, typer.Option("--by", help="The places to count by.")] = Level.village,
    township: TownshipOpt = None,
    village: VillageOpt = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Year of 'new transfers' (default: the year of --as-of).")
    ] = None,
    fmt: FormatOpt = Format.table,
    wide: Wide = False,
    export: TableExport = None,
    excel: ExcelCsv = None,
) -> None:
    """Labour force, transfers, rates, households and zero-employment households as of a date."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.listing import TableOptions
    from laborcli.cli.views.rates import show_rates
    from laborcli.roster.figures import rates as compute_rates

    st = state(ctx)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with working(st, "计算转移就业率"), reg.reading() as conn:
        res = compute_rates(
            conn,
            d,
            by.value,
            policy(st).labour_force,
            township=township,
            village=village,
            year=year,
        )
    show_rates(st, res, by, fmt, TableOptions(wide, export, excel))

"""`laborcli retention`: 稳岗率, who of those transferred k months ago still are."""

from __future__ import annotations

from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, Format, FormatOpt, Level
from laborcli.cli.output import state, working

app = LaborTyper()


@app.command("retention")
def retention(
    ctx: typer.Context,
    as_of: AsOf = None,
    months: Annotated[
        int | None,
        typer.Option("--months", help="The horizon k in months (default 3, from the policy)."),
    ] = None,
    by: Annotated[Level, typer.Option("--by", help="The places to count by.")] = Level.village,
    fmt: FormatOpt = Format.table,
) -> None:
    """Retention (稳岗率): of the labour force transferred k months before, how many still are."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.retention import show_retention
    from laborcli.tenure.retention import check_months
    from laborcli.tenure.retention import retention as compute

    st = state(ctx)
    pol = policy(st)
    k = pol.tenure.retention_months if months is None else months
    check_months(k)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with working(st, "计算稳岗率"), reg.reading() as conn:
        res = compute(conn, d, k, by.value, pol.labour_force)
    show_retention(res, by, fmt)

"""`laborcli demand`: employer demand (用工需求数据库): import the sheets, list the openings."""

from __future__ import annotations

from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii
from laborcli.cli.output import pii_notice, state, working

app = LaborTyper(
    help="Employer demand (企业用工需求): openings, placements, fill rates.", invoke_without_command=True
)


@app.callback(invoke_without_command=True)
def demand(
    ctx: typer.Context,
    as_of: AsOf = None,
    only_open: Annotated[bool, typer.Option("--open", help="Only the demands open at the date.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """List the demands with their openings, placements and fill rates, per company and county."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.jobs import show_demand
    from laborcli.jobs.listing import demand_list

    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    policy(st)  # a bad policy file is refused before the work
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with working(st, "统计用工需求"), reg.reading() as conn:
        res = demand_list(conn, d, only_open=only_open)
    show_demand(res, fmt)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="FILES_OR_FOLDERS", help="Demand sheets (企业用工需求登记表): files, folders or globs."
        ),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report, write nothing.")] = False,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Import demand sheets; rows in error are rejected and listed, each file whole or not at all."""
    from laborcli.cli.context import open_reg, sheet_schema
    from laborcli.cli.views.runs import show_run
    from laborcli.jobs.demand import import_demands
    from laborcli.sheets.reading import collect_files

    st = state(ctx)
    pii_notice(show_pii)
    found = collect_files(paths)
    run = import_demands(
        open_reg(st), found.files, sheet_schema(st, "demand"), dry_run=dry_run, skipped=found.skipped
    )
    show_run(run, fmt, show_pii)
    if run.has_problems:
        raise typer.Exit(1)

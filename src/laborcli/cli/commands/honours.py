"""`laborcli honours`: the 两比两看 honour list (households on stable employment and income)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii, TownshipOpt, workbook_option
from laborcli.cli.output import err, out, state, working
from laborcli.sheets.safe import writable_file

app = LaborTyper()


@app.command("honours")
def honours(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help="The year (default: the year of --as-of).")
    ] = None,
    as_of: AsOf = None,
    township: TownshipOpt = None,
    export: Annotated[
        Path | None,
        workbook_option("Write the notice for the board (两比两看.xlsx): one page per township, no IDs."),
    ] = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Households ranked per township on members in stable employment, then per-capita income."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.honours import show_honours
    from laborcli.identity.privacy import Mask
    from laborcli.subsidies.honours import honours as ranked
    from laborcli.tenure.income import check_year

    st = state(ctx)
    if export is not None:
        writable_file(export)  # before the work, not after it
    pol = policy(st)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    y = d.year if year is None else year
    check_year(y, d)
    with working(st, "评选光荣户"), reg.reading() as conn:
        res = ranked(conn, y, d, pol, township)
    if export is not None:
        from laborcli.exports.honours import write_honours  # openpyxl only when asked

        n = write_honours(res, export, pol.county)
        if not st.quiet:
            err.print(f"→ {export} ({n} 户)")
    # Beside the notice, the table is for a person watching, not for a cron log.
    show_honours(res, fmt, Mask(show_pii), table_too=export is None or (not st.quiet and out.is_terminal))

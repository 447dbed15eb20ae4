"""`laborcli households`: households with labour, and the zero-employment working list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import (
    AsOf,
    ExcelCsv,
    Format,
    FormatOpt,
    ShowPii,
    TownshipOpt,
    VillageOpt,
    Wide,
    workbook_option,
)
from laborcli.cli.output import err, pii_notice, state, working
from laborcli.identity.privacy import Mask
from laborcli.sheets.safe import writable_file

app = LaborTyper()


@app.command("households")
def households(
    ctx: typer.Context,
    as_of: AsOf = None,
    zero_employment: Annotated[
        bool,
        typer.Option(
            "--zero-employment", help="Only households with labour and nobody transferred (零就业家庭)."
        ),
    ] = False,
    township: TownshipOpt = None,
    village: VillageOpt = None,
    export: Annotated[
        Path | None,
        workbook_option("Write the list to an .xlsx workbook, one sheet per township."),
    ] = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
    wide: Wide = False,
    excel: ExcelCsv = None,
) -> None:
    """Households with at least one labour-force member, with members and their status."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.listing import TableOptions
    from laborcli.cli.views.households import show_households
    from laborcli.roster.households import households as list_households

    st = state(ctx)
    if export is not None:
        writable_file(export)  # before the work, not after it
    mask = Mask(show_pii)
    pii_notice(show_pii)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with working(st, "整理家庭名单"), reg.reading() as conn:
        hs = list_households(
            conn, d, policy(st).labour_force, zero_only=zero_employment, township=township, village=village
        )
    if export is not None:
        from laborcli.exports.households import write_households  # openpyxl only when asked

        write_households(hs, export, d, mask, zero_only=zero_employment)
        if not st.quiet:
            err.print(f"→ {export}")
    show_households(
        st,
        hs,
        d,
        mask,
        fmt,
        TableOptions(wide=wide, excel=excel),
        zero_only=zero_employment,
        table_too=export is None,
    )

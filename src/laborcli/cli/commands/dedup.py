"""`laborcli dedup`: persons registered more than once, and the review loop."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, ExcelCsv, Format, FormatOpt, ShowPii, Wide, workbook_option
from laborcli.cli.output import err, pii_notice, state, working
from laborcli.identity.privacy import Mask
from laborcli.sheets.safe import writable_file

app = LaborTyper(help="People registered more than once (重复登记), for review.", invoke_without_command=True)


@app.callback(invoke_without_command=True)
def dedup(
    ctx: typer.Context,
    as_of: AsOf = None,
    export: Annotated[
        Path | None,
        workbook_option("Write the review workbook (.xlsx) of the undecided clusters, to decide on."),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="With --export: every cluster, the decided ones too.")
    ] = False,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
    wide: Wide = False,
    excel: ExcelCsv = None,
) -> None:
    """List clusters of rows that are (same) or may be (probable) one person, in the current state."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.listing import TableOptions
    from laborcli.cli.views.dedup import say_exported, show_clusters
    from laborcli.exports.review import pending, write_review
    from laborcli.identity import review
    from laborcli.identity.decisions import tokens

    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    if export is not None:
        writable_file(export)  # before the work, not after it
    mask = Mask(show_pii)
    pii_notice(show_pii)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with working(st, "查找重复登记"), reg.reading() as conn:
        clusters = review(conn, d, policy(st).dedup)
        signer = tokens(conn) if export is not None else None
    if export is not None and signer is not None:
        offered = pending(clusters, everything)
        write_review(offered, export, mask, signer)
        if not st.quiet:
            say_exported(export, len(offered), len(clusters))
    show_clusters(clusters, d, mask, fmt, TableOptions(wide=wide, excel=excel))
    if excel is not None and not st.quiet:
        err.print(f"→ {excel}", markup=False)


@app.command("apply")
def apply(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The review workbook with decisions filled in.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Record the decisions of a review workbook (all or, on any error, none); they keep
    applying in later imports."""
    from laborcli.cli.context import open_reg
    from laborcli.cli.views.dedup import show_applied
    from laborcli.exports.review import apply_review_file

    st = state(ctx)
    applied = apply_review_file(open_reg(st), file)
    show_applied(applied, fmt, quiet=st.quiet)
    if applied.errors:
        raise typer.Exit(1)

"""`laborcli dedup`: persons registered more than once, and the review loop."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii
from laborcli.cli.output import err, pii_notice, state, working
from laborcli.i18n import pick
from laborcli.identity.privacy import Mask
from laborcli.sheets.safe import writable_file

app = typer.Typer(
    help="People registered more than once (重复登记), for review.", invoke_without_command=True
)


@app.callback(invoke_without_command=True)
def dedup(
    ctx: typer.Context,
    as_of: AsOf = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Write the review workbook (.xlsx) with a decision column."),
    ] = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """List clusters of rows that are (same) or may be (probable) one person, in the current state."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.dedup import show_clusters
    from laborcli.exports.review import write_review
    from laborcli.identity import find_clusters

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
        clusters = find_clusters(conn, d, policy(st).dedup)
    if export is not None:
        write_review(clusters, export, mask)
        if not st.quiet:
            err.print(f"→ {export}")
    show_clusters(clusters, d, mask, fmt)


@app.command("apply")
def apply(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The review workbook with decisions filled in.")],
) -> None:
    """Record the decisions of a review workbook; they keep applying in later imports."""
    from laborcli.cli.context import open_reg
    from laborcli.exports.review import read_review
    from laborcli.identity import record

    st = state(ctx)
    pairs = read_review(file)
    reg = open_reg(st)
    with reg.writing() as conn:
        n = record(conn, pairs, source=file.name)
    if not st.quiet:
        err.print(pick(f"已记录 {n} 条判定 ({file.name})", f"recorded {n} decisions ({file.name})"))

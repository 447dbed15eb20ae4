"""`laborcli template`: the blank sheet of a kind (the village sheet by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import KindOpt, output_file
from laborcli.cli.output import err, state

app = LaborTyper()


@app.command("template")
def template(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE.xlsx",
            callback=output_file(".xlsx"),
            help="Where to write the .xlsx template (default: <sheet name>.xlsx).",
        ),
    ] = None,
    kind: KindOpt = None,
) -> None:
    """Write the blank sheet with dropdowns, text-formatted ID column and instructions."""
    from laborcli.cli.context import sheet_schema
    from laborcli.sheets.template import write_template

    st = state(ctx)
    schema = sheet_schema(st, kind)
    output = output or Path(f"{schema.name}.xlsx")
    write_template(schema, output)
    if not st.quiet:
        err.print(f"→ {output}")

"""`laborcli template`: the blank standard village sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.output import err, state

app = typer.Typer()


@app.command("template")
def template(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the .xlsx template.")] = Path(
        "村劳动力信息统计表.xlsx"
    ),
) -> None:
    """Write the blank village sheet with dropdowns, text-formatted ID column and instructions."""
    from laborcli.cli.context import settings
    from laborcli.sheets.template import write_template

    st = state(ctx)
    write_template(settings(st).schema, output)
    if not st.quiet:
        err.print(f"→ {output}")

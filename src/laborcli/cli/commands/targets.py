"""`laborcli targets import`: annual transfer-employment targets per village."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import Format, FormatOpt
from laborcli.cli.output import state
from laborcli.errors import UsageError
from laborcli.i18n import pick

app = LaborTyper(help="Annual targets per village (年度转移就业任务数).")


@app.command("import")
def import_targets(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Targets sheet with 乡镇, 村(社区), 年度任务数.")],
    year: Annotated[int, typer.Option("--year", help="The year the targets are for.")],
    new_villages: Annotated[
        bool,
        typer.Option(
            "--new-villages",
            help="Accept villages that have no sheet yet (a county starting its registry with the targets).",
        ),
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Load a year's targets; they replace any targets loaded before for that year.

    The file is loaded whole or not at all: a row in error changes nothing."""
    from laborcli.cli.context import open_reg, sheet_schema
    from laborcli.cli.views.targets import show_targets
    from laborcli.ranking.target_sheet import import_targets

    st = state(ctx)
    if not file.is_file():
        raise UsageError(pick(f"文件不存在: {file}", f"no such file: {file}"))
    rep = import_targets(open_reg(st), file, year, sheet_schema(st, "targets"), new_villages=new_villages)
    show_targets(rep, file, year, fmt)
    if rep.status == "rejected" or rep.errors or rep.rows_rejected:
        raise typer.Exit(1)

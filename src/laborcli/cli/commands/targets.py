"""`laborcli targets import`: annual transfer-employment targets per village."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    pass
from laborcli.cli.options import Format, FormatOpt
from laborcli.cli.output import err, out, print_csv, print_json, state
from laborcli.errors import UsageError
from laborcli.i18n import pick

app = typer.Typer(help="Annual targets per village (年度转移就业任务数).")


@app.command("import")
def import_targets(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Targets sheet with 乡镇, 村(社区), 年度任务数.")],
    year: Annotated[int, typer.Option("--year", help="The year the targets are for.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Load a year's targets; they replace any targets loaded before for that year."""
    from laborcli.cli.context import open_reg
    from laborcli.ranking.targets import known_villages, read_targets, replace_targets

    st = state(ctx)
    if not file.is_file():
        raise UsageError(pick(f"文件不存在: {file}", f"no such file: {file}"))
    reg = open_reg(st)
    with reg.writing() as conn:
        rep, values = read_targets(file, year, known_villages(conn))
        replace_targets(conn, year, values)
    if fmt is Format.json:
        print_json(
            {
                "path": rep.path,
                "year": year,
                "rows_read": rep.rows_read,
                "imported": rep.rows_imported,
                "problems": [p.as_json() for p in rep.problems],
            }
        )
    elif fmt is Format.csv:
        head = ["sheet", "row", "column", "severity", "code", "value", "message"]
        print_csv(head, [[p.as_json()[k] for k in head] for p in rep.problems])
    else:
        out.print(f"{year} 年任务: 读取 {rep.rows_read} 行, 导入 {rep.rows_imported} 个村")
        for p in rep.problems:
            err.print(f"[red]{file.name}, 第{p.row}行: {p.message} [{p.value or ''}][/red]")
    if rep.problems:
        raise typer.Exit(1)

"""`targets import`: what a targets sheet gave, as lines or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape

from laborcli.cli.options import Format
from laborcli.cli.output import err, out, print_csv, print_json
from laborcli.sheets.checking import RunReport

if TYPE_CHECKING:
    from laborcli.sheets.checking import FileReport

CSV_HEAD = ["sheet", "row", "column", "severity", "code", "value", "message"]


def show_targets(rep: FileReport, file: Path, year: int, fmt: Format) -> None:
    """The report in the asked format: counts on stdout, problems on stderr for a person."""
    if fmt is Format.json:
        print_json(
            {
                "path": rep.path,
                "year": year,
                "status": rep.status,
                "rows_read": rep.rows_read,
                "imported": rep.rows_imported,
                "problems": [p.as_json() for p in rep.problems],
            }
        )
    elif fmt is Format.csv:
        print_csv(CSV_HEAD, [[rec[k] for k in CSV_HEAD] for rec in RunReport([rep]).flatten()])
    else:
        if rep.status == "rejected":
            out.print(
                f"[red]{year} 年任务: {file.name} 有 {sum(p.severity == 'error' for p in rep.problems)} 个错误, "
                "未导入 (原有任务不变); 改正后重新导入[/red]"
            )
        else:
            out.print(f"{year} 年任务: 读取 {rep.rows_read} 行, 导入 {rep.rows_imported} 个村")
        for p in rep.problems:
            line = f"{file.name}, 第{p.row}行: {p.message} [{p.shown_value() or ''}]"
            err.print(f"[red]{escape(line)}[/red]")

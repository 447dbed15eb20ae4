"""The annotated copy of a sheet that a township sends back to the village.

Problem cells are filled red (error) or yellow (warning) and carry a comment with the
message; a problem about a whole row marks the row's first cell. An .xlsx keeps its own
formatting; .xls and .csv sheets are rebuilt as .xlsx from the cells read.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.sheets.checking import FileReport
from laborcli.sheets.problems import Problem
from laborcli.sheets.safe import distinct_name, inside, set_cell, whole_file

RED = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
YELLOW = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")


def annotate_book(rep: FileReport, out_dir: Path, taken: set[str] | None = None) -> Path:
    """Write ``<name>_批注.xlsx`` into out_dir and return its path. ``taken``: the names
    written so far in this run, so that two sheets of the same name from two folders
    (甲镇/一村.xlsx, 乙镇/一村.xlsx) get two copies, not one over the other."""
    assert rep.book is not None
    src = Path(rep.path)
    target = inside(
        out_dir, out_dir / f"{distinct_name(src.stem, set() if taken is None else taken)}_批注.xlsx"
    )
    if rep.book.kind == "xlsx" and src.suffix.lower() in (".xlsx", ".xlsm"):
        wb = load_workbook(src)
    else:
        wb = Workbook()
        wb.remove(wb.active)
        for raw in rep.book.sheets:
            ws = wb.create_sheet(raw.name[:31] or "Sheet1")
            for i, row in enumerate(raw.rows, start=1):
                for j, v in enumerate(row, start=1):
                    if v is not None and v != "":
                        set_cell(ws.cell(row=i, column=j), v)
    for res in rep.sheets:
        if res.table is None or res.sheet not in wb.sheetnames:
            continue
        _mark(
            wb[res.sheet],
            res.problems,
            {h: j + 1 for k, j in res.table.columns.items() for h in [res.table.headers[k]]},
            res.table.columns,
        )
    with whole_file(target) as tmp:
        wb.save(tmp)
    return target


def _mark(
    ws: Worksheet, problems: list[Problem], col_of_header: dict[str, int], columns: dict[str, int]
) -> None:
    by_cell: dict[tuple[int, int], list[Problem]] = defaultdict(list)
    first_col = min(columns.values()) + 1 if columns else 1
    for p in problems:
        if p.row <= 0:
            continue
        col = col_of_header.get(p.column or "", first_col)
        by_cell[(p.row, col)].append(p)
    for (r, c), ps in by_cell.items():
        cell = ws.cell(row=r, column=c)
        cell.fill = RED if any(p.severity == "error" for p in ps) else YELLOW
        text = "\n".join(f"[{'错误' if p.severity == 'error' else '警告'}] {p.message}" for p in ps)
        cell.comment = Comment(text, "laborcli", width=320, height=120)

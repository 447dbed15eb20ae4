"""The annotated copy of a sheet that a township sends back to the village.

The copy opens on 问题清单: every problem on one line (sheet, row, column, the value as
typed, what is wrong, how to fix it), under a legend of the two colours, because cell
comments do not print and are hard to find in WPS on a phone. In the village's own
sheets, problem cells are filled red (error) or yellow (warning) and carry a comment; a
problem about a whole row marks the row's first cell. Every sheet prints A4 landscape,
fit to width, its header rows repeated, the legend in the page header.

An .xlsx keeps its own formatting. .xls and .csv sheets are rebuilt as .xlsx from the
cells read: an .xls keeps its merged cells (python-calamine reads them; it does not read
column widths), and the columns of both are as wide as their contents.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import python_calamine
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.identity.privacy import Mask
from laborcli.sheets.checking import FileReport
from laborcli.sheets.problems import Problem
from laborcli.sheets.safe import inside, safe_name, set_cell, whole_file
from laborcli.sheets.workbook import font, new_workbook, print_setup, write_table

RED = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
YELLOW = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
LIST_SHEET = "问题清单"
LEGEND = (
    (RED, "红色: 错误, 必须改正, 否则该行 (或该表) 不能导入"),
    (YELLOW, "黄色: 警告, 请核实并改正; 不影响导入"),
)
# The legend as the data sheets print it, in every page's header (a comment does not print).
PAGE_LEGEND = "红色 = 错误 (必须改正)    黄色 = 警告 (请核实)    问题说明见 “问题清单” 工作表"
LIST_HEADERS = ["序号", "工作表", "行", "列", "填写内容", "级别", "问题", "修改方法"]
LIST_WIDTHS = [6, 14, 6, 22, 22, 6, 44, 44]
SUFFIX = "_批注.xlsx"


def copy_names(paths: Sequence[Path]) -> list[str]:
    """The copies' file names, one per input and all different.

    ``<stem>_批注.xlsx``; inputs sharing a stem are told apart by their folder
    (``石门村_甲镇_批注.xlsx``) and their type (``石门村_csv_批注.xlsx``), then by a
    number; every name safe on every system (``safe.safe_name``).
    """
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for p in paths:
        by_stem[p.stem.casefold()].append(p)
    used: set[str] = set()
    names = []
    for p in paths:
        group = by_stem[p.stem.casefold()]
        parts = [p.stem]
        if len(group) > 1:
            same_type = [q for q in group if q.suffix.lower() == p.suffix.lower()]
            if len(same_type) > 1 and p.parent.name:
                parts.append(p.parent.name)
            if len({q.suffix.lower() for q in group}) > 1:
                parts.append(p.suffix.lower().lstrip("."))
        base = safe_name("_".join(parts))
        name, n = base + SUFFIX, 1
        while name.casefold() in used:
            n += 1
            name = f"{base}_{n}{SUFFIX}"
        used.add(name.casefold())
        names.append(name)
    return names


def annotate_book(rep: FileReport, out_dir: Path, name: str | None = None, mask: Mask | None = None) -> Path:
    """Write the copy (``name``, by default ``<stem>_批注.xlsx``) into out_dir; its path.

    ``mask`` is how the problem list shows identifiers (masked by default); the village's
    own cells are theirs and stay as they are.
    """
    assert rep.book is not None
    src = Path(rep.path)
    target = inside(out_dir, out_dir / (name or f"{safe_name(src.stem)}{SUFFIX}"))
    wb = _copy(rep, src)
    header_rows: dict[str, int] = {}
    for res in rep.sheets:
        if res.table is None or res.sheet not in wb.sheetnames:
            continue
        header_rows[res.sheet] = res.table.header_row
        _mark(
            wb[res.sheet],
            res.problems,
            {h: j + 1 for k, j in res.table.columns.items() for h in [res.table.headers[k]]},
            res.table.columns,
        )
    for ws in wb.worksheets:
        _print_marked(ws, header_rows.get(ws.title))
    _problem_list(wb, rep, src, mask or Mask())
    with whole_file(target) as tmp:
        wb.save(tmp)
    return target


def _copy(rep: FileReport, src: Path) -> Workbook:
    """The village's workbook as it is (an .xlsx), or rebuilt from the cells read."""
    assert rep.book is not None
    # Widths come from the table, not from titles above it (a title may be one long cell).
    top = {r.sheet: r.table.header_row - 1 for r in rep.sheets if r.table is not None}
    if rep.book.kind == "xlsx":
        try:
            # From the bytes: an .xlsx named .xls or .csv is still a workbook to keep.
            wb = load_workbook(io.BytesIO(src.read_bytes()))
        except Exception:  # read once by calamine already; openpyxl may still refuse it
            pass
        else:
            # A sheet written without any column width (as generated ones are) gets widths
            # from its contents, like a rebuilt one; widths someone set are theirs.
            for raw in rep.book.sheets:
                if raw.name in wb.sheetnames and not any(
                    d.customWidth for d in wb[raw.name].column_dimensions.values()
                ):
                    _fit_widths(wb[raw.name], raw.rows, top.get(raw.name, 0), set())
            return wb
    merges = _merges(src) if rep.book.kind == "xls" else {}
    wb = new_workbook(empty=True)
    for raw in rep.book.sheets:
        ws = wb.create_sheet(raw.name[:31] or "Sheet1")
        for i, row in enumerate(raw.rows, start=1):
            for j, v in enumerate(row, start=1):
                if v is not None and v != "":
                    set_cell(ws.cell(row=i, column=j), v)
        spans = merges.get(raw.name, [])
        for (r0, c0), (r1, c1) in spans:
            if (r0, c0) != (r1, c1):
                ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        _fit_widths(ws, raw.rows, top.get(raw.name, 0), {(r0, c0) for (r0, c0), (r1, c1) in spans if c1 > c0})
    return wb


def _fit_widths(ws: Worksheet, rows: list[list[object]], top: int, merged: set[tuple[int, int]]) -> None:
    """Each column as wide as its widest value from row index ``top`` (the header) on; a
    merged cell (0-based in ``merged``) does not count: it would widen its first column."""
    widths: dict[int, int] = defaultdict(int)
    for i, row in enumerate(rows[top:], start=top):
        for j, v in enumerate(row):
            if v is not None and v != "" and (i, j) not in merged:
                widths[j] = max(widths[j], _display_width(v))
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j + 1)].width = max(6, min(40, w + 2))


def _merges(src: Path) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The merged ranges of an .xls's sheets, 0-based and inclusive (none when unreadable)."""
    out: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(src))
        for name in wb.sheet_names:
            out[name] = list(wb.get_sheet_by_name(name).merged_cell_ranges or [])
    except Exception:  # the cells were read; a copy without merges is still a copy
        return {}
    return out


def _display_width(v: object) -> int:
    """About how many width units a value takes: a CJK character two, others one."""
    text = v.isoformat() if hasattr(v, "isoformat") else str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


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
        text = "\n".join(f"[{_level(p)}] {p.message}" for p in ps)
        cell.comment = Comment(text, "laborcli", width=320, height=120)


def _print_marked(ws: Worksheet, header_row: int | None) -> None:
    """The village's sheet on A4 landscape, fit to width, its rows down to the header
    repeated, and the legend in the page header."""
    print_setup(ws, header_row)
    ws.oddHeader.center.text = PAGE_LEGEND
    ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = "第 &P 页, 共 &N 页"


def _level(p: Problem) -> str:
    return "错误" if p.severity == "error" else "警告"


def _problem_list(wb: Workbook, rep: FileReport, src: Path, mask: Mask) -> None:
    """The first sheet: the legend, then one line per problem in sheet and row order."""
    ws = wb.create_sheet(LIST_SHEET, 0)
    # The copy opens on the list, and only its tab is selected (two would be grouped).
    wb.active = 0
    for other in wb.worksheets:
        other.sheet_view.tabSelected = other is ws
    col_letter: dict[tuple[str, str], str] = {}
    for res in rep.sheets:
        if res.table is not None:
            for k, j in res.table.columns.items():
                col_letter[(res.sheet, res.table.headers[k])] = get_column_letter(j + 1)
    order = sorted(
        enumerate(rep.problems),
        key=lambda ip: (ip[1].sheet, ip[1].row, col_letter.get((ip[1].sheet, ip[1].column or ""), ""), ip[0]),
    )
    rows: list[list[object]] = []
    for n, (_, p) in enumerate(order, start=1):
        letter = col_letter.get((p.sheet, p.column or ""))
        column = f"{letter} ({p.column})" if letter and p.column else (p.column or ("整行" if p.row else ""))
        rows.append(
            [
                n,
                p.sheet,
                p.row if p.row > 0 else "整表",
                column,
                p.shown_value(mask.show_pii),
                _level(p),
                _what(p),
                p.fix,
            ]
        )
    errors = sum(1 for p in rep.problems if p.severity == "error")
    title = f"{src.name} 问题清单: 错误 {errors} 个, 警告 {len(rep.problems) - errors} 个"
    # Rows 2-3: the legend, each colour shown in a cell of its own.
    for i, (fill, text) in enumerate(LEGEND, start=2):
        ws.cell(row=i, column=1).fill = fill
        set_cell(ws.cell(row=i, column=2), text)
        ws.cell(row=i, column=2).font = font()
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=len(LIST_HEADERS))
    if not rows:
        rows = [["", "", "", "", "", "", "未发现问题", ""]]
    h = write_table(ws, None, LIST_HEADERS, rows, widths=LIST_WIDTHS, first_row=5)
    set_cell(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LIST_HEADERS))
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in range(h + 1, h + 1 + len(rows)):
        for c in (4, 5, 7, 8):
            ws.cell(row=r, column=c).alignment = wrap
        level = ws.cell(row=r, column=6)
        if level.value in ("错误", "警告"):
            level.fill = RED if level.value == "错误" else YELLOW
    print_setup(ws, h)
    ws.print_title_rows = f"{h}:{h}"
    ws.oddFooter.center.text = "第 &P 页, 共 &N 页"


def _what(p: Problem) -> str:
    """What is wrong, without the advice the message ends with (it has a column of its own)."""
    tail = f"; {p.fix}"
    return p.message[: -len(tail)] if p.fix and p.message.endswith(tail) else p.message

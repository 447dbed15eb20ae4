"""Shared workbook styling: Chinese headers, widths, frozen header, A4 landscape print."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.sheets.safe import set_cell

HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
THIN = Side(style="thin", color="FF999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def write_table(
    ws: Worksheet,
    title: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int] | None = None,
    formats: dict[int, str] | None = None,
) -> int:
    """A titled table with a styled header row; returns the header's row number."""
    r0 = 1
    if title:
        set_cell(ws.cell(row=1, column=1), title)
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(headers)))
        r0 = 2
    for j, h in enumerate(headers, start=1):
        c = ws.cell(row=r0, column=j)
        set_cell(c, h)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = BORDER
    # Styling one cell per column and copying its style array to the rest: assigning a
    # Border per cell hashes it each time, and a county's lists run to millions of cells.
    styled: dict[int, object] = {}
    fmts = formats or {}
    for i, row in enumerate(rows, start=r0 + 1):
        for j, v in enumerate(row, start=1):
            c = ws.cell(row=i, column=j)
            set_cell(c, v)
            style = styled.get(j)
            if style is None:
                if j - 1 in fmts:
                    c.number_format = fmts[j - 1]
                c.border = BORDER
                styled[j] = copy(c._style)
            else:
                c._style = copy(style)
    lines = 1
    for j, h in enumerate(headers, start=1):
        w = widths[j - 1] if widths and j - 1 < len(widths) else max(8, min(40, len(str(h)) * 2 + 2))
        ws.column_dimensions[ws.cell(row=r0, column=j).column_letter].width = w
        # A Chinese character is about two width units; a wrapped header needs its lines.
        lines = max(lines, -(-len(str(h)) * 2 // max(1, int(w) - 1)))
    if lines > 1:
        ws.row_dimensions[r0].height = 15 * min(lines, 4)
    ws.freeze_panes = ws.cell(row=r0 + 1, column=1)
    print_setup(ws, r0)
    return r0


def print_setup(ws: Worksheet, header_row: int) -> None:
    """A4 landscape, fit to width, header rows repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"

"""Shared workbook styling: one East-Asian font, Chinese headers, widths, frozen header,
A4 landscape print.

Every workbook laborcli writes starts from ``new_workbook`` and takes its fonts from
``font``: one East-Asian font (等线, which Excel and WPS have; LibreOffice falls back to
a CJK font of its own), so a title does not come out half in a Latin serif and half in
whatever CJK font the viewer picks for text without a language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.theme import theme_xml

from laborcli.sheets.safe import set_cell

FONT_NAME = "等线"
# GB2312: tells Excel, WPS and LibreOffice the font is for Simplified Chinese.
GB2312 = 134

HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
THIN = Side(style="thin", color="FF999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def font(**kw: Any) -> Font:
    """A font of the house face: ``font(bold=True, size=14)``; other Font arguments pass on."""
    return Font(name=FONT_NAME, charset=GB2312, family=2, scheme="minor", **{"size": 11, **kw})


# The theme's East-Asian faces: a cell whose font follows the theme's minor font (as
# Excel's own cells do) shows Chinese in 等线 too, in every locale.
_THEME = re.sub(r'<a:ea typeface=""/>', f'<a:ea typeface="{FONT_NAME}"/>', theme_xml)
_THEME = re.sub(r'(script="Hans" typeface=")[^"]*(")', rf"\g<1>{FONT_NAME}\g<2>", _THEME)


BODY_FONT = font()


def new_workbook(*, empty: bool = False) -> Workbook:
    """A workbook whose default font (every cell without one of its own) is the house face;
    ``empty`` removes the first sheet."""
    wb = Workbook()
    default = BODY_FONT
    # The first font of the list is the one cells without a font of their own use.
    wb._fonts = IndexedList([default])
    wb._named_styles["Normal"].font = default
    wb.loaded_theme = _THEME.encode("utf-8")
    if empty:
        first = wb.active
        if first is not None:
            wb.remove(first)
    return wb


def write_table(
    ws: Worksheet,
    title: str | None,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int] | None = None,
    formats: dict[int, str] | None = None,
    *,
    first_row: int = 1,
    aligns: dict[int, Alignment] | None = None,
) -> int:
    """A titled table with a styled header row; returns the header's row number.

    The title (if any) is on ``first_row``, the header under it; rows above are the
    caller's (a legend, the lines of a report's head). ``aligns`` gives a column (0-based)
    of the body its alignment, set once per column like its border.
    """
    r0 = first_row
    if title:
        set_cell(ws.cell(row=r0, column=1), title)
        ws.cell(row=r0, column=1).font = font(bold=True, size=14)
        ws.merge_cells(start_row=r0, start_column=1, end_row=r0, end_column=max(1, len(headers)))
        r0 += 1
    for j, h in enumerate(headers, start=1):
        c = ws.cell(row=r0, column=j)
        set_cell(c, h)
        c.font = font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = BORDER
    # Styling one cell per column and copying its style array to the rest: assigning a
    # Border per cell hashes it each time, and a county's lists run to millions of cells.
    styled: dict[int, object] = {}
    fmts = formats or {}
    alns = aligns or {}
    for i, row in enumerate(rows, start=r0 + 1):
        for j, v in enumerate(row, start=1):
            c = ws.cell(row=i, column=j)
            set_cell(c, v)
            style = styled.get(j)
            if style is None:
                if j - 1 in fmts:
                    c.number_format = fmts[j - 1]
                if j - 1 in alns:
                    c.alignment = alns[j - 1]
                c.border = BORDER
                # Also in a workbook of someone else's (an annotated copy) the table is ours.
                c.font = BODY_FONT
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


def text_lines(text: str, width: float) -> int:
    """The lines a wrapped text takes in a column ``width`` units wide: a Chinese character
    is two units, a Latin one; each of its own lines wraps on its own. An estimate (fonts
    differ between Excel, WPS and LibreOffice), for the row heights a wrapped cell needs:
    not every program grows a row to its wrapped text."""
    room = max(1, int(width) - 1)
    return sum(
        max(1, -(-sum(2 if ord(ch) > 0x2E80 else 1 for ch in part) // room)) for part in text.split("\n")
    )


def print_setup(ws: Worksheet, header_row: int | None) -> None:
    """A4 landscape, fit to width, rows 1 to ``header_row`` repeated on every page (none
    when it is None)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        ws.print_title_rows = f"1:{header_row}"


def dropdown_rows(dv: Any, column: str, rows: Iterable[int]) -> None:
    """Give a dropdown (a ``DataValidation``) to ``column``'s cells in ``rows``, as ranges of
    consecutive rows set at once: openpyxl's ``add`` checks each cell against every range
    already added, which took minutes for a ledger of 100,000 lines."""
    from openpyxl.worksheet.cell_range import MultiCellRange

    spans: list[list[int]] = []
    for r in sorted(set(rows)):
        if spans and r == spans[-1][1] + 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    dv.sqref = MultiCellRange(
        " ".join(f"{column}{a}:{column}{b}" if a != b else f"{column}{a}" for a, b in spans)
    )

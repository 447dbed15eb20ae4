"""The honour list for the notice board (两比两看 光荣户 公示): one sheet per township.

Each sheet is one A4 landscape page as it is posted: the title, the rule in words, the
list (名次, 村, 户编号, 户主, 稳定就业人数, 人均务工收入, 事迹), the 公示 lines (the
period and where to object) and the office with a date to sign. A notice is public: it
carries names (an honour is given by name) but no ID number or phone, whatever
``--show-pii`` says.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.policy import CountyInfo
from laborcli.sheets.safe import set_cell, whole_file
from laborcli.sheets.workbook import font, new_workbook, write_table
from laborcli.subsidies.honours import HonourRow, Honours, order_rule

HEADERS = ["名次", "村(社区)", "户编号", "户主", "稳定就业人数", "人均务工收入(元)", "主要事迹"]
WIDTHS = [6, 12, 12, 10, 8, 12, 66]
FACTS = HEADERS.index("主要事迹")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center")
ONE_PAGE = 15  # households that still print legibly on one A4 page


def write_honours(res: Honours, path: Path, county: CountyInfo | None = None) -> int:
    """Write the notice; returns the households listed."""
    county = county or CountyInfo()
    wb = new_workbook(empty=True)
    towns = sorted({r.township for r in res.rows})
    for town in towns or [""]:
        ws = wb.create_sheet((town or "光荣户")[:31])
        _sheet(ws, res, town, [r for r in res.rows if r.township == town], county)
    with whole_file(path) as tmp:
        wb.save(tmp)
    return len(res.rows)


def _sheet(ws: Worksheet, res: Honours, town: str, rows: list[HonourRow], county: CountyInfo) -> None:
    width = len(HEADERS)
    title = f"{county.name}{town}{res.year}年“两比两看”劳务输出光荣户名单"
    set_cell(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = font(bold=True, size=18)
    ws.cell(row=1, column=1).alignment = CENTRE
    ws.row_dimensions[1].height = 32
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    lines = [
        order_rule(res.top, res.stable_months, res.year),
        f"稳定就业按截至 {res.as_of} 的花名册计; 人均务工收入 = {res.year} 年各月务工收入之和 / 家庭人口, "
        "月收入未填的月份按 0 计。",
    ]
    for i, text in enumerate(lines, start=2):
        c = ws.cell(row=i, column=1)
        set_cell(c, text)
        c.font = font(size=11)
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
        ws.row_dimensions[i].height = 30
    body = [
        [
            r.rank,
            r.village,
            r.household_id,
            r.head or "—",
            r.stable_members,
            round(r.income.per_capita, 2),
            r.notice(),
        ]
        for r in rows
    ]
    h = write_table(ws, None, HEADERS, body, WIDTHS, {5: "#,##0.00"}, first_row=2 + len(lines))
    for i, r in enumerate(rows, start=h + 1):
        for j in range(1, width + 1):
            c = ws.cell(row=i, column=j)
            c.alignment = WRAP if j == FACTS + 1 else CENTRE
        # A wrapped cell does not grow in every program: give the row the lines it needs.
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in r.notice())
        ws.row_dimensions[i].height = 15 * max(2, -(-units // (WIDTHS[FACTS] - 4)) + 1)
    end = h + len(rows) + 2
    if not rows:
        set_cell(ws.cell(row=h + 1, column=1), "本乡镇没有家中有成员稳定就业的户。")
        ws.merge_cells(start_row=h + 1, start_column=1, end_row=h + 1, end_column=width)
        end = h + 3
    office = county.office or county.unit
    notice = [
        "公示期: ______年____月____日 至 ______年____月____日。"
        + (
            f"对名单有异议的, 请在公示期内向{office}反映。"
            if office
            else "对名单有异议的, 请在公示期内反映。"
        ),
        f"{office or '(盖章)'}        ______年____月____日",
    ]
    for k, text in enumerate(notice):
        c = ws.cell(row=end + k, column=1)
        set_cell(c, text)
        c.font = font(size=11)
        c.alignment = Alignment(horizontal="left" if k == 0 else "right", vertical="center")
        ws.merge_cells(start_row=end + k, start_column=1, end_row=end + k, end_column=width)
        ws.row_dimensions[end + k].height = 22
    # One page as it is posted (a county that lists more than fit gets pages, the head
    # repeated on each).
    ws.page_setup.fitToHeight = 1 if len(rows) <= ONE_PAGE else 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_area = f"A1:{get_column_letter(width)}{end + len(notice) - 1}"

"""The 供需对接 sheet of the Friday handout (`rank --export`): the week's supply-demand
session (逢五供需对接) beside the red and black lists.

It goes into the handout rather than a workbook of its own because the session is the
same Friday meeting: the officer prints one workbook and carries it, the ranking for the
townships' work and this sheet for the jobs (部门送岗) and the people sent to them (乡镇送人).
Three tables on one landscape page across: per township (and 合计) the open jobs, openings
and still unfilled, candidates proposed and the week's placements and answers; the open
jobs themselves; the persons placed in the week. No ID numbers or phones are on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.jobs.summary import SupplyDemand
from laborcli.policy import CountyInfo
from laborcli.sheets.safe import set_cell
from laborcli.sheets.workbook import font, print_setup, text_lines, write_table

TOWN_HEADS = [
    ("township", "乡镇"),
    ("open_demands", "在招岗位"),
    ("openings", "需求人数"),
    ("unfilled", "尚缺人数"),
    ("candidates", "推荐人数"),
    ("proposals", "推荐人次"),
    ("placements", "本周上岗"),
    ("placed_answered", "其中: 反馈已上岗"),
    ("placed_from_sheet", "其中: 花名册发现"),
    ("willing", "本周反馈愿意"),
    ("refused", "本周反馈不愿意"),
]
JOB_HEADS = [
    "企业名称",
    "岗位名称",
    "工作地点",
    "岗位区域",
    "月薪(元)",
    "需求人数",
    "已上岗",
    "尚缺人数",
    "推荐人数",
    "推荐到乡镇",
]
PLACED_HEADS = ["企业名称", "岗位名称", "乡镇、村(社区)", "姓名", "来源"]
# One set of widths for the three tables, which share the sheet's columns.
WIDTHS = [26, 12, 18, 9, 10, 9, 9, 9, 9, 24, 10]
HOW = {"answer": "反馈", "sheet": "花名册"}


def friday_title(friday: dt.date) -> str:
    """2026年第48周 (11月23日—11月27日): the ISO week of a Friday, from its Monday to it."""
    monday = friday - dt.timedelta(days=4)
    year, week, _ = friday.isocalendar()
    return f"{year}年第{week}周 ({monday.month}月{monday.day}日—{friday.month}月{friday.day}日)"


def _line(ws: Worksheet, row: int, text: str, *, size: int = 10, bold: bool = False) -> None:
    c = ws.cell(row=row, column=1)
    set_cell(c, text)
    c.font = font(size=size, bold=bold)
    c.alignment = Alignment(vertical="center")


def write_supply_sheet(ws: Worksheet, res: SupplyDemand, county: CountyInfo) -> None:
    """The sheet: title, what the counts mean, the three tables."""
    width = len(TOWN_HEADS)
    set_cell(ws.cell(row=1, column=1), f"{county.name}{friday_title(res.as_of)} 供需对接 (逢五)")
    ws.cell(row=1, column=1).font = font(bold=True, size=16)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 26
    notes = [
        f"{county.office + '    ' if county.office else ''}统计截至 {res.as_of.isoformat()} (周五); "
        f"本周上岗、本周反馈 = {res.since.isoformat()} 至 {res.as_of.isoformat()} 登记的反馈和该期间的花名册",
        "来源 “反馈” = 送岗到户表反馈 已上岗; “花名册” = 推荐后的村花名册中就业单位为该企业",
        "在招岗位 = 该日在招、已推荐给本乡镇人员的岗位 (一个岗位推荐到几个乡镇, 各乡镇都计; 合计为全县在招岗位, "
        "含无人可推荐的); 尚缺人数 = 需求人数 - 已上岗",
        "推荐人数 = 该日按 laborcli match 推荐的本乡镇人员 (每人只计一次); 推荐人次 = 推荐条数",
    ]
    for i, text in enumerate(notes, start=2):
        _line(ws, i, text)
    first = 2 + len(notes)
    town_rows: list[list[Any]] = [[r[k] for k, _ in TOWN_HEADS] for r in res.rows]
    town_rows.append(["合计", *(res.total[k] for k, _ in TOWN_HEADS[1:])])
    h = write_table(ws, None, [h for _, h in TOWN_HEADS], town_rows, widths=WIDTHS, first_row=first)
    total_row = h + len(town_rows)
    for j in range(1, width + 1):
        ws.cell(row=total_row, column=j).font = font(bold=True)

    r0 = total_row + 2
    _line(ws, r0, f"在招岗位 ({len(res.jobs)} 个)", size=12, bold=True)
    jobs = [
        [
            j["company"],
            j["job"],
            j["place"],
            j["region"] or "",
            j["wage"],
            j["openings"],
            j["placed"],
            j["unfilled"],
            j["candidates"],
            "、".join(j["townships"]),
        ]
        for j in res.jobs
    ]
    jh = write_table(ws, None, JOB_HEADS, jobs, widths=WIDTHS, first_row=r0 + 1)
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, line in enumerate(jobs, start=jh + 1):
        for col in range(1, len(JOB_HEADS) + 1):
            ws.cell(row=n, column=col).alignment = wrap  # top-aligned, so a taller row reads level
        # A wrapped cell does not grow its row in every program: give it the lines it needs.
        # A unit narrower: the estimate this sheet was rendered and checked with.
        need = max(text_lines(str(line[col - 1]), WIDTHS[col - 1] - 1) for col in (1, 3, 10))
        if need > 1:
            ws.row_dimensions[n].height = 15 * need

    r1 = jh + len(jobs) + 2
    _line(ws, r1, f"本周上岗 ({len(res.placed)} 人次)", size=12, bold=True)
    placed = [
        [p.demand.company, p.demand.job, f"{p.township}{p.village}", p.name, HOW[p.how]] for p in res.placed
    ]
    if not placed:
        placed = [["(本周无)", "", "", "", ""]]
    # The placements table shares the columns of the others (企业名称 the wide first one).
    ph = write_table(ws, None, PLACED_HEADS, placed, widths=WIDTHS, first_row=r1 + 1)
    for n in range(ph + 1, ph + 1 + len(placed)):
        ws.cell(row=n, column=1).alignment = wrap
    # The title repeats on every printed page; a table's header would stand above the others.
    ws.freeze_panes = ws.cell(row=h + 1, column=1)
    print_setup(ws, 1)
    ws.page_margins.left = ws.page_margins.right = 0.4

"""The Friday meeting handout: the whole ranking, the red and black lists, and a chart.

The first sheet is the handout as it goes out, on one A4 page for up to 40 villages: the
county and its office, the week (2026年第48周 (11月23日—11月27日)), which month's sheets
the ranking stands on and which villages are still on an older one, the tie rule (in
the words of ``ranking.weekly.order_rule``), the legend, the ranking, and a bar chart
with every place labelled, red-list bars red and black-list bars black. The black list
prints in black and white: bold on white, never dark fills with white text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from laborcli.dates import last_month_end
from laborcli.exports.supply import friday_title, write_supply_sheet
from laborcli.jobs.summary import SupplyDemand
from laborcli.policy import CountyInfo
from laborcli.ranking.weekly import Ranking, RankRow, order_rule
from laborcli.roster.submissions import STALE_LABEL
from laborcli.sheets.safe import set_cell, whole_file
from laborcli.sheets.workbook import FONT_NAME, font, new_workbook, write_table

RED_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
RED_BAR, BLACK_BAR, OTHER_BAR = "C00000", "000000", "A6A6A6"
HEADERS = ["名次", "上周名次", "乡镇", "村(社区)", "完成率", "新增转移", "年度任务", "转移率", "榜单", "备注"]
WIDTHS = [6, 8, 10, 12, 9, 9, 9, 9, 7, 22]
STALE = STALE_LABEL[0]
REASONS = {"no target": "无年度任务", "target is 0": "年度任务为 0", "no labour force": "无劳动力"}
# A row of the sheet is about 0.53 cm high (15 points): the chart is as tall as the table.
ROW_CM = 0.53


def week_title(res: Ranking) -> str:
    """2026年第48周 (11月23日—11月27日): the ISO week from its Monday to its Friday."""
    return friday_title(res.as_of)


def sheets_line(res: Ranking) -> str:
    """Which month's sheets the ranking stands on, and which places are still on an older one."""
    due = last_month_end(res.as_of)
    used = Counter(r.sheet_as_of for r in res.rows if r.sheet_as_of is not None)
    months = "、".join(f"{d.year}年{d.month}月 ({d.isoformat()}, {n} 个)" for d, n in sorted(used.items()))
    line = f"数据来源: 各{'村' if res.by == 'village' else '乡镇'}截至本周五的最新花名册: {months or '无'}。"
    stale = [r for r in res.rows if r.stale]
    if stale:
        names = "、".join(f"{_place(r)} ({_sheet_date(r)})" for r in stale)
        line += f" {STALE} (尚无 {due.year}年{due.month}月 的花名册, 按旧表排名): {names}。"
    else:
        line += f" 均已报送 {due.year}年{due.month}月 的花名册。"
    return line


def _place(r: RankRow) -> str:
    return f"{r.township}{r.village or ''}"


def _sheet_date(r: RankRow) -> str:
    return r.sheet_as_of.isoformat() if r.sheet_as_of else "无花名册"


def _rows(rows: list[RankRow]) -> list[list[object]]:
    return [
        [
            r.rank,
            r.previous_rank,
            r.township,
            r.village,
            r.value,
            r.new_transfers,
            r.target,
            r.transfer_rate,
            "红榜" if r.list == "red" else "黑榜" if r.list == "black" else "",
            f"{STALE} ({_sheet_date(r)})" if r.stale else "",
        ]
        for r in rows
    ]


def write_ranking(
    res: Ranking, path: Path, county: CountyInfo | None = None, supply: SupplyDemand | None = None
) -> None:
    """排名 (the handout page), 红榜, 黑榜 and 未排名 sheets; with ``supply`` (the week's
    逢五供需对接, when the county keeps employer demand) a 供需对接 sheet after 排名."""
    county = county or CountyInfo()
    label = "完成率" if res.metric == "completion" else "转移率"
    heads = [label if h == "完成率" else h for h in HEADERS]
    if res.by == "township":
        heads[3] = "—"
    fmts = {4: "0.0%", 7: "0.0%"}
    title = f"{county.name}{week_title(res)} 转移就业红黑榜"
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "排名"
    k = len(res.red)
    head_lines = [
        f"{county.office}    统计截至 {res.as_of.isoformat()} (周五)    按{label}排名"
        if county.office
        else f"统计截至 {res.as_of.isoformat()} (周五)    按{label}排名",
        sheets_line(res),
        order_rule(res.metric, res.by),
        f"图例: 红色底纹 = 红榜 (前 {k} 名); 加粗、榜单列写 “黑榜” = 黑榜 (后 {k} 名); "
        f"备注 “{STALE}” = 按旧花名册排名。",
    ]
    _head(ws, title, head_lines, len(heads))
    first = 2 + len(head_lines)
    h = write_table(ws, None, heads, _rows(res.rows), widths=WIDTHS, formats=fmts, first_row=first)
    _lists(ws, res.rows, h, len(heads))
    if res.rows:
        _chart(ws, res, h, label, len(heads))
    _one_page(ws, h, len(res.rows), len(heads))
    if supply is not None:
        write_supply_sheet(wb.create_sheet("供需对接"), supply, county)
    for name, part in (("红榜", res.red), ("黑榜", res.black)):
        s = wb.create_sheet(name)
        hh = write_table(s, f"{title} {name}", heads, _rows(part), widths=WIDTHS, formats=fmts)
        _lists(s, part, hh, len(heads))
    if res.unranked:
        s = wb.create_sheet("未排名")
        write_table(
            s,
            f"{title} 未排名",
            ["乡镇", "村(社区)", "原因"],
            [[u["township"], u["village"], REASONS.get(str(u["reason"]), u["reason"])] for u in res.unranked],
            widths=[12, 14, 20],
        )
    with whole_file(path) as tmp:
        wb.save(tmp)


def _head(ws: Worksheet, title: str, lines: list[str], width: int) -> None:
    """The title on row 1 and a line each under it, every one across the table's width."""
    set_cell(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = font(bold=True, size=16)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    units = sum(WIDTHS[:width])
    for i, text in enumerate(lines, start=2):
        c = ws.cell(row=i, column=1)
        set_cell(c, text)
        c.font = font(size=10)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
        # A merged cell does not grow with its text: give it the lines it needs.
        need = -(-sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) // max(1, units - 4))
        ws.row_dimensions[i].height = 14 * max(1, need)


def _lists(ws: Worksheet, rows: list[RankRow], h: int, width: int) -> None:
    """Red-list rows on a light red ground; black-list rows bold on white (prints in black
    and white, unlike white digits on dark grey)."""
    for i, r in enumerate(rows, start=h + 1):
        if not r.list:
            continue
        for j in range(1, width + 1):
            c = ws.cell(row=i, column=j)
            if r.list == "red":
                c.fill = RED_FILL
            else:
                c.font = font(bold=True)


def _text(size: int = 9, bold: bool = False) -> RichText:
    """Chart text in the house face (the chart's own default is a Latin font)."""
    props = CharacterProperties(
        sz=size * 100, b=bold, latin=Font(typeface=FONT_NAME), ea=Font(typeface=FONT_NAME)
    )
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _chart(ws: Worksheet, res: Ranking, h: int, label: str, width: int) -> None:
    """Horizontal bars, first place on top, every place named and its value written."""
    n = len(res.rows)
    chart = BarChart()
    chart.type = "bar"
    chart.style = 2
    chart.title = f"{label} (红色 = 红榜, 黑色 = 黑榜)"
    chart.legend = None
    data = Reference(ws, min_col=5, min_row=h, max_row=h + n)
    place_col = 4 if res.by == "village" else 3
    cats = Reference(ws, min_col=place_col, min_row=h + 1, max_row=h + n)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    series = chart.series[0]
    series.graphicalProperties = GraphicalProperties(solidFill=OTHER_BAR)
    for i, r in enumerate(res.rows):
        if r.list:
            pt = DataPoint(idx=i)
            pt.graphicalProperties = GraphicalProperties(solidFill=RED_BAR if r.list == "red" else BLACK_BAR)
            series.dPt.append(pt)
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    series.dLbls.numFmt = "0.0%"
    series.dLbls.position = "outEnd"
    series.dLbls.txPr = _text(8)
    # Every category labelled (Excel skips some when they crowd), first place on top.
    chart.x_axis.tickLblSkip = 1
    chart.x_axis.tickMarkSkip = 1
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.delete = False
    chart.x_axis.txPr = _text(8)
    chart.y_axis.delete = False
    chart.y_axis.numFmt = "0%"
    chart.y_axis.majorGridlines = None
    chart.y_axis.txPr = _text(8)
    chart.gapWidth = 40
    chart.width = 15
    chart.height = max(7.0, (n + 1) * ROW_CM + 1.5)
    ws.add_chart(chart, f"{get_column_letter(width + 2)}{h}")


def _one_page(ws: Worksheet, h: int, n: int, width: int) -> None:
    """The table and the chart on one A4 landscape page (fit to page), header repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    # The chart's columns (about 1.7 cm each at the default width) are part of the page.
    chart_cols = 10 if n else 0
    last_row = max(h + n, h + int(((n + 1) * ROW_CM + 1.5) / ROW_CM) + 1)
    ws.print_area = f"A1:{get_column_letter(width + 1 + chart_cols)}{last_row}"
    ws.freeze_panes = ws.cell(row=h + 1, column=1)

"""The Friday meeting handout: the whole ranking, the red and black lists, and a chart."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill

from laborcli.ranking.weekly import Ranking, RankRow
from laborcli.sheets.safe import whole_file
from laborcli.sheets.workbook import write_table

RED_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
BLACK_FILL = PatternFill(fill_type="solid", start_color="FF595959", end_color="FF595959")
HEADERS = ["名次", "上周名次", "乡镇", "村(社区)", "完成率", "新增转移", "年度任务", "转移率", "榜单"]


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
        ]
        for r in rows
    ]


def write_ranking(res: Ranking, path: Path) -> None:
    """排名 (whole ranking, lists filled), 红榜, 黑榜 sheets and a bar chart of the metric."""
    label = "完成率" if res.metric == "completion" else "转移率"
    heads = [label if h == "完成率" else h for h in HEADERS]
    fmts = {4: "0.0%", 7: "0.0%"}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "排名"
    title = f"{res.week} 转移就业周排名 (基准日 {res.as_of.isoformat()})"
    h = write_table(ws, title, heads, _rows(res.rows), widths=[6, 8, 10, 12, 10, 10, 10, 10, 8], formats=fmts)
    for i, r in enumerate(res.rows, start=h + 1):
        if r.list:
            for j in range(1, len(heads) + 1):
                c = ws.cell(row=i, column=j)
                c.fill = RED_FILL if r.list == "red" else BLACK_FILL
                if r.list == "black":
                    c.font = Font(color="FFFFFFFF")
    if res.rows:
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"{label} (按村)"
        chart.y_axis.numFmt = "0%"
        data = Reference(ws, min_col=5, min_row=h, max_row=h + len(res.rows))
        cats = Reference(ws, min_col=4, min_row=h + 1, max_row=h + len(res.rows))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.height = max(8, len(res.rows) * 0.5)
        chart.width = 18
        ws.add_chart(chart, f"K{h}")
    for name, part in (("红榜", res.red), ("黑榜", res.black)):
        s = wb.create_sheet(name)
        write_table(
            s,
            f"{res.week} {name}",
            heads,
            _rows(part),
            widths=[6, 8, 10, 12, 10, 10, 10, 10, 8],
            formats=fmts,
        )
    if res.unranked:
        s = wb.create_sheet("未排名")
        write_table(
            s,
            "未排名的村",
            ["乡镇", "村(社区)", "原因"],
            [[u["township"], u["village"], u["reason"]] for u in res.unranked],
        )
    with whole_file(path) as tmp:
        wb.save(tmp)

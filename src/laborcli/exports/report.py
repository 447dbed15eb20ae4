"""The monthly report workbook (月报) that the county sends up and back down to townships.

Sheets: 汇总 (county figures, month-on-month change, a line chart of the transfer rate
over every as-of), 乡镇, 村 (coloured against the county rate), 零就业家庭, 脱贫劳动力,
数据质量 (which village sheets are stale or dirty) and 说明 (sources, definitions).
What they show is gathered by ``roster.report_data``; this module only writes it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill

from laborcli import __version__
from laborcli.exports.households import MEMBER_HEADERS, member_cells
from laborcli.identity.privacy import Mask
from laborcli.policy import LabourForceAges
from laborcli.roster import catalogue
from laborcli.roster.catalogue import INT, PCT
from laborcli.roster.figures import Rates
from laborcli.roster.report_data import Definitions, ReportData
from laborcli.sheets.safe import set_cell, whole_file
from laborcli.sheets.workbook import print_setup, write_table

FIGURES = [(f.key, f.label, f.number_format) for f in catalogue.FIGURES]
RED_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")


def write_report(data: ReportData, path: Path, mask: Mask) -> None:
    """Write the workbook."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总"
    _summary(ws, data)
    _places(wb.create_sheet("乡镇"), data.by_township, data, by="township")
    _places(wb.create_sheet("村"), data.by_village, data, by="village")
    _zero(wb.create_sheet("零就业家庭"), data, mask)
    _poor(wb.create_sheet("脱贫劳动力"), data)
    _quality_sheet(wb.create_sheet("数据质量"), data)
    _notes(wb.create_sheet("说明"), data)
    with whole_file(path) as tmp:
        wb.save(tmp)


def _title(data: ReportData, what: str) -> str:
    where = data.township or "全县"
    return f"{where}{what} (截至 {data.as_of.isoformat()})"


def _summary(ws: Any, data: ReportData) -> None:
    prev = data.previous.total if data.previous else None
    rows = []
    for key, label, _fmt in FIGURES:
        now = data.county.total.get(key)
        before = prev.get(key) if prev else None
        change = (now - before) if isinstance(now, int | float) and isinstance(before, int | float) else None
        rows.append([label, now, before, change])
    prev_label = f"上期 ({data.previous.as_of.isoformat()})" if data.previous else "上期"
    h = write_table(
        ws,
        _title(data, "转移就业情况汇总"),
        ["指标", f"本期 ({data.as_of.isoformat()})", prev_label, "变化"],
        rows,
        widths=[20, 18, 18, 12],
    )
    for i, (_, _, fmt) in enumerate(FIGURES, start=h + 1):
        for j in (2, 3, 4):
            ws.cell(row=i, column=j).number_format = fmt if j < 4 or fmt != PCT else "+0.0%;-0.0%;0.0%"
    # The transfer rate over every as-of date in the registry, and its chart.
    t0 = h + len(FIGURES) + 3
    set_cell(ws.cell(row=t0, column=1), "统计日期")
    set_cell(ws.cell(row=t0, column=2), "转移就业率")
    ws.cell(row=t0, column=1).font = Font(bold=True)
    ws.cell(row=t0, column=2).font = Font(bold=True)
    for i, (d, rate) in enumerate(data.trend, start=t0 + 1):
        set_cell(ws.cell(row=i, column=1), d.isoformat())
        set_cell(ws.cell(row=i, column=2), rate, PCT)
    if data.trend:
        chart = LineChart()
        chart.title = "转移就业率走势"
        chart.y_axis.numFmt = "0%"
        chart.y_axis.title = "转移就业率"
        chart.add_data(
            Reference(ws, min_col=2, min_row=t0, max_row=t0 + len(data.trend)), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=t0 + 1, max_row=t0 + len(data.trend)))
        chart.width, chart.height = 18, 8
        ws.add_chart(chart, f"F{h}")


def _places(ws: Any, res: Rates, data: ReportData, by: str) -> None:
    place = ["乡镇"] if by == "township" else ["乡镇", "村(社区)"]
    keys = ["township"] if by == "township" else ["township", "village"]
    heads = [*place, *[label for _, label, _ in FIGURES]]
    rows = [[r[k] for k in keys] + [r.get(key) for key, _, _ in FIGURES] for r in res.rows]
    total = ["合计", *[""] * (len(keys) - 1)] + [res.total.get(key) for key, _, _ in FIGURES]
    rows.append(total)
    formats = {len(keys) + i: fmt for i, (_, _, fmt) in enumerate(FIGURES)}
    what = "各乡镇转移就业情况" if by == "township" else "各村转移就业情况"
    h = write_table(
        ws, _title(data, what), heads, rows, widths=[10] * len(keys) + [11] * len(FIGURES), formats=formats
    )
    last = h + len(rows)
    for j in range(1, len(heads) + 1):
        ws.cell(row=last, column=j).font = Font(bold=True)
    if by == "village" and res.rows:
        rate_col = len(keys) + 3
        letter = ws.cell(row=h, column=rate_col).column_letter
        county_rate = data.county.total.get("transfer_rate")
        if county_rate is not None:
            # A village without labour force has no rate: a blank cell must stay white.
            first = f"{letter}{h + 1}"
            ws.conditional_formatting.add(
                f"{first}:{letter}{last - 1}",
                FormulaRule(formula=[f"AND(ISNUMBER({first}),{first}<{county_rate!r})"], fill=RED_FILL),
            )


def _zero(ws: Any, data: ReportData, mask: Mask) -> None:
    rows = [
        [
            h.township,
            h.village,
            h.household_id,
            h.labour_force,
            *member_cells(m, mask),
        ]
        for h in data.zero
        for m in h.members
    ]
    write_table(
        ws,
        _title(data, f"零就业家庭名单 (共 {len(data.zero)} 户)"),
        ["乡镇", "村(社区)", "户编号", "户劳动力数", *MEMBER_HEADERS],
        rows,
        widths=[10, 10, 12, 8, 10, 8, 21, 14, 6, 8, 12],
    )


def _poor(ws: Any, data: ReportData) -> None:
    rows = [
        [r["township"], r["village"], r["poor_labour_force"], r["poor_transferred"], r["poor_transfer_rate"]]
        for r in data.by_village.rows
    ]
    t = data.by_village.total
    rows.append(["合计", "", t["poor_labour_force"], t["poor_transferred"], t["poor_transfer_rate"]])
    write_table(
        ws,
        _title(data, "脱贫(易地搬迁)劳动力转移就业情况"),
        ["乡镇", "村(社区)", "脱贫劳动力", "已转移就业", "转移就业率"],
        rows,
        widths=[10, 12, 12, 12, 12],
        formats={2: INT, 3: INT, 4: PCT},
    )


def _quality_sheet(ws: Any, data: ReportData) -> None:
    rows = [
        [
            q["township"],
            q["village"],
            q["latest_sheet"].isoformat(),
            "是" if q["stale"] else "",
            q["file"],
            q["rows_imported"],
            q["rows_rejected"],
            q["warnings"],
            q["unverified"],
            q["pending_reviews"],
        ]
        for q in data.quality
    ]
    h = write_table(
        ws,
        _title(data, "数据质量"),
        [
            "乡镇",
            "村(社区)",
            "最新花名册日期",
            "未按期更新",
            "文件",
            "导入行数",
            "拒收行数",
            "警告 (按类型)",
            "身份未核验",
            "待核查重复",
        ],
        rows,
        widths=[10, 10, 14, 10, 30, 10, 10, 40, 10, 10],
    )
    for i, q in enumerate(data.quality, start=h + 1):
        if q["stale"] or q["rows_rejected"]:
            ws.cell(row=i, column=4 if q["stale"] else 7).fill = RED_FILL


def _ages_text(a: LabourForceAges) -> str:
    """The age bounds of the policy: one range, or one per gender when they differ."""
    if {(a.min_age_male, a.max_age_male), (a.min_age_female, a.max_age_female)} == {(a.min_age, a.max_age)}:
        return f"统计日年满{a.min_age}周岁至{a.max_age}周岁"
    return (
        f"统计日年满: 男 {a.min_age_male}周岁至{a.max_age_male}周岁, 女 {a.min_age_female}周岁至"
        f"{a.max_age_female}周岁, 性别不详 {a.min_age}周岁至{a.max_age}周岁"
    )


def _labour_force_text(defs: Definitions) -> str:
    parts = [f"{_ages_text(defs.ages)} (按县政策文件)"]
    if defs.excluded_capacities:
        parts.append(f"劳动能力不是{'/'.join(defs.excluded_capacities)}")
    if defs.not_labour_force:
        parts.append(f"且不是{'或'.join(defs.not_labour_force)}")
    return ", ".join(parts)


def _notes(ws: Any, data: ReportData) -> None:
    lines = [
        ("统计日期", data.as_of.isoformat()),
        ("范围", data.township or "全县"),
        ("生成工具", f"laborcli {__version__}"),
        ("生成时间", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("口径: 劳动力", _labour_force_text(data.definitions)),
        ("口径: 转移就业", f"就业状态为 {'、'.join(data.definitions.transferred)} 之一"),
        ("口径: 组织化程度", "有组织输出的县外务工人数 / 县外务工人数"),
        ("口径: 零就业家庭", "有劳动力但无一人转移就业的家庭 (按户编号)"),
        (
            "口径: 新增转移就业",
            "统计日转移就业且本年1月1日以来开始务工 (务工开始时间; 无此项时按首次显示转移就业的花名册日期)",
        ),
        ("口径: 一人一次", "同一身份证号码只计一次, 计入最新花名册所在村; 日期相同时按乡镇、村名排序在前者"),
    ]
    h = write_table(ws, "说明", ["项目", "内容"], lines, widths=[20, 130])
    r0 = h + len(lines) + 2
    set_cell(ws.cell(row=r0, column=1), "来源文件")
    ws.cell(row=r0, column=1).font = Font(bold=True)
    widest = 20
    for i, (name, sha, d) in enumerate(data.sources, start=r0 + 1):
        set_cell(ws.cell(row=i, column=1), name)
        set_cell(ws.cell(row=i, column=2), f"{d.isoformat()}  SHA-256 {sha}")
        widest = max(widest, sum(2 if ord(ch) > 0x2E80 else 1 for ch in name) + 2)
    # File names are long; column A widens so that none is cut off by the text beside it.
    ws.column_dimensions["A"].width = min(widest, 60)
    print_setup(ws, h)

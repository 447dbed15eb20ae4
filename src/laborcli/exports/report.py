"""The monthly report workbook (月报) that the county sends up and back down to townships.

Sheets: 汇总 (county figures, month-on-month change, a line chart of the transfer rate
over every as-of), 乡镇, 村 (coloured against the county rate, 年度任务 and 完成率 when
targets are loaded, stale villages marked), 稳岗 and 务工收入 (each township's villages,
then its 小计, then the 合计), 培训 (by course type and by township, when training
rosters are kept), 补贴 (due, paid and held lines of D's year by rule and township, when
the policy turns a subsidy rule on), 零就业家庭, 脱贫劳动力, 数据质量 (which
village sheets are stale or dirty, problems by their Chinese names) and 说明 (sources,
definitions). Each sheet heads with the county and 填报单位, says what its colours mean,
and the sheets that go upward end with 审核人/制表人/填报日期 (the policy's ``[county]``,
blank when not set). Rate changes are in 百分点. What they show is gathered by
``roster.report_data``; this module only writes it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, PatternFill

from laborcli import __version__
from laborcli.exports.households import MEMBER_HEADERS, member_cells
from laborcli.identity.privacy import Mask
from laborcli.policy import LabourForceAges
from laborcli.roster import catalogue
from laborcli.roster.catalogue import INT, PCT
from laborcli.roster.figures import Rates
from laborcli.roster.report_data import (
    Definitions,
    ReportData,
    SubsidyFigures,
    TenureFigures,
    TrainingReport,
)
from laborcli.roster.submissions import STALE_LABEL
from laborcli.sheets.safe import set_cell, whole_file
from laborcli.sheets.workbook import font, new_workbook, print_setup, write_table

FIGURES = [(f.key, f.label, f.number_format) for f in catalogue.FIGURES]
RED_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
# A change of a rate, in percentage points (the cell holds the points: 0.8 is +0.8个百分点).
POINTS = '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"'
CHANGE_INT = "+#,##0;-#,##0;0"
TARGET_HEADS = [("target", "年度任务", INT), ("completion", "完成率", PCT)]
STALE = STALE_LABEL[0]
WARNINGS_WIDTH = 50  # 数据质量's 警告 column, whose problem names wrap
YUAN = "#,##0"
RETENTION = [
    ("cohort", "基期转移就业", INT),
    ("retained", "仍转移就业", INT),
    ("retention_rate", "稳岗率", PCT),
    ("no_longer_listed", "已不在册", INT),
]
INCOME = [
    ("labour_income", "务工收入(元)", YUAN),
    ("unknown_months", "收入未知月数", INT),
    ("transferred", "转移就业", INT),
    ("transferred_with_income", "其中月收入已知", INT),
    ("average_monthly_income", "平均月收入(元)", YUAN),
]


def write_report(data: ReportData, path: Path, mask: Mask) -> None:
    """Write the workbook."""
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总"
    _summary(ws, data)
    _places(wb.create_sheet("乡镇"), data.by_township, data, by="township")
    _places(wb.create_sheet("村"), data.by_village, data, by="village")
    if data.tenure is not None:
        _retention(wb.create_sheet("稳岗"), data, data.tenure)
        _income(wb.create_sheet("务工收入"), data, data.tenure)
    if data.training is not None:
        _training(wb.create_sheet("培训"), data, data.training)
    if data.subsidies is not None:
        _subsidies(wb.create_sheet("补贴"), data, data.subsidies)
    _zero(wb.create_sheet("零就业家庭"), data, mask)
    _poor(wb.create_sheet("脱贫劳动力"), data)
    _quality_sheet(wb.create_sheet("数据质量"), data)
    _notes(wb.create_sheet("说明"), data)
    with whole_file(path) as tmp:
        wb.save(tmp)


def _title(data: ReportData, what: str) -> str:
    where = f"{data.info.name}{data.township or ''}" or "全县"
    return f"{where}{what} (截至 {data.as_of.isoformat()})"


def _head(ws: Any, data: ReportData, what: str, width: int, legend: str | list[str] | None = None) -> int:
    """Title, the 填报单位 line and the legend (if any; a list is one line each, so that a
    long legend does not widen the printed page) above a table; the header's row."""
    set_cell(ws.cell(row=1, column=1), _title(data, what))
    ws.cell(row=1, column=1).font = font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, width))
    lines = [f"填报单位: {data.info.unit}    统计截至: {data.as_of.isoformat()}"]
    if isinstance(legend, list):
        lines += [f"{'图例: ' if i == 0 else '      '}{text}" for i, text in enumerate(legend)]
    elif legend:
        lines.append(f"图例: {legend}")
    for i, text in enumerate(lines, start=2):
        set_cell(ws.cell(row=i, column=1), text)
        ws.cell(row=i, column=1).font = font(size=10)
        ws.cell(row=i, column=1).alignment = Alignment(vertical="center")
    return 2 + len(lines)


def _sign(ws: Any, row: int, data: ReportData) -> None:
    """审核人, 制表人 and 填报日期 under a table (blank after the colon when not set). The
    date is left to be written when the report is signed: the day it is made is not the
    day it is sent, and a date after the month it reports on reads as its date."""
    text = (
        f"审核人: {data.info.reviewer}        制表人: {data.info.preparer}        "
        "填报日期:      年    月    日"
    )
    set_cell(ws.cell(row=row, column=1), text)
    ws.cell(row=row, column=1).font = font(size=10)


def _summary(ws: Any, data: ReportData) -> None:
    prev = data.previous.total if data.previous else None
    rows = []
    for key, label, fmt in FIGURES:
        now = data.county.total.get(key)
        before = prev.get(key) if prev else None
        change = (now - before) if isinstance(now, int | float) and isinstance(before, int | float) else None
        if change is not None and fmt == PCT:
            change = round(change * 100, 10)  # in percentage points
        rows.append([label, now, before, change])
    prev_label = f"上期 ({data.previous.as_of.isoformat()})" if data.previous else "上期"
    first = _head(ws, data, "转移就业情况汇总", 4)
    h = write_table(
        ws,
        None,
        ["指标", f"本期 ({data.as_of.isoformat()})", prev_label, "变化"],
        rows,
        widths=[20, 18, 18, 16],
        first_row=first,
    )
    for i, (_, _, fmt) in enumerate(FIGURES, start=h + 1):
        for j in (2, 3, 4):
            ws.cell(row=i, column=j).number_format = fmt if j < 4 else POINTS if fmt == PCT else CHANGE_INT
    _sign(ws, h + len(FIGURES) + 2, data)
    # The transfer rate over every as-of date in the registry, and its chart.
    t0 = h + len(FIGURES) + 4
    set_cell(ws.cell(row=t0, column=1), "统计日期")
    set_cell(ws.cell(row=t0, column=2), "转移就业率")
    ws.cell(row=t0, column=1).font = font(bold=True)
    ws.cell(row=t0, column=2).font = font(bold=True)
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
    figures = FIGURES + (TARGET_HEADS if data.has_targets else [])
    stale = by == "village"
    heads = [*place, *[label for _, label, _ in figures], *(["备注"] if stale else [])]

    def note(r: dict[str, Any]) -> list[object]:
        if not stale:
            return []
        d = r.get("sheet_as_of")
        return [f"{STALE} (花名册 {d.isoformat() if d else '无'})" if r.get("stale") else ""]

    rows = [[r[k] for k in keys] + [r.get(key) for key, _, _ in figures] + note(r) for r in res.rows]
    total = ["合计", *[""] * (len(keys) - 1)] + [res.total.get(key) for key, _, _ in figures]
    rows.append(total + ([""] if stale else []))
    formats = {len(keys) + i: fmt for i, (_, _, fmt) in enumerate(figures)}
    what = "各乡镇转移就业情况" if by == "township" else "各村转移就业情况"
    county_rate = data.county.total.get("transfer_rate")
    legend = None
    if by == "village":
        parts = []
        if county_rate is not None:
            parts.append(f"转移就业率红色底纹 = 低于{data.township or '全县'} ({county_rate:.1%})")
        parts.append(f"备注 “{STALE}” = 尚无 {data.as_of:%Y年%m月} 的花名册, 仍按旧表计算")
        legend = "; ".join(parts)
    first = _head(ws, data, what, len(heads), legend)
    widths = [10] * len(keys) + [11] * len(figures) + ([26] if stale else [])
    h = write_table(ws, None, heads, rows, widths=widths, formats=formats, first_row=first)
    last = h + len(rows)
    for j in range(1, len(heads) + 1):
        ws.cell(row=last, column=j).font = font(bold=True)
    _sign(ws, last + 2, data)
    if by == "village" and res.rows:
        rate_col = len(keys) + 3
        letter = ws.cell(row=h, column=rate_col).column_letter
        if county_rate is not None:
            # A village without labour force has no rate: a blank cell must stay white.
            top = f"{letter}{h + 1}"
            ws.conditional_formatting.add(
                f"{top}:{letter}{last - 1}",
                FormulaRule(formula=[f"AND(ISNUMBER({top}),{top}<{county_rate!r})"], fill=RED_FILL),
            )


def _retention(ws: Any, data: ReportData, t: TenureFigures) -> None:
    r = t.retention_by_village
    legend = [
        f"基期 = {r.cohort_date.isoformat()} (统计日前 {r.months} 个月); "
        "基期转移就业 = 基期转移就业的劳动力, 按其基期所在村计",
        "仍转移就业 = 其中统计日仍转移就业者 (不论在何村); 稳岗率 = 仍转移就业 / 基期转移就业",
        "已不在册 = 其中统计日已无花名册记录者 (计为未稳岗)",
        f"备注 “{STALE}” = 尚无 {data.as_of:%Y年%m月} 的花名册, 仍按旧表计算",
    ]
    what = f"转移就业人员稳岗情况 ({r.months}个月)"
    _tenure_table(ws, data, t.retention_by_township.rows, r.rows, r.total, RETENTION, what, legend)


def _income(ws: Any, data: ReportData, t: TenureFigures) -> None:
    i = t.income_by_village
    legend = [
        f"务工收入 = {i.year}年各月末 (至统计日) 转移就业者所填月收入之和, 按统计日所在村计",
        "收入未知月数 = 转移就业而月收入未填 (或不可信) 的月数, 及无花名册记录的月数",
        "平均月收入 = 统计日转移就业且月收入已知者的月收入平均",
        f"备注 “{STALE}” = 尚无 {data.as_of:%Y年%m月} 的花名册, 仍按旧表计算",
    ]
    what = f"{i.year}年务工收入情况"
    _tenure_table(ws, data, t.income_by_township.rows, i.rows, i.total, INCOME, what, legend)


def _tenure_table(
    ws: Any,
    data: ReportData,
    towns: list[dict[str, Any]],
    villages: list[dict[str, Any]],
    total: dict[str, Any],
    figures: list[tuple[str, str, str]],
    what: str,
    legend: list[str],
) -> None:
    """Each township's villages, then its 小计 (the township's own figures), then 合计."""

    def values(r: dict[str, Any]) -> list[object]:
        return [r.get(key) for key, _, _ in figures]

    def note(r: dict[str, Any]) -> str:
        d = r.get("sheet_as_of")
        return f"{STALE} (花名册 {d.isoformat() if d else '无'})" if r.get("stale") else ""

    rows: list[list[object]] = []
    bold: list[int] = []
    for town in towns:
        rows += [
            [v["township"], v["village"], *values(v), note(v)]
            for v in villages
            if v["township"] == town["township"]
        ]
        bold.append(len(rows))
        rows.append([town["township"], "小计", *values(town), ""])
    bold.append(len(rows))
    rows.append(["合计", "", *values(total), ""])
    heads = ["乡镇", "村(社区)", *[label for _, label, _ in figures], "备注"]
    formats = {2 + i: fmt for i, (_, _, fmt) in enumerate(figures)}
    first = _head(ws, data, what, len(heads), legend)
    widths = [10, 12] + [12] * len(figures) + [26]
    h = write_table(ws, None, heads, rows, widths=widths, formats=formats, first_row=first)
    for i in bold:
        for j in range(1, len(heads) + 1):
            ws.cell(row=h + 1 + i, column=j).font = font(bold=True)
    _sign(ws, h + len(rows) + 2, data)


TRAINING = [
    ("persons", "培训人数", INT),
    ("person_times", "培训人次", INT),
    ("certificates", "取得证书", INT),
    ("in_window", "观察期内", INT),
    ("employed_after", "培训后就业", INT),
    ("employed_after_rate", "培训后就业率", PCT),
    ("order_records", "订单培训", INT),
    ("placed_with_order_employer", "订单企业就业", INT),
    ("placed_with_order_employer_rate", "订单就业率", PCT),
]


def _training(ws: Any, data: ReportData, t: TrainingReport) -> None:
    """By course type, then by township, each with its 合计 (persons counted once)."""
    legend = [
        f"培训人数、人次 = 结束日期在{t.year}年 (至统计日) 的培训记录的人数 (每人只计一次, 合计亦然) 和条数",
        f"培训后就业 = 结业后 {t.months} 个月内某月末转移就业的记录; 观察期内 = 结业未满 {t.months} 个月的记录, "
        "不计入就业率的分母; 培训后就业率 = 培训后就业 / (培训人次 - 观察期内)",
        "订单企业就业 = 订单培训 (写明订单企业) 的记录中, 观察期内就业单位为订单企业者; 订单就业率的分母为观察期已满的订单培训",
        f"按乡镇: 按培训花名册所填乡镇; 未能对应到劳动力台账的记录 ({t.not_linked} 条) 计为未就业",
    ]
    width = 1 + len(TRAINING)
    heads = ["培训类别", *[label for _, label, _ in TRAINING]]
    formats = {1 + i: fmt for i, (_, _, fmt) in enumerate(TRAINING)}
    widths = [18] + [11] * len(TRAINING)

    def lines(rows: list[dict[str, Any]]) -> list[list[object]]:
        body: list[list[object]] = [[r["key"], *(r.get(k) for k, _, _ in TRAINING)] for r in rows]
        body.append(["合计", *(t.total.get(k) for k, _, _ in TRAINING)])
        return body

    first = _head(ws, data, f"{t.year}年培训及培训后就业情况", width, legend)
    by_type = lines(t.by_type)
    h = write_table(ws, None, heads, by_type, widths=widths, formats=formats, first_row=first)
    for j in range(1, width + 1):
        ws.cell(row=h + len(by_type), column=j).font = font(bold=True)
    r0 = h + len(by_type) + 2
    by_town = lines(t.by_township)
    h2 = write_table(ws, None, ["乡镇", *heads[1:]], by_town, widths=widths, formats=formats, first_row=r0)
    for j in range(1, width + 1):
        ws.cell(row=h2 + len(by_town), column=j).font = font(bold=True)
    _sign(ws, h2 + len(by_town) + 2, data)
    # The first table's header is the sheet's: frozen, and repeated on every printed page.
    ws.freeze_panes = ws.cell(row=h + 1, column=1)
    print_setup(ws, h)


SUBSIDY_HEADS = [
    "补贴类别",
    "乡镇",
    "待发放 笔数",
    "待发放 金额(元)",
    "已发放 笔数",
    "已发放 金额(元)",
    "其中待复核 笔数",
    "暂缓 笔数",
    "暂缓 金额(元)",
    "不予发放 笔数",
]


def _subsidy_values(r: dict[str, Any]) -> list[object]:
    """The counts of one row: paid includes the lines paid that are now under review."""
    return [
        r["due"],
        r["amount_due"],
        r["paid"] + r["review"],
        r["amount_paid"] + r["amount_review"],
        r["review"],
        r["held"],
        r["amount_held"],
        r["refused"],
    ]


def _subsidies(ws: Any, data: ReportData, f: SubsidyFigures) -> None:
    """Each rule's townships, then its 小计, then the 合计 of every rule."""
    from laborcli.subsidies.rules import RULE_TITLES

    rows: list[list[object]] = []
    bold: list[int] = []
    total = [0] * 8
    for rule in f.rules:
        title = RULE_TITLES.get(rule, rule)
        mine = [r for r in f.rows if r["rule"] == rule]
        sub = [0] * 8
        for r in mine:
            v = _subsidy_values(r)
            rows.append([title, r["township"], *v])
            sub = [a + int(str(b)) for a, b in zip(sub, v, strict=True)]
        bold.append(len(rows))
        rows.append([title, "小计", *sub])
        total = [a + b for a, b in zip(total, sub, strict=True)]
    bold.append(len(rows))
    rows.append(["合计", "", *total])
    legend = [
        f"{f.year}年各项补贴 (至统计日), 按县政策文件开启的补贴项目; 按领取对象所在乡镇计 (带头人按其登记的乡镇)",
        "待发放 = 符合条件、尚未发放; 已发放 = 财务已登记发放 (按登记金额), 其中待复核 = 已发放但按最新数据不再符合条件",
        "暂缓 = 符合条件但暂不能发放 (身份证号码未核验、组织者未登记或未填写、务工开始时间未知、户无户主等);"
        " 不予发放 = 财务登记不予发放",
    ]
    first = _head(ws, data, f"{f.year}年补贴发放情况", len(SUBSIDY_HEADS), legend)
    formats = {i: (YUAN if "金额" in h else INT) for i, h in enumerate(SUBSIDY_HEADS) if i >= 2}
    h = write_table(
        ws,
        None,
        SUBSIDY_HEADS,
        rows,
        widths=[18, 12, 10, 14, 10, 14, 12, 10, 14, 12],
        formats=formats,
        first_row=first,
    )
    for i in bold:
        for j in range(1, len(SUBSIDY_HEADS) + 1):
            ws.cell(row=h + 1 + i, column=j).font = font(bold=True)
    _sign(ws, h + len(rows) + 2, data)


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
    heads = ["乡镇", "村(社区)", "户编号", "户劳动力数", *MEMBER_HEADERS]
    write_table(
        ws,
        None,
        heads,
        rows,
        widths=[10, 10, 12, 8, 10, 8, 21, 14, 6, 8, 12],
        first_row=_head(ws, data, f"零就业家庭名单 (共 {len(data.zero)} 户)", len(heads)),
    )


def _poor(ws: Any, data: ReportData) -> None:
    rows = [
        [r["township"], r["village"], r["poor_labour_force"], r["poor_transferred"], r["poor_transfer_rate"]]
        for r in data.by_village.rows
    ]
    t = data.by_village.total
    rows.append(["合计", "", t["poor_labour_force"], t["poor_transferred"], t["poor_transfer_rate"]])
    h = write_table(
        ws,
        None,
        ["乡镇", "村(社区)", "脱贫劳动力", "已转移就业", "转移就业率"],
        rows,
        widths=[10, 12, 12, 12, 12],
        formats={2: INT, 3: INT, 4: PCT},
        first_row=_head(ws, data, "脱贫(易地搬迁)劳动力转移就业情况", 5),
    )
    _sign(ws, h + len(rows) + 2, data)


def _quality_sheet(ws: Any, data: ReportData) -> None:
    rows = [
        [
            q["township"],
            q["village"],
            q["latest_sheet"].isoformat(),
            f"是 ({STALE})" if q["stale"] else "",
            q["file"],
            q["rows_imported"],
            q["rows_rejected"],
            q["warnings"],
            q["unverified"],
            q["pending_reviews"],
        ]
        for q in data.quality
    ]
    legend = "红色 = 未按期更新 (尚无本月花名册) 或有拒收行"
    h = write_table(
        ws,
        None,
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
        widths=[10, 10, 14, 16, 30, 10, 10, WARNINGS_WIDTH, 10, 10],
        first_row=_head(ws, data, "数据质量", 10, legend),
    )
    for i, q in enumerate(data.quality, start=h + 1):
        ws.cell(row=i, column=8).alignment = Alignment(wrap_text=True, vertical="top")
        # A row does not grow with wrapped text in every program: give it the lines it needs.
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in q["warnings"])
        lines = -(-units // (WARNINGS_WIDTH - 2))
        if lines > 1:
            ws.row_dimensions[i].height = 15 * lines
        if q["stale"]:
            ws.cell(row=i, column=4).fill = RED_FILL
        if q["rows_rejected"]:
            ws.cell(row=i, column=7).fill = RED_FILL


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
    info = data.info
    lines = [
        ("统计日期", data.as_of.isoformat()),
        ("县", info.name),
        ("范围", data.township or "全县"),
        ("填报单位", info.unit),
        ("制表人", info.preparer),
        ("审核人", info.reviewer),
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
        ("口径: 变化", "与上期相比; 比率 (转移就业率等) 的变化以百分点计, 人数的变化以人计"),
        (
            "口径: 稳岗率",
            "统计日前若干个月 (县政策文件 [tenure] retention_months) 转移就业的劳动力中, 统计日仍转移就业者所占比例;"
            " 统计日已不在册者计为未稳岗",
        ),
        (
            "口径: 务工收入",
            "本年各月末 (至统计日) 转移就业者所填月收入之和; 转移就业而月收入未填或超过县政策文件的上限,"
            " 及无花名册记录的月份, 计为收入未知月数",
        ),
        ("口径: 数据未更新", "村(社区)的最新花名册早于统计日之前最近的月末, 其人数仍按旧花名册计算"),
    ]
    if data.training is not None:
        lines.append(
            (
                "口径: 培训后就业",
                f"培训记录结业后 {data.training.months} 个月内 (县政策文件 [training] window_months) 某月末转移就业;"
                " 无有效身份证号码的记录按姓名、出生日期、电话、村与劳动力台账对应, 未能对应的计为未就业",
            )
        )
    if data.subsidies is not None:
        lines.append(
            (
                "口径: 补贴",
                "按县政策文件 [subsidies] 的补贴项目和标准, 统计日所在年度的补贴明细 (laborcli subsidy);"
                " 已发放按财务退回的发放表登记 (laborcli subsidy record)",
            )
        )
    if data.has_targets:
        lines.append(
            (
                "口径: 完成率",
                "本年新增转移就业人数 / 年度任务; 乡镇和合计只计有任务的村 (与周排名相同)",
            )
        )
    h = write_table(ws, "说明", ["项目", "内容"], lines, widths=[20, 130])
    r0 = h + len(lines) + 2
    set_cell(ws.cell(row=r0, column=1), "来源文件")
    ws.cell(row=r0, column=1).font = font(bold=True)
    widest = 20
    for i, (name, sha, d) in enumerate(data.sources, start=r0 + 1):
        set_cell(ws.cell(row=i, column=1), name)
        set_cell(ws.cell(row=i, column=2), f"{d.isoformat()}  SHA-256 {sha}")
        widest = max(widest, sum(2 if ord(ch) > 0x2E80 else 1 for ch in name) + 2)
    # File names are long; column A widens so that none is cut off by the text beside it.
    ws.column_dimensions["A"].width = min(widest, 60)
    print_setup(ws, h)

"""The monthly report workbook (月报) that the county sends up and back down to townships.

Sheets: 汇总 (county figures, month-on-month change, a line chart of the transfer rate
over every as-of), 乡镇, 村 (coloured against the county rate), 零就业家庭, 脱贫劳动力,
数据质量 (which village sheets are stale or dirty) and 说明 (sources, definitions).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from sqlalchemy.engine import Connection

from laborcli import __version__
from laborcli.exports.households import member_cells
from laborcli.exports.safe import set_cell
from laborcli.exports.workbook import print_setup, write_table
from laborcli.identity import Cluster, find_clusters
from laborcli.policy import DedupPolicy, Policy
from laborcli.privacy import Mask
from laborcli.registry.engine import Registry
from laborcli.registry.store import registry_stamp
from laborcli.registry.tables import imports, problems, snapshots
from laborcli.roster.figures import Rates, figure_table, rates, rates_of_table, unverified_by_village
from laborcli.roster.households import Household, collect
from laborcli.roster.state import current_row_count
from laborcli.roster.workers import start_context

PCT = "0.0%"
INT = "#,##0"
FIGURES = [
    ("labour_force", "劳动力", INT),
    ("transferred", "转移就业", INT),
    ("transfer_rate", "转移就业率", PCT),
    ("outside_county", "县外转移", INT),
    ("organised_outside", "组织化县外输出", INT),
    ("organised_rate", "组织化程度", PCT),
    ("poor_labour_force", "脱贫劳动力", INT),
    ("poor_transferred", "脱贫劳动力转移", INT),
    ("households", "有劳动力家庭", INT),
    ("zero_employment_households", "零就业家庭", INT),
    ("coverage", "户有一人就业率", PCT),
    ("new_transfers", "新增转移就业", INT),
    ("unknown_age", "年龄不详", INT),
    ("unverified", "身份未核验", INT),
]
RED_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")


@dataclass(slots=True)
class ReportData:
    """Everything the workbook shows, computed once."""

    as_of: dt.date
    township: str | None
    county: Rates
    previous: Rates | None
    by_township: Rates
    by_village: Rates
    trend: list[tuple[dt.date, float | None]]
    zero: list[Household]
    quality: list[dict[str, Any]]
    sources: list[tuple[str, str, dt.date]]


def as_of_dates(conn: Connection) -> list[dt.date]:
    """Every as-of date in the registry, oldest first."""
    return [r[0] for r in conn.execute(sa.select(imports.c.as_of).distinct().order_by(imports.c.as_of))]


def gather(
    conn: Connection,
    d: dt.date,
    policy: Policy,
    township: str | None = None,
    clusters: list[Cluster] | Callable[[], list[Cluster]] | None = None,
) -> ReportData:
    """Compute the report's figures in the registry.

    ``clusters`` (the duplicate review, for the 数据质量 sheet) may be given, or a function
    that gives them once the figures are done (see ``gather_concurrently``).
    """
    ages = policy.labour_force
    dates = [x for x in as_of_dates(conn) if x <= d]
    # "This month" is the latest as-of on or before D; the previous is the one before it.
    prev_d = dates[-2] if len(dates) >= 2 else None
    # One computation of the current persons serves the three levels and the zero list.
    with figure_table(conn, d, ages, township=township) as ft:
        now = {by: rates_of_table(conn, ft, by) for by in ("county", "township", "village")}
        zero = collect(conn, ft, True)
        unverified = unverified_by_village(conn, ft)
    county: dict[dt.date, Rates] = {d: now["county"]}

    def county_at(x: dt.date) -> Rates:
        if x not in county:
            county[x] = rates(conn, x, "county", ages, township=township)
        return county[x]

    previous = county_at(prev_d) if prev_d else None
    trend = [(x, county_at(x).total["transfer_rate"]) for x in dates]
    if clusters is None:
        clusters = find_clusters(conn, d, policy.dedup)
    elif callable(clusters):
        clusters = clusters()
    return ReportData(
        as_of=d,
        township=township,
        county=now["county"],
        previous=previous,
        by_township=now["township"],
        by_village=now["village"],
        trend=trend,
        zero=zero,
        quality=_quality(conn, d, township, clusters, unverified),
        sources=_sources(conn, d, township),
    )


# Below this many current rows the review takes less than starting a second process.
CONCURRENT_FROM_ROWS = 50_000


def gather_concurrently(
    reg: Registry,
    d: dt.date,
    policy: Policy,
    township: str | None = None,
    min_rows: int = CONCURRENT_FROM_ROWS,
) -> ReportData:
    """``gather`` with the duplicate review computed meanwhile in a second process.

    Finding duplicates is Python work and the figures are mostly SQL; on two cores they
    overlap (a thread would not: both want the interpreter lock). Each side reads in its
    own transaction; if an import or a decision landed between the two (the registry's
    stamp differs), the review is computed again in the figures' transaction, so the
    workbook always describes one state of the registry. A registry of fewer than
    ``min_rows`` current rows is done in turn.
    """
    with reg.reading() as conn:
        if current_row_count(conn, d) < min_rows:
            return gather(conn, d, policy, township)
    url = reg.url.render_as_string(hide_password=False)
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=start_context(holds_connections=True))
    except OSError:  # no processes to be had: do it in turn
        with reg.reading() as conn:
            return gather(conn, d, policy, township)
    with pool:
        fut = pool.submit(_review, url, d, policy.dedup)
        with reg.reading() as conn:
            stamp = registry_stamp(conn)

            def clusters() -> list[Cluster]:
                try:
                    theirs, found = fut.result()
                except (OSError, BrokenProcessPool):
                    return find_clusters(conn, d, policy.dedup)
                return found if theirs == stamp else find_clusters(conn, d, policy.dedup)

            return gather(conn, d, policy, township, clusters=clusters)


def _review(url: str, d: dt.date, dedup: DedupPolicy) -> tuple[tuple[object, ...], list[Cluster]]:
    """The duplicate review and the stamp of the state it saw (run in a worker process)."""
    from laborcli.registry.engine import open_registry

    reg = open_registry(url, create=False)
    try:
        with reg.reading() as conn:
            return registry_stamp(conn), find_clusters(conn, d, dedup)
    finally:
        reg.close()


def _latest_snapshots(d: dt.date) -> sa.Subquery:
    ranked = (
        sa.select(
            snapshots,
            sa.func.row_number()
            .over(
                partition_by=(snapshots.c.township, snapshots.c.village),
                order_by=(snapshots.c.as_of.desc(), snapshots.c.import_id.desc()),
            )
            .label("rn"),
        )
        .where(snapshots.c.mode == "snapshot", snapshots.c.as_of <= d)
        .subquery()
    )
    return sa.select(ranked).where(ranked.c.rn == 1).subquery("latest")


def _sources(conn: Connection, d: dt.date, township: str | None) -> list[tuple[str, str, dt.date]]:
    latest = _latest_snapshots(d)
    q = (
        sa.select(imports.c.file_name, imports.c.sha256, imports.c.as_of)
        .distinct()
        .join(latest, latest.c.import_id == imports.c.id)
        .order_by(imports.c.file_name)
    )
    if township:
        q = q.where(latest.c.township == township)
    return [(r[0], r[1], r[2]) for r in conn.execute(q)]


def _quality(
    conn: Connection,
    d: dt.date,
    township: str | None,
    clusters: list[Cluster],
    unverified: dict[tuple[str, str], int],
) -> list[dict[str, Any]]:
    latest = _latest_snapshots(d)
    q = sa.select(
        latest.c.township,
        latest.c.village,
        latest.c.as_of,
        latest.c.rows,
        latest.c.import_id,
        imports.c.rows_rejected,
        imports.c.file_name,
    ).join(imports, imports.c.id == latest.c.import_id)
    if township:
        q = q.where(latest.c.township == township)
    snaps = list(conn.execute(q))
    codes: dict[int, Counter[str]] = defaultdict(Counter)
    ids = [s.import_id for s in snaps]
    for i in range(0, len(ids), 500):
        for r in conn.execute(
            sa.select(problems.c.import_id, problems.c.code, sa.func.count())
            .where(problems.c.import_id.in_(ids[i : i + 500]), problems.c.severity == "warning")
            .group_by(problems.c.import_id, problems.c.code)
        ):
            codes[r[0]][r[1]] += int(r[2])
    pending: Counter[tuple[str, str]] = Counter()
    for c in clusters:
        if c.decision == "probable":
            for place in {(r.township, r.village) for r in c.records}:
                pending[place] += 1
    out = []
    for s in sorted(snaps, key=lambda s: (s.township, s.village)):
        out.append(
            {
                "township": s.township,
                "village": s.village,
                "latest_sheet": s.as_of,
                "file": s.file_name,
                "rows_imported": s.rows,
                "rows_rejected": s.rows_rejected,
                "warnings": "; ".join(f"{k} {n}" for k, n in codes[s.import_id].most_common()),
                "unverified": unverified.get((s.township, s.village), 0),
                "pending_reviews": pending[(s.township, s.village)],
                "stale": s.as_of < d,
            }
        )
    return out


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
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


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
        [
            "乡镇",
            "村(社区)",
            "户编号",
            "户劳动力数",
            "姓名",
            "与户主关系",
            "身份证号码",
            "联系电话",
            "年龄",
            "是否劳动力",
            "就业状态",
        ],
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


def _notes(ws: Any, data: ReportData) -> None:
    lines = [
        ("统计日期", data.as_of.isoformat()),
        ("范围", data.township or "全县"),
        ("生成工具", f"laborcli {__version__}"),
        ("生成时间", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        (
            "口径: 劳动力",
            "统计日年满16周岁至60周岁 (按县政策文件), 劳动能力不是丧失劳动力/无劳动能力, 且不是在校学生或服兵役",
        ),
        ("口径: 转移就业", "就业状态为 县外务工、县内务工、公益性岗位、扶贫车间、自主创业、灵活就业 之一"),
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

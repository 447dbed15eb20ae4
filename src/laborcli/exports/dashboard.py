"""The dashboard as static HTML (`export html DIR`): opens by double-click, offline.

County leaders read a page, not a terminal. DIR holds ``index.html`` (the county) and,
with ``--split-by township``, one page per township beside it, and ``static/``: the
page's style and script and Chart.js (vendored from npm with its licence, see
static/VENDORED.md), so nothing is fetched from a network and no server is needed. The
data are in the page itself (tables as HTML, each chart's data as JSON in the page):
a browser refuses to read a file beside a page opened from disk, but runs its scripts.

Tables sort on a click on their head and filter as one types; the numbers are the
figures of ``exports.dashboard_data`` (the commands' own). Personal identifiers are
masked unless ``--show-pii``. The folder is written whole: into a temporary folder
beside DIR, renamed to DIR when complete; an existing DIR is replaced only when laborcli
wrote it (its ``.laborcli-dashboard`` file) or it is empty.
"""

from __future__ import annotations

import html
import json
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from laborcli import __version__
from laborcli.dates import last_month_end
from laborcli.exports.ranking import REASONS, week_title
from laborcli.identity.privacy import Mask
from laborcli.ranking.weekly import RankRow
from laborcli.roster.dashboard_data import Dashboard
from laborcli.roster.submissions import STALE_LABEL
from laborcli.sheets.safe import distinct_name, whole_folder
from laborcli.subsidies.rules import RULE_TITLES

MARKER = ".laborcli-dashboard"
STATIC = ("dashboard.css", "dashboard.js", "chart.umd.min.js", "LICENSE-chart.js.md", "VENDORED.md")
STALE = STALE_LABEL[0]
RED, BLACK, GREY, BLUE = "#C00000", "#1A1A1A", "#A6A6A6", "#1F5FA8"
# One colour per township on the trend, none the county's red (repeats past 16 townships).
PALETTE = (
    "#1F5FA8", "#E07B00", "#2E8B57", "#8E44AD", "#16A085", "#7F8C8D", "#D4AC0D", "#5D6D7E",
    "#A04000", "#1ABC9C", "#6C3483", "#2874A6", "#B7950B", "#117864", "#884EA0", "#34495E",
)  # fmt: skip
STATUS_ZH = {"due": "应发", "paid": "已发", "held": "暂缓", "review": "待复核", "refused": "不予发放"}


# --- cells and tables ---------------------------------------------------------------------


def _e(v: object) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def _int(v: object) -> str:
    return "—" if v is None else f"{int(v):,}"  # type: ignore[call-overload]


def _pct(v: object) -> str:
    return "—" if v is None else f"{float(v) * 100:.1f}%"  # type: ignore[arg-type]


def _yuan(v: object) -> str:
    return "—" if v is None else f"{float(v):,.0f}"  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Col:
    """A column: its key in the row, its head, and how it shows (int, pct, yuan, text, long)."""

    key: str
    head: str
    kind: str = "text"


def _cell(v: object, kind: str) -> str:
    if kind == "text":
        return f"<td>{_e(v)}</td>"
    if kind == "long":  # a long text (a household's members): wrapped, not one wide line
        return f'<td class="wrap">{_e(v)}</td>'
    shown = {"int": _int, "pct": _pct, "yuan": _yuan}[kind](v)
    sort = "" if v is None else f' data-v="{float(v)}"'  # type: ignore[arg-type]
    return f'<td class="n"{sort}>{shown}</td>'


def table(
    tid: str,
    cols: Sequence[Col],
    rows: Iterable[dict[str, Any]],
    *,
    total: dict[str, Any] | None = None,
    raw: Sequence[str] = (),
    row_class: Sequence[str] = (),
    filter_hint: str = "筛选…",
    filtered: bool = True,
) -> str:
    """A table that sorts and (``filtered``) filters; ``raw`` names columns already HTML (links)."""
    body = []
    for i, r in enumerate(rows):
        cls = f' class="{row_class[i]}"' if i < len(row_class) and row_class[i] else ""
        cells = "".join(
            f"<td>{r.get(c.key) or ''}</td>" if c.key in raw else _cell(r.get(c.key), c.kind) for c in cols
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    heads = "".join(f'<th data-kind="{c.kind}">{_e(c.head)}</th>' for c in cols)
    foot = ""
    if total is not None:
        cells = "".join(
            f"<td>{_e(total.get(c.key) or '')}</td>"
            if c.kind in ("text", "long")
            else _cell(total.get(c.key), c.kind)
            for c in cols
        )
        foot = f"<tfoot><tr>{cells}</tr></tfoot>"
    n = len(body)
    tools = (
        ""
        if not filtered
        else f'<div class="tools"><input type="search" data-filter="{tid}" placeholder="{_e(filter_hint)}" '
        f'aria-label="筛选"> <span class="count" data-count="{tid}">{n} 行</span></div>'
    )
    empty = "" if body else '<p class="empty">无</p>'
    return (
        f'{tools}<div class="scroll"><table id="{tid}" class="sortable"><thead><tr>{heads}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody>{foot}</table></div>{empty}"
    )


def chart(cid: str, config: dict[str, Any], *, height: int = 320) -> str:
    """A Chart.js canvas and its configuration (JSON, safe inside a script element)."""
    data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    return (
        f'<div class="chart" style="height:{height}px"><canvas data-chart="{cid}" role="img"></canvas></div>'
        f'<script type="application/json" id="chart-{cid}">{data}</script>'
    )


def _card(label: str, value: str, sub: str = "", tone: str = "") -> str:
    cls = f"card {tone}".strip()
    return (
        f'<div class="{cls}"><div class="k">{_e(label)}</div><div class="v">{_e(value)}</div>'
        f'<div class="s">{_e(sub)}</div></div>'
    )


def section(sid: str, title: str, body: str) -> str:
    """One part of the page: its anchor (the menu's links), its heading and its body."""
    return f'<section id="{sid}"><h2>{title}</h2>{body}</section>'


def cards(*items: str) -> str:
    """A row of figure cards (``_card``)."""
    return f'<div class="cards">{"".join(items)}</div>'


def _change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return ""
    d = (now - before) * 100
    return f"比上期 {'+' if d >= 0 else ''}{d:.1f} 个百分点"


# --- the sections -------------------------------------------------------------------------


def _summary(db: Dashboard) -> str:
    t, p = db.total, db.previous or {}
    items = [
        _card("劳动力", _int(t.get("labour_force")), "人"),
        _card("转移就业", _int(t.get("transferred")), "人"),
        _card(
            "转移就业率",
            _pct(t.get("transfer_rate")),
            _change(t.get("transfer_rate"), p.get("transfer_rate")),
            "hl",
        ),
        _card("县外务工", _int(t.get("outside_county")), f"有组织 {_pct(t.get('organised_rate'))}"),
        _card(
            "脱贫劳动力转移",
            _pct(t.get("poor_transfer_rate")),
            f"{_int(t.get('poor_transferred'))} / {_int(t.get('poor_labour_force'))} 人",
        ),
        _card(
            "零就业家庭",
            _int(t.get("zero_employment_households")),
            f"有劳动力家庭 {_int(t.get('households'))} 户",
            "warn",
        ),
    ]
    if db.has_targets and t.get("target"):
        items.append(
            _card(
                "任务完成率",
                _pct(t.get("completion")),
                f"本年新增 {_int(t.get('new_transfers'))} / 任务 {_int(t.get('target'))}",
                "hl",
            )
        )
    else:
        items.append(_card("本年新增转移", _int(t.get("new_transfers")), "人"))
    if db.tenure is not None:
        r = db.tenure.retention_by_township.total
        items.append(
            _card(
                "稳岗率",
                _pct(r.get("retention_rate")),
                f"{db.tenure.retention_by_township.months} 个月前转移的 {_int(r.get('cohort'))} 人",
            )
        )
        i = db.tenure.income_by_township.total
        income = i.get("labour_income")
        items.append(
            _card(
                "人均月收入",
                _yuan(i.get("average_monthly_income")) + " 元",
                f"本年务工收入 {float(income) / 10_000:,.1f} 万元" if income is not None else "",
            )
        )
    return section("summary", "概况", cards(*items))


def _trend(db: Dashboard) -> str:
    if not db.trend:
        return ""
    labels = [d.isoformat() for d, _, _ in db.trend]
    name = db.township or "全县"
    sets: list[dict[str, Any]] = [
        {
            "label": name,
            "data": [_ratio(t.get("transfer_rate")) for _, t, _ in db.trend],
            "borderColor": RED,
            "backgroundColor": RED,
            "borderWidth": 3,
        }
    ]
    if db.township is None:
        for i, town in enumerate(db.all_townships):
            colour = PALETTE[i % len(PALETTE)]
            sets.append(
                {
                    "label": town,
                    "data": [
                        _ratio(next((r.get("transfer_rate") for r in rows if r["township"] == town), None))
                        for _, _, rows in db.trend
                    ],
                    "borderColor": colour,
                    "backgroundColor": colour,
                    "borderWidth": 1.5,
                }
            )
    cfg = {"type": "line", "data": {"labels": labels, "datasets": sets}, "percent": True}
    rows = [
        {
            "date": d.isoformat(),
            "labour_force": t.get("labour_force"),
            "transferred": t.get("transferred"),
            "transfer_rate": t.get("transfer_rate"),
            "new_transfers": t.get("new_transfers"),
            "zero_employment_households": t.get("zero_employment_households"),
        }
        for d, t, _ in db.trend
    ]
    cols = [
        Col("date", "日期"),
        Col("labour_force", "劳动力", "int"),
        Col("transferred", "转移就业", "int"),
        Col("transfer_rate", "转移就业率", "pct"),
        Col("new_transfers", "本年新增", "int"),
        Col("zero_employment_households", "零就业家庭", "int"),
    ]
    return (
        f'<section id="trend"><h2>转移就业率走势 ({len(labels)} 个月)</h2>{chart("trend", cfg)}'
        f"<details><summary>逐月数字</summary>{table('trend-table', cols, rows, filtered=False)}</details></section>"
    )


def _ratio(v: object) -> float | None:
    return None if v is None else round(float(v) * 100, 2)  # type: ignore[arg-type]


FIGURE_COLS = [
    Col("labour_force", "劳动力", "int"),
    Col("transferred", "转移就业", "int"),
    Col("transfer_rate", "转移就业率", "pct"),
    Col("outside_county", "县外务工", "int"),
    Col("organised_rate", "有组织率", "pct"),
    Col("poor_transfer_rate", "脱贫劳动力转移率", "pct"),
    Col("zero_employment_households", "零就业家庭", "int"),
    Col("new_transfers", "本年新增", "int"),
]
TARGET_COLS = [Col("target", "年度任务", "int"), Col("completion", "完成率", "pct")]


def _townships(db: Dashboard, links: dict[str, str]) -> str:
    if db.township is not None:
        return ""
    cols = [Col("place", "乡镇"), *FIGURE_COLS, *(TARGET_COLS if db.has_targets else [])]
    rows = [{**r, "place": _link(r["township"], links)} for r in db.townships]
    bar = {
        "type": "bar",
        "data": {
            "labels": [r["township"] for r in db.townships],
            "datasets": [
                {
                    "label": "转移就业率",
                    "data": [_ratio(r.get("transfer_rate")) for r in db.townships],
                    "backgroundColor": BLUE,
                    "maxBarThickness": 90,
                }
            ],
        },
        "percent": True,
        "options": {"plugins": {"legend": {"display": False}}},
    }
    total = {**db.total, "place": "合计"}
    return (
        f'<section id="townships"><h2>各乡镇</h2>{chart("townships", bar, height=260) if db.townships else ""}'
        f"{table('township-table', cols, rows, total=total, raw=('place',))}</section>"
    )


def _link(town: str, links: dict[str, str]) -> str:
    href = links.get(town)
    return f'<a href="{_e(href)}">{_e(town)}</a>' if href else _e(town)


def _villages(db: Dashboard) -> str:
    cols = [
        Col("township", "乡镇"),
        Col("village", "村 (社区)"),
        *FIGURE_COLS,
        *(TARGET_COLS if db.has_targets else []),
        Col("sheet", "花名册日期"),
    ]
    rows = []
    marks = []
    for v in db.villages:
        when = v.get("sheet_as_of")
        sheet = when.isoformat() if when else "无"
        rows.append({**v, "sheet": f"{sheet} {STALE}" if v.get("stale") else sheet})
        marks.append("stale" if v.get("stale") else "")
    stale = sum(1 for m in marks if m)
    due = last_month_end(db.as_of)
    note = (
        f'<p class="note warn">{stale} 个村标 “{STALE}”: 尚无截至 {due.isoformat()} 的花名册, 按旧表计算。</p>'
        if stale
        else ""
    )
    return (
        f'<section id="villages"><h2>各村 (社区)</h2>{note}'
        f"{table('village-table', cols, rows, row_class=marks, filter_hint='筛选: 乡镇或村名…')}</section>"
    )


def _place(r: RankRow) -> str:
    return r.village or r.township


def _ranking(db: Dashboard) -> str:
    res = db.ranking
    label = "完成率" if res.metric == "completion" else "转移就业率"
    cols = [
        Col("rank", "名次", "int"),
        Col("township", "乡镇"),
        Col("village", "村 (社区)"),
        Col("value", label, "pct"),
        Col("new_transfers", "本年新增", "int"),
        Col("target", "年度任务", "int"),
        Col("previous_rank", "上周名次", "int"),
        Col("list", "榜单"),
    ]
    if res.by == "township":
        cols = [c for c in cols if c.key != "village"]
    short = [c for c in cols if c.key != "list"]  # the red and black lists say it in their heads

    def rows(rs: list[RankRow]) -> list[dict[str, Any]]:
        return [
            {
                **r.as_json(),
                "village": (r.village or "") + (f" ({STALE})" if r.stale else ""),
                "list": {"red": "红榜", "black": "黑榜"}.get(r.list or "", ""),
            }
            for r in rs
        ]

    colours = [RED if r.list == "red" else BLACK if r.list == "black" else GREY for r in res.rows]
    bar = {
        "type": "bar",
        "data": {
            "labels": [_place(r) for r in res.rows],
            "datasets": [
                {"label": label, "data": [_ratio(r.value) for r in res.rows], "backgroundColor": colours}
            ],
        },
        "percent": True,
        "options": {"indexAxis": "y", "plugins": {"legend": {"display": False}}},
    }
    unranked = ""
    if res.unranked:
        names = "、".join(
            f"{u['township']}{u['village'] or ''} ({REASONS.get(str(u['reason']), str(u['reason']))})"
            for u in res.unranked
        )
        unranked = f'<p class="note">未排名: {_e(names)}</p>'
    classes = ["red" if r.list == "red" else "black" if r.list == "black" else "" for r in res.rows]
    height = max(220, 26 * len(res.rows) + 60)
    return (
        f'<section id="ranking"><h2>本周红黑榜: {_e(week_title(res))}</h2>'
        f'<p class="note">按{label}排名, 统计截至 {res.as_of.isoformat()} (周五); '
        f"红榜前 {len(res.red)} 名, 黑榜后 {len(res.black)} 名。</p>"
        f'<div class="lists"><div><h3 class="red">红榜</h3>{table("red-table", short, rows(res.red), filtered=False)}</div>'
        f'<div><h3 class="black">黑榜</h3>{table("black-table", short, rows(res.black), filtered=False)}</div></div>'
        f"{chart('ranking', bar, height=height) if res.rows else ''}"
        f"<details><summary>全部排名 ({len(res.rows)})</summary>"
        f"{table('rank-table', cols, rows(res.rows), row_class=classes)}</details>"
        f"{unranked}</section>"
    )


def _zero(db: Dashboard, mask: Mask) -> str:
    counts = Counter(h.township for h in db.zero)
    towns = db.all_townships if db.township is None else [db.township]
    bar = {
        "type": "bar",
        "data": {
            "labels": towns,
            "datasets": [
                {
                    "label": "零就业家庭 (户)",
                    "data": [counts.get(t, 0) for t in towns],
                    "backgroundColor": "#E07B00",
                    "maxBarThickness": 90,
                }
            ],
        },
        "options": {"plugins": {"legend": {"display": False}}},
    }
    cols = [
        Col("township", "乡镇"),
        Col("village", "村 (社区)"),
        Col("household_id", "户编号"),
        Col("labour_force", "劳动力", "int"),
        Col("members", "成员", "long"),
    ]
    rows = []
    for h in db.zero:
        members = "; ".join(
            f"{m.name} ({m.relation or '—'}, {mask.id(m.id_number) or '无身份证号'}, {m.employment_status})"
            for m in h.members
        )
        rows.append(
            {
                "township": h.township,
                "village": h.village + (f" ({STALE})" if h.stale else ""),
                "household_id": h.household_id,
                "labour_force": h.labour_force,
                "members": members,
            }
        )
    shown = "" if mask.show_pii else " 身份证号码已打码。"
    return (
        f'<section id="zero"><h2>零就业家庭 ({len(db.zero)} 户)</h2>'
        f'<p class="note">有劳动力但无人转移就业的家庭。{shown}</p>'
        f"{chart('zero', bar, height=220) if towns else ''}"
        f"{table('zero-table', cols, rows, filter_hint='筛选: 村名、户编号或姓名…')}</section>"
    )


def _tenure(db: Dashboard) -> str:
    if db.tenure is None:
        return ""
    ret = db.tenure.retention_by_village if db.township else db.tenure.retention_by_township
    inc = db.tenure.income_by_village if db.township else db.tenure.income_by_township
    place = [Col("township", "乡镇")] + ([Col("village", "村 (社区)")] if db.township else [])
    rcols = [
        *place,
        Col("cohort", "期初转移人数", "int"),
        Col("retained", "仍在就业", "int"),
        Col("retention_rate", "稳岗率", "pct"),
        Col("no_longer_listed", "已不在册", "int"),
    ]
    icols = [
        *place,
        Col("transferred", "转移就业", "int"),
        Col("transferred_with_income", "有收入记录", "int"),
        Col("average_monthly_income", "人均月收入 (元)", "yuan"),
        Col("labour_income", "本年务工收入 (元)", "yuan"),
        Col("unknown_months", "收入不详月数", "int"),
    ]
    rtotal = {**ret.total, "township": "合计"}
    itotal = {**inc.total, "township": "合计"}
    return section(
        "retention",
        f"稳岗 ({ret.months} 个月, 期初 {ret.cohort_date.isoformat()})",
        table("retention-table", rcols, ret.rows, total=rtotal),
    ) + section("income", f"务工收入 ({inc.year} 年)", table("income-table", icols, inc.rows, total=itotal))


def _subsidies(db: Dashboard) -> str:
    if db.subsidies is None:
        return ""
    s = db.subsidies
    tot = s.totals()
    figures = cards(
        *(
            _card(STATUS_ZH[k], f"{tot[k]:,} 条", f"{tot['amount_' + k]:,} 元", "hl" if k == "due" else "")
            for k in ("due", "paid", "held", "review", "refused")
        )
    )
    rows = [{**r, "rule": RULE_TITLES.get(r["rule"], r["rule"])} for r in s.by_rule_township()]
    cols = [
        Col("rule", "项目"),
        Col("township", "乡镇"),
        Col("due", "应发 (条)", "int"),
        Col("amount_due", "应发金额 (元)", "yuan"),
        Col("paid", "已发 (条)", "int"),
        Col("amount_paid", "已发金额 (元)", "yuan"),
    ]
    return section("subsidies", f"补贴奖励 ({s.year} 年)", figures + table("subsidy-table", cols, rows))


def _demand(db: Dashboard) -> str:
    if db.demand is None:
        return ""
    d = db.demand.as_json()
    t = d["total"]
    figures = cards(
        _card("用工需求", f"{t['demands']:,} 条", f"{t['openings']:,} 人"),
        _card("已上岗", f"{t['placed']:,} 人", f"到岗率 {_pct(t['fill_rate'])}", "hl"),
        _card("在招岗位", f"{sum(1 for r in d['rows'] if r['open']):,} 条"),
    )
    cols = [
        Col("company", "企业"),
        Col("demands", "岗位数", "int"),
        Col("openings", "需求人数", "int"),
        Col("placed", "已上岗", "int"),
        Col("fill_rate", "到岗率", "pct"),
    ]
    return section("demand", "人岗对接", figures + table("demand-table", cols, d["companies"]))


def _training(db: Dashboard) -> str:
    if db.training is None:
        return section("training", "培训", '<p class="empty">尚无培训记录。</p>')
    t = db.training
    cols = [
        Col("key", "乡镇"),
        Col("person_times", "培训人次", "int"),
        Col("persons", "培训人数", "int"),
        Col("certificates", "取得证书", "int"),
        Col("employed_after", "培训后就业", "int"),
        Col("employed_after_rate", "培训后就业率", "pct"),
        Col("in_window", "尚在观察期", "int"),
    ]
    total = {**t.total, "key": "合计"}
    return section(
        "training",
        f"培训 ({t.year} 年, 结业后 {t.months} 个月内就业)",
        table("training-table", cols, t.rows, total=total),
    )


NAV = (
    ("summary", "概况"),
    ("trend", "走势"),
    ("townships", "乡镇"),
    ("villages", "村"),
    ("ranking", "红黑榜"),
    ("zero", "零就业家庭"),
    ("retention", "稳岗"),
    ("income", "收入"),
    ("subsidies", "补贴"),
    ("demand", "人岗对接"),
    ("training", "培训"),
)


def render_page(db: Dashboard, mask: Mask, links: dict[str, str], home: str | None = None) -> str:
    """One page: the county's (``db.township`` None) or a township's."""
    county = db.info.name or "全县"
    where = db.township or county
    title = f"{where} 劳动力转移就业数据看板"
    sections = [
        _summary(db),
        _trend(db),
        _townships(db, links),
        _villages(db),
        _ranking(db),
        _zero(db, mask),
        _tenure(db),
        _subsidies(db),
        _demand(db),
        _training(db),
    ]
    body = "".join(s for s in sections if s)
    nav = "".join(f'<a href="#{k}">{v}</a>' for k, v in NAV if f'id="{k}"' in body)
    pages = ""
    if links:
        here = ' class="here"'
        items = ([f'<a href="{_e(home)}">{_e(county)}</a>'] if home else []) + [
            f'<a href="{_e(href)}"{here if t == db.township else ""}>{_e(t)}</a>' for t, href in links.items()
        ]
        pages = f'<nav class="pages"><span>各乡镇页面:</span>{"".join(items)}</nav>'
    pii = (
        '<p class="pii">本页含完整身份证号码, 请勿外传。</p>'
        if mask.show_pii
        else "<p>身份证号码已打码 (前 6 位和后 4 位)。</p>"
    )
    office = f"{_e(db.info.office)} · " if db.info.office else ""
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="laborcli {_e(__version__)}">
<title>{_e(title)} ({db.as_of.isoformat()})</title>
<link rel="stylesheet" href="static/dashboard.css">
</head>
<body>
<header><h1>{_e(title)}</h1><p>{office}<span class="nowrap">统计截至 {db.as_of.isoformat()}</span></p>
{pages}<nav class="sections">{nav}</nav></header>
<main>{body}</main>
<footer>{pii}<p>由 laborcli {_e(__version__)} 生成, 数据来自各村花名册; 图表: Chart.js (MIT)。</p></footer>
<script src="static/chart.umd.min.js"></script>
<script src="static/dashboard.js"></script>
</body>
</html>
"""


def page_names(townships: Sequence[str]) -> dict[str, str]:
    """Each township's page file: its name made safe, distinct from the others'."""
    taken = {"index"}
    return {t: f"{distinct_name(t, taken)}.html" for t in townships}


def write_dashboard(pages: Sequence[Dashboard], folder: Path, mask: Mask) -> list[Path]:
    """Write ``index.html`` (the county, ``pages[0]``), each township's page and
    ``static/`` into ``folder``, whole or not at all; the pages written, county first."""
    county, towns = pages[0], list(pages[1:])
    links = page_names([p.township or "" for p in towns]) if towns else {}
    written = [folder / "index.html", *(folder / links[p.township or ""] for p in towns)]
    with whole_folder(folder, MARKER) as tmp:
        (tmp / "index.html").write_text(render_page(county, mask, links), encoding="utf-8")
        for p in towns:
            name = links[p.township or ""]
            (tmp / name).write_text(render_page(p, mask, links, home="index.html"), encoding="utf-8")
        static = tmp / "static"
        static.mkdir()
        source = files("laborcli.exports") / "static"
        for name in STATIC:
            with (source / name).open("rb") as src, (static / name).open("wb") as dst:
                shutil.copyfileobj(src, dst)
    return written

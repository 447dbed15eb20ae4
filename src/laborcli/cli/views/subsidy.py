"""`leaders` and `subsidy`: tables for a person, JSON and CSV for scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape

from laborcli.cli.options import Format
from laborcli.cli.output import err, out, pii_notice, print_csv, print_json, table
from laborcli.identity.privacy import Mask
from laborcli.subsidies.ledger import STATUS_LABEL, Recording
from laborcli.subsidies.rules import RULE_TITLES, LeadersList, SubsidyResult

LEADER_KEYS = ["name", "kind", "township", "village", "people_organised", "poor_people_organised"]
LINE_KEYS = [
    "line_id",
    "rule",
    "payee",
    "amount",
    "status",
    "township",
    "village",
    "household_id",
    "explanation",
]


def show_leaders(res: LeadersList, fmt: Format) -> None:
    """The leaders with their people, then the unmatched organisers."""
    if fmt is Format.json:
        print_json(res.as_json())
        return
    if fmt is Format.csv:
        print_csv(LEADER_KEYS, [[r[k] for k in LEADER_KEYS] for r in res.rows])
        return
    out.print(
        table(
            f"{res.year} 年带头人组织输出 (截至 {res.as_of})",
            ["名称", "类型", "乡镇", "村", "组织人数", "其中脱贫/搬迁"],
            [[escape("" if r[k] is None else str(r[k])) for k in LEADER_KEYS] for r in res.rows],
            right=(4, 5),
        )
    )
    if res.unmatched:
        out.print(
            table(
                "未登记的输出组织者 (请登记到带头能人数据库)",
                ["输出组织者", "组织人数"],
                [[escape(u["organiser"]), u["people"]] for u in res.unmatched],
                right=(1,),
            )
        )


def show_lines(res: SubsidyResult, fmt: Format, mask: Mask, exported: tuple[Path, int] | None = None) -> None:
    """The lines and the totals."""
    if fmt is Format.json:
        print_json(res.as_json(mask.id))
        return
    if fmt is Format.csv:
        docs = [ln.as_json(mask.id) for ln in res.lines]
        print_csv(LINE_KEYS, [[d[k] for k in LINE_KEYS] for d in docs])
        return
    t = res.totals()
    summary = (
        f"待发放 {t['due']} 笔 {t['amount_due']} 元; 已发放 {t['paid']} 笔 {t['amount_paid']} 元; "
        f"暂缓 {t['held']} 笔 {t['amount_held']} 元; 待复核 {t['review']} 笔 {t['amount_review']} 元"
        + (f"; 不予发放 {t['refused']} 笔" if t["refused"] else "")
    )
    if exported is not None:  # the lines are in the workbook: only what it holds here
        out.print(f"→ {escape(str(exported[0]))} ({exported[1]} 行); {summary}")
        pii_notice(mask.show_pii)
        return
    body = [
        [
            ln.line_id,
            RULE_TITLES.get(ln.rule, ln.rule),
            escape(ln.payee),
            ln.amount,
            STATUS_LABEL.get(ln.status, ln.status),
            escape(f"{ln.township or ''}{ln.village or ''}"),
            escape(ln.explanation),
        ]
        for ln in res.lines
    ]
    out.print(
        table(
            f"{res.year} 年补贴明细 (截至 {res.as_of})",
            ["编号", "类别", "领取人", "金额", "状态", "乡镇村", "说明"],
            body,
            right=(3,),
        )
    )
    out.print(summary)
    pii_notice(mask.show_pii)


def show_why(doc: dict[str, Any], fmt: Format) -> None:
    """For each rule: applies, or the first failing condition."""
    if fmt is Format.json:
        print_json(doc)
        return
    out.print(f"{escape(doc['subject'])} (截至 {doc['as_of']})")
    for r in doc["rules"]:
        mark = "符合" if r["applies"] else "不符合"
        out.print(f"  {RULE_TITLES.get(r['rule'], r['rule'])}: {mark} — {escape(r['why'])}")


def show_recording(rec: Recording, fmt: Format, show_pii: bool) -> None:
    """What was recorded, or the located errors and that nothing was."""
    if fmt is Format.json:
        print_json(rec.as_json(show_pii))
        return
    if rec.problems:
        out.print(
            f"[red]{escape(rec.file)}: {len(rec.problems)} 处错误, 未登记任何明细 (整表改正后重新登记)[/red]"
        )
        for p in rec.problems:
            err.print(
                "[red]"
                + escape(
                    f"{p.sheet} 第{p.row}行 {p.column or ''}: {p.message} [{p.shown_value(show_pii) or ''}]"
                )
                + "[/red]"
            )
        return
    out.print(
        f"{escape(rec.file)}: 登记 {rec.recorded} 笔, 已登记过 {rec.unchanged} 笔 (sha256 {rec.sha256[:12]}…)"
    )

"""`honours`: the 两比两看 honour list as a table, JSON or CSV."""

from __future__ import annotations

from rich.markup import escape

from laborcli.cli.options import Format
from laborcli.cli.output import out, pii_notice, print_csv, print_json, table
from laborcli.identity.privacy import Mask
from laborcli.subsidies.honours import Honours, order_rule

CSV_KEYS = [
    "rank",
    "township",
    "village",
    "household_id",
    "head",
    "stable_members",
    "per_capita_income",
    "explanation",
]


def show_honours(res: Honours, fmt: Format, mask: Mask, table_too: bool = True) -> None:
    """The list, township by township."""
    if fmt is Format.json:
        print_json(res.as_json(mask.id))
        pii_notice(mask.show_pii)
        return
    if fmt is Format.csv:
        docs = [r.as_json(mask.id) for r in res.rows]
        print_csv(CSV_KEYS, [[d[k] for k in CSV_KEYS] for d in docs])
        return
    if not table_too:
        return
    body = [
        [
            r.rank,
            escape(r.township),
            escape(r.village),
            escape(r.household_id),
            escape(r.head or "—"),
            r.stable_members,
            f"{r.income.per_capita:,.2f}",
            escape("、".join(m.name for m in r.members)),
        ]
        for r in res.rows
    ]
    out.print(
        table(
            f"{res.year} 年两比两看光荣户 (截至 {res.as_of})",
            ["名次", "乡镇", "村", "户编号", "户主", "稳定就业", "人均务工收入", "稳定就业成员"],
            body,
            right=(0, 5, 6),
        )
    )
    out.print(escape(order_rule(res.top, res.stable_months, res.year)))
    if res.rows:
        out.print(
            "每户的事实 (何时起在何处务工、收入、家庭人口): --format json 的 explanation, 或 --export 公示表。"
        )
    else:
        out.print("没有家中有成员稳定就业的户。")

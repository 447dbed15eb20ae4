"""`laborcli sample`: the generated county's months, duplicates and targets, as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laborcli.cli.output import out, pct, table
from laborcli.i18n import pick

if TYPE_CHECKING:
    from laborcli.sample import CountySummary


_MONTH_HEADS = (
    ("月份", "month"),
    ("文件", "files"),
    ("行数", "rows"),
    ("应拒收", "to reject"),
    ("警告", "warnings"),
    ("应计人数", "persons counted"),
    ("劳动力", "labour force"),
    ("转移就业", "transferred"),
    ("转移率", "rate"),
)


def show_sample(summary: CountySummary) -> None:
    """The county's table of months, its duplicates and its targets, on stdout."""
    rows = [
        (
            m.month,
            m.files,
            m.rows,
            m.rows_rejected,
            m.warnings,
            m.persons_counted,
            m.labour_force,
            m.transferred,
            pct(m.transfer_rate),
        )
        for m in summary.months
    ]
    title = pick(
        f"{summary.county}: {summary.townships} 个乡镇, {summary.villages} 个村, "
        f"{summary.persons} 人, {summary.households} 户",
        f"{summary.county}: {summary.townships} townships, {summary.villages} villages, "
        f"{summary.persons} persons, {summary.households} households",
    )
    out.print(table(title, [pick(zh, en) for zh, en in _MONTH_HEADS], rows, right=range(1, 9)))
    dups = ", ".join(f"{k} {n}" for k, n in summary.duplicates.items() if n)
    if dups:
        out.print(pick(f"重复登记: {dups}", f"listed twice: {dups}"))
    if summary.targets_file:
        total = sum(summary.targets.values())
        out.print(
            pick(
                f"任务表: {summary.targets_file} ({summary.targets_year} 年, 合计 {total})",
                f"targets: {summary.targets_file} ({summary.targets_year}, total {total})",
            )
        )

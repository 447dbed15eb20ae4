"""`laborcli sample`: the generated county's months, duplicates and targets, as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laborcli.cli.output import out, pct, table
from laborcli.i18n import pick

if TYPE_CHECKING:
    from laborcli.sample import CountySummary


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
    out.print(
        table(
            pick(
                f"{summary.county}: {summary.townships} 个乡镇, {summary.villages} 个村, "
                f"{summary.persons} 人, {summary.households} 户",
                f"{summary.county}: {summary.townships} townships, {summary.villages} villages, "
                f"{summary.persons} persons, {summary.households} households",
            ),
            [
                pick("月份", "month"),
                pick("文件", "files"),
                pick("行数", "rows"),
                pick("应拒收", "to reject"),
                pick("警告", "warnings"),
                pick("应计人数", "persons counted"),
                pick("劳动力", "labour force"),
                pick("转移就业", "transferred"),
                pick("转移率", "rate"),
            ],
            rows,
            right=range(1, 9),
        )
    )
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

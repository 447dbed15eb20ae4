"""`submissions`: a month's sheets village by village, as a table, JSON or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laborcli.cli.options import Format
from laborcli.cli.output import out, print_csv, print_json, table
from laborcli.i18n import pick

if TYPE_CHECKING:
    from laborcli.roster.submissions import Submission, Submissions

CSV_KEYS = [
    "township",
    "village",
    "arrived",
    "source",
    "imported_at",
    "rows",
    "rows_rejected",
    "problems",
    "latest_sheet_as_of",
]


def show_submissions(res: Submissions, fmt: Format) -> None:
    """The month's sheets in the asked format on stdout."""
    if fmt is Format.json:
        print_json(res.as_json())
    elif fmt is Format.csv:
        print_csv(CSV_KEYS, [[r.as_json()[k] for k in CSV_KEYS] for r in res.rows])
    else:
        out.print(
            table(
                pick(f"{res.label} 报送情况", f"Sheets for {res.label}"),
                [pick(*h) for h in _HEADS],
                [_line(r) for r in res.rows],
                right=(5, 6, 7),
            )
        )
        out.print(missing_line(res) or pick("各村(社区)均已报送。", "Every village has sent its sheet."))


_HEADS = (
    ("乡镇", "township"),
    ("村(社区)", "village"),
    ("报送", "sent"),
    ("文件", "file"),
    ("导入时间", "imported"),
    ("导入行", "rows"),
    ("退回行", "rejected"),
    ("问题", "problems"),
    ("最近报表", "latest sheet"),
)


def _line(r: Submission) -> list[object]:
    sent = pick("已报送", "yes") if r.arrived else f"[red]{pick('未报送', 'no')}[/red]"
    latest = r.latest_sheet_as_of.isoformat() if r.latest_sheet_as_of else pick("从未报送", "never")
    when = r.imported_at.strftime("%Y-%m-%d %H:%M") if r.imported_at else ""
    return [
        r.township,
        r.village,
        sent,
        r.source or "",
        when,
        "" if r.rows is None else r.rows,
        "" if r.rows_rejected is None else r.rows_rejected,
        "" if r.problems is None else r.problems,
        latest,
    ]


def missing_line(res: Submissions) -> str | None:
    """One line naming the villages with no sheet for the month, with their latest sheet."""
    gone = res.missing
    if not gone:
        return None

    def one(r: Submission) -> str:
        last = r.latest_sheet_as_of.isoformat() if r.latest_sheet_as_of else pick("从未报送", "never")
        return f"{r.township}{r.village} ({pick('最近', 'latest')} {last})"

    return pick(
        f"{res.label} 未报送 {len(gone)} 个村(社区): {'、'.join(one(r) for r in gone)}",
        f"{len(gone)} villages sent no sheet for {res.label}: {', '.join(one(r) for r in gone)}",
    )


def show_missing_after_import(months: list[Submissions], fmt: Format, *, quiet: bool) -> None:
    """The import's last lines: for each month it brought sheets for, who is still missing.

    On stdout below the table; beside JSON or CSV (stdout is the machine's), on stderr.
    """
    from laborcli.cli.output import err

    if quiet and fmt is not Format.table:
        return
    where = out if fmt is Format.table else err
    for res in months:
        line = missing_line(res)
        if line:
            where.print(f"[yellow]{line}[/yellow]")

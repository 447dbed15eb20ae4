"""`submissions`: a month's sheets village by village, as a table, JSON or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laborcli.cli.listing import TableOptions, deliver
from laborcli.cli.options import Format
from laborcli.cli.output import AppState, out
from laborcli.exports.listing import Column, Kind, Listing
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
COLUMNS = (
    Column("township", "乡镇", "township"),
    Column("village", "村(社区)", "village"),
    Column("sent", "报送", "sent"),
    Column("source", "文件", "file", width=30),
    Column("imported_at", "导入时间", "imported", essential=False, width=17),
    Column("rows", "导入行", "rows", Kind.int),
    Column("rows_rejected", "退回行", "rejected", Kind.int),
    Column("problems", "问题", "problems", Kind.int),
    Column("latest", "最近报表", "latest sheet", width=12),
)


def show_submissions(st: AppState, res: Submissions, fmt: Format, opts: TableOptions) -> None:
    """The month's sheets in the asked format on stdout, and the asked files."""
    shown = deliver(
        st,
        submissions_listing(res),
        fmt,
        opts,
        as_json=res.as_json,
        as_csv=lambda: (CSV_KEYS, [[r.as_json()[k] for k in CSV_KEYS] for r in res.rows]),
    )
    if shown:
        out.print(missing_line(res) or pick("各村(社区)均已报送。", "Every village has sent its sheet."))


def submissions_listing(res: Submissions) -> Listing:
    """One line per village; a village whose sheet did not come in red."""
    return Listing(
        f"{res.label} 报送情况",
        f"Sheets for {res.label}",
        COLUMNS,
        [_line(r) for r in res.rows],
        sheet="报送情况",
        styles=["" if r.arrived else "red" for r in res.rows],
    )


def _line(r: Submission) -> dict[str, object]:
    latest = r.latest_sheet_as_of.isoformat() if r.latest_sheet_as_of else pick("从未报送", "never")
    return {
        "township": r.township,
        "village": r.village,
        "sent": pick("已报送", "yes") if r.arrived else pick("未报送", "no"),
        "source": r.source,
        "imported_at": r.imported_at.strftime("%Y-%m-%d %H:%M") if r.imported_at else None,
        "rows": r.rows,
        "rows_rejected": r.rows_rejected,
        "problems": r.problems,
        "latest": latest,
    }


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

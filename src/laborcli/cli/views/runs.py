"""The reports of validate and import, shared by both commands."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from laborcli.cli.options import Format
from laborcli.cli.output import AppState, err, out, print_csv, print_json, progress, table
from laborcli.i18n import lang, pick

if TYPE_CHECKING:
    from laborcli.roster.importing import RunReport
    from laborcli.sheets.checking import FileReport
    from laborcli.sheets.problems import Problem

STATUS_ZH = {"imported": "已导入", "unchanged": "未变化", "rejected": "拒收", "checked": "已检查"}


def show_run(run: RunReport, fmt: Format, show_pii: bool) -> None:
    """The report in the asked format on stdout, then the files not read at all on stderr."""
    if fmt is Format.json:
        print_json(run.as_json(show_pii))
    elif fmt is Format.csv:
        print_problems_csv(run, show_pii)
    else:
        render_run(run, show_pii)
    if fmt is Format.csv:  # the CSV has a line per problem only: the skipped files on stderr
        for line in skipped_lines(run):
            err.print(line, markup=False)
    say_rejected(run)


@contextmanager
def file_progress(st: AppState, total: int, label: str) -> Iterator[Callable[[FileReport], None]]:
    """A progress bar over files; yields what to call after each file."""
    with progress(st, total, label) as bar:
        yield lambda f: bar.advance(1, info=on_file_line(f))


def print_problems_csv(run: RunReport, show_pii: bool) -> None:
    """``--format csv`` of validate and import: one line per problem, with its file and status."""
    head = ["file", "status", "sheet", "row", "column", "severity", "code", "value", "message"]
    print_csv(head, [[rec[k] for k in head] for rec in run.flatten(show_pii)])


def render_run(run: RunReport, show_pii: bool, max_problems: int = 30) -> None:
    """A summary table per file, the files skipped, then the first problems, for a person
    at a terminal."""
    out.print(_files_table(run))
    for line in skipped_lines(run):
        out.print(line, markup=False, soft_wrap=True)
    shown = _print_problems(run, show_pii, max_problems)
    rest = [p for f in run.files for p in f.problems][shown:]  # the order they were shown in
    if rest:
        out.print(more_problems_line(rest), markup=False)


def more_problems_line(rest: list[Problem]) -> str:
    """ "另有 N 个问题 (…)": N and the breakdown count exactly the problems not shown."""
    from laborcli.sheets.problems import CODES

    codes = Counter(p.code for p in rest)
    zh = lang() == "zh"
    parts = pick("；", "; ").join(f"{CODES[c].zh if zh else c}: {n}" for c, n in codes.most_common(6))
    if len(codes) > 6:
        parts += pick("；等", "; …")
    return pick(
        f"… 另有 {len(rest)} 个问题 ({parts}); 用 --format json 或 validate --annotate 查看全部",
        f"… {len(rest)} more problems ({parts}); see --format json or validate --annotate",
    )


_FILE_HEADS = (
    ("文件", "file"),
    ("状态", "status"),
    ("统计日期", "as of"),
    ("读取行", "read"),
    ("导入行", "imported"),
    ("拒收行", "rejected"),
    ("警告", "warnings"),
)


def skipped_lines(run: RunReport) -> list[str]:
    """The files of the folders and globs that were not read, one line each with why."""
    if not run.skipped:
        return []
    head = pick(f"跳过 {len(run.skipped)} 个文件:", f"{len(run.skipped)} files skipped:")
    return [head, *(f"  {s.path.rsplit('/', 1)[-1]}: {s.reason}" for s in run.skipped)]


def _files_table(run: RunReport) -> Table:
    """One line per file and the totals."""
    rows: list[tuple[object, ...]] = [
        (
            file_name(f.path),
            pick(STATUS_ZH[f.status], f.status),
            f.as_of.isoformat() if f.as_of else "",
            f.rows_read,
            f.rows_imported,
            f.rows_rejected,
            f.warnings,
        )
        for f in run.files
    ]
    tot = run.totals()
    total = (tot["rows_read"], tot["rows_imported"], tot["rows_rejected"], sum(f.warnings for f in run.files))
    rows.append((pick("合计", "total"), "", "", *total))
    return table(None, [pick(zh, en) for zh, en in _FILE_HEADS], rows, right=(3, 4, 5, 6))


def _print_problems(run: RunReport, show_pii: bool, most: int) -> int:
    """The first ``most`` problems, each where it is and what it is; how many were shown."""
    shown = 0
    for f in run.files:
        for p in f.problems[: max(0, most - shown)]:
            colour = "red" if p.severity == "error" else "yellow"
            where = (
                file_name(f.path)
                + (f", {p.sheet}" if p.sheet else "")
                + (f", 第{p.row}行" if p.row else "")
                + (f", {p.column}" if p.column else "")
            )
            val = p.shown_value(show_pii)
            # Written as well as coloured: a log, a printout or a colour-blind reader has no red.
            tag = pick("错误", "error") if p.severity == "error" else pick("警告", "warning")
            line = f"{tag} {where}: {p.message}" + (f" [{val}]" if val else "")
            out.print(Text(line, style=colour))
            shown += 1
    return shown


def file_name(path: str) -> str:
    """The last part of a path as the report holds it, after / or a Windows \\."""
    return re.split(r"[\\/]", path)[-1]


def on_file_line(f: FileReport) -> str:
    """The progress bar's info text after a file."""
    return f"{file_name(f.path)} {f.rows_imported}/{f.rows_read}"


def say_rejected(run: RunReport) -> None:
    """One line on stderr per file that could not be read at all."""
    for f in run.files:
        if f.status == "rejected":
            # The reason of the whole file, wherever it was put among the row problems.
            whole = [p for p in f.problems if p.level == "file" and p.severity == "error"]
            reason = whole[0] if whole else (f.problems[-1] if f.problems else None)
            msg = reason.message if reason else ""
            err.print(f"[red]{f.path}: {msg}[/red]")

"""`dedup`: clusters of rows that are or may be one person, as a table or CSV; and what
`dedup apply` recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape

from laborcli.cli.listing import TableOptions, print_listing
from laborcli.cli.options import Format
from laborcli.cli.output import err, print_csv, print_json
from laborcli.exports.listing import Column, Kind, Listing, write_listing_csv
from laborcli.i18n import pick
from laborcli.identity.privacy import Mask

if TYPE_CHECKING:
    from laborcli.identity import Cluster
    from laborcli.identity.decisions import Applied

DECISION_ZH = {"same": "同一人", "probable": "疑似", "different": "不同人"}
RECORD_KEYS = ["source", "sheet", "row", "township", "village", "name", "id_number"]
PROBLEM_KEYS = ["sheet", "row", "column", "severity", "code", "value", "message"]


def counts(clusters: list[Cluster]) -> tuple[int, int]:
    """(decided, undecided) clusters."""
    decided = sum(c.decided for c in clusters)
    return decided, len(clusters) - decided


def show_clusters(
    clusters: list[Cluster], d: dt.date, mask: Mask, fmt: Format, opts: TableOptions | None = None
) -> None:
    """The clusters in the asked format on stdout (``opts``: --wide and --excel)."""
    opts = opts or TableOptions()
    if opts.excel is not None:
        write_listing_csv(clusters_listing(clusters, d, mask), opts.excel)
    if fmt is Format.json:
        decided, undecided = counts(clusters)
        print_json(
            {
                "as_of": d.isoformat(),
                "decided": decided,
                "undecided": undecided,
                "clusters": [c.as_json(mask) for c in clusters],
            }
        )
    elif fmt is Format.csv:
        # The JSON records, flattened: one line per row, the cluster's fields repeated.
        print_csv(
            ["cluster", "decision", "score", "reasons", *RECORD_KEYS],
            [
                [cj["cluster"], cj["decision"], cj["score"], "；".join(cj["reasons"])]
                + [rec[k] for k in RECORD_KEYS]
                for cj in (c.as_json(mask) for c in clusters)
                for rec in cj["records"]
            ],
        )
    else:
        print_listing(clusters_listing(clusters, d, mask), wide=opts.wide)


def clusters_listing(clusters: list[Cluster], d: dt.date, mask: Mask) -> Listing:
    """One line per row; the cluster's number, decision, 归属村, score and reasons on its first."""
    rows: list[dict[str, object]] = []
    for c in clusters:
        for i, r in enumerate(c.records):
            first = i == 0
            rows.append(
                {
                    "cluster": c.cluster_id if first else "",
                    "decision": DECISION_ZH[c.decision] if first else "",
                    "home": ("".join(c.home) if c.home else "") if first else "",
                    "score": c.score if first else None,
                    "reasons": "；".join(c.reasons) if first else "",
                    "source": f"{r.source}:{r.row}",
                    "place": f"{r.township}{r.village}",
                    "name": r.name,
                    "id_number": mask.id(r.id_number),
                }
            )
    decided, undecided = counts(clusters)
    return Listing(
        f"重复登记 (截至 {d.isoformat()}, {len(clusters)} 组: 已处理 {decided} 组, 待核查 {undecided} 组)",
        f"Registered more than once as of {d.isoformat()}: {len(clusters)} clusters, "
        f"{decided} decided, {undecided} to review",
        COLUMNS,
        rows,
        sheet="重复登记",
    )


COLUMNS = (
    Column("cluster", "组号", "cluster"),
    Column("decision", "判定", "decision"),
    Column("home", "归属村", "home village"),
    Column("score", "得分", "score", Kind.float),
    Column("reasons", "理由", "reasons", width=30),
    Column("source", "来源", "source", width=30),
    Column("place", "村", "village"),
    Column("name", "姓名", "name"),
    Column("id_number", "身份证号码", "ID number", width=21),
)


def say_exported(path: Path, written: int, total: int) -> None:
    """The review workbook's line on stderr: where, and how many clusters it offers."""
    left = total - written
    more = pick(f"; 另有 {left} 组已处理, 用 --all 一并导出", f"; {left} decided left out, --all for them")
    err.print(
        pick(f"→ {path} ({written} 组待核查", f"→ {path} ({written} clusters to review")
        + (more if left else "")
        + ")"
    )


def show_applied(applied: Applied, fmt: Format, *, quiet: bool = False) -> None:
    """What `dedup apply` recorded: JSON or CSV on stdout, or lines on stderr (every
    problem where it is, then what was recorded; ``quiet`` leaves out a success)."""
    if fmt is Format.json:
        print_json(applied.as_json())
        return
    if fmt is Format.csv:
        print_csv(PROBLEM_KEYS, [[p.as_json()[k] for k in PROBLEM_KEYS] for p in applied.problems])
        return
    for p in applied.problems:
        colour, level = ("red", "错误") if p.severity == "error" else ("yellow", "警告")
        where = f"{applied.file}, {p.sheet}, 第{p.row}行" + (f", {p.column}" if p.column else "")
        value = f" [{p.shown_value()}]" if p.value else ""
        err.print(f"[{colour}]{level} {escape(where)}: {escape(p.message + value)}[/{colour}]")
    if applied.errors:
        err.print(
            pick(
                f"[red]未记录任何判定: {applied.file} 有 {applied.errors} 个错误[/red]",
                f"[red]nothing recorded: {applied.file} has {applied.errors} errors[/red]",
            )
        )
    elif not quiet:
        err.print(
            pick(
                f"已记录 {applied.recorded} 组判定, {applied.unchanged} 组与已记录的相同 ({applied.file})",
                f"recorded {applied.recorded} clusters, {applied.unchanged} unchanged ({applied.file})",
            )
        )

"""`rank`: the Friday red and black lists as a table, JSON or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laborcli.cli.listing import TableOptions, deliver
from laborcli.cli.options import Format
from laborcli.cli.output import AppState, out
from laborcli.cli.views.freshness import stale_note, with_mark
from laborcli.exports.listing import Column, Kind, Listing

if TYPE_CHECKING:
    from laborcli.ranking.weekly import Ranking, RankRow

CSV_HEAD = ["rank", "township", "village", "value", "new_transfers", "target", "previous_rank", "list"]
LIST_ZH = {"red": "红榜", "black": "黑榜"}


def show_ranking(
    st: AppState, res: Ranking, fmt: Format, opts: TableOptions, *, table_too: bool = True
) -> None:
    """The lists in the asked format on stdout, and the asked files; the table only if
    ``table_too``, then the places not ranked."""
    shown = deliver(
        st,
        ranking_listing(res),
        fmt,
        opts,
        as_json=res.as_json,
        as_csv=lambda: (CSV_HEAD, [[getattr(r, k) for k in CSV_HEAD] for r in res.rows]),
        table_too=table_too,
    )
    if shown:
        note = stale_note(((r.township, r.village, r.stale) for r in res.rows), res.as_of)
        if note:
            out.print(note)
        for u in res.unranked:
            out.print(f"未排名: {u['township']}{u['village'] or ''} ({u['reason']})", markup=False)


def ranking_listing(res: Ranking) -> Listing:
    """One line per place; the red list in red, the black list reversed, 榜单 says which."""
    label = ("完成率", "completion") if res.metric == "completion" else ("转移率", "transfer rate")
    cols = [
        Column("rank", "名次", "rank", Kind.int),
        Column("change", "变化", "change"),
        Column("township", "乡镇", "township"),
        Column("village", "村(社区)", "village"),
        Column("value", *label, Kind.pct),
        Column("new_transfers", "新增转移", "new transfers", Kind.int),
        Column("target", "年度任务", "target", Kind.int),
        Column("list", "榜单", "list"),
        # After 榜单, so the columns of the table before them keep their places.
        Column("transfer_rate", "转移率", "transfer rate", Kind.pct, essential=False),
        Column("previous_rank", "上周名次", "last week", Kind.int, essential=False),
        Column("sheet_as_of", "报表日期", "sheet as of", Kind.date, essential=False, width=12),
    ]
    if res.metric != "completion":  # the value column is the transfer rate already
        cols = [c for c in cols if c.key != "transfer_rate"]
    rows = [_row(r) for r in res.rows]
    styles = ["red" if r.list == "red" else "reverse" if r.list == "black" else "" for r in res.rows]
    title = f"{res.week} 周排名 (基准日 {res.as_of.isoformat()}, 按{label[0]})"
    return Listing(
        title,
        f"{res.week} ranking (as of {res.as_of.isoformat()}, by {label[1]})",
        cols,
        rows,
        sheet="排名",
        styles=styles,
    )


def _row(r: RankRow) -> dict[str, object]:
    """A place's line: its name marked when its sheet is old (``freshness``)."""
    row: dict[str, object] = {
        **r.as_json(),
        "change": _arrow(r),
        "list": LIST_ZH.get(r.list or "", ""),
        "sheet_as_of": r.sheet_as_of,
    }
    name = "village" if r.village else "township"
    row[name] = with_mark(getattr(r, name), r.sheet_as_of, r.stale)
    return row


def _arrow(r: RankRow) -> str:
    if r.previous_rank is None:
        return "新"
    d = r.previous_rank - r.rank
    return f"↑{d}" if d > 0 else f"↓{-d}" if d < 0 else "–"

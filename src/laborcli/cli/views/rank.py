"""`rank`: the Friday red and black lists as a table or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING

from laborcli.cli.options import Format
from laborcli.cli.output import out, pct, print_csv, print_json, table
from laborcli.cli.views.freshness import marked, stale_note

if TYPE_CHECKING:
    from laborcli.ranking.weekly import Ranking, RankRow

CSV_HEAD = ["rank", "township", "village", "value", "new_transfers", "target", "previous_rank", "list"]


def show_ranking(res: Ranking, fmt: Format, *, table_too: bool = True) -> None:
    """The lists in the asked format on stdout; the table only if ``table_too``."""
    if fmt is Format.json:
        print_json(res.as_json())
    elif fmt is Format.csv:
        print_csv(
            CSV_HEAD,
            [
                [r.rank, r.township, r.village, r.value, r.new_transfers, r.target, r.previous_rank, r.list]
                for r in res.rows
            ],
        )
    elif table_too:
        print_ranking_table(res)


def print_ranking_table(res: Ranking) -> None:
    """One line per place, red list in red, black list reversed, then the unranked."""
    label = "完成率" if res.metric == "completion" else "转移率"
    body = []
    for r in res.rows:
        style = "red" if r.list == "red" else "reverse" if r.list == "black" else ""
        tag = "红榜" if r.list == "red" else "黑榜" if r.list == "black" else ""
        cells = [
            r.rank,
            _arrow(r),
            r.township,
            marked(r.village, r.sheet_as_of, r.stale) if r.village else "",
            pct(r.value),
            r.new_transfers,
            "" if r.target is None else r.target,
            tag,
        ]
        body.append([f"[{style}]{c}[/{style}]" if style else c for c in cells])
    out.print(
        table(
            f"{res.week} 周排名 (基准日 {res.as_of.isoformat()}, 按{label})",
            ["名次", "变化", "乡镇", "村(社区)", label, "新增转移", "年度任务", "榜单"],
            body,
            right=(0, 4, 5, 6),
        )
    )
    note = stale_note(((r.township, r.village, r.stale) for r in res.rows), res.as_of)
    if note:
        out.print(note)
    for u in res.unranked:
        out.print(f"未排名: {u['township']}{u['village'] or ''} ({u['reason']})")


def _arrow(r: RankRow) -> str:
    if r.previous_rank is None:
        return "新"
    d = r.previous_rank - r.rank
    return f"↑{d}" if d > 0 else f"↓{-d}" if d < 0 else "–"

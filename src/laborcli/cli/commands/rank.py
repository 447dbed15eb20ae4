"""`laborcli rank`: the Friday red and black lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from laborcli.ranking.weekly import RankRow
from laborcli.cli.options import Format, FormatOpt
from laborcli.cli.output import err, out, pct, print_csv, print_json, state, table, working
from laborcli.dates import parse_week, week_label

app = typer.Typer()


def _arrow(r: RankRow) -> str:
    if r.previous_rank is None:
        return "新"
    d = r.previous_rank - r.rank
    return f"↑{d}" if d > 0 else f"↓{-d}" if d < 0 else "–"


@app.command("rank")
def rank(
    ctx: typer.Context,
    week: Annotated[
        str, typer.Option("--week", help="ISO week 2026-W47, 'this' (default) or 'last'.")
    ] = "this",
    top: Annotated[
        int | None, typer.Option("--top", help="Places on each list (default 10, from the policy).")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="village (default) or township.")] = "village",
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric", help="completion or transfer_rate (default: completion when targets are loaded)."
        ),
    ] = None,
    export: Annotated[
        str | None,
        typer.Option(
            "--export", help="Write the meeting handout (.xlsx); {week} in the name becomes the week."
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rank villages on transfer-employment completion for a week; top K red, bottom K black."""
    from laborcli.cli.context import open_reg, policy
    from laborcli.exports.ranking import write_ranking
    from laborcli.ranking.weekly import rank_week

    st = state(ctx)
    if by not in ("village", "township"):
        raise typer.BadParameter("--by must be village or township")
    if metric not in (None, "completion", "transfer_rate"):
        raise typer.BadParameter("--metric must be completion or transfer_rate")
    if top is not None and top < 1:
        raise typer.BadParameter("--top must be at least 1")
    y, w = parse_week(week, dt.date.today())
    pol = policy(st)
    reg = open_reg(st)
    with working(st, "计算周排名"), reg.reading() as conn:
        res = rank_week(
            conn,
            y,
            w,
            pol.labour_force,
            top=top or pol.ranking.top,
            by=by,  # type: ignore[arg-type]
            metric=metric,  # type: ignore[arg-type]
        )
    if export:
        path = Path(export.replace("{week}", week_label(y, w)))
        write_ranking(res, path)
        if not st.quiet and err.is_terminal:
            err.print(f"→ {path}")
    if fmt is Format.json:
        print_json(res.as_json())
        return
    if fmt is Format.csv:
        print_csv(
            ["rank", "township", "village", "value", "new_transfers", "target", "previous_rank", "list"],
            [
                [r.rank, r.township, r.village, r.value, r.new_transfers, r.target, r.previous_rank, r.list]
                for r in res.rows
            ],
        )
        return
    if export and not (st.quiet is False and out.is_terminal):
        return
    label = "完成率" if res.metric == "completion" else "转移率"
    body = []
    for r in res.rows:
        style = "red" if r.list == "red" else "reverse" if r.list == "black" else ""
        tag = "红榜" if r.list == "red" else "黑榜" if r.list == "black" else ""
        cells = [
            r.rank,
            _arrow(r),
            r.township,
            r.village or "",
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
    for u in res.unranked:
        out.print(f"未排名: {u['township']}{u['village'] or ''} ({u['reason']})")

"""`laborcli rank`: the Friday red and black lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import (
    ExcelCsv,
    Format,
    FormatOpt,
    Metric,
    RankBy,
    Wide,
    workbook_option,
    written_file_option,
)
from laborcli.cli.output import err, out, state, working
from laborcli.dates import parse_week, week_label
from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.sheets.safe import writable_file

if TYPE_CHECKING:
    from laborcli.exports.fonts import CjkFont

app = LaborTyper()


@app.command("rank")
def rank(
    ctx: typer.Context,
    week: Annotated[
        str, typer.Option("--week", help="ISO week 2026-W47, 'this' (default) or 'last'.")
    ] = "this",
    top: Annotated[
        int | None, typer.Option("--top", min=1, help="Places on each list (default 10, from the policy).")
    ] = None,
    by: Annotated[RankBy, typer.Option("--by", help="The places to rank.")] = RankBy.village,
    metric: Annotated[
        Metric | None,
        typer.Option("--metric", help="What to rank on (default: completion when targets are loaded)."),
    ] = None,
    export: Annotated[
        str | None,
        workbook_option("Write the meeting handout (.xlsx); {week} in the name becomes the week."),
    ] = None,
    png: Annotated[
        str | None,
        written_file_option(
            ".png",
            "Also draw the lists as a picture for a phone (.png); {week} in the name becomes the week.",
            "--png",
        ),
    ] = None,
    font: Annotated[
        Path | None,
        typer.Option(
            "--font", metavar="FILE", help="The Chinese font for --png (default: one found on this machine)."
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
    wide: Wide = False,
    excel: ExcelCsv = None,
) -> None:
    """Rank villages on transfer-employment completion for a week; top K red, bottom K black."""
    from laborcli.cli.context import open_reg, policy
    from laborcli.cli.listing import TableOptions
    from laborcli.cli.views.rank import show_ranking
    from laborcli.exports.board import write_board
    from laborcli.exports.ranking import write_ranking
    from laborcli.ranking.handout import friday_handout
    from laborcli.ranking.weekly import rank_week

    st = state(ctx)
    y, w = parse_week(week, dt.date.today())
    path, picture, face = _outputs(week_label(y, w), export, png, font)
    pol = policy(st)
    reg = open_reg(st)
    k = top or pol.ranking.top
    m: Literal["completion", "transfer_rate"] | None = metric.value if metric else None
    supply = None
    with working(st, "计算周排名"), reg.reading() as conn:
        if path is None:
            res = rank_week(conn, y, w, pol.labour_force, top=k, by=by.value, metric=m)
        else:  # the handout carries the week's 供需对接 too
            res, supply = friday_handout(
                conn, y, w, pol.labour_force, pol.matching, top=k, by=by.value, metric=m
            )
    if path is not None:
        write_ranking(res, path, pol.county, supply)
        if not st.quiet:
            err.print(f"→ {path}")
    if picture is not None and face is not None:
        write_board(res, picture, face, pol.county)
        if not st.quiet:
            err.print(f"→ {picture}")
    # Beside a handout, the table is for a person watching, not for a cron log.
    show_ranking(
        st,
        res,
        fmt,
        TableOptions(wide=wide, excel=excel),
        table_too=not (export or png) or (not st.quiet and out.is_terminal),
    )


def _outputs(
    label: str, export: str | None, png: str | None, font: Path | None
) -> tuple[Path | None, Path | None, CjkFont | None]:
    """The handout's and the picture's paths ({week} filled) and the picture's font, each
    checked before the ranking is computed: a folder that cannot be written or no Chinese
    font is said at once, not after the work."""
    from laborcli.exports.fonts import find_font

    path = Path(export.replace("{week}", label)) if export else None
    picture = Path(png.replace("{week}", label)) if png else None
    for p in (path, picture):
        if p is not None:
            writable_file(p)
    if font is not None and picture is None:
        raise UsageError(pick("--font 只用于 --png 的图片", "--font is for the picture of --png"))
    return path, picture, find_font(font) if picture is not None else None

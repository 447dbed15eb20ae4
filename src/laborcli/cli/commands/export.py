"""`laborcli export`: the monthly report workbook and the register as data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    pass
from laborcli.cli.options import AsOf, ShowPii, TownshipOpt
from laborcli.cli.output import as_of_or_today, err, pii_notice, state, working
from laborcli.privacy import Mask

app = typer.Typer(help="Report workbooks and data exports.")


@app.command("report")
def report(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="The .xlsx to write; with --split-by township, a folder or a name with {township}.",
        ),
    ],
    as_of: AsOf = None,
    township: TownshipOpt = None,
    split_by: Annotated[
        str | None, typer.Option("--split-by", help="township: one workbook per township.")
    ] = None,
    show_pii: ShowPii = False,
) -> None:
    """The monthly report: 汇总, 乡镇, 村, 零就业家庭, 脱贫劳动力, 数据质量, 说明."""
    from laborcli.cli.context import open_reg, policy
    from laborcli.exports.report import gather, gather_concurrently, write_report
    from laborcli.identity import find_clusters

    st = state(ctx)
    if split_by not in (None, "township"):
        raise typer.BadParameter("--split-by takes 'township'")
    d = as_of_or_today(as_of)
    pol = policy(st)
    mask = Mask(show_pii)
    pii_notice(show_pii)
    reg = open_reg(st)
    if split_by:
        with working(st, "生成各乡镇月报"), reg.reading() as conn:
            clusters = find_clusters(conn, d, pol.dedup)
            towns = [r["township"] for r in gather(conn, d, pol, clusters=clusters).by_township.rows]
            for t in towns:
                path = _split_path(output, t)
                write_report(gather(conn, d, pol, township=t, clusters=clusters), path, mask)
                if not st.quiet:
                    err.print(f"→ {path}")
            return
    with working(st, "生成月报"):
        write_report(gather_concurrently(reg, d, pol, township=township), output, mask)
    if not st.quiet:
        err.print(f"→ {output}")


def _split_path(output: Path, township: str) -> Path:
    if "{township}" in str(output):
        return Path(str(output).replace("{township}", township))
    folder = output if output.suffix.lower() != ".xlsx" else output.parent
    stem = "月报" if output.suffix.lower() != ".xlsx" else output.stem
    return folder / f"{stem}_{township}.xlsx"


@app.command("people")
def people(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    as_of: AsOf = None,
    township: TownshipOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, xlsx or parquet.")] = "csv",
    show_pii: ShowPii = False,
) -> None:
    """The current register, one row per person, with age, labour force, transfer and duplicate cluster."""
    from laborcli.cli.context import open_reg, policy, settings
    from laborcli.exports.people import people_frame, write_people
    from laborcli.identity import find_clusters

    st = state(ctx)
    d = as_of_or_today(as_of)
    pol = policy(st)
    mask = Mask(show_pii)
    pii_notice(show_pii)
    with working(st, "导出人员名册"), open_reg(st).reading() as conn:
        clusters = find_clusters(conn, d, pol.dedup)
        df = people_frame(conn, d, pol.labour_force, settings(st).schema, mask, clusters, township=township)
    write_people(df, output, fmt)
    if not st.quiet:
        err.print(f"→ {output} ({len(df):,} 人)")

"""`laborcli export`: the monthly report workbook and the register as data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, PeopleFormat, ShowPii, SplitBy, TownshipOpt, output_file
from laborcli.cli.output import err, pii_notice, state, working
from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.identity.privacy import Mask
from laborcli.sheets.safe import writable_file

app = LaborTyper(help="Report workbooks and data exports.")


@app.command("report")
def report(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE.xlsx",
            callback=output_file(".xlsx", ""),
            help="The .xlsx to write; with --split-by township, a folder or a name with {township}.",
        ),
    ],
    as_of: AsOf = None,
    township: TownshipOpt = None,
    split_by: Annotated[SplitBy | None, typer.Option("--split-by", help="One workbook per township.")] = None,
    show_pii: ShowPii = False,
) -> None:
    """The monthly report: 汇总, 乡镇, 村, 稳岗, 务工收入, 培训, 零就业家庭, 脱贫劳动力, 数据质量, 说明."""
    from laborcli.cli.context import open_reg, policy, reference_date, sheet_schema
    from laborcli.exports.report import write_report
    from laborcli.exports.split import write_township_reports
    from laborcli.roster.report_data import gather_concurrently, township_reports

    st = state(ctx)
    if split_by is None:
        writable_file(output)  # before the work, not after it
        if not output.suffix:
            raise UsageError(pick(f"-o {output}: 请给出 .xlsx 文件名", f"-o {output}: name an .xlsx file"))
    pol, schema = policy(st), sheet_schema(st, "village")
    mask = Mask(show_pii)
    pii_notice(show_pii)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    if split_by is SplitBy.township:
        with working(st, "生成各乡镇月报"):
            for path in write_township_reports(township_reports(reg, d, pol, schema), output, mask):
                if not st.quiet:
                    err.print(f"→ {path}")
        return
    with working(st, "生成月报"):
        write_report(gather_concurrently(reg, d, pol, township=township, schema=schema), output, mask)
    if not st.quiet:
        err.print(f"→ {output}")


@app.command("people")
def people(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            callback=output_file(*(f".{f.value}" for f in PeopleFormat)),
            help="The file to write.",
        ),
    ],
    as_of: AsOf = None,
    township: TownshipOpt = None,
    fmt: Annotated[
        PeopleFormat | None,
        typer.Option("--format", "-f", help="The file's format (default: the file name's extension)."),
    ] = None,
    show_pii: ShowPii = False,
) -> None:
    """The current register, one row per person, with age, labour force, transfer and duplicate cluster."""
    from laborcli.cli.context import open_reg, policy, reference_date, sheet_schema
    from laborcli.exports.people import write_people
    from laborcli.roster.people import register

    writable_file(output)  # a folder is refused first, naming it
    named = PeopleFormat(output.suffix[1:].lower())  # output_file allows only these
    if fmt is not None and fmt is not named:
        raise UsageError(
            pick(f"-o {output}: 不是 {fmt.value} 文件名", f"-o {output}: not a {fmt.value} file name")
        )
    st = state(ctx)
    pol = policy(st)
    mask = Mask(show_pii)
    pii_notice(show_pii)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with working(st, "导出人员名册"):
        df = register(reg, d, pol, sheet_schema(st, "village"), mask, township=township)
    write_people(df, output, named.value)
    if not st.quiet:
        err.print(f"→ {output} ({len(df):,} 人)")


@app.command("html")
def html(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The folder to write the dashboard into.")],
    as_of: AsOf = None,
    split_by: Annotated[
        SplitBy | None, typer.Option("--split-by", help="Also one page per township.")
    ] = None,
    show_pii: ShowPii = False,
    no_subsidies: Annotated[
        bool,
        typer.Option(
            "--no-subsidies",
            help="Leave the subsidy lines out (on a large county their computation takes the longest).",
        ),
    ] = False,
) -> None:
    """The dashboard: static HTML pages that open offline by double-click (DIR/index.html)."""
    from laborcli.cli.context import open_reg, policy, reference_date, sheet_schema
    from laborcli.exports.dashboard import MARKER, write_dashboard
    from laborcli.roster.dashboard_data import dashboards
    from laborcli.sheets.safe import replaceable_folder

    st = state(ctx)
    replaceable_folder(folder, MARKER)  # before the work, not after it
    pol, schema = policy(st), sheet_schema(st, "village")
    mask = Mask(show_pii)
    pii_notice(show_pii)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with working(st, "生成数据看板"):
        pages = dashboards(
            reg, d, pol, split=split_by is SplitBy.township, schema=schema, subsidies=not no_subsidies
        )
        written = write_dashboard(pages, folder, mask)
    if not st.quiet:
        err.print(f"→ {written[0]}" + (f" (+ {len(written) - 1} 个乡镇页面)" if len(written) > 1 else ""))

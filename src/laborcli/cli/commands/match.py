"""`laborcli match`: people proposed for the open jobs (送岗到户), and the answers brought back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii
from laborcli.cli.output import pii_notice, state, working

app = LaborTyper(help="Matching people to jobs (送岗到户, 供需对接).", invoke_without_command=True)


@app.callback(invoke_without_command=True)
def match(
    ctx: typer.Context,
    as_of: AsOf = None,
    village: Annotated[
        str | None,
        typer.Option(
            "--village", metavar="VILLAGE", help="Only the people of this village (村, or 乡镇/村)."
        ),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option("--person", metavar="ID", help="One person's ID: proposed, or why not, job by job."),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export", help="Write the 送岗到户 workbook (.xlsx), or one per village into a folder."
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """For each open job, the candidates best first, with score and reasons."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.jobs import say_exported, show_match, show_person
    from laborcli.identity.privacy import Mask
    from laborcli.jobs.matching import match as compute
    from laborcli.jobs.workbook import export_proposals
    from laborcli.sheets.safe import writable_file, writable_folder

    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    folder = export is not None and (export.is_dir() or export.suffix.lower() != ".xlsx")
    if export is not None:
        (writable_folder if folder else writable_file)(export)
    mask = Mask(show_pii)
    pii_notice(show_pii)
    pol = policy(st)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    place = None
    if village:
        town, _, vil = village.rpartition("/")
        place = (town or None, vil)
    with working(st, "匹配岗位"), reg.reading() as conn:
        res = compute(conn, d, pol.labour_force, pol.matching, village=place, person=person)
    if person is not None:
        show_person(res, mask, fmt)
        return
    if export is not None:
        written = export_proposals(reg, res, export, mask, folder=folder)
        if not st.quiet:
            say_exported(written, len(res.proposals))
    show_match(res, mask, fmt)


@app.command("record")
def record(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE.xlsx", help="送岗到户 workbooks with 反馈 filled in.")
    ],
    fmt: FormatOpt = Format.table,
) -> None:
    """Record the answers (反馈) of returned lists: each file all or, on any error, nothing."""
    from laborcli.cli.context import open_reg
    from laborcli.cli.views.jobs import show_recorded
    from laborcli.errors import UsageError
    from laborcli.i18n import pick
    from laborcli.jobs.workbook import record_answers

    st = state(ctx)
    for f in files:
        if not f.is_file():
            raise UsageError(pick(f"文件不存在: {f}", f"no such file: {f}"))
    reg = open_reg(st)
    done = [record_answers(reg, f) for f in files]
    show_recorded(done, fmt, quiet=st.quiet)
    if any(a.errors for a in done):
        raise typer.Exit(1)


@app.command("summary")
def summary(
    ctx: typer.Context,
    week: Annotated[
        str | None,
        typer.Option(
            "--week",
            metavar="YYYY-Www",
            help="ISO week 2026-W49, 'this' or 'last' (default: the week of the reference date).",
        ),
    ] = None,
    as_of: AsOf = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The Friday supply-demand session (逢五供需对接): per township the open jobs, the
    candidates proposed and the placements of the week, as of the week's Friday."""
    import datetime as dt

    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.jobs import show_summary
    from laborcli.dates import parse_week
    from laborcli.jobs.summary import supply_demand

    st = state(ctx)
    pol = policy(st)
    reg = open_reg(st)
    if week is None:
        y, w = parse_week("this", reference_date(st, reg, as_of))
    else:
        y, w = parse_week(week, dt.date.today())
    with working(st, "供需对接"), reg.reading() as conn:
        res = supply_demand(conn, y, w, pol.labour_force, pol.matching)
    show_summary(res, fmt)

"""`laborcli training`: training rosters (培训花名册) and what the training led to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import AsOf, Format, FormatOpt, ShowPii, Strict, TrainingBy, workbook_option
from laborcli.cli.output import err, pii_notice, state, working
from laborcli.errors import UsageError
from laborcli.i18n import pick
from laborcli.sheets.safe import writable_file

app = LaborTyper(
    help="Training records (培训台账) and employment after training (培训一人、转移一人).",
    invoke_without_command=True,
)


@app.callback(invoke_without_command=True)
def training(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help="Records ending in this year (default: D's year).")
    ] = None,
    as_of: AsOf = None,
    by: Annotated[
        TrainingBy, typer.Option("--by", help="Rows by course type, institution or place.")
    ] = TrainingBy.type,
    export_review: Annotated[
        Path | None,
        workbook_option(
            "Write the workbook of the records left for review (.xlsx), to decide with training apply.",
            "--export-review",
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Persons trained and person-times, certificates, employed after training within the
    window and, for order training, placed with the order employer; with rates."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.training import show_training
    from laborcli.identity.privacy import Mask
    from laborcli.training.figures import training_figures
    from laborcli.training.review import write_review

    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    if export_review is not None:
        writable_file(export_review)  # before the work, not after it
    pii_notice(show_pii)
    pol = policy(st)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with working(st, "统计培训"), reg.reading() as conn:
        res = training_figures(conn, year or d.year, d, by.value, pol.dedup, pol.training)
        if export_review is not None:
            n = write_review(conn, res.outcomes, export_review, Mask(show_pii))
            if not st.quiet:
                err.print(
                    pick(f"→ {export_review} ({n} 条待核实)", f"→ {export_review} ({n} records for review)")
                )
    show_training(res, fmt, show_pii)


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(metavar="FILES_OR_FOLDERS", help="Files, folders or globs of training rosters."),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report, write nothing.")] = False,
    strict: Strict = False,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Import training rosters; rows with errors are rejected and listed, the others kept,
    and a record already imported (same person, type, institution and dates) is kept once."""
    from laborcli.cli.context import open_reg, settings
    from laborcli.cli.views.runs import file_progress
    from laborcli.cli.views.training import show_import
    from laborcli.sheets.reading import collect_files
    from laborcli.training.importing import import_training

    st = state(ctx)
    pii_notice(show_pii)
    found = collect_files(paths)
    cfg = settings(st, strict=strict, kind="training")
    with file_progress(st, len(found.files), "导入培训") as on_file:
        run = import_training(
            open_reg(st), found.files, cfg, dry_run=dry_run, skipped=found.skipped, on_file=on_file
        )
    show_import(run, fmt, show_pii)
    if run.has_problems:
        raise typer.Exit(1)


@app.command("link")
def link(
    ctx: typer.Context,
    record: Annotated[
        str, typer.Argument(help="The record_id of a record left for review (training --format json).")
    ],
    person: Annotated[str, typer.Argument(help="The registry person's ID number (or person key).")],
    different: Annotated[
        bool, typer.Option("--different", help="The record is NOT this person (never proposed again).")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Decide a record without a valid ID: it is this person (or, with --different, not);
    the decision is remembered for every later run."""
    from laborcli.cli.context import open_reg
    from laborcli.cli.views.training import show_linked
    from laborcli.training.linking import decide

    st = state(ctx)
    with open_reg(st).writing() as conn:
        decide(conn, record, person, same=not different)
    show_linked(record, not different, fmt)


@app.command("apply")
def apply(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="The review workbook (training --export-review) with 判定 filled in.")
    ],
    as_of: AsOf = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Record the decisions of a review workbook (all or, on any error, none); they keep
    applying in every later run."""
    from laborcli.cli.context import open_reg, policy, reference_date
    from laborcli.cli.views.dedup import show_applied
    from laborcli.training.review import apply_review

    st = state(ctx)
    if not file.is_file():
        raise UsageError(pick(f"文件不存在: {file}", f"no such file: {file}"))
    pol = policy(st)
    reg = open_reg(st)
    d = reference_date(st, reg, as_of)
    with reg.writing() as conn:
        applied = apply_review(conn, file, d, pol.dedup, pol.training)
    show_applied(applied, fmt, quiet=st.quiet)
    if applied.errors:
        raise typer.Exit(1)

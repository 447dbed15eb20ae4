"""`laborcli import`: monthly village sheets into the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import Format, FormatOpt, Mode, SheetTownship, SheetVillage, ShowPii, Strict
from laborcli.cli.output import pii_notice, state
from laborcli.dates import parse_as_of

if TYPE_CHECKING:
    from laborcli.registry import Registry

app = LaborTyper()


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="FILES_OR_FOLDERS", help="Files, folders or globs of .xlsx/.xls/.et/.ods/.csv sheets."
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="As-of date of the sheets; default: the month in each file name, as its last day."
        ),
    ] = None,
    mode: Annotated[
        Mode,
        typer.Option(
            "--mode",
            help="snapshot: each sheet is the village's complete register; update: rows update only the persons they name.",
        ),
    ] = Mode.snapshot,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report, write nothing.")] = False,
    strict: Strict = False,
    township: SheetTownship = None,
    village: SheetVillage = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Import even a file whose ID numbers mostly belong to other villages "
            "(normally refused as a sheet filed under the wrong village).",
        ),
    ] = False,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Import village sheets; each file is imported whole or not at all."""
    from laborcli.cli.context import open_reg, policy, settings
    from laborcli.cli.views.runs import file_progress, show_run
    from laborcli.cli.views.submissions import show_missing_after_import
    from laborcli.roster.importing import import_sheets
    from laborcli.roster.submissions import imported_months, months_missing
    from laborcli.sheets.reading import collect_files

    st = state(ctx)
    pii_notice(show_pii)
    found = collect_files(paths)
    files = found.files
    opened: list[Registry] = []

    def registry() -> Registry:
        opened.append(open_reg(st))
        return opened[-1]

    run = import_sheets(
        files,
        settings(st, strict=strict, township=township, village=village, kind="village"),
        registry,
        as_of=parse_as_of(as_of) if as_of else None,
        mode=mode.value,
        dry_run=dry_run,
        force=force,
        dedup=policy(st).dedup,
        watch=lambda: file_progress(st, len(files), "导入"),
        skipped=found.skipped,
    )
    show_run(run, fmt, show_pii)
    if opened and not dry_run:
        with opened[0].reading() as conn:
            missing = months_missing(conn, imported_months(run))
        show_missing_after_import(missing, fmt, quiet=st.quiet)
    if run.has_problems:
        raise typer.Exit(1)

"""`laborcli import`: monthly village sheets into the registry."""

from __future__ import annotations

from typing import Annotated

import typer

from laborcli.cli.options import Format, FormatOpt, ShowPii
from laborcli.cli.output import pii_notice, print_json, progress, state
from laborcli.dates import parse_as_of

app = typer.Typer()


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs of .xlsx/.xls/.csv sheets.")],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="As-of date of the sheets; default: the month in each file name, as its last day."
        ),
    ] = None,
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="snapshot: each sheet is the village's complete register; update: rows update only the persons they name.",
        ),
    ] = "snapshot",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report, write nothing.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    township: Annotated[
        str | None, typer.Option("--township", help="Township for sheets without a 乡镇 column.")
    ] = None,
    village: Annotated[
        str | None, typer.Option("--village", help="Village for sheets without a 村(社区) column.")
    ] = None,
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
    from laborcli.cli.files import on_file_line, print_problems_csv, render_run, say_rejected
    from laborcli.sheets.checking import Checker, resolve_as_of
    from laborcli.sheets.reading import expand_paths

    st = state(ctx)
    pii_notice(show_pii)
    if mode not in ("snapshot", "update"):
        raise typer.BadParameter("--mode must be snapshot or update")
    files = expand_paths(paths)
    date = parse_as_of(as_of) if as_of else None
    resolve_as_of(files, date)  # a file without a month fails here, before any work
    cfg = settings(st, strict=strict, township=township, village=village)
    # The workers start on the files before the database layer is loaded, and before the
    # progress bar's thread (they are forked).
    with Checker(files, cfg) as checker:
        from laborcli.roster.importing import import_files

        reg = open_reg(st)
        with progress(st, len(files), "导入") as bar:
            run = import_files(
                reg,
                files,
                cfg,
                as_of=date,
                mode=mode,  # type: ignore[arg-type]
                dry_run=dry_run,
                on_file=lambda f: bar.advance(1, info=on_file_line(f)),
                force=force,
                dedup=policy(st).dedup,
                checker=checker,
            )
    if fmt is Format.json:
        print_json(run.as_json(show_pii))
    elif fmt is Format.csv:
        print_problems_csv(run, show_pii)
    else:
        render_run(run, show_pii)
    say_rejected(run)
    if run.has_problems:
        raise typer.Exit(1)

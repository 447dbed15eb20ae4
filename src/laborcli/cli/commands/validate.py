"""`laborcli validate`: check sheets without touching the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import Format, FormatOpt, KindOpt, SheetTownship, SheetVillage, ShowPii, Strict
from laborcli.cli.output import err, pii_notice, state
from laborcli.sheets.safe import writable_folder

app = LaborTyper()


@app.command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(metavar="FILES_OR_FOLDERS", help="Files, folders or globs of sheets to check."),
    ],
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            metavar="FOLDER",
            help="Write a copy of each sheet with problem cells coloured and commented into this folder.",
        ),
    ] = None,
    strict: Strict = False,
    township: SheetTownship = None,
    village: SheetVillage = None,
    kind: KindOpt = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Check sheets against their kind's schema and report every problem; writes nothing to the registry."""
    from laborcli.cli.context import settings
    from laborcli.cli.views.runs import file_progress, show_run
    from laborcli.identity.privacy import Mask
    from laborcli.roster.importing import annotate_run, validate_files
    from laborcli.sheets.reading import collect_files

    st = state(ctx)
    if annotate is not None:
        writable_folder(annotate)  # before the sheets are read, not after
    pii_notice(show_pii)
    found = collect_files(paths)
    files = found.files
    cfg = settings(st, strict=strict, township=township, village=village, kind=kind)
    with file_progress(st, len(files), "检查") as on_file:
        run = validate_files(
            files, cfg, on_file=on_file, keep_book=annotate is not None, skipped=found.skipped
        )
    for target in annotate_run(run, annotate, Mask(show_pii)) if annotate is not None else ():
        if not st.quiet:
            err.print(f"→ {target}")
    show_run(run, fmt, show_pii)
    if run.has_problems or any(f.errors for f in run.files):
        raise typer.Exit(1)

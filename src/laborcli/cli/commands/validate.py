"""`laborcli validate`: check sheets without touching the registry."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    pass
from laborcli.cli.options import Format, FormatOpt, ShowPii
from laborcli.cli.output import err, pii_notice, print_json, progress, state

app = typer.Typer()


@app.command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs of sheets to check.")],
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            help="Write a copy of each sheet with problem cells coloured and commented into this folder.",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    township: Annotated[
        str | None, typer.Option("--township", help="Township for sheets without a 乡镇 column.")
    ] = None,
    village: Annotated[
        str | None, typer.Option("--village", help="Village for sheets without a 村(社区) column.")
    ] = None,
    fmt: FormatOpt = Format.table,
    show_pii: ShowPii = False,
) -> None:
    """Check sheets against the schema and report every problem; writes nothing to the registry."""
    from laborcli.cli.context import settings
    from laborcli.cli.files import on_file_line, print_problems_csv, render_run, say_rejected
    from laborcli.roster.importing import validate_files
    from laborcli.sheets.annotate import annotate_book
    from laborcli.sheets.reading import expand_paths

    st = state(ctx)
    pii_notice(show_pii)
    files = expand_paths(paths)
    cfg = settings(st, strict=strict, township=township, village=village)
    with progress(st, len(files), "检查") as bar:
        run = validate_files(
            files, cfg, on_file=lambda f: bar.advance(1, info=on_file_line(f)), keep_book=annotate is not None
        )
    if annotate is not None:
        annotate.mkdir(parents=True, exist_ok=True)
        for f in run.files:
            if f.book is not None:
                target = annotate_book(f, annotate)
                if not st.quiet:
                    err.print(f"→ {target}")
    if fmt is Format.json:
        print_json(run.as_json(show_pii))
    elif fmt is Format.csv:
        print_problems_csv(run, show_pii)
    else:
        render_run(run, show_pii)
    say_rejected(run)
    if run.has_problems or any(f.errors for f in run.files):
        raise typer.Exit(1)

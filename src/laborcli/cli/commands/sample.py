"""`laborcli sample`: a realistic county of village sheets, deterministic by seed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from laborcli.cli.help import LaborTyper
from laborcli.cli.options import SheetFormat
from laborcli.cli.output import err, print_json, progress, state
from laborcli.cli.views.sample import show_sample
from laborcli.i18n import pick

app = LaborTyper()


@app.command("sample")
def sample(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="FOLDER", help="Folder to write the county into.")
    ],
    persons: Annotated[
        int, typer.Option("--persons", "-n", min=1, help="Persons in the county (each listed once).")
    ] = 2000,
    months: Annotated[
        str,
        typer.Option(
            "--months",
            help="Months to write: 2026-10,2026-11, or a count of months ending with --last.",
        ),
    ] = "1",
    last: Annotated[
        str | None,
        typer.Option("--last", help="Last month when --months is a count (default: last month)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 0,
    fmt: Annotated[
        SheetFormat, typer.Option("--format", "-f", help="xlsx (default) or csv.")
    ] = SheetFormat.xlsx,
    messy: Annotated[
        bool,
        typer.Option(
            "--messy/--clean",
            help="Faults of hand-typed sheets at small rates (default), or template-clean sheets.",
        ),
    ] = True,
    targets: Annotated[
        bool, typer.Option("--targets", help="Also write the annual targets sheet for the last month's year.")
    ] = False,
    townships: Annotated[
        int | None, typer.Option("--townships", min=1, help="Number of townships (default: by size).")
    ] = None,
    villages: Annotated[
        int | None, typer.Option("--villages", min=1, help="Number of villages (default: by size).")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes (default: one per CPU for large counties)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
) -> None:
    """Write <乡镇>_<村>_<YYYY-MM> sheets for every village and month, ready for `laborcli import`."""
    from laborcli.sample import prepare_county

    st = state(ctx)
    run = prepare_county(
        output,
        persons,
        months,
        seed,
        messy,
        fmt.value,
        last=last,
        targets=targets,
        townships=townships,
        villages=villages,
        workers=workers,
    )
    started = time.perf_counter()
    with progress(st, run.file_count, pick("生成", "generating")) as bar:
        summary = run.write(on_file=bar.advance)
    elapsed = time.perf_counter() - started
    if as_json:
        print_json(summary.as_json())
        return
    show_sample(summary)
    if not st.quiet:
        err.print(f"→ {output} ({summary.bytes_written / 1e6:.1f} MB, {elapsed:.1f} s)")

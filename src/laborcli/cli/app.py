"""The ``laborcli`` command: global options, the command modules, and error handling.

Every error a user can cause ends as one red line on stderr and the exit code of the
contract (1 problems, 2 usage, 3 registry); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import gc
import sys
from typing import Annotated

import typer

from laborcli import __version__
from laborcli.cli.commands import (
    db,
    dedup,
    demand,
    export,
    history,
    honours,
    households,
    imports,
    income,
    leaders,
    match,
    people,
    rank,
    rates,
    retention,
    sample,
    submissions,
    subsidy,
    targets,
    template,
    training,
    validate,
)
from laborcli.cli.help import LaborTyper
from laborcli.cli.output import AppState, err
from laborcli.errors import LaborError
from laborcli.i18n import pick
from laborcli.sheets.safe import DISK_FULL

app = LaborTyper(
    name="laborcli",
    help="劳动力基础数据库 — county labour-force registries: import village sheets, count each person once, "
    "transfer rates, zero-employment households, Friday red/black lists.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"laborcli {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="Registry: a file path or sqlite:///path (default laborcli.db), or postgresql+psycopg://…; also LABORCLI_DB.",
            envvar="LABORCLI_DB",
        ),
    ] = None,
    schema: Annotated[
        str | None,
        typer.Option(
            "--schema", metavar="FILE", help="Sheet definition (TOML) to use instead of the standard one."
        ),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy", metavar="FILE", help="County policy file (TOML): age bounds, list size, subsidies."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notes on stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Global options come before the command: laborcli --db county.db rates."""
    st = ctx.obj if isinstance(ctx.obj, AppState) else AppState()
    st.db, st.schema, st.policy, st.quiet, st.debug = db, schema, policy, quiet, debug
    # The console script starts with the cycle collector paused; only an import keeps it
    # so (see sheets.checking.gc_paused).
    if st.gc_paused and ctx.invoked_subcommand != "import":
        gc.enable()
        st.gc_paused = False
    ctx.obj = st
    ctx.call_on_close(st.close)


# Each command module has its own Typer: the ones without a name add their commands at
# the top level, the named ones are command groups.
for module in (template, validate, imports, rates, households, rank, submissions, history, sample):
    app.add_typer(module.app)
app.add_typer(retention.app)
app.add_typer(income.app)
app.add_typer(honours.app)
app.add_typer(targets.app, name="targets")
app.add_typer(dedup.app, name="dedup")
app.add_typer(db.app, name="db")
app.add_typer(export.app, name="export")
app.add_typer(people.app, name="people")
app.add_typer(leaders.app, name="leaders")
app.add_typer(subsidy.app, name="subsidy")
app.add_typer(demand.app, name="demand")
app.add_typer(match.app, name="match")
app.add_typer(training.app, name="training")


def main(argv: list[str] | None = None, *, gc_paused: bool = False) -> int:
    """Entry point: run the command and turn a LaborError into one line and its exit code.

    ``gc_paused``: the caller paused the cycle collector; commands other than ``import``
    turn it back on.
    """
    args = sys.argv[1:] if argv is None else argv
    tolerant_streams()
    st = AppState(gc_paused=gc_paused)
    try:
        app(args=args, prog_name="laborcli", obj=st)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except LaborError as e:
        if st.debug:
            raise
        err.print(f"[red]laborcli: {e}[/red]", soft_wrap=True, markup=True)
        return e.exit_code
    except KeyboardInterrupt:
        err.print(pick("[red]已中断[/red]", "[red]interrupted[/red]"))
        return 130
    except OSError as e:
        line = None if st.debug else _os_error_line(e)
        if line is None:
            raise
        err.print(f"laborcli: {line}", style="red", soft_wrap=True, markup=False)
        return 2
    return 0


def _os_error_line(e: OSError) -> str | None:
    """The one line for a file the system refuses, or None for an OSError that is a bug.

    A full disk while writing the output or an export, or a file the system refuses (no
    permission, a read-only disk, a folder where a file should be) is the user's to fix.
    (A reader that went away, `| head`, is exit 1 without a word: click's own rule; an
    OSError about no file is a bug and keeps its traceback.)
    """
    if isinstance(e, PermissionError):
        # On Windows a workbook open in Excel or WPS cannot be replaced.
        where = e.filename2 or e.filename or ""
        return pick(
            f"无法写入 {where}: 没有权限, 或文件正在 Excel/WPS 中打开 (请关闭后重试)",
            f"cannot write {where}: no permission, or the file is open in Excel/WPS",
        )
    if e.errno not in DISK_FULL and not e.filename:
        return None
    where = f" {e.filename}" if e.filename else ""
    if e.errno in DISK_FULL:
        return f"磁盘已满, 未能写完{where} (no space left on the disk)"
    return pick(f"无法使用{where}: {e.strerror}", f"cannot use{where}: {e.strerror}")


def tolerant_streams() -> None:
    """stdout and stderr in an encoding other than UTF-8 (a Chinese Windows writing to a
    file or pipe: GBK) write a character they lack as ``?`` rather than stop the command
    with a UnicodeEncodeError; JSON stays exact (``output.print_json``)."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
        reconfigure = getattr(stream, "reconfigure", None)
        if not enc.startswith("utf") and reconfigure is not None:
            reconfigure(errors="replace")

"""Rendering: JSON and CSV on stdout, tables with rich, messages and progress on stderr."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console, ConsoleDimensions
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from laborcli.i18n import pick
from laborcli.sheets.safe import csv_safe

if TYPE_CHECKING:
    from laborcli.registry import Registry

PIPE_WIDTH = 1000
"""The width of tables and lines written anywhere but a terminal (a file, a pipe, cron)."""


class _Stdout(Console):
    """stdout: a terminal's own width; elsewhere wide enough that no table or line is cut.

    Rich takes 80 columns when stdout is not a terminal, which cut a village's name to
    ``双溪镇_平寨社区_202…`` in a redirected or cron-mailed table. COLUMNS still rules.
    """

    @property
    def size(self) -> ConsoleDimensions:
        """The terminal's size, or PIPE_WIDTH columns when writing elsewhere."""
        size = super().size
        if self._width is None and not self.is_terminal:
            return ConsoleDimensions(PIPE_WIDTH, size.height)
        return size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size


out = _Stdout(highlight=False)
# Messages on stderr stay one line each (cron logs, grep), whatever the width.
err = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class AppState:
    """Global options, kept on the Typer context.

    ``cli.main`` makes it and hands it to the command line as click's ``obj``, so it
    learns ``--debug`` from here after the command; ``gc_paused`` says that the console
    script started with the cycle collector paused (``entry.run``).
    """

    db: str | None = None
    schema: str | None = None
    policy: str | None = None
    quiet: bool = False
    debug: bool = False
    gc_paused: bool = False
    opened: list[Registry] = field(default_factory=list)

    def close(self) -> None:
        """Release every registry this invocation opened."""
        for reg in self.opened:
            reg.close()
        self.opened.clear()


def state(ctx: typer.Context) -> AppState:
    """The global options of this invocation."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, AppState) else AppState()


def _default(o: object) -> object:
    if isinstance(o, dt.date | dt.datetime):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def print_json(data: object) -> None:
    """Machine output: one JSON document on stdout, nothing else."""
    # Indented for a person at a terminal; one line for a program, which json writes with
    # its C encoder, not the Python one that indenting takes (a county's household list is
    # megabytes).
    indent = 2 if sys.stdout.isatty() else None
    # In an encoding other than UTF-8 (GBK), \u escapes keep every name exact.
    ascii_only = not (sys.stdout.encoding or "utf-8").lower().startswith("utf")
    sys.stdout.write(json.dumps(data, ensure_ascii=ascii_only, indent=indent, default=_default) + "\n")
    sys.stdout.flush()


def print_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Machine output as CSV on stdout; cells a spreadsheet would run as formulas are defused."""
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([csv_safe(v) for v in r])


def pct(x: float | None) -> str:
    """A fraction as a percentage with one decimal."""
    return "—" if x is None else f"{x * 100:.1f}%"


def table(
    title: str | None, columns: Sequence[str], rows: Iterable[Sequence[object]], right: Sequence[int] = ()
) -> Table:
    """A rich table with the given right-aligned (numeric) columns."""
    t = Table(title=title, show_lines=False, header_style="bold")
    for i, c in enumerate(columns):
        t.add_column(c, justify="right" if i in right else "left")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    return t


def wants_progress(st: AppState) -> bool:
    """Progress bars only for a person at a terminal."""
    return not st.quiet and err.is_terminal


@contextmanager
def working(st: AppState, label: str) -> Iterator[None]:
    """A spinner with the elapsed time on stderr while the registry computes (terminal only).

    Figures are one computation in the database with no steps to count, so the person
    waiting sees that it runs and for how long; cron and --quiet see nothing.
    """
    if not wants_progress(st):
        yield
        return
    p = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    with p:
        p.add_task(label, total=None)
        yield


@contextmanager
def progress(st: AppState, total: int, label: str) -> Iterator[Any]:
    """A progress bar on stderr (or a no-op under cron) advanced with ``advance(n)``."""
    if not wants_progress(st):

        class _Null:
            def advance(self, n: int = 1, **_: object) -> None:
                """Nothing to show."""

        yield _Null()
        return
    p = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )
    with p:
        task = p.add_task(label, total=total, info="")

        class _Bar:
            def advance(self, n: int = 1, info: str = "") -> None:
                """Move the bar on."""
                p.update(task, advance=n, info=info)

        yield _Bar()


def pii_notice(show_pii: bool) -> None:
    """Say on stderr that identifiers are shown whole, so nobody forgets it."""
    if show_pii:
        err.print(
            pick(
                "[yellow]注意: 输出包含完整的身份证号码和电话 (--show-pii)[/yellow]",
                "[yellow]note: the output carries whole ID numbers and phones (--show-pii)[/yellow]",
            )
        )

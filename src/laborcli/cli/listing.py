"""A command's table in the terminal, and its --export workbook and --excel CSV.

A reporting command plugs in with a few lines (``rates`` is the model)::

    # cli/views/submissions.py
    COLUMNS = (
        Column("township", "乡镇", "township"),
        Column("village", "村(社区)", "village"),
        Column("arrived", "本月已报送", "arrived", Kind.yes_no),
        Column("rows", "行数", "rows", Kind.int, essential=False),
    )

    def show_submissions(st, res, fmt, opts):
        listing = Listing("报送情况 (2026-11)", "Submissions (2026-11)", COLUMNS, res.rows, sheet="报送情况")
        deliver(st, listing, fmt, opts, as_json=res.as_json)

    # cli/commands/submissions.py: the options, and TableOptions(wide, export, excel)
    def submissions(ctx, ..., fmt: FormatOpt = Format.table, wide: Wide = False,
                    export: TableExport = None, excel: ExcelCsv = None) -> None:
        ...
        show_submissions(st, res, fmt, TableOptions(wide, export, excel))

Rows are mappings keyed by the columns' keys. ``--format csv`` defaults to the keys and
raw values (``as_csv`` overrides it where a CSV is a contract already). A command whose
--export is a workbook of its own takes only ``Wide`` and ``ExcelCsv`` and passes
``TableOptions(wide=wide, excel=excel)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from laborcli.cli.options import Format
from laborcli.cli.output import AppState, err, out, print_csv, print_json
from laborcli.exports.listing import Column, Listing, text_cell
from laborcli.i18n import lang, pick


@dataclass(frozen=True)
class TableOptions:
    """--wide, --export FILE.xlsx and --excel FILE.csv of one command."""

    wide: bool = False
    export: Path | None = None
    excel: Path | None = None

    @property
    def writes(self) -> bool:
        """A file is asked for."""
        return self.export is not None or self.excel is not None


def deliver(
    st: AppState,
    listing: Listing,
    fmt: Format,
    opts: TableOptions,
    *,
    as_json: Callable[[], object],
    as_csv: Callable[[], tuple[Sequence[str], Sequence[Sequence[object]]]] | None = None,
    table_too: bool = True,
) -> bool:
    """Write the asked files, then stdout in the asked format.

    ``as_json`` is the command's JSON document; ``as_csv`` its ``--format csv`` heads and
    rows (default: the columns' keys and the rows' raw values). Beside a written file the
    table is for a person watching, not for a cron log. True when the table was shown.
    """
    write_files(st, listing, opts)
    if fmt is Format.json:
        print_json(as_json())
    elif fmt is Format.csv:
        head, rows = as_csv() if as_csv else raw_csv(listing)
        print_csv(head, rows)
    elif table_too and (not opts.writes or (not st.quiet and out.is_terminal)):
        print_listing(listing, wide=opts.wide)
        return True
    return False


def write_files(st: AppState, listing: Listing, opts: TableOptions) -> None:
    """--export FILE.xlsx and --excel FILE.csv, each confirmed on stderr."""
    from laborcli.exports.listing import write_listing_csv, write_listing_xlsx

    if opts.export is not None:
        write_listing_xlsx(listing, opts.export)
        if not st.quiet:
            err.print(f"→ {opts.export}", markup=False)
    if opts.excel is not None:
        write_listing_csv(listing, opts.excel)
        if not st.quiet:
            err.print(f"→ {opts.excel}", markup=False)


def raw_csv(listing: Listing) -> tuple[list[str], list[list[object]]]:
    """The columns' keys and the rows' values as they are: CSV for programs."""
    keys = [c.key for c in listing.columns]
    return keys, [[r.get(k) for k in keys] for r in listing.rows]


def print_listing(listing: Listing, *, wide: bool = False, console: Console | None = None) -> None:
    """The table, whole when it fits or --wide asks; else its essential columns and one
    line on stderr naming the columns left out and how to see them."""
    con = console or out
    cols = list(listing.columns)
    t = listing_table(listing, cols)
    # Measured unbounded: rich caps a measurement at the width it is given.
    natural = Measurement.get(con, con.options.update_width(10**5), t).maximum
    if natural <= con.width:
        con.print(t)
    elif wide:  # every column whole, the lines as long as they must be (less -S)
        Console(file=con.file, width=natural, highlight=False, force_terminal=con.is_terminal).print(t)
    else:
        kept = [c for c in cols if c.essential]
        con.print(listing_table(listing, kept) if len(kept) < len(cols) else t)
        left = [c for c in cols if not c.essential]
        if left:
            names = "、".join(head(c) for c in left) if lang() == "zh" else ", ".join(c.en for c in left)
            err.print(
                pick(
                    f"未显示的列: {names}; 用 --wide 显示全部列, 或用 --format csv / --format json",
                    f"columns not shown: {names}; see them with --wide, or --format csv / --format json",
                ),
                markup=False,
            )


def head(c: Column) -> str:
    """The column's head in the terminal."""
    return pick(c.short or c.zh, c.en)


def listing_table(listing: Listing, cols: Sequence[Column]) -> Table:
    """A rich table of ``cols``; each row in its style."""
    zh = lang() == "zh"
    t = Table(title=pick(listing.title_zh, listing.title_en), show_lines=False, header_style="bold")
    for c in cols:
        t.add_column(head(c), justify="right" if c.numeric else "left")
    for i, r in enumerate(listing.rows):
        # Text, not str: a village named 新村[二组] is not rich markup.
        t.add_row(*[Text(text_cell(c, r.get(c.key), zh=zh)) for c in cols], style=listing.style(i) or None)
    return t

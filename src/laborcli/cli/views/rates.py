"""`rates`: the figures of each place as a table, its exports, JSON or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from laborcli.cli.listing import TableOptions, deliver
from laborcli.cli.options import Format, Level
from laborcli.cli.output import AppState, out
from laborcli.cli.views.freshness import stale_note, with_mark
from laborcli.exports.listing import Column, Kind, Listing
from laborcli.roster.catalogue import FIGURES, INT, Figure

if TYPE_CHECKING:
    from laborcli.roster.figures import Rates

PLACE_KEYS = ("township", "village", "group")
CSV_KEYS = [*PLACE_KEYS, *(f.key for f in FIGURES if f.in_rates_csv)]
PLACES = {
    "township": ("乡镇", "township"),
    "village": ("村(社区)", "village"),
    "group": ("村民小组", "group"),
}
# The headline figures, which a narrow terminal keeps; the table names the others it
# leaves out, and --wide, the exports and --format csv/json carry all of them.
ESSENTIAL = {
    "labour_force",
    "transferred",
    "transfer_rate",
    "outside_county",
    "organised_rate",
    "households",
    "zero_employment_households",
}


def show_rates(st: AppState, res: Rates, by: Level, fmt: Format, opts: TableOptions) -> None:
    """The figures in the asked format on stdout, and the asked files."""
    rows = [*res.rows, {**res.total, "township": "合计"}]
    shown = deliver(
        st,
        rates_listing(res, by),
        fmt,
        opts,
        as_json=res.as_json,
        as_csv=lambda: (CSV_KEYS, [[r.get(k) for k in CSV_KEYS] for r in rows]),
    )
    note = stale_note(((r["township"], r["village"], r.get("stale", False)) for r in res.rows), res.as_of)
    if shown and note:
        out.print(note)


def figure_column(f: Figure) -> Column:
    """A figure of the catalogue as a column."""
    return Column(
        f.key,
        f.label,
        f.en,
        Kind.int if f.number_format == INT else Kind.pct,
        essential=f.key in ESSENTIAL,
        short=f.short,
    )


SHEET_AS_OF = Column("sheet_as_of", "报表日期", "sheet as of", Kind.date, essential=False, width=12)


def _marked(r: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """A place on an old sheet says so beside its name (``freshness``)."""
    if not keys or not r.get("stale"):
        return r
    name = "village" if "village" in keys else keys[-1]
    return {**r, name: with_mark(r[name], r.get("sheet_as_of"), True)}


def rates_listing(res: Rates, by: Level) -> Listing:
    """One line per place and the county total (in bold), every figure of the catalogue."""
    keys = list(PLACE_KEYS[: list(Level).index(by)])
    cols = [Column(k, *PLACES[k], width=14) for k in keys] + [figure_column(f) for f in FIGURES]
    if keys and any("sheet_as_of" in r for r in res.rows):
        cols.append(SHEET_AS_OF)  # last: the figures keep their columns in the workbook
    total: dict[str, Any] = dict(res.total)
    for k in keys:
        total[k] = ""
    if keys:  # the county total has no place column to name it
        total[keys[0]] = "合计"
    d = res.as_of.isoformat()
    return Listing(
        f"转移就业情况 (截至 {d})",
        f"Transfer employment as of {d}",
        cols,
        [*(_marked(r, keys) for r in res.rows), total],
        sheet="转移就业情况",
        styles=[""] * len(res.rows) + ["bold"],
    )
